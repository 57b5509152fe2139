"""``reslens ingest``: add PDF files (or text extracted from them) to a built index.

The text is repaired with the vocabulary the build learnt from the born-digital corpus
(``index/vocabulary.tsv``). Like the build, ingest works on a copy of the store and renames it
into place at the end. A resolution already stored from a better source (AKN, CR-UNSC) is not
replaced: the file is recorded as a duplicate.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from reslens.errors import ReslensError, StoreError
from reslens.files import sha256_file
from reslens.index.build import VOCABULARY, BuildReport, place_resolution
from reslens.index.lock import writer_lock
from reslens.models import Resolution
from reslens.store.db import DB_NAME, SourceRecord, Store


@dataclass
class IngestReport:
    """What ingest did: resolutions added, files set aside, problems."""

    added: list[Resolution] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """A few human lines."""
        lines = [
            f"added {res.symbol}: {len(res.operative())} operative and "
            f"{len(res.preambular())} preambular paragraphs "
            f"(from {res.source_path})"
            for res in self.added
        ]
        lines += [f"set aside {path}: {note}" for path, note in self.duplicates]
        lines += [f"problem: {path}: {message}" for path, message in self.problems]
        return "\n".join(lines) or "nothing ingested"


def read_document(
    path: Path, *, index_dir: Path, number: int | None = None, year: int | None = None
) -> Resolution:
    """Read a PDF, or a ``.txt`` file of text extracted from one, into an annotated Resolution."""
    from reslens.language.verbs import annotate
    from reslens.language.vocab import Vocabulary
    from reslens.sources.readers.pdf import read_pdf
    from reslens.sources.readers.pdftext import read_pdf_text

    vocab_path = index_dir / VOCABULARY
    if not vocab_path.is_file():
        raise StoreError(f"{vocab_path} is missing; build the index first: reslens build")
    vocabulary = Vocabulary.load(vocab_path)
    if path.suffix.lower() == ".pdf":
        res = read_pdf(path, vocabulary=vocabulary, number=number, year=year)
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ReslensError(f"{path}: cannot read as UTF-8 text ({exc})") from exc
        res = read_pdf_text(text, vocabulary=vocabulary, source=str(path), number=number, year=year)
    if res.number <= 0:
        raise ReslensError(
            f"{path}: no resolution symbol found in the text; pass --number and --year"
        )
    return annotate(replace(res, source_path=str(path)))


def ingest_files(
    index_dir: Path | str,
    files: Sequence[Path],
    *,
    number: int | None = None,
    year: int | None = None,
) -> IngestReport:
    """Add documents to the store of ``index_dir``; each bad file is reported, the rest go in.

    Holds the index directory's writer lock (:mod:`reslens.index.lock`) while it works: a
    build or ingest already running is a StoreError naming its pid."""
    index = Path(index_dir)
    if not index.is_dir():
        raise StoreError(f"no store at {index / DB_NAME}; build one first: reslens build")
    with writer_lock(index, "ingest"):
        return _ingest_files(index, files, number=number, year=year)


def _ingest_files(
    index_dir: Path | str,
    files: Sequence[Path],
    *,
    number: int | None = None,
    year: int | None = None,
) -> IngestReport:
    index = Path(index_dir)
    final = index / DB_NAME
    if not final.is_file():
        raise StoreError(f"no store at {final}; build one first: reslens build")
    work = index / (DB_NAME + ".ingesting")
    shutil.copy2(final, work)
    report = IngestReport()
    store = Store.create(work)
    try:
        for path in files:
            try:
                res = read_document(path, index_dir=index, number=number, year=year)
            except ReslensError as exc:
                report.problems.append((str(path), str(exc)))
                store.add_problem(str(path), "unreadable", str(exc))
                continue
            record = SourceRecord(
                str(path),
                sha256_file(path),
                path.stat().st_size,
                res.source_format,
                res.language,
                res.number,
            )
            placed = BuildReport()
            place_resolution(store, res, record, placed)
            if placed.duplicates and placed.duplicates[-1][0] == str(path):
                report.duplicates.append(placed.duplicates[-1])
            else:
                report.added.append(res)
        store.conn.commit()
    finally:
        store.close()
    os.replace(work, final)
    return report
