"""The result table of every search: one row per hit with the paragraph's text, metadata, the
best-matching passage and the query's words marked in it (read for the ``k`` rows only)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reslens.search.lexical import _STOP, SUBSTRING_STOP
from reslens.store.db import Store
from reslens.store.queries import addressee_names, hit_rows, passage_texts, verb_lemmas

if TYPE_CHECKING:
    import pandas as pd

#: Columns of every search result table, in order (meanings: docs/columns.md).
SEARCH_COLUMNS = [
    "query",
    "rank",
    "key",
    "symbol",
    "date",
    "year",
    "number",
    "kind",
    "verbs",
    "addressees",
    "strength",
    "max_strength",
    "score",
    "semantic_score",
    "lexical_score",
    "text",
    "passage",
    "highlight",
    "agenda_item",
    "vote",
    "unanimous",
    "sponsors",
    "url",
]

#: Chinese and Arabic letters: their words are searched, and marked, as substrings.
_SUBSTRING_SCRIPT = re.compile(r"[\u0600-\u06ff\u3400-\u9fff\uf900-\ufaff]")

#: A hit: paragraph id, fused score, semantic score, lexical score, best passage row.
Hit = tuple[int, float, float | None, float | None, int | None]


def highlight(text: str, query: str, open_mark: str = "[", close_mark: str = "]") -> str:
    """Mark the query's words (and their inflections) in ``text``; Chinese and Arabic words
    are marked wherever they occur inside a longer run (they are searched as substrings).

    Examples:
        >>> highlight("要求立即停火", "停火")
        '要求立即[停火]'
    """
    words = {w.lower() for w in re.findall(r"\w+", query) if w.lower() not in _STOP}
    inner = sorted(
        (w for w in words if _SUBSTRING_SCRIPT.search(w) and w not in SUBSTRING_STOP),
        key=len,
        reverse=True,
    )
    words = {w for w in words if len(w) > 2 and not _SUBSTRING_SCRIPT.search(w)}
    stems = sorted({w[:-1] if len(w) > 4 and w.endswith("s") else w for w in words}, key=len)
    parts = []
    if stems:
        parts.append(r"\b(?:" + "|".join(re.escape(s) for s in stems[::-1]) + r")\w*")
    if inner:
        parts.append("|".join(re.escape(w) for w in inner))
    if not parts:
        return text
    pattern = re.compile("|".join(parts), re.I)
    return pattern.sub(lambda m: f"{open_mark}{m.group(0)}{close_mark}", text)


def result_rows(store: Store, query: str, hits: Sequence[Hit]) -> list[dict[str, Any]]:
    """Rows of the result table for ``hits``, in their order."""
    if not hits:
        return []
    ids = [h[0] for h in hits]
    rows = hit_rows(store, ids)
    verbs = verb_lemmas(store, ids)
    addressees = addressee_names(store, ids)
    passages = passage_texts(store, [h[4] for h in hits if h[4] is not None])
    out = []
    for rank, (pid, score, sem, lex, vid) in enumerate(hits, 1):
        row = rows[pid]
        passage = passages.get(vid, row.text) if vid is not None else row.text
        out.append(
            {
                "query": query,
                "rank": rank,
                "key": row.key,
                "symbol": f"S/RES/{row.resolution} ({row.year})",
                "date": row.date,
                "year": row.year,
                "number": row.number,
                "kind": row.kind,
                "verbs": ", ".join(dict.fromkeys(verbs.get(pid, []))),
                "addressees": ", ".join(addressees.get(pid, [])),
                "strength": row.strength,
                "max_strength": row.max_strength,
                "score": round(score, 6),
                "semantic_score": None if sem is None else round(sem, 6),
                "lexical_score": None if lex is None else round(lex, 6),
                "text": row.text,
                "passage": passage,
                "highlight": highlight(passage, query),
                "agenda_item": row.agenda_item,
                "vote": row.vote,
                "unanimous": row.unanimous,
                "sponsors": row.sponsors,
                "url": row.url,
            }
        )
    return out


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A result table with the documented columns (also when empty)."""
    import pandas as pd

    # column by column: about twice as fast as a list of dicts for a 10-row table
    return pd.DataFrame({c: [row.get(c) for row in rows] for c in SEARCH_COLUMNS})
