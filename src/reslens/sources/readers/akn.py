"""Read one Akoma Ntoso 3.0 (AKN4UN) resolution file into a :class:`~reslens.models.Resolution`.

The UN files are regular on the surface and irregular underneath. This reader rebuilds the
paragraph structure the printed resolution has, and counts every repair it makes in an optional
``quirks`` counter so that a corpus run can report them. Decisions worth knowing:

* **Headings.** Un-numbered ``<paragraph>`` elements that are headings (classes ``H1``, ``H23``,
  ``H4``, ``HCh``..., ``<heading>``/``<subheading>`` children, or short text with no final ``;``
  or ``.``) become the ``heading`` of the paragraphs that follow; they are never glued to the
  paragraph before. A heading numbered ``A.``/``I.`` also opens a ``section``.
* **Sub-points as paragraphs.** Top-level ``<paragraph>`` elements numbered ``(a)``, ``(i)``,
  ``a.``, ``–`` or ``•`` are folded back into the preceding operative paragraph; roman
  numerals go under the last lettered point. Un-numbered body text after such a point continues
  that point (S/RES/2406 para. 7(d)).
* **Numbers in the wrong place.** A number in an empty ``<paragraph>`` is joined with the text of
  the next one (S/RES/1285, 1286); a number typed into the text (``11 Condemns``) is read from it.
* **Labels** ``a.``/``a)`` are normalised to ``(a)``; ``–`` and ``•`` are kept as labels.
* **Annexes are not operative paragraphs.** ``<attachments>`` (the annex ``doc`` elements) are
  skipped, and so is everything after an un-numbered ``Annex ...`` heading inside the main body
  (S/RES/1617): annex items are numbered on their own (``1.``, ``1.1.``, ``A.``) and would
  collide with the operative numbering. Tables inside the body are kept as text.
* **Footnotes** (``<authorialNote>``) are dropped from the text.
* **Verbs** are the italic spans (underlined in some early files) of a paragraph, extended to
  word boundaries, merged when split, and filtered (Latin phrases, italic titles, non-words).
* **Presidential statements** number nothing: see :func:`_statement`. **Drafts not adopted**
  are read as resolutions, under their own symbol (``S/2024/302:op1``).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path

from lxml import etree

from reslens.errors import SourceError
from reslens.models import (
    OPERATIVE,
    PREAMBULAR,
    PRST,
    Paragraph,
    Resolution,
    SubPoint,
    document_of,
    flatten_points,
    paragraph_key,
)
from reslens.sources.limits import MAX_XML_ELEMENTS, check_count, check_file_size
from reslens.sources.readers.akn_parts import (
    _A,
    _ANNEX,
    _LABEL_IN_TEXT,
    _NUM_IN_TEXT,
    _OPNUM,
    _ROMAN,
    _SECTION,
    _SEPARATOR,
    _SUBLABEL,
    _SUBNUMERAL,
    _blocks,
    _body,
    _count,
    _Draft,
    _hoist,
    _is_heading,
    _label,
    _local,
    _marked,
    _parser,
    _Pt,
)
from reslens.sources.readers.marks import MARK_ON, marked_verbs, plain, unmark
from reslens.sources.readers.metadata import AknMeta, read_akn_meta
from reslens.text import clean


class _Builder:
    """Collects operative drafts from the sequence of main-body blocks."""

    def __init__(self, quirks: Counter[str] | None) -> None:
        self.q = quirks
        self.drafts: list[_Draft] = []
        self.heading: str | None = None
        self.section: str | None = None
        self.pending_number: str | None = None
        self.in_annex = False

    def new(self, number: str, intro: str, points: list[_Pt]) -> None:
        self.drafts.append(_Draft(number, self.section, self.heading, intro, points))

    def fold(self, label: str, text: str, children: list[_Pt]) -> None:
        draft = self.drafts[-1]
        pt = _Pt(label, text, children)
        inner = label.strip("()")
        letter = draft.last_letter()
        if letter is not None and _SUBNUMERAL.match(label):
            letter.children.append(pt)
            return
        if letter is not None and _ROMAN.match(inner):
            last = letter.label.strip("()")
            expected = chr(ord(last[-1]) + 1) if len(last) == 1 else ""
            if inner != expected:
                letter.children.append(pt)
                return
        if label in {"–", "•"} and draft.points and draft.points[-1].label not in {"–", "•"}:
            draft.points[-1].children.append(pt)
            return
        draft.points.append(pt)

    def continue_text(self, text: str) -> None:
        draft = self.drafts[-1]
        if draft.points:
            last = draft.points[-1]
            while last.children:
                last = last.children[-1]
            last.more.append(" " + text)
        else:
            draft.more.append(" " + text)

    def add(self, section: str | None, sec_heading: str | None, el: etree._Element) -> None:
        q = self.q
        name = _local(el)
        if section is not None and section != self.section:
            self.section, self.heading = section, sec_heading
            _count(q, "section")
        if self.in_annex:
            return
        if name in {"container", "p", "table", "block"}:
            text = _marked(el, q)
            if plain(text) and self.drafts:
                _count(q, "table" if el.find(".//" + _A + "table") is not None else "loose_block")
                self.drafts[-1].points.append(_Pt("", text))
            return
        if name != "paragraph":
            return
        num_el = el.find(_A + "num")
        num = clean(num_el.text or "") if num_el is not None else ""
        intro, points = _body(el, q)
        body = plain(intro + " " + flatten_points(tuple(p.freeze() for p in points)))
        if m := _OPNUM.match(num):
            if m.group(1) == "1" and len(self.drafts) > 1:
                self.in_annex = True
                _count(q, "numbering_restart_annex")
                return
            if not body:
                self.pending_number = m.group(1)
                _count(q, "number_in_empty_paragraph")
                return
            self.pending_number = None
            self.new(m.group(1), intro, points)
        elif num and _SECTION.match(num) and _is_heading(el, body, False) and body:
            self.section, self.heading = num.rstrip("."), body
            _count(q, "section_heading")
        elif num and _SUBLABEL.match(num) and self.drafts:
            if self.heading and self.heading != self.drafts[-1].heading:
                self.continue_text(self.heading)
                self.heading = self.drafts[-1].heading
                _count(q, "heading_inside_points")
            self.fold(_label(num, q), intro, points)
            _count(q, "subpoint_paragraph_folded")
        elif num:
            _count(q, "unknown_number")
            if self.drafts:
                self.continue_text(num + " " + intro)
            else:
                self.new(str(len(self.drafts) + 1), num + " " + intro, points)
        else:
            self._unnumbered(el, intro, points, body)
        last = self.drafts[-1].number if self.drafts else ""
        if last.isdigit():
            for pt in _hoist(points, int(last) + 1):
                _count(q, "operative_in_list")
                self.new(pt.label.rstrip("."), pt.text + "".join(pt.more), pt.children)

    def _unnumbered(self, el: etree._Element, intro: str, points: list[_Pt], body: str) -> None:
        q = self.q
        if not body:
            return
        if _SEPARATOR.match(body):
            _count(q, "separator")
            return
        if (el.get("class") or "") == "FootnoteText" or body.startswith("*"):
            _count(q, "footnote_paragraph")
            return
        starts_marked = intro.lstrip().startswith(MARK_ON)
        heading = _is_heading(el, body, starts_marked)
        if heading and _ANNEX.match(body) and self.drafts:
            self.in_annex = True
            _count(q, "inline_annex")
            return
        if self.pending_number is not None:
            number, self.pending_number = self.pending_number, None
            self.new(number, intro, points)
        elif (m := _NUM_IN_TEXT.match(plain(intro[:40]) + " ")) and self._next_is(m.group(1)):
            _count(q, "number_in_text")
            self.new(m.group(1), _NUM_IN_TEXT.sub("", intro.lstrip(), count=1), points)
        elif (m := _LABEL_IN_TEXT.match(intro)) and self.drafts:
            _count(q, "label_in_text")
            self.fold(f"({m.group(1)})", intro[m.end() :], points)
        elif heading:
            self.heading = body
            _count(q, "heading")
        elif not self.drafts:
            self.new("", intro, points)  # a lead paragraph: numbered or moved when done
        else:
            _count(q, "continuation")
            self.continue_text(intro + " " + flatten_points(tuple(p.freeze() for p in points)))

    def _next_is(self, number: str) -> bool:
        if not self.drafts:
            return number == "1"
        last = self.drafts[-1].number
        return last.isdigit() and int(number) == int(last) + 1


# --------------------------------------------------------------------------- paragraphs


def _paragraph(
    ctx: tuple[int, str, Counter[str] | None], kind: str, para_number: str, ordinal: int,
    intro_marked: str, points: list[_Pt], section: str | None = None, heading: str | None = None,
) -> Paragraph | None:  # fmt: skip
    number, language, quirks = ctx
    marked_points = tuple(p.freeze() for p in points)
    full = intro_marked.strip()
    if marked_points:
        full = f"{full} {flatten_points(marked_points)}"
    text, spans = unmark(full)
    if not text:
        _count(quirks, "empty_paragraph")
        return None

    def unmarked(p: SubPoint) -> SubPoint:
        return SubPoint(p.label, plain(p.text), tuple(unmarked(c) for c in p.children))

    return Paragraph(
        key=paragraph_key(number, kind, para_number, language),
        resolution=number,
        kind=kind,
        number=para_number,
        ordinal=ordinal,
        text=text,
        intro=plain(intro_marked) if marked_points else text,
        points=tuple(unmarked(p) for p in marked_points),
        section=section,
        heading=heading,
        language=language,
        verbs=marked_verbs(text, spans, quirks),
    )


def _preamble(
    doc: etree._Element, number: int, language: str, builder: _Builder
) -> list[Paragraph]:
    quirks = builder.q
    out: list[Paragraph] = []
    pre = doc.find(_A + "preamble")
    if pre is None:
        return out
    heading: str | None = None
    for child in pre:
        name = _local(child)
        if name in {"formula", ""}:
            continue
        block_list = child.find(_A + "blockList")
        marked = _marked(child, quirks)
        if block_list is not None:  # "Acting under Chapter VII: 1. ... 2. ..." (S/RES/1977)
            marked = _marked(block_list.find(_A + "listIntroduction"), quirks)
            for item in block_list.iterfind(_A + "item"):
                num = item.find(_A + "num")
                digits = _OPNUM.match(clean(num.text or "")) if num is not None else None
                body = "".join(_marked(c, quirks) for c in item if _local(c) != "num")
                if digits:
                    _count(quirks, "operative_in_preamble")
                    builder.new(digits.group(1), body, [])
                else:
                    marked += " " + body
        text = plain(marked)
        if name == "block" and child.get("name") in {"subheading", "heading"}:
            heading = text or None
            continue
        if not text or re.fullmatch(r"The Security Council\s*,?", text):
            _count(quirks, "enacting_formula_in_preamble" if text else "empty_preambular")
            continue
        pos = str(len(out) + 1)
        para = _paragraph(
            (number, language, quirks), PREAMBULAR, pos, len(out), marked, [], None, heading
        )
        if para is not None:
            out.append(para)
    return out


def read_akn(path: str | Path, *, quirks: Counter[str] | None = None) -> Resolution:
    """Read one AKN 3.0 resolution file.

    Args:
        path: the XML file.
        quirks: a counter that receives one count per repair made (see the module docstring).

    Returns:
        The resolution with its preambular and operative paragraphs, in order.

    Raises:
        SourceError: the file is not a readable AKN resolution, or is over a bound of
            :mod:`reslens.sources.limits` (the message names the file).

    Examples:
        >>> res = read_akn("S_RES_2331_1622533E.xml")  # doctest: +SKIP
        >>> res.operative()[20].verbs[0].text  # doctest: +SKIP
        'Invites'
    """
    return read_akn_with_meta(path, quirks=quirks)[0]


def read_akn_with_meta(
    path: str | Path, *, quirks: Counter[str] | None = None
) -> tuple[Resolution, AknMeta]:
    """:func:`read_akn`, with what the file's ``<meta>`` and cover page say of themselves
    (:class:`~reslens.sources.readers.metadata.AknMeta`: the symbol as printed, the cover title,
    the adoption and issue dates), which the build checks the UN's metadata records against."""
    path = Path(path)
    check_file_size(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read file: {exc}") from exc
    if not data.strip():
        raise SourceError(f"{path}: empty file")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        # one German file repeats an attribute; that error alone is safe to recover from
        if not re.fullmatch(r"Attribute \S+ redefined.*", str(exc)):
            raise SourceError(f"{path}: not well-formed XML: {exc}") from exc
        _count(quirks, "duplicate_attribute_recovered")
        root = etree.fromstring(data, _parser(recover=True))
    except ValueError as exc:
        raise SourceError(f"{path}: not well-formed XML: {exc}") from exc
    if root is None:
        raise SourceError(f"{path}: not well-formed XML")
    check_count(path, "XML elements", sum(1 for _ in root.iter()), MAX_XML_ELEMENTS)
    if root.tag != _A + "akomaNtoso":
        raise SourceError(f"{path}: not an Akoma Ntoso 3.0 document (root {root.tag!r})")
    doc = next((c for c in root if _local(c) in {"statement", "doc"}), None)
    if doc is None:
        raise SourceError(f"{path}: no <statement> or <doc> element")
    if _local(doc) == "doc":
        _count(quirks, "doc_root")
    meta = read_akn_meta(doc, path, quirks)
    number, language = meta.number, meta.language
    main = doc.find(_A + "mainBody")
    if main is None:
        raise SourceError(f"{path}: no <mainBody>")
    if document_of(number) == PRST:
        return _statement(path, main, meta, quirks), meta
    builder = _Builder(quirks)
    paragraphs = _preamble(doc, number, language, builder)
    if root.find(".//" + _A + "attachments") is not None:
        _count(quirks, "annex_skipped")
    for section, sec_heading, el in _blocks(main):
        builder.add(section, sec_heading, el)
    drafts = builder.drafts
    ctx = (number, language, quirks)
    if drafts and drafts[0].number == "":
        lead = drafts[0]
        if len(drafts) > 1:  # un-numbered text before paragraph 1 belongs to the preamble
            _count(quirks, "lead_paragraph_to_preamble")
            text = lead.full_intro() + " " + flatten_points(tuple(p.freeze() for p in lead.points))
            para = _paragraph(ctx, PREAMBULAR, str(len(paragraphs) + 1), len(paragraphs), text, [])
            paragraphs.extend([para] if para is not None else [])
            drafts = drafts[1:]
        else:
            _count(quirks, "unnumbered_paragraph")
            lead.number = "1"
    seen: set[str] = set()
    for draft in drafts:
        if draft.number in seen:
            _count(quirks, "duplicate_number")
            continue
        para = _paragraph(
            ctx, OPERATIVE, draft.number, len(paragraphs), draft.full_intro(), draft.points,
            draft.section, draft.heading,
        )  # fmt: skip
        if para is not None:
            seen.add(draft.number)
            paragraphs.append(para)
    if not paragraphs:
        raise SourceError(f"{path}: no paragraphs")
    return meta.resolution(path, tuple(paragraphs)), meta


# --------------------------------------------------------------------------- statements

_MEETING = re.compile(r"\bAt (?:the|its) (\d{1,5}(?:st|nd|rd|th)) meeting", re.IGNORECASE)
_ITEM = re.compile(r"\bitem entitled [“\"](.+?)[”\"]", re.IGNORECASE)


def _statement(
    path: Path, main: etree._Element, meta: AknMeta, quirks: Counter[str] | None
) -> Resolution:
    """A presidential statement: its paragraphs are operative paragraphs numbered by position
    from 1 (``S/PRST/2015/25:op3``), without the opening and closing quotation marks; the
    introductory "At the 7585th meeting … the item entitled “…” …" is no paragraph and gives
    the meeting and agenda item. Sub-points (``(a)``, ``–``) fold into their paragraph;
    headings (``I.``, short text) become ``heading``. The verbs are not italic: they are read
    from "The Security Council *requests* …" (:mod:`reslens.language.verbs`)."""
    drafts: list[_Draft] = []
    heading, lead = None, ""
    for _, _, el in _blocks(main):
        name = _local(el)
        if name not in {"alinea", "paragraph", "container"}:
            continue  # the title ("Statement by the President …") is a <p>
        num_el = el.find(_A + "num")
        num = clean(num_el.text or "") if num_el is not None else ""
        intro, points = _body(el, quirks) if name != "container" else (_marked(el, quirks), [])
        body = plain(intro + " " + flatten_points(tuple(p.freeze() for p in points)))
        if not body or _SEPARATOR.match(body) or body.startswith("*"):
            continue
        if not drafts and not lead and (name == "alinea" or _MEETING.search(body)):
            lead = body  # "At the 7585th meeting … made the following statement …:"
            continue
        if num and _SUBLABEL.match(num) and drafts:
            drafts[-1].points.append(_Pt(_label(num, quirks), intro, points))
            _count(quirks, "statement_subpoint_folded")
        elif (num and _SECTION.match(num)) or _is_heading(el, body, False):
            heading = body
            _count(quirks, "statement_heading")
        else:
            drafts.append(_Draft(str(len(drafts) + 1), None, heading, intro, points))
    paragraphs: list[Paragraph] = []
    for draft in drafts:
        draft.intro = draft.intro.lstrip().lstrip('“”"’‘ ')
        para = _paragraph(
            (meta.number, meta.language, quirks), OPERATIVE, str(len(paragraphs) + 1),
            len(paragraphs), draft.full_intro(), draft.points, None, draft.heading,
        )  # fmt: skip
        if para is not None:
            paragraphs.append(para)
    if not paragraphs:
        raise SourceError(f"{path}: no paragraphs")
    last = paragraphs[-1]
    if last.text.endswith("”"):  # the statement's closing quotation mark
        intro = last.intro[:-1].rstrip() if last.intro.endswith("”") else last.intro
        paragraphs[-1] = dataclasses.replace(last, text=last.text[:-1].rstrip(), intro=intro)
    meeting, item = _MEETING.search(lead), _ITEM.search(lead)
    meeting_name = f"{meeting.group(1)} meeting" if meeting else None
    item_name = clean(item.group(1)).rstrip(".") if item else None
    item_name = meta.agenda_item or item_name
    meta = dataclasses.replace(meta, meeting=meta.meeting or meeting_name, agenda_item=item_name)
    return meta.resolution(path, tuple(paragraphs))
