"""Read a draft from a Word (.docx) file: its paragraphs, numbered as Word numbers them, with the
tracked changes accepted or rejected.

Numbering is read the way Word computes it, from ``word/numbering.xml``: a paragraph's
``w:numPr`` (or its style's, through ``w:basedOn``) names a list (``w:numId``) and a level
(``w:ilvl``); the list's abstract definition gives each level's format (``decimal``,
``lowerLetter``, ``lowerRoman``, …), its text (``%1.``, ``(%2)``) and start; a level counts on
through the list and restarts when a higher level advances; a list instance with a
``w:startOverride`` starts a count of its own. A paragraph with numbering ``0`` is unnumbered.

Tracked changes: with ``changes="accept"`` inserted text (``w:ins``, ``w:moveTo``) is kept and
deleted text (``w:del``, ``w:moveFrom``) dropped; ``"reject"`` does the reverse and also restores
paragraph properties changed under tracking (``w:pPrChange``: a numbering switched on or off).
A deleted paragraph mark (accept) or an inserted one (reject) joins the paragraph to the next,
as Word does. Text boxes, drawings, field codes and comment marks are not paragraph text.

Examples:
    >>> format_number(4, "lowerLetter"), format_number(14, "upperRoman")
    ('d', 'XIV')
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from lxml import etree

from reslens.errors import SourceError
from reslens.sources.limits import (
    MAX_DOCX_BYTES,
    MAX_FILE_BYTES,
    MAX_XML_ELEMENTS,
    check_count,
    check_file_size,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"

Changes = Literal["accept", "reject"]

#: Elements whose content is not the paragraph's own text.
_SKIP = frozenset(
    f"{{{W}}}{name}"
    for name in (
        "pPr", "rPr", "instrText", "delInstrText", "drawing", "pict", "object",
        "footnoteReference", "endnoteReference", "commentReference", "fldData",
    )
) | {"{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}  # fmt: skip
_CHARS = {f"{{{W}}}tab": "\t", f"{{{W}}}br": "\n", f"{{{W}}}cr": "\n"}
_CHARS |= {f"{{{W}}}noBreakHyphen": "-", f"{{{W}}}softHyphen": ""}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class WordParagraph:
    """A paragraph of a .docx file.

    Attributes:
        text: its text, tracked changes applied, spacing collapsed.
        label: its number as Word shows it (``"3."``, ``"(b)"``, ``"•"``), or ``None``.
        level: its list level (0 for the top), or ``None`` when unnumbered.
        style: its paragraph style id (``"Heading1"``), or ``None``.
        bullet: whether the label is a bullet rather than a number.
    """

    text: str
    label: str | None = None
    level: int | None = None
    style: str | None = None
    bullet: bool = False


@dataclass(frozen=True)
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class _Numbering:
    """numbering.xml: ``abstract[id][ilvl]``, ``nums[numId] = (abstractId, startOverrides)``."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)


@dataclass
class _Raw:
    """A paragraph after tracked changes, before numbering."""

    text: str
    num: tuple[str, int] | None
    style: str | None
    joins_next: bool


def format_number(value: int, fmt: str) -> str:
    """A list counter in a Word number format (unknown formats read as decimal)."""
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, value = divmod(value, number)
        out += letters * count
    return out


