"""The lexical side of search: SQLite FTS5 with BM25. Quoted phrases stay phrases, other
words (stop words left out) are OR-ed terms."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reslens.errors import ReslensError
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


#: A word of a query: letters or digits (the underscore is no word character here).
WORD = re.compile(r"[^\W_]+")


def query_problem(query: str) -> str | None:
    """Why ``query`` cannot be searched, or None when it can: a query needs a word (letters
    or digits) that is not a stop word, in every mode (a semantic search of "the" would
    return arbitrary paragraphs).

    Examples:
        >>> query_problem("trafficking in persons") is None
        True
        >>> query_problem("...")
        "the query '...' has no words (letters or digits)"
        >>> query_problem("of the")
        "the query 'of the' has only stop words (of, the); add a word that carries meaning"
    """
    if not query.strip():
        return "the query is empty"
    words = WORD.findall(query)
    if not words:
        return f"the query {query!r} has no words (letters or digits)"
    if all(w.lower() in _STOP for w in words):
        stop = ", ".join(dict.fromkeys(w.lower() for w in words))
        return f"the query {query!r} has only stop words ({stop}); add a word that carries meaning"
    return None


def check_queries(queries: Sequence[str]) -> None:
    """Raise :class:`ReslensError` for the first query that cannot be searched (see
    :func:`query_problem`), or when there is no query at all."""
    if not queries:
        raise ReslensError("the query is empty")
    for query in queries:
        problem = query_problem(query)
        if problem is not None:
            raise ReslensError(problem)


def fts_query(query: str) -> str:
    """An FTS5 query from user text: quoted phrases stay phrases, other words are OR-ed terms."""
    parts: list[str] = []
    for phrase in re.findall(r'"([^"]+)"', query):
        words = re.findall(r"\w+", phrase)
        if words:
            parts.append('"' + " ".join(words) + '"')
    rest = re.sub(r'"[^"]*"', " ", query)
    words = [w for w in re.findall(r"\w+", rest) if w.lower() not in _STOP]
    if not words and not parts:  # only stop words: search them rather than nothing
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
