"""The history part of the :class:`~reslens.library.Library`: lineage and the obligation graph,
the old walk, evolution of a theme, citations. A mixin, so that ``library.py`` stays one
screenful of look-ups, search and comparison."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reslens.errors import RefError, ReslensError
from reslens.language.refs import Ref, looks_like_ref, parse_ref
from reslens.search.lexical import check_queries
from reslens.store.readers import follows_commits

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from reslens.analysis.evolution import Evolution
    from reslens.analysis.obligations import Lineage
    from reslens.index.embedders import Embedder
    from reslens.models import Paragraph, Resolution
    from reslens.search.semantic import SemanticIndex
    from reslens.store.db import Store


class HistoryMethods:
    """Lineage, history, obligations, walk, evolution and citations of a library."""

    if TYPE_CHECKING:  # provided by Library
        store: Store

        def paragraph(self, ref: str | Ref) -> Paragraph: ...
        def resolution(self, ref: str | int, language: str = "en") -> Resolution: ...
        def _semantic_index(self) -> SemanticIndex: ...
        def encode(self, texts: Sequence[str]) -> np.ndarray: ...
        def cached_encode(self, texts: Sequence[str]) -> np.ndarray: ...
        @property
        def embedder(self) -> Embedder: ...

    def _unit_key(self, ref: str | Ref) -> str:
        """The key a reference names in the graph: a paragraph, sub-point or unit."""
        parsed = ref if isinstance(ref, Ref) else parse_ref(ref)
        if parsed.number is None:
            raise RefError(f"{ref!r} names a resolution, not a paragraph; add e.g. ', para. 1'")
        self.paragraph(parsed.paragraph_key or parsed.key)  # a clear error when missing
        return parsed.key

    @follows_commits
    def lineage(self, ref: str | Ref, *, max_depth: int = 60, max_nodes: int = 2000) -> Lineage:
        """Where a paragraph's (sub-point's, clause's) obligations came from and went, read from
        the provenance graph built by ``reslens build``: a DAG of units and edges (by reference
        and by wording), its main line, ``.plot()``, ``.to_graphml()``.

        Args:
            ref: ``"2331:op21"``, ``"2331:op2(c)"``, ``"2331:op21.3"`` or any citation form.
            max_depth: the most generations each way; max_nodes: the most units each way.

        Returns:
            A :class:`reslens.analysis.obligations.Lineage` (``nodes``, ``edges``, ``chain``,
            ``first_appearance``, ``off_item``).

        Examples:
            >>> lib.lineage("2331:op21").edges  # doctest: +SKIP
        """
        from reslens.analysis.obligations import lineage

        return lineage(self.store, self._unit_key(ref), max_depth=max_depth, max_nodes=max_nodes)

    @follows_commits
    def first_appearance(self, ref: str | Ref) -> str:
        """The key of the earliest unit in the lineage of ``ref``."""
        return self.lineage(ref).first_appearance

    @follows_commits
    def history(self, ref: str | Ref) -> pd.DataFrame:
        """The history of an obligation: its verb, strength and addressees over time, and in
        ``attrs`` when it became binding and whether it is still in force or was dropped (see
        :func:`reslens.analysis.obligations.history`)."""
        from reslens.analysis.obligations import history

        return history(self.store, self._unit_key(ref))

    @follows_commits
    def obligations(self, res: int | str) -> pd.DataFrame:
        """Every obligation unit of a resolution: its parents, how it came (reference or
        wording), its change, its first appearance, and whether it got stronger or weaker later
        (columns ``reslens.analysis.obligations.OBLIGATION_COLUMNS``)."""
        from reslens.analysis.obligations import resolution_obligations

        number = res if isinstance(res, int) else parse_ref(str(res)).resolution
        self.resolution(number)
        return resolution_obligations(self.store, number)

    @follows_commits
    def walk(self, ref: str, *, threshold: float = 0.75, max_steps: int = 12) -> pd.DataFrame:
        """The earlier lineage: a greedy walk at query time, one parent per step (kept to
        compare with :meth:`lineage`, which reads the graph).

        Returns:
            DataFrame: step (0 = ``ref``, negative = earlier), key, symbol, date, number, verbs,
            lemma, strength, similarity (to the previous step), change (identical, modified,
            stronger, weaker), wording, text; ``.attrs["first_appearance"]`` is the key of the
            earliest version found. Plot it with ``reslens.analysis.plots.plot_lineage(df)``.
        """
        from reslens.analysis.lineage import lineage

        para = self.paragraph(ref)
        if not 0.0 < threshold <= 1.0:
            raise ReslensError(f"threshold must be in (0, 1], not {threshold}")
        return lineage(
            self.store,
            self._semantic_index(),
            para,
            encode=self._window_encoder(),
            threshold=threshold,
            max_steps=max_steps,
        )

    def _window_encoder(self) -> Any:
        """:meth:`cached_encode`, or None where no query model can be loaded."""
        try:
            _ = self.embedder
        except (ReslensError, ImportError, OSError):
            return None
        return self.cached_encode

    @follows_commits
    def evolution(
        self, query_or_ref: str, *, by: str = "year", threshold: float = 0.6
    ) -> Evolution:
        """Every paragraph above ``threshold`` similar to a query or paragraph (a range search
        over the whole index), counted by year (or resolution) and strength family; see
        :class:`reslens.analysis.evolution.Evolution` (``.table``, ``.paragraphs``, ``.plot()``).
        """
        from reslens.analysis.evolution import evolution

        if by not in ("year", "resolution"):
            raise ReslensError(f"by must be 'year' or 'resolution', not {by!r}")
        if not looks_like_ref(query_or_ref):
            check_queries([query_or_ref])
        semantic = self._semantic_index()
        if looks_like_ref(query_or_ref):
            para = self.paragraph(query_or_ref)
            vector = semantic.paragraph_vectors([self.store.paragraph_id(para.key)])[0]
        else:
            vector = np.asarray(self.encode([query_or_ref]), dtype=np.float32)[0]
        return evolution(
            self.store, semantic, vector, query=query_or_ref, by=by, threshold=threshold
        )

    @follows_commits
    def citations(self, res: int | str) -> pd.DataFrame:
        """Resolutions that ``res`` cites and that cite it (direction, resolution, symbol,
        date, paragraphs, count)."""
        from reslens.analysis.citations import citations

        return citations(self.store, res)

    @follows_commits
    def export_citations(self, path: Path | str, fmt: str = "graphml") -> Path:
        """Write the citation graph of the corpus as GraphML or a CSV edge list."""
        from reslens.analysis.citations import export_graph

        return export_graph(self.store, path, fmt)
