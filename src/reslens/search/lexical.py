"""The lexical side of search: SQLite FTS5 with BM25. Quoted phrases stay phrases, other
words (stop words left out) are OR-ed terms."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reslens.store.db import Store
from reslens.store.queries import Filters, fts_search

_STOP = frozenset(
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


def fts_query(query: str) -> str:
    """An FTS5 query from user text: quoted phrases stay phrases, other words are OR-ed terms."""
    parts: list[str] = []
    for phrase in re.findall(r'"([^"]+)"', query):
        words = re.findall(r"\w+", phrase)
        if words:
            parts.append('"' + " ".join(words) + '"')
    rest = re.sub(r'"[^"]*"', " ", query)
    words = [w for w in re.findall(r"\w+", rest) if w.lower() not in _STOP]
    if not words:
        words = re.findall(r"\w+", rest)
    parts.extend(f'"{w}"' for w in words)
    return " OR ".join(parts)


def lexical_search(
    store: Store, queries: Sequence[str], k: int, filters: Filters
) -> list[list[tuple[int, float]]]:
    """For each query, up to ``k`` (paragraph id, BM25 score: higher is better)."""
    out: list[list[tuple[int, float]]] = []
    for query in queries:
        match = fts_query(query)
        out.append(fts_search(store, match, k, filters) if match else [])
    return out