def _val(node: etree._Element | None, name: str) -> str | None:
    """The ``w:val`` of ``node``'s child ``w:name``."""
    if node is None:
        return None
    child = node.find(f"{{{W}}}{name}")
    return None if child is None else child.get(f"{{{W}}}val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _Package:
    """The parts of a .docx zip, read with bounds (a zip bomb is a SourceError)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        check_file_size(path, MAX_DOCX_BYTES)
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceError(f"{path}: not a Word .docx file ({exc})") from exc

    def xml(self, name: str) -> etree._Element | None:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            return None
        if info.file_size > 4 * MAX_FILE_BYTES:
            raise SourceError(f"{self.path}: {name} is over {4 * MAX_FILE_BYTES:,} bytes")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            root = etree.fromstring(self.zip.read(info), parser)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, ValueError) as exc:
            raise SourceError(f"{self.path}: {name} is not well-formed XML ({exc})") from exc
        check_count(self.path, "XML elements", sum(1 for _ in root.iter()), MAX_XML_ELEMENTS)
        return root

    def target(self, part: str, kind: str) -> str | None:
        """The part that ``part``'s relationship of type ``…/kind`` points to."""
        folder = PurePosixPath(part).parent
        rels = self.xml(str(folder / "_rels" / (PurePosixPath(part).name + ".rels")))
        if rels is None:
            return None
        for rel in rels.iter(f"{{{_REL}}}Relationship"):
            if rel.get("Type", "").rsplit("/", 1)[-1] == kind and rel.get("TargetMode") is None:
                target = rel.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/")
                return _normalise(folder / target)
        return None


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for piece in path.parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def _numbering(root: etree._Element | None) -> _Numbering:
    out = _Numbering()
    if root is None:
        return out
    for abstract in root.iter(f"{{{W}}}abstractNum"):
        levels: dict[int, _Level] = {}
        for lvl in abstract.iter(f"{{{W}}}lvl"):
            levels[_int(lvl.get(f"{{{W}}}ilvl"), 0)] = _Level(
                fmt=_val(lvl, "numFmt") or "decimal",
                text=_val(lvl, "lvlText") or "",
                start=_int(_val(lvl, "start"), 1),
            )
        out.abstract[abstract.get(f"{{{W}}}abstractNumId", "")] = levels
    for num in root.iter(f"{{{W}}}num"):
        overrides = {
            _int(o.get(f"{{{W}}}ilvl"), 0): _int(_val(o, "startOverride"), 1)
            for o in num.iter(f"{{{W}}}lvlOverride")
            if _val(o, "startOverride") is not None
        }
        out.nums[num.get(f"{{{W}}}numId", "")] = (_val(num, "abstractNumId") or "", overrides)
    return out


def _style_numbering(root: etree._Element | None) -> dict[str, tuple[str, int]]:
    """``styleId → (numId, ilvl)`` for paragraph styles that number (through ``basedOn``)."""
    if root is None:
        return {}
    own: dict[str, tuple[str | None, int | None]] = {}
    based: dict[str, str] = {}
    for style in root.iter(f"{{{W}}}style"):
        sid = style.get(f"{{{W}}}styleId", "")
        num_pr = style.find(f"{{{W}}}pPr/{{{W}}}numPr")
        if num_pr is not None:
            raw_level = _val(num_pr, "ilvl")
            own[sid] = (_val(num_pr, "numId"), None if raw_level is None else _int(raw_level, 0))
        parent = _val(style, "basedOn")
        if parent:
            based[sid] = parent
    out: dict[str, tuple[str, int]] = {}
    for sid in set(own) | set(based):
        num_id: str | None = None
        ilvl: int | None = None
        seen: set[str] = set()
        current: str | None = sid
        while current and current not in seen:
            seen.add(current)
            got_num, got_lvl = own.get(current, (None, None))
            num_id = num_id if num_id is not None else got_num
            ilvl = ilvl if ilvl is not None else got_lvl
            current = based.get(current)
        if num_id is not None:
            out[sid] = (num_id, ilvl or 0)
    return out


def _text(node: etree._Element, changes: Changes) -> str:
    """The text of a paragraph (or of any element in it), tracked changes applied."""
    parts: list[str] = []
    keep = {"ins", "moveTo"} if changes == "accept" else {"del", "moveFrom"}
    drop = {"del", "moveFrom"} if changes == "accept" else {"ins", "moveTo"}

    def walk(element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            local = tag.rsplit("}", 1)[-1]
            if tag.startswith(f"{{{W}}}") and local in drop:
                continue
            if local == "t" or (local == "delText" and "del" in keep):
                parts.append(child.text or "")
            elif tag in _CHARS:
                parts.append(_CHARS[tag])
            else:
                walk(child)

    walk(node)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _raw_paragraphs(body: etree._Element, changes: Changes) -> list[_Raw]:
    mark = "del" if changes == "accept" else "ins"
    out: list[_Raw] = []
    for para in body.iter(f"{{{W}}}p"):
        if any(a.tag == f"{{{W}}}txbxContent" for a in para.iterancestors()):
            continue
        props = para.find(f"{{{W}}}pPr")
        joins = props is not None and props.find(f"{{{W}}}rPr/{{{W}}}{mark}") is not None
        if changes == "reject" and props is not None:
            old = props.find(f"{{{W}}}pPrChange/{{{W}}}pPr")
            props = old if old is not None else props
        num_pr = None if props is None else props.find(f"{{{W}}}numPr")
        num = None
        if num_pr is not None and _val(num_pr, "numId") is not None:
            num = (_val(num_pr, "numId") or "0", _int(_val(num_pr, "ilvl"), 0))
        out.append(_Raw(_text(para, changes), num, _val(props, "pStyle"), joins))
    return out


def _join(raws: list[_Raw]) -> list[_Raw]:
    """Paragraphs whose mark is removed joined to the next (the first's properties kept unless
    it has no text left)."""
    out: list[_Raw] = []
    pending: _Raw | None = None
    for raw in raws:
        if pending is not None:
            text = " ".join(x for x in (pending.text, raw.text) if x)
            base = pending if pending.text else raw
            raw = _Raw(text, base.num, base.style, raw.joins_next)
            pending = None
        if raw.joins_next:
            pending = raw
        else:
            out.append(raw)
    if pending is not None:
        out.append(pending)
    return out


def _label(
    template: str, count: list[int | None], levels: dict[int, _Level], starts: dict[int, int]
) -> str:
    """A level's text (``(%2)``) with each ``%n`` replaced by level n-1's counter, formatted."""

    def substitute(match: re.Match[str]) -> str:
        n = int(match.group(1)) - 1
        value = count[n]
        if value is None:
            value = starts.get(n, levels.get(n, _Level()).start)
        return format_number(value, levels.get(n, _Level()).fmt)

    return re.sub(r"%([1-9])", substitute, template)


def _number(
    raws: list[_Raw], numbering: _Numbering, styles: dict[str, tuple[str, int]]
) -> list[WordParagraph]:
    counters: dict[str, list[int | None]] = {}
    out: list[WordParagraph] = []
    for raw in raws:
        num = raw.num if raw.num is not None else styles.get(raw.style or "")
        if num is None or num[0] not in numbering.nums:  # numId 0 (or unknown): no numbering
            out.append(WordParagraph(raw.text, style=raw.style))
            continue
        num_id, ilvl = num[0], min(max(num[1], 0), 8)
        abstract_id, starts = numbering.nums[num_id]
        levels = numbering.abstract.get(abstract_id, {})
        key = f"num:{num_id}" if starts else f"abstract:{abstract_id}"
        count = counters.setdefault(key, [None] * 9)
        level = levels.get(ilvl, _Level())
        current = count[ilvl]
        count[ilvl] = starts.get(ilvl, level.start) if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            count[deeper] = None
        bullet = level.fmt == "bullet"
        label = level.text if bullet else _label(level.text, count, levels, starts)
        out.append(WordParagraph(raw.text, label.strip() or None, ilvl, raw.style, bullet))
    return out


def read_docx(path: str | Path, *, changes: Changes = "accept") -> list[WordParagraph]:
    """The paragraphs of a .docx file, numbered as Word numbers them.

    Args:
        path: the .docx file.
        changes: ``"accept"`` (the text as it reads with every tracked change accepted) or
            ``"reject"`` (as it read before them).

    Returns:
        Every paragraph of the body (tables included, text boxes not), in order; empty ones too.

    Raises:
        SourceError: the file is not a .docx, too large, or its XML is broken.
    """
    if changes not in ("accept", "reject"):
        raise SourceError(f"changes must be 'accept' or 'reject', not {changes!r}")
    package = _Package(Path(path))
    main = package.target("", "officeDocument") or "word/document.xml"
    document = package.xml(main)
    body = None if document is None else document.find(f"{{{W}}}body")
    if body is None:
        raise SourceError(f"{path}: no Word document body ({main})")
    numbering_part = package.target(main, "numbering")
    styles_part = package.target(main, "styles")
    numbering = _numbering(package.xml(numbering_part) if numbering_part else None)
    styles = _style_numbering(package.xml(styles_part) if styles_part else None)
    return _number(_join(_raw_paragraphs(body, changes)), numbering, styles)


def draft_text(paragraphs: list[WordParagraph]) -> str:
    """The paragraphs as a plain-text draft: each numbered one starting with its label
    (``3. Requests …``, ``(a) …``; bullets left out), blocks separated by a blank line — the
    form :func:`reslens.analysis.precedents.parse_draft` reads.

    Examples:
        >>> draft_text([WordParagraph("Recalling X,"), WordParagraph("Decides Y;", "1.", 0)])
        'Recalling X,\\n\\n1. Decides Y;'
    """
    blocks = []
    for para in paragraphs:
        if not para.text:
            continue
        label = para.label if para.label and not para.bullet else ""
        blocks.append(f"{label} {para.text}" if label else para.text)
    return "\n\n".join(blocks)


__all__ = ["Changes", "WordParagraph", "draft_text", "format_number", "read_docx"]
