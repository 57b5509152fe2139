"""Small text helpers shared by the readers: whitespace and quote normalisation."""

from __future__ import annotations

import unicodedata

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)


def clean(text: str) -> str:
    """Collapse runs of white space (incl. no-break spaces) and strip; keep quotes as written.

    Non-breaking hyphens become ``-`` and soft hyphens vanish. (Hot path of every reader: plain
    ``str`` methods, no ``translate`` with a dict table, which is slow.)
    """
    if "\u00ad" in text or "\u2010" in text or "\u2011" in text:
        text = text.replace("\u00ad", "").replace("\u2010", "-").replace("\u2011", "-")
    return " ".join(text.split())


def normalize(text: str) -> str:
    """Comparison form: NFKC, straight quotes, single spaces. For equality tests and hashing."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return clean(text)
