"""The parts of the Akoma Ntoso reader shared by resolutions and presidential statements:
names, patterns, text with its italic marks, sub-point labels and blocks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from reslens.models import (
    SubPoint,
)
from reslens.sources.readers.marks import MARK_OFF, MARK_ON, plain
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
