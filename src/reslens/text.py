"""Small text helpers shared by the readers: whitespace and quote normalisation."""

from __future__ import annotations

import re
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


_APOSTROPHES = str.maketrans({"\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'"})
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SEPARATOR = re.compile(f"[\\s{_DASHES}]+")
_COMPOUND = re.compile(f"\\w+(?:\\s*[{_DASHES}]\\s*\\w+)+")


def exact_form(text: str) -> str:
    """What ``identical`` compares: NFKC, single spaces, no final ``;.,:`` — quotes, dashes and
    letter case kept."""
    return clean(unicodedata.normalize("NFKC", text)).rstrip(" ;.,:")


def typography_only(x: str, y: str) -> bool:
    """Whether ``x`` and ``y`` differ only in typography: quotes and apostrophes (’ and '),
    dashes and hyphens (– — ‐ -), spaces (``zero tolerance`` → ``zero-tolerance``,
    ``peace-keeping`` → ``peacekeeping``), letter case inside a hyphenated compound
    (``Follow-Up`` → ``follow-up``) and final punctuation. False when they are the same text.

    Examples:
        >>> typography_only("the Council’s zero tolerance", "the Council's zero-tolerance")
        True
        >>> typography_only("Follow-Up mechanism", "follow-up mechanism")
        True
        >>> typography_only("the Government", "the government")
        False
    """
    if exact_form(x) == exact_form(y):
        return False
    fx, mx = _typographic(x)
    fy, my = _typographic(y)
    if len(fx) != len(fy):
        return False
    for cx, cy, in_x, in_y in zip(fx, fy, mx, my, strict=True):
        if cx != cy and not (cx.lower() == cy.lower() and (in_x or in_y)):
            return False
    return True


def _typographic(text: str) -> tuple[str, list[bool]]:
    """The text without separators (spaces, dashes), quotes straightened, and for each of its
    characters whether it stands in a hyphenated compound."""
    text = normalize(text).translate(_APOSTROPHES).rstrip(" ;.,:")
    inside = [False] * len(text)
    for match in _COMPOUND.finditer(text):
        inside[match.start() : match.end()] = [True] * (match.end() - match.start())
    chars: list[str] = []
    marks: list[bool] = []
    for char, mark in zip(text, inside, strict=True):
        if not _SEPARATOR.fullmatch(char):
            chars.append(char)
            marks.append(mark)
    return "".join(chars), marks
