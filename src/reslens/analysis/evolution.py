"""Evolution of a theme: every paragraph about it, counted by year (or resolution) and by
family of the leading verb.

The theme's paragraphs come from a FAISS *range* search: all passages at or above a threshold,
a paragraph scoring as its best passage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from reslens.errors import ReslensError
from reslens.language.lexicon import STRENGTH_NAMES, family_of
from reslens.models import RESOLUTION, document_of
from reslens.search.semantic import SemanticIndex
from reslens.store.db import Store
from reslens.store.queries import nodes

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: Columns of :attr:`Evolution.paragraphs`.
EVOLUTION_COLUMNS = [
    "key",
    "symbol",
    "year",
    "kind",
    "lemma",
    "family",
    "strength",
    "score",
    "text",
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
        threshold: the least passage similarity.
        paragraphs: one row per paragraph (columns ``EVOLUTION_COLUMNS``), best score first.
        table: counts by year (every year from the first to the last present, zero-filled) or
            by resolution (in date order), one column per family of the leading verb.
    """

    query: str
    by: str
    threshold: float
    paragraphs: pd.DataFrame
    table: pd.DataFrame

    def paragraphs_of(self, period: int | str) -> pd.DataFrame:
        """The paragraphs of one year (``by="year"``) or resolution symbol, best first."""
        column = "year" if self.by == "year" else "symbol"
        return self.paragraphs[self.paragraphs[column] == period].reset_index(drop=True)

    def plot(self, ax: Any = None) -> Figure:
        """Stacked bars of the counts by family; returns the matplotlib Figure."""
        from reslens.analysis.plots import plot_evolution

        title = f"{self.query!r} (similarity ≥ {self.threshold})"
        return plot_evolution(self.table, by=self.by, title=title, ax=ax)


def _range_hits(semantic: SemanticIndex, vector: np.ndarray, threshold: float) -> dict[int, float]:
    """Paragraph id → best passage score, for every passage scoring at least ``threshold``."""
    query = np.ascontiguousarray(vector[None, :], dtype=np.float32)
    try:
        lims, scores, ids = semantic.index.range_search(query, float(threshold))
    except RuntimeError:  # an index type without range search (HNSW): widen a top-k search
        k = 256
        while True:
            k = min(k, int(semantic.index.ntotal))
            scores, ids = semantic.index.search(query, k)
            scores, ids = scores[0], ids[0]
            keep = (ids >= 0) & (scores >= threshold)
            if keep.sum() < k or k >= int(semantic.index.ntotal):
                scores, ids = scores[keep], ids[keep]
                break
            k *= 4
        lims = np.array([0, len(ids)])
    best: dict[int, float] = {}
    for score, vid in zip(scores[lims[0] : lims[1]], ids[lims[0] : lims[1]], strict=True):
        pid = int(semantic.passage_paragraph[int(vid)])
        if float(score) > best.get(pid, -2.0):
            best[pid] = float(score)
    return best


def evolution(
    store: Store,
    semantic: SemanticIndex,
    vector: np.ndarray,
    *,
    query: str,
    by: str = "year",
    threshold: float = 0.6,
) -> Evolution:
    """Every paragraph about a theme, counted by year (or resolution) and verb family.

    Args:
        store: the store.
        semantic: the semantic index of the store's passages.
        vector: the theme's unit vector (a query's embedding, or a paragraph's vector).
        query: what the vector was made from (a text or a paragraph key), kept in the result.
        by: ``"year"`` or ``"resolution"``.
        threshold: the least cosine similarity of a passage; a paragraph scores as its best.

    Returns:
        An :class:`Evolution`.

    Examples:
        >>> ev = lib.evolution("trafficking in persons", threshold=0.6)  # doctest: +SKIP
        >>> ev.table.loc[2016]  # doctest: +SKIP
    """
    import pandas as pd

    if by not in ("year", "resolution"):
        raise ReslensError(f"by must be 'year' or 'resolution', not {by!r}")
    best = _range_hits(semantic, np.asarray(vector, dtype=np.float32), threshold)
    rows: list[dict[str, Any]] = []
    for pid, node in nodes(store, list(best)).items():
        if document_of(node.resolution) != RESOLUTION:
            continue  # a theme's evolution counts resolutions
        rows.append(
            {
                "key": node.key,
                "symbol": node.symbol,
                "year": int(node.year),
                "kind": node.kind,
                "lemma": node.lemma,
                "family": (family_of(node.lemma) if node.lemma else "") or "other",
                "strength": node.strength,
                "score": round(best[pid], 6),
                "text": node.text,
                "_order": node.order,
            }
        )
    frame = pd.DataFrame(rows, columns=[*EVOLUTION_COLUMNS, "_order"])
    frame = frame.sort_values(["score", "key"], ascending=[False, True]).reset_index(drop=True)
    table = _table(frame, by)
    return Evolution(
        query=query,
        by=by,
        threshold=threshold,
        paragraphs=frame.drop(columns="_order"),
        table=table,
    )


def _table(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    import pandas as pd

    present = [f for f in FAMILY_ORDER if f in set(frame["family"])]
    extra = sorted(set(frame["family"]) - set(FAMILY_ORDER))
    columns = present + extra
    if frame.empty:
        return pd.DataFrame(columns=columns, dtype=int)
    counts = pd.crosstab(frame["year"] if by == "year" else frame["symbol"], frame["family"])
    counts = counts.reindex(columns=columns, fill_value=0)
    if by == "year":
        years = range(int(frame["year"].min()), int(frame["year"].max()) + 1)
        counts = counts.reindex(years, fill_value=0)
        counts.index.name = "year"
    else:
        order = frame.sort_values(["_order", "symbol"]).drop_duplicates("symbol")["symbol"]
        counts = counts.reindex(list(order), fill_value=0)
        counts.index.name = "symbol"
    counts.columns.name = "family"
    return counts.astype(int)


__all__ = ["EVOLUTION_COLUMNS", "FAMILY_ORDER", "Evolution", "evolution"]
