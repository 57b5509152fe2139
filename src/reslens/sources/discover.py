"""Corpus discovery: the source files under a corpus folder, and the ones set aside (with why).

The layout is that of the two pinned sources: ``unxml-scresolutions/`` (``Pre-2020/<year>/``
English AKN, ``<year>/<Language>/`` from 2020, presidential statements in ``PRST/<year>/``,
drafts not adopted in ``Not adopted/<Language>/``) and ``cr-unsc-gold/data/res_en_gold/*.txt``.
The reader tells the kind of document from the file itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

UNXML = "unxml-scresolutions"
CRUNSC = "cr-unsc-gold"
LANGUAGE_FOLDERS = {
    "English": "en",
    "French": "fr",
    "Spanish": "es",
    "Russian": "ru",
    "Arabic": "ar",
    "Chinese": "zh",
    "German": "de",
}
YEAR_FOLDER = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class SourceFile:
    """A file the build may read: its path relative to the corpus root and its format."""

    relpath: str
    format: str  # akn | crunsc
    language: str | None  # from the folder, where the layout says it
    folder_year: int | None


@dataclass
class Discovery:
    """What :func:`discover` found: files to read and files it chose not to read."""

    files: list[SourceFile] = field(default_factory=list)
    ignored: dict[str, list[str]] = field(default_factory=dict)


def discover(corpus_dir: Path) -> Discovery:
    """List the source files under ``corpus_dir`` (holding unxml-scresolutions/, cr-unsc-gold/)."""
    found = Discovery()
    unxml = corpus_dir / UNXML
    if unxml.is_dir():
        for top in sorted(unxml.iterdir()):
            if top.name == "Pre-2020" and top.is_dir():
                for year_dir in sorted(p for p in top.iterdir() if p.is_dir()):
                    _collect_akn(found, corpus_dir, year_dir, "en", year_dir.name)
            elif YEAR_FOLDER.match(top.name) and top.is_dir():
                for lang_dir in sorted(top.iterdir()):
                    lang = LANGUAGE_FOLDERS.get(lang_dir.name)
                    if lang and lang_dir.is_dir():
                        _collect_akn(found, corpus_dir, lang_dir, lang, top.name)
                    else:
                        _ignore(found, "not a language folder", corpus_dir, lang_dir)
            elif top.name == "PRST" and top.is_dir():
                for year_dir in sorted(p for p in top.iterdir() if p.is_dir()):
                    _collect_akn(found, corpus_dir, year_dir, "en", year_dir.name)
            elif top.name == "Not adopted" and top.is_dir():
                for lang_dir in sorted(top.iterdir()):
                    lang = LANGUAGE_FOLDERS.get(lang_dir.name)
                    if lang and lang_dir.is_dir():
                        _collect_akn(found, corpus_dir, lang_dir, lang, "")
                    else:
                        _ignore(found, "not a language folder", corpus_dir, lang_dir)
            elif top.is_dir():
                reason = {
                    "data_extract": "metadata (joined, not read as text)",
                }.get(top.name, "unknown folder")
                _ignore(found, reason, corpus_dir, top)
    gold = corpus_dir / CRUNSC / "data" / "res_en_gold"
    if gold.is_dir():
        for path in sorted(gold.iterdir()):
            if path.suffix == ".txt":
                found.files.append(SourceFile(_rel(corpus_dir, path), "crunsc", "en", None))
            else:
                _ignore(found, "not a .txt file", corpus_dir, path)
    return found


def _collect_akn(found: Discovery, root: Path, folder: Path, language: str, year_name: str) -> None:
    year = int(year_name) if YEAR_FOLDER.match(year_name) else None
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() == ".xml":
            found.files.append(SourceFile(_rel(root, path), "akn", language, year))
        else:
            _ignore(found, "not an XML file", root, path)


def _ignore(found: Discovery, reason: str, root: Path, path: Path) -> None:
    found.ignored.setdefault(reason, []).append(_rel(root, path))


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
