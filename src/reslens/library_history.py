"""The history part of the :class:`~reslens.library.Library`: lineage and the obligation graph,
the old walk, evolution of a theme, citations. A mixin, so that ``library.py`` stays one
screenful of look-ups, search and comparison."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reslens.errors import RefError, ReslensError
from reslens.language.refs import Ref, looks_like_ref, parse_ref
from reslens.search.lexical import check_queries
from reslens.store.readers import follows_commits

if TYPE_CHECKING:
    import pandas as pd

    from reslens.analysis.evolution import Evolution
    from reslens.analysis.obligations import Lineage
    from reslens.analysis.themes import Theme
    from reslens.index.embedders import Embedder
    from reslens.models import Paragraph, Resolution
    from reslens.search.semantic import SemanticIndex
    from reslens.store.db import Store


class _Default:
    """The type of :data:`DEFAULT`: an argument left out (None has a meaning of its own)."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT = _Default()


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
        self,
        theme: str | Theme,
        *,
        by: str = "year",
        threshold: float | _Default | None = DEFAULT,
        phrases: Sequence[str] | None = None,
        share: bool = False,
    ) -> Evolution:
        """Every paragraph about a theme, counted by year (or resolution) and strength family;
        see :class:`reslens.analysis.evolution.Evolution` (``.table``, ``.paragraphs``,
        ``.plot()``).

        Args:
            theme: a :class:`reslens.Theme`, the name of a built-in theme (``"trafficking"``,
                ``"sexual_violence"``, ``"asset_freeze"``, ``"children_armed_conflict"``,
                ``"humanitarian_access"``: key phrases and thresholds checked against hand
                labels), a paragraph reference (its vector, at ``threshold``), or a query.
            by: ``"year"`` or ``"resolution"``.
            threshold: the least passage similarity for a paragraph without a key phrase
                (None: key phrases only). Default: the theme's own; 0.6 for a reference or
                a query.
            phrases: key phrases (a paragraph holding one is in). Default: the theme's own;
                for a query, the query itself.
            share: count each year as a share of all its paragraphs.
        """
        from reslens.analysis.evolution import evolution
        from reslens.analysis.themes import Theme, builtin_themes

        if by not in ("year", "resolution"):
            raise ReslensError(f"by must be 'year' or 'resolution', not {by!r}")
        semantic = self._semantic_index()
        if isinstance(theme, str) and theme in builtin_themes():
            theme = builtin_themes()[theme]
        if isinstance(theme, Theme):
            label, text = theme.name, theme.query
            chosen = tuple(theme.phrases if phrases is None else phrases)
            limit = theme.threshold if isinstance(threshold, _Default) else threshold
            vector = np.asarray(self.encode([text]), dtype=np.float32)[0]
        elif looks_like_ref(theme):
            para = self.paragraph(theme)
            label, chosen = theme, tuple(phrases or ())
            limit = 0.6 if isinstance(threshold, _Default) else threshold
            vector = semantic.paragraph_vectors([self.store.paragraph_id(para.key)])[0]
        else:
            check_queries([theme])
            label = theme
            chosen = (theme,) if phrases is None else tuple(phrases)
            limit = 0.6 if isinstance(threshold, _Default) else threshold
            vector = np.asarray(self.encode([theme]), dtype=np.float32)[0]
        if limit is None and not chosen:
            raise ReslensError("a theme needs key phrases or a threshold")
        return evolution(
            self.store,
            semantic,
            vector,
            query=label,
            by=by,
            threshold=limit,
            phrases=chosen,
            share=share,
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
