"""Evolution of a theme: every paragraph about it, counted by year (or resolution) and by
family of the leading verb.

A theme (:class:`reslens.analysis.themes.Theme`) takes the paragraphs holding one of its key
phrases and those with a passage at or above its threshold of similarity to its query (a
paragraph scores as its best passage). Years without text in the corpus (1994–1999) are
``<NA>`` in the table and drawn as "no text", never as zero; ``share=True`` counts a year's
paragraphs as a share of all its paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from reslens.errors import ReslensError
from reslens.language.lexicon import STRENGTH_NAMES, family_of
from reslens.language.refs import citation
from reslens.models import RESOLUTION, document_of
from reslens.search.semantic import SemanticIndex
from reslens.store.db import Store
from reslens.store.queries import nodes, year_totals

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: Columns of :attr:`Evolution.paragraphs`.
EVOLUTION_COLUMNS = [
    "key",
    "symbol",
    "citation",
    "year",
    "kind",
    "lemma",
    "family",
    "strength",
    "score",
    "matched",
    "text",
    "url",
]

#: Order of the families in evolution tables: the ladder from strongest, then the rest.
FAMILY_ORDER = [STRENGTH_NAMES[r] for r in sorted(STRENGTH_NAMES, reverse=True)] + [
    "condemnation",
    "concern",
    "intention",
    "procedural",
    "other",
]


@dataclass
class Evolution:
    """The paragraphs about a theme and their counts over time.

    Attributes:
        query: the text or paragraph key the theme was taken from.
        by: ``"year"`` or ``"resolution"``.
        threshold: the least passage similarity (None: key phrases only).
        paragraphs: one row per paragraph (columns ``EVOLUTION_COLUMNS``; ``matched`` says
            ``phrase``, ``similarity`` or ``both``), best score first.
        table: counts by year (every year from the first to the last present; a year without
            text in the corpus is ``<NA>``, see ``gaps``) or by resolution (in date order), one
            column per family of the leading verb; shares of the year's paragraphs with
            ``share``.
        phrases: the key phrases.
        gaps: years in the table's range with no text in the corpus.
        share: whether ``table`` holds shares rather than counts.
    """

    query: str
    by: str
    threshold: float | None
    paragraphs: pd.DataFrame
    table: pd.DataFrame
    phrases: tuple[str, ...] = ()
    gaps: tuple[int, ...] = ()
    share: bool = False

    def paragraphs_of(self, period: int | str) -> pd.DataFrame:
        """The paragraphs of one year (``by="year"``) or resolution symbol, best first."""
        column = "year" if self.by == "year" else "symbol"
        return self.paragraphs[self.paragraphs[column] == period].reset_index(drop=True)

    def plot(self, ax: Any = None) -> Figure:
        """Stacked bars of the counts by family; returns the matplotlib Figure."""
        from reslens.analysis.plots import plot_evolution

        return plot_evolution(
            self.table, by=self.by, title=self.title(), ax=ax, gaps=self.gaps, share=self.share
        )

    def title(self) -> str:
        """The theme and how its paragraphs were chosen, in a line."""
        parts = []
        if self.phrases:
            parts.append(f"{len(self.phrases)} key phrase{'s' if len(self.phrases) > 1 else ''}")
        if self.threshold is not None:
            parts.append(f"similarity ≥ {self.threshold:.2f}")
        return f"{self.query!r} ({' or '.join(parts)})"


def paragraph_scores(semantic: SemanticIndex, vector: np.ndarray) -> dict[int, float]:
    """Paragraph id → its best passage's similarity to ``vector``, for every paragraph with
    vectors (one matrix product over the flat index; other index types reconstruct)."""
    scores = semantic.all_scores(vector)
    if len(scores) == 0:
        return {}
    pids = semantic.passage_paragraph
    order = np.lexsort((-scores, pids))  # by paragraph, best passage first
    first = np.ones(len(order), dtype=bool)
    first[1:] = pids[order][1:] != pids[order][:-1]
    chosen = order[first]
    return dict(zip(pids[chosen].tolist(), scores[chosen].astype(float).tolist(), strict=True))


def evolution(
    store: Store,
    semantic: SemanticIndex,
    vector: np.ndarray,
    *,
    query: str,
    by: str = "year",
    threshold: float | None = 0.6,
    phrases: tuple[str, ...] = (),
    share: bool = False,
) -> Evolution:
    """Every paragraph about a theme, counted by year (or resolution) and verb family.

    Args:
        store: the store.
        semantic: the semantic index of the store's passages.
        vector: the theme's unit vector (a query's embedding, or a paragraph's vector).
        query: what the vector was made from (a text or a paragraph key), kept in the result.
        by: ``"year"`` or ``"resolution"``.
        threshold: the least cosine similarity of a passage (a paragraph scores as its best);
            None: key phrases only.
        phrases: key phrases; a paragraph holding one is in whatever its score.
        share: count each year as a share of all its paragraphs (``by="year"`` only).

    Returns:
        An :class:`Evolution`.

    Examples:
        >>> ev = lib.evolution("trafficking in persons", threshold=0.6)  # doctest: +SKIP
        >>> ev.table.loc[2016]  # doctest: +SKIP
    """
    import pandas as pd

    from reslens.analysis.themes import phrase_hits

    if by not in ("year", "resolution"):
        raise ReslensError(f"by must be 'year' or 'resolution', not {by!r}")
    if share and by != "year":
        raise ReslensError("share=True counts shares of a year's paragraphs: use by='year'")
    scores = paragraph_scores(semantic, vector)
    by_phrase = phrase_hits(store, phrases)
    similar = {p for p, s in scores.items() if threshold is not None and s >= threshold}
    members = by_phrase | similar
    rows: list[dict[str, Any]] = []
    for pid, node in nodes(store, list(members)).items():
        if document_of(node.resolution) != RESOLUTION:
            continue  # a theme's evolution counts resolutions
        matched = (
            "both"
            if pid in by_phrase and pid in similar
            else ("phrase" if pid in by_phrase else "similarity")
        )
        rows.append(
            {
                "key": node.key,
                "symbol": node.symbol,
                "citation": citation(node.symbol, node.key),
                "year": int(node.year),
                "kind": node.kind,
                "lemma": node.lemma,
                "family": (family_of(node.lemma) if node.lemma else "") or "other",
                "strength": node.strength,
                "score": round(scores[pid], 6) if pid in scores else None,
                "matched": matched,
                "text": node.text,
                "url": node.url,
                "_order": node.order,
            }
        )
    frame = pd.DataFrame(rows, columns=[*EVOLUTION_COLUMNS, "_order"])
    frame = frame.sort_values(["score", "key"], ascending=[False, True]).reset_index(drop=True)
    totals = year_totals(store)
    table, gaps = _table(frame, by, totals)
    if share:
        table = table.div(pd.Series(totals).reindex(table.index), axis=0)
    return Evolution(
        query=query,
        by=by,
        threshold=threshold,
        paragraphs=frame.drop(columns="_order"),
        table=table,
        phrases=tuple(phrases),
        gaps=gaps,
        share=share,
    )


def _table(
    frame: pd.DataFrame, by: str, totals: dict[int, int]
) -> tuple[pd.DataFrame, tuple[int, ...]]:
    """Counts by period and family, and the years of the range without text."""
    import pandas as pd

    present = [f for f in FAMILY_ORDER if f in set(frame["family"])]
    extra = sorted(set(frame["family"]) - set(FAMILY_ORDER))
    columns = present + extra
    if frame.empty:
        return pd.DataFrame(columns=columns, dtype=int), ()
    counts = pd.crosstab(frame["year"] if by == "year" else frame["symbol"], frame["family"])
    counts = counts.reindex(columns=columns, fill_value=0)
    counts.columns.name = "family"
    if by != "year":
        order = frame.sort_values(["_order", "symbol"]).drop_duplicates("symbol")["symbol"]
        counts = counts.reindex(list(order), fill_value=0).astype(int)
        counts.index.name = "symbol"
        return counts, ()
    years = range(int(frame["year"].min()), int(frame["year"].max()) + 1)
    gaps = tuple(y for y in years if totals.get(y, 0) == 0)
    counts = counts.reindex(years, fill_value=0).astype(int)
    if gaps:  # no text: unknown (<NA>), not zero
        counts = counts.astype("Int64")
        counts.loc[list(gaps)] = pd.NA
    counts.index.name = "year"
    return counts, gaps


__all__ = ["EVOLUTION_COLUMNS", "FAMILY_ORDER", "Evolution", "evolution"]
