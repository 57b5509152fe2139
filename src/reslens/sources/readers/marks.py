"""Marked text of the AKN reader: verb spans carried through cleaning, then read as verbs.

While the AKN reader builds the text of a paragraph it wraps each italic (or underlined) span
in two private-use markers, ``MARK_ON`` and ``MARK_OFF``. :func:`unmark` cleans the text (as
:func:`reslens.text.clean` does) and returns where each span landed; :func:`marked_verbs` turns
those spans into verb phrases. Both are linear in the length of the text whatever the number
of spans (a paragraph with tens of thousands of italic spans is read in one pass).
"""

from __future__ import annotations

import re
from collections import Counter

from reslens.models import Verb
from reslens.text import clean

__all__ = ["LATIN", "MARK_OFF", "MARK_ON", "marked_verbs", "plain", "unmark"]

MARK_ON, MARK_OFF = "\ue000", "\ue001"  # private-use markers around verb spans
_MARKS = re.compile(f"([{MARK_ON}{MARK_OFF}])")
_START = re.compile(r"(^|[;:.]|\([a-z0-9]{1,5}\)|[–•])\s*$")
_LETTER = re.compile(r"[^\W\d_]")
_ALNUM_RUN = re.compile(r"[^\W_]*")  # str.isalnum() characters: \w without the underscore
LATIN = frozenset(
    {
        "inter alia", "ad hoc", "mutatis mutandis", "de facto", "de jure", "bona fide",
        "ad interim", "prima facie", "per se", "vis-à-vis", "status quo", "sine qua non",
        "a fortiori", "ex officio", "in situ", "modus operandi", "et al", "ultra vires",
        "erga omnes", "jus cogens", "in absentia", "ex post facto", "pro bono", "sui generis",
        "ipso facto", "status quo ante", "ad litem", "proprio motu", "amicus curiae", "ad valorem",
    }
)  # fmt: skip


def _count(quirks: Counter[str] | None, name: str) -> None:
    if quirks is not None:
        quirks[name] += 1


def _soft(text: str) -> str:
    """The character replacements of :func:`clean` (soft and non-breaking hyphens)."""
    if "\u00ad" in text or "\u2010" in text or "\u2011" in text:
        text = text.replace("\u00ad", "").replace("\u2010", "-").replace("\u2011", "-")
    return text


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Clean a marked string with :func:`reslens.text.clean` and return the span offsets.

    One pass: the length of the cleaned prefix is carried along instead of cleaning the prefix
    again at every marker.

    Examples:
        >>> unmark(f"  {MARK_ON}Decides{MARK_OFF}   to  act ")
        ('Decides to act', [(0, 7)])
    """
    spans: list[tuple[int, int]] = []
    start: int | None = None
    length = 0  # len(clean(prefix))
    gap = False  # the prefix has text and ends in white space: the next word is spaced
    for piece in _MARKS.split(marked):
        if piece in (MARK_ON, MARK_OFF):
            at = length + 1 if gap else length  # where the next character lands
            if piece == MARK_ON:
                start = at
            elif start is not None:
                spans.append((start, at))
                start = None
            continue
        piece = _soft(piece)
        words = piece.split()
        if not words:
            gap = gap or (length > 0 and bool(piece))
            continue
        if length and (gap or piece[0].isspace()):
            length += 1
        length += sum(map(len, words)) + len(words) - 1
        gap = piece[-1].isspace()
    text = clean(marked.replace(MARK_ON, "").replace(MARK_OFF, ""))
    fixed: list[tuple[int, int]] = []
    for s, e in spans:
        s, e = min(s, len(text)), min(e, len(text))
        while s < e and text[s] == " ":
            s += 1
        while e > s and text[e - 1] == " ":
            e -= 1
        if e > s:
            fixed.append((s, e))
    return text, fixed


def plain(marked: str) -> str:
    """The clean text of a marked string, without the verb markers."""
    return clean(marked.replace(MARK_ON, "").replace(MARK_OFF, ""))


class _Runs:
    """The maximal run of alphanumeric characters around a position, found once per run."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.run = (0, 0)

    def __call__(self, at: int) -> tuple[int, int]:
        first, end = self.run
        if not first <= at < end:
            text = self.text
            first = at
            while first > 0 and text[first - 1].isalnum():
                first -= 1
            match = _ALNUM_RUN.match(text, at)
            end = match.end() if match else at
            self.run = (first, end)
        return first, end


def marked_verbs(
    text: str, spans: list[tuple[int, int]], quirks: Counter[str] | None
) -> tuple[Verb, ...]:
    """Turn marked spans into verb phrases: extend to whole words, merge, trim and filter them.

    Examples:
        >>> [v.text for v in marked_verbs("Decides further to act", [(0, 4), (8, 12)], None)]
        ['Decides further']
    """
    runs = _Runs(text)
    grown: list[list[int]] = []
    for s, e in spans:
        s0, e0 = s, e
        if e < len(text) and text[e].isalnum() and text[e - 1].isalnum():
            e = runs(e)[1]
        if s > 0 and text[s - 1].isalnum() and text[s].isalnum():
            s = runs(s)[0]
        if (s, e) != (s0, e0):
            _count(quirks, "verb_span_extended")
        if grown and s - grown[-1][1] <= 1 and not text[grown[-1][1] : s].strip():
            grown[-1][1] = max(e, grown[-1][1])
            _count(quirks, "verb_span_merged")
        else:
            grown.append([s, e])
    verbs: list[Verb] = []
    for s, e in grown:
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not text[e - 1].isalnum():
            e -= 1
        phrase = text[s:e]
        if not _LETTER.search(phrase):
            _count(quirks, "italic_not_word")
            continue
        if phrase.lower() in LATIN:
            _count(quirks, "italic_latin")
            continue
        at_start = bool(_START.search(text[max(0, s - 12) : s]))
        first = phrase.split(maxsplit=1)[0]
        verb_like = first.endswith(("s", "ing", "ed")) and len(phrase.split(maxsplit=4)) <= 4
        if not at_start and phrase[0].isupper() and not verb_like:
            _count(quirks, "italic_title")
            continue
        verbs.append(Verb(text=phrase, position=s, source="markup"))
    return tuple(verbs)
