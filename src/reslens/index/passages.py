"""Split a long paragraph into passages that fit the embedding model's window.

all-MiniLM-L6-v2 reads at most 256 word-piece tokens and silently drops the rest. On the English
AKN paragraphs a word is ~1.26 tokens; of 150-word windows cut from real paragraphs 0.8 % exceed
256 tokens, of 180-word windows 4.4 % (measured with the model's tokenizer), hence the default
``max_words=150``. Pass ``count_tokens`` to make the bound exact.

Rules, in order:

1. a paragraph within the limit is one passage;
2. a long paragraph with sub-points is split at its sub-points; consecutive points are grouped
   up to the limit, and each group is prefixed with the paragraph's intro when the intro is
   short (else the intro is a passage of its own);
3. any piece still too long is cut into windows of whole sentences or ``;``/``:`` clauses, each
   window repeating about ``overlap_words`` words of the one before; a single clause longer
   than the limit is cut into overlapping word windows.

Nothing is dropped: every word of the paragraph is in at least one passage.

Examples:
    >>> split_passages("Decides to remain seized of the matter.")
    ['Decides to remain seized of the matter.']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_CLAUSE_END = re.compile(r"[.;:!?][\"')\]]*$")
_LABEL = re.compile(r"^(\(?[a-z]{1,2}\)|\(?[ivxlc]+\)|\(?\d{1,3}\)|[a-z]{1,2}\.|\d{1,3}\.|[•–—-])$")


def split_passages(
    text: str,
    *,
    points: Sequence[str] = (),
    max_words: int = 150,
    overlap_words: int = 40,
    count_tokens: Callable[[str], int] | None = None,
    max_tokens: int = 256,
) -> list[str]:
    """Split ``text`` into passages of at most ``max_words`` words (and ``max_tokens`` tokens).

    Args:
        text: the paragraph's full text, sub-points included.
        points: the texts of its sub-points, in order, as they occur in ``text`` (with or
            without their labels); points that cannot be found are ignored.
        max_words: the largest passage, in white-space separated words.
        overlap_words: about how many words a sentence window repeats from the previous one.
        count_tokens: optional tokenizer-based counter; when given a passage must also have at
            most ``max_tokens`` tokens.
        max_tokens: the model's window, special tokens included.

    Returns:
        The passages in reading order; ``[]`` for an empty text.

    Raises:
        ValueError: when ``overlap_words`` is not smaller than ``max_words``.
    """
    if max_words < 1 or not 0 <= overlap_words < max_words:
        raise ValueError("need max_words >= 1 and 0 <= overlap_words < max_words")
    words = text.split()
    if not words:
        return []

    def fits(ws: Sequence[str]) -> bool:
        if len(ws) > max_words:
            return False
        return count_tokens is None or count_tokens(" ".join(ws)) <= max_tokens

    if fits(words):
        return [" ".join(words)]
    pieces = _point_pieces(words, points, max_words, fits)
    passages: list[str] = []
    for prefix, body in pieces:
        if fits(prefix + body):
            passages.append(" ".join(prefix + body))
            continue
        for window in _windows(body, max_words, overlap_words, fits, prefix):
            passages.append(" ".join(window))
    return passages


def _point_pieces(
    words: list[str],
    points: Sequence[str],
    max_words: int,
    fits: Callable[[Sequence[str]], bool],
) -> list[tuple[list[str], list[str]]]:
    """Cut ``words`` at the sub-points: ``(prefix, body)`` pieces covering every word."""
    starts = _locate(words, points)
    if not starts:
        return [([], words)]
    intro = words[: starts[0]]
    spans = [words[a:b] for a, b in zip(starts, [*starts[1:], len(words)], strict=True)]
    short_intro = bool(intro) and len(intro) <= max_words // 3
    prefix = intro if short_intro else []
    pieces: list[tuple[list[str], list[str]]] = []
    if intro and not short_intro:
        pieces.append(([], intro))
    group: list[str] = []
    for span in spans:
        if group and not fits(prefix + group + span):
            pieces.append((prefix, group))
            group = []
        group = group + span
    if group:
        pieces.append((prefix, group))
    return pieces


def _locate(words: list[str], points: Sequence[str]) -> list[int]:
    """Word offsets where each findable point starts, increasing, each after the intro."""
    starts: list[int] = []
    cursor = 1
    lowered = [w.lower() for w in words]
    for point in points:
        probe = [w.lower() for w in point.split()]
        if probe and _LABEL.match(probe[0]) and len(probe) > 1:
            probe = probe[1:]
        probe = probe[:8]
        if not probe:
            continue
        for k in range(cursor, len(words) - len(probe) + 1):
            if lowered[k : k + len(probe)] == probe:
                start = k - 1 if k - 1 >= cursor and _LABEL.match(lowered[k - 1]) else k
                starts.append(start)
                cursor = k + len(probe)
                break
    return starts


def _clauses(words: list[str]) -> list[list[str]]:
    """Group words into sentences and ``;``/``:`` clauses."""
    units: list[list[str]] = []
    current: list[str] = []
    for word in words:
        current.append(word)
        if _CLAUSE_END.search(word):
            units.append(current)
            current = []
    if current:
        units.append(current)
    return units


def _windows(
    body: list[str],
    max_words: int,
    overlap_words: int,
    fits: Callable[[Sequence[str]], bool],
    prefix: list[str],
) -> list[list[str]]:
    """Overlapping windows of whole clauses (word windows for an over-long clause)."""
    if prefix and not fits(prefix + body[:1]):
        prefix = []
    units: list[list[str]] = []
    for unit in _clauses(body):
        if fits(prefix + unit):
            units.append(unit)
        else:
            units.extend(_word_windows(unit, max_words, overlap_words, fits, prefix))
    windows: list[list[str]] = []
    i = 0
    while i < len(units):
        window = list(units[i])
        j = i + 1
        while j < len(units) and fits(prefix + window + units[j]):
            window += units[j]
            j += 1
        windows.append(prefix + window)
        if j >= len(units):
            break
        # step back over trailing clauses worth at most ``overlap_words`` words
        back, taken = j, 0
        while back - 1 > i and taken + len(units[back - 1]) <= overlap_words:
            back -= 1
            taken += len(units[back])
        i = back
    return windows


def _word_windows(
    unit: list[str],
    max_words: int,
    overlap_words: int,
    fits: Callable[[Sequence[str]], bool],
    prefix: list[str],
) -> list[list[str]]:
    """Cut one over-long clause into word windows that overlap by ``overlap_words``."""
    size = max(1, max_words - len(prefix))
    while size > 1 and not fits(prefix + unit[:size]):
        size = max(1, int(size * 0.9))
    step = max(1, size - min(overlap_words, size - 1))
    out: list[list[str]] = []
    for start in range(0, len(unit), step):
        out.append(unit[start : start + size])
        if start + size >= len(unit):
            break
    return out


__all__ = ["split_passages"]
