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
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from reslens.errors import SourceError
from reslens.models import (
    OPERATIVE,
    PREAMBULAR,
    Paragraph,
    Resolution,
    SubPoint,
    flatten_points,
    paragraph_key,
)
from reslens.sources.limits import MAX_XML_ELEMENTS, check_count, check_file_size
from reslens.sources.readers.marks import MARK_OFF, MARK_ON, marked_verbs, plain, unmark
from reslens.sources.readers.metadata import AknMeta, read_akn_meta
from reslens.text import clean

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_A = "{" + NS + "}"

_OPNUM = re.compile(r"^(\d{1,3})\s*[.-]?$")  # ``12.``; Arabic files number ``12 -``
# (a), a), a., (1), –, •; Arabic (أ) and ’1‘ (for (i)); Chinese ㈠ (for (i))
_SUBLABEL = re.compile(
    r"^(\(?[a-z]{1,4}\)|[a-z]{1,4}\.|\(?\d{1,2}\)|[–•\-]|\([\u0621-\u064a]{1,2}\)"
    r"|’\d{1,2}‘|[\u3220-\u3229])$"
)
_SUBNUMERAL = re.compile(r"^(’\d{1,2}‘|[\u3220-\u3229])$")  # second-level labels
_SECTION = re.compile(r"^([A-Z]|[IVX]{1,5})\.?$")
_ROMAN = re.compile(r"^[ivxlc]+$")
_LETTER_LABEL = re.compile(r"\([a-z]{1,2}\)|\([\u0621-\u064a]{1,2}\)")
_SEPARATOR = re.compile(r"^[-–—_*=.\s]+$")
_ANNEX = re.compile(r"\bAnnex\b", re.IGNORECASE)
_NUM_IN_TEXT = re.compile(r"^\s*(\d{1,3})\.?\s+(?=[A-Z\ue000])")
_LABEL_IN_TEXT = re.compile(r"^\s*\(([a-z]{1,4}|\d{1,2})\)\s+")
_HEADING_CLASS = re.compile(r"^(H\d|HCh|BLUEHeading|Heading|Caption)")
_BLOCKS = frozenset({"p", "content", "intro", "wrapUp", "td", "th", "tr", "table", "block"})
_TERMINAL = ";.。；؛"


def _parser(recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=recover,
                           huge_tree=False, remove_comments=True, remove_pis=True)  # fmt: skip


def _local(el: etree._Element) -> str:
    tag = el.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _count(quirks: Counter[str] | None, name: str, n: int = 1) -> None:
    if quirks is not None and n:
        quirks[name] += n


# --------------------------------------------------------------------------- text building


def _walk(el: etree._Element, out: list[str], quirks: Counter[str] | None) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        name = _local(child)
        if name == "authorialNote":
            _count(quirks, "footnote_dropped")
        elif name:
            cls = child.get("class") or ""
            marked = name == "span" and ("italic" in cls or "underline" in cls)
            block = name in _BLOCKS
            out.append(" " if block else "")
            out.append(MARK_ON if marked else "")
            _walk(child, out, quirks)
            out.append(MARK_OFF if marked else "")
            out.append(" " if block else "")
        if child.tail:
            out.append(child.tail)


def _marked(el: etree._Element | None, quirks: Counter[str] | None) -> str:
    """The text of an element with verb markers around italic/underlined spans."""
    if el is None:
        return ""
    out: list[str] = []
    _walk(el, out, quirks)
    return "".join(out)


# --------------------------------------------------------------------------- structure


@dataclass
class _Pt:
    label: str
    text: str
    children: list[_Pt] = field(default_factory=list)
    more: list[str] = field(default_factory=list)  # continuations, joined once at the end

    def freeze(self) -> SubPoint:
        text = self.text + "".join(self.more)
        return SubPoint(self.label, text, tuple(c.freeze() for c in self.children))


@dataclass
class _Draft:
    number: str
    section: str | None
    heading: str | None
    intro: str
    points: list[_Pt] = field(default_factory=list)
    more: list[str] = field(default_factory=list)  # continuations of the intro
    letter: _Pt | None = None  # the last top-level point labelled (a)...(zz)
    scanned: int = 0  # how many points ``letter`` has looked at

    def full_intro(self) -> str:
        return self.intro + "".join(self.more)

    def last_letter(self) -> _Pt | None:
        if self.scanned > len(self.points):
            self.letter, self.scanned = None, 0
        for pt in self.points[self.scanned :]:
            if _LETTER_LABEL.fullmatch(pt.label):
                self.letter = pt
        self.scanned = len(self.points)
        return self.letter


