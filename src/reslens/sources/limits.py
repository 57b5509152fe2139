"""Bounds on one source file, and on what a resolution symbol may say.

Every reader is linear in its input; these bounds make the work one file can cause bounded as
well, so that a hostile or broken file is a problem for that file (a
:class:`~reslens.errors.SourceError` naming it), never a stalled build or ingest. Each bound is
far above what the real corpus holds (the largest measured value is in the comment), and is
checked before the expensive step it protects.

Examples:
    >>> check_symbol(2331, 2016, "res.pdf")
    >>> check_symbol(99999, 2016, "res.pdf")
    Traceback (most recent call last):
    ...
    reslens.errors.SourceError: res.pdf: S/RES/99999 is not a resolution number (1–9999)
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from reslens.errors import SourceError

MAX_FILE_BYTES = 8 * 2**20
"""Bytes of one XML or text source file (largest: 812 KB, the AKN file of S/RES/2231)."""

MAX_PDF_BYTES = 64 * 2**20
"""Bytes of one PDF file (a resolution PDF with its annexes is a few MB)."""

MAX_DOCX_BYTES = 64 * 2**20
"""Bytes of one Word .docx draft (its text is small; embedded images make the file large)."""

MAX_PDF_PAGES = 2_000
"""Pages of one PDF (the longest resolutions, with annexes, have about a hundred)."""

MAX_XML_ELEMENTS = 200_000
"""XML elements in one AKN file (largest: 9,418 in S/RES/2231; italic spans at most 347)."""

MAX_TEXT_CHARS = 4_000_000
"""Characters of text in one PDF or text file (S/RES/2231 with its annexes: about 300,000)."""

MAX_TEXT_LINES = 200_000
"""Lines of text in one PDF or text file (largest CR-UNSC file: 824 lines)."""

MAX_NUMBER = 9_999
"""The highest resolution number accepted (the Council had adopted 2,825 by 2026)."""

FIRST_YEAR = 1946
"""The year of the first resolution."""


def check_file_size(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> int:
    """The size of ``path`` in bytes; a :class:`SourceError` when over ``limit``.

    Raises:
        SourceError: the file is missing or larger than ``limit`` (the message names it).
    """
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise SourceError(f"{path}: cannot read file: {exc}") from exc
    if size > limit:
        raise SourceError(
            f"{path}: {size:,} bytes, over the limit of {limit:,} bytes for one source file"
        )
    return size


def check_count(path: str | os.PathLike[str], what: str, count: int, limit: int) -> None:
    """A :class:`SourceError` when ``count`` of ``what`` in ``path`` is over ``limit``."""
    if count > limit:
        raise SourceError(f"{path}: more than {limit:,} {what}, over the limit for one file")


def check_symbol(number: int, year: int, where: str | os.PathLike[str]) -> None:
    """A :class:`SourceError` unless ``S/RES/number (year)`` can be a real resolution.

    The number must be 1 to :data:`MAX_NUMBER`, the year :data:`FIRST_YEAR` to next year.
    """
    check_number(number, where)
    check_year(year, where)


def check_number(number: int, where: str | os.PathLike[str]) -> None:
    """A :class:`SourceError` unless ``number`` is 1 to :data:`MAX_NUMBER`."""
    if not 1 <= number <= MAX_NUMBER:
        raise SourceError(f"{where}: S/RES/{number} is not a resolution number (1–{MAX_NUMBER})")


def check_year(year: int, where: str | os.PathLike[str]) -> None:
    """A :class:`SourceError` unless ``year`` is :data:`FIRST_YEAR` to next year."""
    last = time.gmtime().tm_year + 1
    if not FIRST_YEAR <= year <= last:
        raise SourceError(f"{where}: {year} is not the year of a resolution ({FIRST_YEAR}–{last})")


__all__ = [
    "FIRST_YEAR",
    "MAX_DOCX_BYTES",
    "MAX_FILE_BYTES",
    "MAX_NUMBER",
    "MAX_PDF_BYTES",
    "MAX_PDF_PAGES",
    "MAX_TEXT_CHARS",
    "MAX_TEXT_LINES",
    "MAX_XML_ELEMENTS",
    "check_count",
    "check_file_size",
    "check_number",
    "check_symbol",
    "check_year",
]
