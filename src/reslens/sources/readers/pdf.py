"""Reader for resolution PDF files: pypdf extracts the text, :mod:`.pdftext` repairs it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reslens.errors import SourceError
from reslens.language.vocab import Vocabulary
from reslens.models import Resolution
from reslens.sources.limits import (
    MAX_PDF_BYTES,
    MAX_PDF_PAGES,
    MAX_TEXT_CHARS,
    check_count,
    check_file_size,
)
from reslens.sources.readers.pdftext import Repair, read_pdf_text

__all__ = ["extract_pdf_text", "read_pdf"]


def extract_pdf_text(path: str | Path) -> str:
    """Extract the text of every page of a PDF, pages separated by a newline.

    Any failure of the PDF library on the file — a malformed file, or a limit pypdf puts on
    hostile ones, such as ``LimitReachedError`` for a compressed-stream bomb — is a
    :class:`SourceError` naming the file. So is a file over the bounds of
    :mod:`reslens.sources.limits` (bytes, pages, characters of text).

    Args:
        path: the PDF file.

    Returns:
        The raw extracted text (with its page furniture and word damage).

    Raises:
        SourceError: the file is missing, not a PDF, encrypted, damaged, over a bound, or has
            no extractable text (the message names the file).
    """
    from pypdf import PdfReader

    source = Path(path)
    check_file_size(source, MAX_PDF_BYTES)
    try:
        with source.open("rb") as handle:
            if not handle.read(1024).lstrip().startswith(b"%PDF-"):
                raise SourceError(f"{source}: not a PDF file")
        reader = PdfReader(str(source))
        if reader.is_encrypted:
            raise SourceError(f"{source}: the PDF is encrypted")
        check_count(source, "pages", len(reader.pages), MAX_PDF_PAGES)
        pages: list[str] = []
        chars = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            check_count(source, "characters of text", chars, MAX_TEXT_CHARS)
    except SourceError:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, LimitReachedError, ...)
        raise SourceError(f"{source}: cannot read PDF: {type(exc).__name__}: {exc}") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise SourceError(f"{source}: the PDF has no extractable text (scanned or empty)")
    return text


def read_pdf(
    path: str | Path,
    *,
    vocabulary: Vocabulary,
    number: int | None = None,
    year: int | None = None,
    repairs: list[Repair] | None = None,
) -> Resolution:
    """Read a resolution PDF into a :class:`Resolution` (``source_format="pdf"``).

    Args:
        path: the PDF file.
        vocabulary: corpus vocabulary deciding every word repair.
        number: the resolution number when the PDF has no running header ``S/RES/n (y)``.
        year: likewise for the year.
        repairs: if given, every repair made is appended to it.

    Returns:
        The resolution, its paragraphs repaired (see :func:`read_pdf_text`).

    Raises:
        SourceError: unreadable, encrypted or empty PDF, or no paragraph in it.

    Examples:
        >>> res = read_pdf("S_RES_2331.pdf", vocabulary=vocab)  # doctest: +SKIP
        >>> res.paragraphs[0].key  # doctest: +SKIP
        '2331:pp1'
    """
    source = Path(path)
    text = extract_pdf_text(source)
    resolution = read_pdf_text(
        text, vocabulary=vocabulary, source=str(source), number=number, year=year, repairs=repairs
    )
    return replace(resolution, source_format="pdf")
