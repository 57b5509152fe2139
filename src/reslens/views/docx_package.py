"""A small WordprocessingML (.docx) writer: paragraphs of runs, tracked changes and comments.

It writes only what reslens needs, as plain OOXML built with lxml: ``w:ins`` / ``w:del`` with
``w:author`` and ``w:date`` (so Word and LibreOffice list them as revisions, and *Accept all* /
*Reject all* give the new and the old text), deleted text in ``w:delText``, and comments in
``word/comments.xml`` anchored on a whole paragraph (``w:commentRangeStart`` … ``End`` and a
``w:commentReference`` run), whose links are real hyperlinks (relationships of the comments
part). The zip is written with fixed timestamps, so equal input gives equal bytes.

Examples:
    >>> doc = WordDocument(author="reslens", date="2026-01-01T00:00:00Z")
    >>> p = doc.paragraph()
    >>> p.text("Requests"); p.delete(" States"); p.insert(" Member States")
    >>> [c.tag.split("}")[1] for c in p.element]
    ['r', 'del', 'ins']
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from reslens.files import atomic_write_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_NSMAP = {"w": W, "r": R}

#: Characters XML 1.0 cannot hold (control characters other than tab, newline, return).
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAKS = re.compile(r"(\t|\r\n|\n|\r)")

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman"
 w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/><w:lang w:val="en-GB"/>
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>
<w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>
<w:next w:val="Normal"/><w:qFormat/><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/>
<w:spacing w:before="240"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/>
</w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Normal"/>
<w:rPr><w:i/><w:color w:val="555555"/><w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/>
<w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>
<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>
</w:styles>"""


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def clean_xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (NUL, other C0 controls)."""
    return _BAD_XML.sub("", text)


def revision_date(date: datetime | str | None = None) -> str:
    """A ``w:date`` value, ``2026-01-31T12:00:00Z``: ``date`` (a datetime, taken as UTC when
    naive, or a string kept as given), or now."""
    if isinstance(date, str):
        return date
    when = date or datetime.now(UTC)
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _append_text(run: etree._Element, text: str, tag: str) -> None:
    """Text into ``run`` as ``w:t`` (or ``w:delText``) pieces, tabs and line breaks as
    ``w:tab`` / ``w:br``; spacing is kept (``xml:space="preserve"``)."""
    for piece in _BREAKS.split(clean_xml_text(text)):
        if not piece:
            continue
        if piece == "\t":
            etree.SubElement(run, _w("tab"))
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(run, _w("br"))
        else:
            node = etree.SubElement(run, _w(tag))
            node.text = piece
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


@dataclass(frozen=True)
class Format:
    """Character formatting of a run."""

    bold: bool = False
    italic: bool = False
    highlight: str | None = None  # a w:highlight colour: "yellow", …


PLAIN = Format()


def _run(parent: etree._Element, text: str, fmt: Format, tag: str = "t") -> etree._Element:
    run = etree.SubElement(parent, _w("r"))
    if fmt != PLAIN:
        props = etree.SubElement(run, _w("rPr"))
        if fmt.bold:
            etree.SubElement(props, _w("b"))
        if fmt.italic:
            etree.SubElement(props, _w("i"))
        if fmt.highlight:
            etree.SubElement(props, _w("highlight")).set(_w("val"), fmt.highlight)
    _append_text(run, text, tag)
    return run


@dataclass
class Comment:
    """A comment: lines of text, each with an optional link (the URL shown as its text)."""

    id: int
    lines: list[tuple[str, str | None]]
    author: str
    date: str


class Paragraph:
    """A paragraph being written: plain runs, tracked insertions and deletions, a comment."""

    def __init__(self, doc: WordDocument, element: etree._Element) -> None:
        self.doc = doc
        self.element = element

    def text(self, text: str, fmt: Format = PLAIN) -> None:
        """Append unchanged text."""
        if text:
            _run(self.element, text, fmt)

    def insert(self, text: str, fmt: Format = PLAIN) -> None:
        """Append text as a tracked insertion (``w:ins``)."""
        if text:
            _run(self._change("ins"), text, fmt)

    def delete(self, text: str, fmt: Format = PLAIN) -> None:
        """Append text as a tracked deletion (``w:del`` holding ``w:delText``)."""
        if text:
            _run(self._change("del"), text, fmt, tag="delText")

    def _change(self, tag: str) -> etree._Element:
        node = etree.SubElement(self.element, _w(tag))
        node.set(_w("id"), str(self.doc.next_id()))
        node.set(_w("author"), self.doc.author)
        node.set(_w("date"), self.doc.date)
        return node

    def comment(self, lines: list[tuple[str, str | None]]) -> None:
        """Anchor a comment on everything the paragraph holds (call it last).

        Args:
            lines: the comment's paragraphs: ``(text, url)``; a URL is appended to its line as
                a hyperlink.
        """
        cid = len(self.doc.comments)
        self.doc.comments.append(Comment(cid, lines, self.doc.author, self.doc.date))
        start = etree.Element(_w("commentRangeStart"))
        start.set(_w("id"), str(cid))
        props = self.element.find(_w("pPr"))
        self.element.insert(0 if props is None else 1, start)
        etree.SubElement(self.element, _w("commentRangeEnd")).set(_w("id"), str(cid))
        ref = etree.SubElement(self.element, _w("r"))
        etree.SubElement(ref, _w("commentReference")).set(_w("id"), str(cid))


@dataclass
class WordDocument:
    """A .docx document under construction.

    Attributes:
        author: the ``w:author`` of every revision and comment.
        date: the ``w:date`` of every revision and comment (see :func:`revision_date`).
        title: the document's title in its core properties.
    """

    author: str = "reslens"
    date: str = field(default_factory=revision_date)
    title: str = ""
    comments: list[Comment] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.author = clean_xml_text(self.author) or "reslens"
        self._ids = 0
        self.root = etree.Element(_w("document"), nsmap=_NSMAP)
        self.body = etree.SubElement(self.root, _w("body"))

    def next_id(self) -> int:
        """A fresh revision id."""
        self._ids += 1
        return self._ids

    def paragraph(self, style: str | None = None) -> Paragraph:
        """Append a paragraph (``style``: ``Title``, ``Heading1``, ``Note`` or ``None``)."""
        element = etree.SubElement(self.body, _w("p"))
        if style:
            props = etree.SubElement(element, _w("pPr"))
            etree.SubElement(props, _w("pStyle")).set(_w("val"), style)
        return Paragraph(self, element)

    # -- the package ------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The .docx file's bytes."""
        parts: dict[str, bytes] = {}
        doc_rels: list[tuple[str, str, str | None]] = [("styles", "styles.xml", None)]
        if self.comments:
            doc_rels.append(("comments", "comments.xml", None))
            comments, links = self._comments_xml()
            parts["word/comments.xml"] = comments
            if links:
                parts["word/_rels/comments.xml.rels"] = _rels(links)
        body = _xml(self.root)
        parts = {
            "[Content_Types].xml": _content_types(bool(self.comments)),
            "_rels/.rels": _rels(
                [
                    ("officeDocument", "word/document.xml", None),
                    ("core", "docProps/core.xml", None),
                ]
            ),
            "docProps/core.xml": self._core_xml(),
            "word/document.xml": body,
            "word/_rels/document.xml.rels": _rels(doc_rels),
            "word/styles.xml": _STYLES.encode("utf-8"),
            **parts,
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        return buffer.getvalue()

    def save(self, path: str | Path) -> Path:
        """Write the file (atomically: a reader never sees half of it); returns its path."""
        target = Path(path)
        atomic_write_bytes(target, self.to_bytes())
        return target

    def _comments_xml(self) -> tuple[bytes, list[tuple[str, str, str | None]]]:
        root = etree.Element(_w("comments"), nsmap=_NSMAP)
        links: list[tuple[str, str, str | None]] = []
        for comment in self.comments:
            node = etree.SubElement(root, _w("comment"))
            node.set(_w("id"), str(comment.id))
            node.set(_w("author"), comment.author)
            node.set(_w("date"), comment.date)
            node.set(_w("initials"), comment.author[:2].upper())
            for text, url in comment.lines:
                para = etree.SubElement(node, _w("p"))
                props = etree.SubElement(para, _w("pPr"))
                etree.SubElement(props, _w("pStyle")).set(_w("val"), "CommentText")
                _run(para, text, PLAIN)
                if url:
                    rid = f"rIdLink{len(links) + 1}"
                    links.append(("hyperlink", clean_xml_text(url), rid))
                    if text:
                        _run(para, " ", PLAIN)
                    link = etree.SubElement(para, _w("hyperlink"))
                    link.set(f"{{{R}}}id", rid)
                    run = _run(link, url, PLAIN)
                    props = etree.Element(_w("rPr"))
                    etree.SubElement(props, _w("rStyle")).set(_w("val"), "Hyperlink")
                    run.insert(0, props)
        return _xml(root), links

    def _core_xml(self) -> bytes:
        cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
        dc = "http://purl.org/dc/elements/1.1/"
        dcterms = "http://purl.org/dc/terms/"
        xsi = "http://www.w3.org/2001/XMLSchema-instance"
        root = etree.Element(
            f"{{{cp}}}coreProperties", nsmap={"cp": cp, "dc": dc, "dcterms": dcterms, "xsi": xsi}
        )
        etree.SubElement(root, f"{{{dc}}}title").text = clean_xml_text(self.title)
        etree.SubElement(root, f"{{{dc}}}creator").text = self.author
        created = etree.SubElement(root, f"{{{dcterms}}}created")
        created.set(f"{{{xsi}}}type", "dcterms:W3CDTF")
        created.text = self.date
        return _xml(root)


def _xml(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _rels(rels: list[tuple[str, str, str | None]]) -> bytes:
    """A relationships part: ``(type, target, id)``; a ``hyperlink`` target is external."""
    root = etree.fromstring(f'<Relationships xmlns="{_PKG_REL}"/>')
    for n, (kind, target, rid) in enumerate(rels, 1):
        node = etree.SubElement(root, f"{{{_PKG_REL}}}Relationship")
        node.set("Id", rid or f"rId{n}")
        if kind == "core":
            node.set(
                "Type",
                "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                "core-properties",
            )
        else:
            node.set("Type", f"{_REL}/{kind}")
        node.set("Target", target)
        if kind == "hyperlink":
            node.set("TargetMode", "External")
    return _xml(root)


def _content_types(comments: bool) -> bytes:
    root = etree.fromstring(f'<Types xmlns="{_CT}"/>')
    for ext, kind in (
        ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
        ("xml", "application/xml"),
    ):
        node = etree.SubElement(root, f"{{{_CT}}}Default")
        node.set("Extension", ext)
        node.set("ContentType", kind)
    overrides = [
        ("/word/document.xml", f"{_WML}.document.main+xml"),
        ("/word/styles.xml", f"{_WML}.styles+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    ]
    if comments:
        overrides.append(("/word/comments.xml", f"{_WML}.comments+xml"))
    for part, kind in overrides:
        node = etree.SubElement(root, f"{{{_CT}}}Override")
        node.set("PartName", part)
        node.set("ContentType", kind)
    return _xml(root)


__all__ = ["PLAIN", "Format", "Paragraph", "WordDocument", "clean_xml_text", "revision_date"]
