"""Reader for resolution PDF files: pypdf extracts the text, :mod:`.pdftext` repairs it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reslens.errors import SourceError
from reslens.language.vocab import Vocabulary
from reslens.models import Resolution
from reslens.sources.readers.pdftext import Repair, read_pdf_text

__all__ = ["extract_pdf_text", "read_pdf"]


def extract_pdf_text(path: str | Path) -> str:
    """Extract the text of every page of a PDF, pages separated by a newline.

    Args:
        path: the PDF file.

    Returns:
        The raw extracted text (with its page furniture and word damage).

    Raises:
        SourceError: the file is missing, not a PDF, encrypted, or has no extractable text
            (the message names the file).
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    source = Path(path)
    try:
        with source.open("rb") as handle:
            if not handle.read(1024).lstrip().startswith(b"%PDF-"):
                raise SourceError(f"{source}: not a PDF file")
        reader = PdfReader(str(source))
        if reader.is_encrypted:
            raise SourceError(f"{source}: the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
    except SourceError:
        raise
    except (OSError, PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"{source}: cannot read PDF: {exc}") from exc
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
