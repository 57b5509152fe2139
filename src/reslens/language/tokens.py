"""Words for lexical search: the tokenizer and stemmer shared by the BM25 index (built with
the store) and the queries run against it, so both sides cut and stem text the same way.

A token is a run of letters or digits, lower-cased; stop words are dropped; the rest are
stemmed with the Snowball English stemmer ("freezing" and "freezes" → "freez"). Stems are
cached: the corpus has about 40,000 distinct words.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Words that carry no meaning in a query (also dropped from the index).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
        "all",
        "any",
    ]
)

#: A word: letters or digits (the underscore is no word character here).
WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _stemmer() -> object:
    """The English Snowball stemmer: PyStemmer's C build where installed (a dependency; the
    same stems as the pure-Python one, ~25× faster — it matters for a cold search, which
    stems its feedback paragraphs), which ``snowballstemmer.stemmer`` returns by itself."""
    import snowballstemmer  # type: ignore[import-untyped]

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one lower-case word.

    Examples:
        >>> stem("freezing"), stem("freezes"), stem("children")
        ('freez', 'freez', 'children')
    """
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` that are not stop words, in order."""
    return [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


def stems(text: str) -> list[str]:
    """The stems of :func:`words`, in order (repeats kept: they are term frequencies).

    Examples:
        >>> stems("Decides that all Member States shall freeze the funds")
        ['decid', 'member', 'state', 'shall', 'freez', 'fund']
    """
    return [stem(w) for w in words(text)]
