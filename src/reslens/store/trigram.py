"""Lexical search of Chinese and Arabic paragraphs: substrings, through ``paragraphs_trigram``.

SQLite's ``unicode61`` tokenizer splits on spaces and punctuation. Chinese has no spaces, so
a whole clause becomes one token and a word query finds nothing; Arabic attaches the article
and prepositions to words (الأمن, والأمن, للأمن), so a word finds only its bare form. Here a
query term is looked up as a substring: through the FTS5 ``trigram`` table when it has at least
three characters, by ``LIKE`` when shorter (a trigram index cannot answer those). Candidates
are scored with BM25 computed on substring counts (``k1`` 1.2, ``b`` 0.75, lengths in
characters), the document frequencies taken over the language's paragraphs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reslens.store.db import Store
from reslens.store.queries import SQL_MAX_INT, Filters, like_escape

_K1 = 1.2
_B = 0.75


def _condition(term: str, column: str) -> tuple[str, str]:
    """SQL matching paragraphs that hold ``term`` as a substring, and its argument."""
    if len(term) >= 3:
        return (
            f"{column} IN (SELECT rowid FROM paragraphs_trigram WHERE paragraphs_trigram MATCH ?)",
            '"' + term.replace('"', '""') + '"',
        )
    return "p.text LIKE ? ESCAPE '\\'", f"%{like_escape(term)}%"


def trigram_search(
    store: Store, terms: Sequence[str], k: int, filters: Filters
) -> list[tuple[int, float]]:
    """Up to ``k`` (paragraph id, BM25 score: higher is better) of the paragraphs holding any of
    ``terms`` as a substring (case-insensitive), in ``filters.language``."""
    terms = [t for t in dict.fromkeys(t.strip() for t in terms) if t]
    if not terms:
        return []
    where, args = filters.sql()
    conditions = [_condition(t, "p.id") for t in terms]
    rows = store.conn.execute(
        "SELECT p.id, p.text FROM paragraphs p JOIN resolutions r ON r.id = p.resolution_id "
        f"WHERE {where} AND ({' OR '.join(c for c, _ in conditions)})",
        [*args, *(a for _, a in conditions)],
    ).fetchall()
    if not rows:
        return []
    total, average = store.conn.execute(
        "SELECT COUNT(*), AVG(LENGTH(text)) FROM paragraphs WHERE language = ?",
        (filters.language,),
    ).fetchone()
    idf = {}
    for term, (condition, arg) in zip(terms, conditions, strict=True):
        (df,) = store.conn.execute(
            f"SELECT COUNT(*) FROM paragraphs p WHERE p.language = ? AND {condition}",
            (filters.language, arg),
        ).fetchone()
        idf[term.lower()] = math.log((total - df + 0.5) / (df + 0.5) + 1.0)
    scored = []
    for pid, text in rows:
        low = str(text).lower()
        norm = _K1 * (1 - _B + _B * len(low) / max(float(average or 1.0), 1.0))
        score = 0.0
        for term, weight in idf.items():
            tf = low.count(term)
            if tf:
                score += weight * tf * (_K1 + 1) / (tf + norm)
        if score > 0:
            scored.append((int(pid), score))
    scored.sort(key=lambda h: (-h[1], h[0]))
    return scored[: min(k, SQL_MAX_INT)]