def _label(raw: str, quirks: Counter[str] | None) -> str:
    label = clean(raw)
    if m := re.match(r"^\(?([a-z]{1,4}|\d{1,2})\)$", label):
        if not label.startswith("("):
            _count(quirks, "label_half_paren")
        return f"({m.group(1)})"
    if m := re.match(r"^([a-z]{1,4})\.$", label):
        _count(quirks, "label_letter_dot")
        return f"({m.group(1)})"
    if label in {"-", "–", "—"}:
        _count(quirks, "label_dash")
        return "–"
    if label == "•":
        _count(quirks, "label_bullet")
    return label


def _items(el: etree._Element, quirks: Counter[str] | None) -> tuple[str, list[_Pt]]:
    """Read the children of a ``list``/``sublist``: (intro, points)."""
    intro = ""
    points: list[_Pt] = []
    for child in el:
        name = _local(child)
        if name == "intro":
            if points:
                points.append(_Pt("", _marked(child, quirks)))
            else:
                intro += _marked(child, quirks)
        elif name == "point":
            points.append(_point(child, quirks))
        elif name in {"sublist", "list"}:
            sub_intro, sub = _items(child, quirks)
            target = points[-1].children if points else points
            if sub_intro:
                target.append(_Pt("", sub_intro))
            target.extend(sub)
        elif name in {"wrapUp", "content", "p", "alinea"}:
            _count(quirks, "list_wrap_up")
            points.append(_Pt("", _marked(child, quirks)))
    return intro, points


def _point(el: etree._Element, quirks: Counter[str] | None) -> _Pt:
    num = el.find(_A + "num")
    label = _label(num.text or "", quirks) if num is not None else ""
    text = ""
    children: list[_Pt] = []
    for child in el:
        name = _local(child)
        if name in {"content", "subheading", "heading", "intro", "p"}:
            text += " " + _marked(child, quirks)
        elif name in {"list", "sublist"}:
            sub_intro, sub = _items(child, quirks)
            text += " " + sub_intro
            children.extend(sub)
        elif name == "point":
            children.append(_point(child, quirks))
    return _Pt(label, text, children)


def _body(el: etree._Element, quirks: Counter[str] | None) -> tuple[str, list[_Pt]]:
    """(intro, points) of a top-level ``paragraph`` element."""
    intro = ""
    points: list[_Pt] = []
    for child in el:
        name = _local(child)
        if name in {"content", "heading", "subheading", "alinea"}:
            if points:
                points.append(_Pt("", _marked(child, quirks)))
            else:
                intro += " " + _marked(child, quirks)
        elif name == "list":
            sub_intro, sub = _items(child, quirks)
            intro += " " + sub_intro
            points.extend(sub)
        elif name == "point":
            points.append(_point(child, quirks))
    return intro, points


def _hoist(points: list[_Pt], expected: int) -> list[_Pt]:
    """Remove (in place) points numbered like the next operative paragraphs and return them.

    S/RES/2820 has its paragraph ``5.`` inside the sub-list of point 4(b)(iv).
    """
    found: list[_Pt] = []
    kept: list[_Pt] = []
    for pt in points:
        if pt.label == f"{expected + len(found)}.":
            found.append(pt)
        else:
            kept.append(pt)
            found.extend(_hoist(pt.children, expected + len(found)))
    if found:
        points[:] = kept
    return found


def _blocks(main: etree._Element) -> list[tuple[str | None, str | None, etree._Element]]:
    """Flatten the main body into (section, section heading, element) triples."""
    out: list[tuple[str | None, str | None, etree._Element]] = []
    for child in main:
        name = _local(child)
        if name == "section":
            num = child.find(_A + "num")
            sec = clean(num.text or "").rstrip(".") if num is not None else None
            head = child.find(_A + "crossHeading")
            if head is None:
                head = child.find(_A + "heading")
            heading = plain(_marked(head, None)) if head is not None else None
            out.extend((sec or None, heading or None, p) for p in child.iter(_A + "paragraph"))
        elif name:
            out.append((None, None, child))
    return out


def _is_heading(el: etree._Element, text: str, starts_marked: bool) -> bool:
    if el.find(_A + "content") is None and el.find(_A + "list") is None:
        return True  # only <heading>/<subheading>
    if text.startswith(("“", '"')) or (text and text[0].islower()):
        return False
    if _HEADING_CLASS.match(el.get("class") or "") and (
        len(text) <= 200 or text[-1] not in _TERMINAL
    ):
        return True
    return len(text) <= 150 and text[-1] not in _TERMINAL and not starts_marked


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
    builder = _Builder(quirks)
    paragraphs = _preamble(doc, number, language, builder)
    main = doc.find(_A + "mainBody")
    if main is None:
        raise SourceError(f"{path}: no <mainBody>")
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
