"""Reading revisions and comments back: from a .docx (its own XML), and from LibreOffice's flat
ODF (``soffice --headless --convert-to fodt``), so that tests can compare what was written with
what a real word processor lists.

A revision is ``(kind, author, date, text)`` with ``kind`` ``"insertion"`` or ``"deletion"``; a
comment is ``(author, text)`` with its paragraphs joined by newlines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DC = "http://purl.org/dc/elements/1.1/"

Revision = tuple[str, str, str, str]


# -- the .docx as written ---------------------------------------------------------------------


def docx_part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def docx_revisions(path: Path) -> list[Revision]:
    """Every ``w:ins`` / ``w:del`` of the body, in order."""
    out: list[Revision] = []
    body = docx_part(path, "word/document.xml")
    for node in body.iter(f"{{{W}}}ins", f"{{{W}}}del"):
        kind = "insertion" if node.tag == f"{{{W}}}ins" else "deletion"
        texts = node.iter(f"{{{W}}}t", f"{{{W}}}delText")
        out.append(
            (kind, node.get(f"{{{W}}}author", ""), node.get(f"{{{W}}}date", ""), _join(texts))
        )
    return out


def docx_comments(path: Path) -> list[tuple[str, str]]:
    comments = docx_part(path, "word/comments.xml")
    return [
        (
            c.get(f"{{{W}}}author", ""),
            "\n".join(_join(p.iter(f"{{{W}}}t")) for p in c.iter(f"{{{W}}}p")),
        )
        for c in comments.iter(f"{{{W}}}comment")
    ]


def docx_paragraph_texts(path: Path, changes: str) -> list[str]:
    """Each body paragraph's text with every change accepted (or rejected)."""
    body = docx_part(path, "word/document.xml")
    out = []
    drop = f"{{{W}}}del" if changes == "accept" else f"{{{W}}}ins"
    for para in body.iter(f"{{{W}}}p"):
        parts = []
        for node in para.iter(f"{{{W}}}t", f"{{{W}}}delText"):
            if any(a.tag == drop for a in node.iterancestors()):
                continue
            if node.tag == f"{{{W}}}delText" and changes == "accept":
                continue
            parts.append(node.text or "")
        out.append("".join(parts))
    return out


def _join(nodes: object) -> str:
    return "".join((n.text or "") for n in nodes)  # type: ignore[attr-defined]


# -- LibreOffice --------------------------------------------------------------------------------


def find_soffice() -> str | None:
    """$RESLENS_SOFFICE, else ``soffice`` or ``libreoffice`` on PATH."""
    env = os.environ.get("RESLENS_SOFFICE")
    if env:
        return env if os.access(env, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    soffice: str, files: list[Path], outdir: Path, profile: Path, to: str = "fodt"
) -> dict[Path, Path]:
    """Convert ``files`` to flat ODF (or ``to``: ``docx``) in one LibreOffice run, with a
    profile of its own."""
    outdir.mkdir(parents=True, exist_ok=True)
    command = [
        soffice,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        to if to != "docx" else "docx:MS Word 2007 XML",
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    out = {f: outdir / f"{f.stem}.{to}" for f in files}
    missing = [str(f) for f, o in out.items() if not o.is_file()]
    if done.returncode != 0 or missing:
        raise AssertionError(
            f"soffice failed (exit {done.returncode}), no output for {missing}:\n"
            f"{done.stdout}\n{done.stderr}"
        )
    return out


def _odf_text(node: etree._Element) -> str:
    """The text of an ODF element (spaces, tabs and line breaks expanded), annotations left out."""
    parts: list[str] = [node.text or ""]
    for child in node:
        tag = child.tag
        if tag == f"{{{TEXT}}}s":
            parts.append(" " * int(child.get(f"{{{TEXT}}}c", "1")))
        elif tag == f"{{{TEXT}}}tab":
            parts.append("\t")
        elif tag == f"{{{TEXT}}}line-break":
            parts.append("\n")
        elif tag != f"{{{OFFICE}}}annotation":
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def odf_revisions(path: Path) -> list[Revision]:
    """The tracked changes LibreOffice lists, in the order they stand in the text.

    A change's text is what stands between its ``text:change-start`` and ``text:change-end`` in
    the body, or (for a deletion stored the older way, at a ``text:change`` point) the
    paragraphs inside its ``text:deletion``.
    """
    root = etree.parse(str(path)).getroot()
    regions: dict[str, tuple[str, str, str, str]] = {}
    for region in root.iter(f"{{{TEXT}}}changed-region"):
        rid = region.get(f"{{{TEXT}}}id") or region.get("{http://www.w3.org/XML/1998/namespace}id")
        change = region[0]
        kind = etree.QName(change).localname
        info = change.find(f"{{{OFFICE}}}change-info")
        author = info.findtext(f"{{{DC}}}creator", "") if info is not None else ""
        date = info.findtext(f"{{{DC}}}date", "") if info is not None else ""
        stored = "\n".join(_odf_text(p) for p in change.iter(f"{{{TEXT}}}p"))
        regions[str(rid)] = (kind, author, date, stored)
    body = root.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    assert body is not None
    order: list[str] = []
    texts: dict[str, list[str]] = {}
    open_ids: list[str] = []

    def walk(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if tag == f"{{{OFFICE}}}annotation" or tag == f"{{{TEXT}}}tracked-changes":
                pass
            elif tag == f"{{{TEXT}}}change-start":
                cid = child.get(f"{{{TEXT}}}change-id", "")
                order.append(cid)
                texts[cid] = []
                open_ids.append(cid)
            elif tag == f"{{{TEXT}}}change-end":
                cid = child.get(f"{{{TEXT}}}change-id", "")
                if cid in open_ids:
                    open_ids.remove(cid)
            elif tag == f"{{{TEXT}}}change":
                order.append(child.get(f"{{{TEXT}}}change-id", ""))
            elif tag == f"{{{TEXT}}}s":
                _add(" " * int(child.get(f"{{{TEXT}}}c", "1")))
            elif tag == f"{{{TEXT}}}tab":
                _add("\t")
            elif tag == f"{{{TEXT}}}line-break":
                _add("\n")
            else:
                _add(child.text or "")
                walk(child)
            _add(child.tail or "")

    def _add(text: str) -> None:
        for cid in open_ids:
            texts[cid].append(text)

    walk(body)
    out = []
    for cid in order:
        kind, author, date, stored = regions[cid]
        text = "".join(texts[cid]) if cid in texts else stored
        out.append((kind, author, date, text))
    return out


def odf_comments(path: Path) -> list[tuple[str, str]]:
    root = etree.parse(str(path)).getroot()
    return [
        (
            a.findtext(f"{{{DC}}}creator", ""),
            "\n".join(_odf_text(p) for p in a.iter(f"{{{TEXT}}}p")),
        )
        for a in root.iter(f"{{{OFFICE}}}annotation")
    ]


def odf_links(path: Path) -> list[str]:
    root = etree.parse(str(path)).getroot()
    return [a.get("{http://www.w3.org/1999/xlink}href", "") for a in root.iter(f"{{{TEXT}}}a")]
