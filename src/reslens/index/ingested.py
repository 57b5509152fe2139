"""Ingested documents: PDF (or PDF-text) files kept in the index directory as sources.

``reslens ingest FILE`` keeps a copy of each file it reads as ``<index>/ingested/<name>`` and
records it, with the ``--number``/``--year`` it was given, in ``<index>/ingested.json``. Every
build reads that folder as a source next to the corpus: its files are read again when they, the
readers or the vocabulary that repairs them change (so ``--rebuild`` keeps them), and they are
never "removed" because the corpus lacks them. In the store their paths are
``ingested/<name>``. Ingesting a file of the same name again replaces the earlier copy.

The record is written before the store that uses it is committed: a killed ingest leaves at
worst a recorded copy that the next build (or ingest) reads in.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from reslens.errors import ReslensError, SourceError, StoreError
from reslens.files import atomic_open, atomic_write_text, sha256_file
from reslens.language.vocab import Vocabulary
from reslens.models import Resolution
from reslens.sources.limits import MAX_FILE_BYTES, MAX_PDF_BYTES, check_file_size, check_symbol
from reslens.store.db import DB_NAME

INGESTED = "ingested"
"""The folder of ingested files inside the index directory."""

RECORD = "ingested.json"
"""The record of ingested files (name → sha256, number, year, origin), in the index directory."""

WORK = DB_NAME + ".ingesting"
"""The copy of the store an ingest works on (renamed over ``reslens.db`` at the end)."""

_PREFIX = INGESTED + "/"


@dataclass(frozen=True)
class IngestedFile:
    """One ingested file as recorded in ``ingested.json``.

    Attributes:
        name: the file name inside ``ingested/``.
        sha256: the digest of the copy.
        number: the ``--number`` given to ingest (``None``: read from the text).
        year: the ``--year`` given to ingest (``None``: read from the text).
        origin: the path the file was ingested from (for people; never read again).
    """

    name: str
    sha256: str
    number: int | None = None
    year: int | None = None
    origin: str = ""

    @property
    def path(self) -> str:
        """The path of the copy in the store, relative to the index directory."""
        return _PREFIX + self.name


def remove_leftovers(index_dir: Path) -> None:
    """Remove the work copy of the store that a killed ingest left behind."""
    (index_dir / WORK).unlink(missing_ok=True)


def is_ingested(path: str) -> bool:
    """Whether a store source path is an ingested file (``ingested/<name>``)."""
    return path.startswith(_PREFIX)


def load_record(index_dir: Path) -> dict[str, IngestedFile]:
    """The recorded ingested files by name (empty when nothing was ingested).

    Raises:
        StoreError: the record exists but is not readable.
    """
    path = index_dir / RECORD
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [IngestedFile(**item) for item in data["files"]]
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(
            f"{path} is not a readable record of ingested files ({exc}); move it away and "
            "ingest the files again"
        ) from exc
    return {entry.name: entry for entry in entries}


def save_record(index_dir: Path, entries: dict[str, IngestedFile]) -> None:
    """Write the record of ingested files atomically."""
    files = [asdict(entries[name]) for name in sorted(entries)]
    text = json.dumps({"files": files}, indent=2, ensure_ascii=False) + "\n"
    atomic_write_text(index_dir / RECORD, text)


def recorded_files(index_dir: Path) -> dict[str, IngestedFile]:
    """The recorded ingested files whose copy is present, by store path."""
    return {
        entry.path: entry
        for entry in load_record(index_dir).values()
        if (index_dir / entry.path).is_file()
    }


def keep_copy(
    index_dir: Path, source: Path, *, number: int | None, year: int | None
) -> IngestedFile:
    """Copy ``source`` into ``ingested/`` (atomically; not at all when the same bytes are
    there) and return its record entry."""
    name = source.name
    target = index_dir / INGESTED / name
    digest = sha256_file(source)
    if not (target.is_file() and sha256_file(target) == digest):
        with source.open("rb") as handle, atomic_open(target) as out:
            shutil.copyfileobj(handle, out)
    return IngestedFile(name, digest, number, year, str(source.resolve()))


def signature(entry: IngestedFile, digest: str, vocabulary_digest: str) -> str:
    """What a stored read of an ingested file depends on; a new one means read it again."""
    key = json.dumps([digest, entry.number, entry.year, vocabulary_digest])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def read_document(
    path: Path, *, vocabulary: Vocabulary, number: int | None = None, year: int | None = None
) -> Resolution:
    """Read a PDF, or a ``.txt`` file of text extracted from one, into an annotated Resolution.

    Args:
        path: the file.
        vocabulary: the corpus vocabulary that repairs the extracted text.
        number: the resolution number when the text has none (or to override it).
        year: likewise for the year.

    Returns:
        The resolution, annotated (verbs, strength, addressees, citations).

    Raises:
        SourceError: the file is unreadable, over a bound of :mod:`reslens.sources.limits`,
            or names no valid resolution symbol (the message names the file).
    """
    from reslens.language.verbs import annotate
    from reslens.sources.readers.pdf import read_pdf
    from reslens.sources.readers.pdftext import read_pdf_text

    if path.suffix.lower() == ".pdf":
        check_file_size(path, MAX_PDF_BYTES)
        res = read_pdf(path, vocabulary=vocabulary, number=number, year=year)
    else:
        check_file_size(path, MAX_FILE_BYTES)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"{path}: cannot read as UTF-8 text ({exc})") from exc
        res = read_pdf_text(text, vocabulary=vocabulary, source=str(path), number=number, year=year)
    if res.number <= 0:
        raise SourceError(
            f"{path}: no resolution symbol found in the text; pass --number and --year"
        )
    check_symbol(res.number, res.year, path)
    return annotate(replace(res, source_path=str(path)))


def read_safely(
    path: Path, *, vocabulary: Vocabulary, number: int | None = None, year: int | None = None
) -> Resolution | str:
    """:func:`read_document`, or the message of why the file cannot be read: a reader bug or
    an error of the PDF library is a problem of that file, never the end of a batch."""
    try:
        return read_document(path, vocabulary=vocabulary, number=number, year=year)
    except ReslensError as exc:
        return str(exc)
    except Exception as exc:  # any failure of one file is reported by name
        return f"{path}: unexpected {type(exc).__name__}: {exc}"
