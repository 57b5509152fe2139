"""Hybrid search composed of its parts: a semantic side (:class:`SemanticIndex`), a lexical
side (BM25 postings, FTS5 for phrases and other languages), fusion (RRF) and the result rows;
each usable alone.

Filters are applied *inside* each side: an English filter becomes a boolean mask over the
paragraphs (:mod:`reslens.search.masks`, from columns kept in the store), which both sides
apply before their top-k; other languages keep an SQL filter.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from reslens.errors import ReslensError
from reslens.index import search_arrays
from reslens.search import expansion
from reslens.search.fusion import rrf
from reslens.search.lexical import Bm25, check_queries, lexical_search
from reslens.search.masks import Masks
from reslens.search.results import Hit, result_rows
from reslens.search.semantic import SemanticIndex
from reslens.store.arrays import read_array
from reslens.store.db import Store
from reslens.store.queries import Filters, allowed_paragraphs, paragraph_texts

MODES = ("semantic", "lexical", "hybrid")
#: The semantic ranking's weight in the hybrid fusion (the lexical one weighs 1).
SEMANTIC_WEIGHT = 1.0


class Searcher:
    """Semantic, lexical or hybrid search over one store.

    Args:
        store: the store (paragraphs, FTS5, filters).
        semantic: a function returning the semantic index (called only when a search needs
            it, so a lexical search never loads FAISS), or None when the store has no vectors.
        encode: embeds query texts (unit rows), or None.
        vector_languages: languages that have vectors.
        prepare: called when a search is about to embed its queries, before it reads its
            arrays and vectors (a library starts loading its query model in a thread there).
    """

    def __init__(
        self,
        store: Store,
        semantic: Callable[[], SemanticIndex] | None,
        encode: Callable[[list[str]], np.ndarray] | None,
        vector_languages: Sequence[str] = (),
        prepare: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self._semantic = semantic
        self._encode = encode
        self._prepare = prepare
        self.vector_languages = tuple(vector_languages)
        self._fast: tuple[Masks, Bm25] | None = None
        self._passage_rows: np.ndarray | None = None

    def arrays(self) -> tuple[Masks, Bm25]:
        """The filter masks and BM25 postings (read from the store once)."""
        if self._fast is None:
            arrays = search_arrays.load(self.store)
            fetch = functools.partial(read_array, self.store)  # postings: a block when needed
            self._fast = (Masks(self.store, arrays), Bm25(arrays, fetch))
        return self._fast

    def _passage_mask(self, semantic: SemanticIndex, mask: np.ndarray | None) -> np.ndarray | None:
        """A paragraph mask as a mask over the semantic index's passage rows."""
        if mask is None:
            return None
        if self._passage_rows is None or len(self._passage_rows) != len(semantic.passage_paragraph):
            self._passage_rows = self.arrays()[0].rows(semantic.passage_paragraph)
        rows = self._passage_rows
        return np.where(rows >= 0, mask[np.maximum(rows, 0)], False)

    def rows(
        self,
        queries: list[str],
        k: int,
        filters: Filters,
        mode: str = "hybrid",
        embeddings: np.ndarray | None = None,
        expand: bool | None = None,
    ) -> list[dict[str, Any]]:
        """The search table's rows (``reslens.search.results.SEARCH_COLUMNS``) of a batch of
        queries, as plain dicts (no pandas: the CLI prints them; ``Library.search`` makes the
        DataFrame); ``expand``: pseudo-relevance feedback (:mod:`reslens.search.expansion`),
        None: for short queries only."""
        if mode not in MODES:
            raise ReslensError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if k < 1:
            raise ReslensError("k must be at least 1")
        check_queries(queries)
        semantic_ok = self._semantic is not None and filters.language in self.vector_languages
        if mode == "semantic" and not semantic_ok:
            indexed = ", ".join(self.vector_languages) or "none"
            raise ReslensError(
                f"no vectors for language {filters.language!r} (indexed: {indexed}); "
                "use mode='lexical'"
            )
        wanted = [expansion.wanted(q, expand, mode) for q in queries]
        if (
            self._prepare is not None
            and embeddings is None
            and semantic_ok
            and (mode != "lexical" or any(wanted))
        ):
            self._prepare()
        bm25: Bm25 | None = None
        mask: np.ndarray | None = None
        allowed: set[int] | None = None
        if filters.language == "en":
            masks, bm25 = self.arrays()
            mask = masks.mask(filters)
        else:
            allowed = allowed_paragraphs(self.store, filters)
        depth = k if mode != "hybrid" else max(3 * k, 50)
        sem: list[list[tuple[int, float, int]]] = [[] for _ in queries]
        lex: list[list[tuple[int, float]]] = [[] for _ in queries]
        extras: list[dict[int, float]] | None = None
        wants_vectors = mode in ("semantic", "hybrid") or (any(wanted) and bm25 is not None)
        if wants_vectors and semantic_ok and self._semantic is not None:
            semantic = self._semantic()
            passages = self._passage_mask(semantic, mask)
            vectors = self._vectors(queries, embeddings)
            if any(wanted):
                first = semantic.search(vectors, expansion.FEEDBACK, allowed, mask=passages)
                vectors = np.vstack(
                    [
                        expansion.feedback_vector(v, semantic.passage_vectors([h[2] for h in f]))
                        if want
                        else v
                        for v, f, want in zip(vectors, first, wanted, strict=True)
                    ]
                )
                if bm25 is not None:
                    extras = [
                        bm25.feedback_terms(
                            self._feedback_texts(bm25, [h[0] for h in f]),
                            bm25.terms(q),
                            expansion.TERMS,
                            expansion.GAMMA,
                        )
                        if want
                        else {}
                        for q, f, want in zip(queries, first, wanted, strict=True)
                    ]
            if mode != "lexical":
                sem = semantic.search(vectors, depth, allowed, mask=passages)
        if mode in ("lexical", "hybrid"):
            lex = lexical_search(self.store, queries, depth, filters, bm25, mask, extras)
        rows: list[dict[str, Any]] = []
        for query, s_hits, l_hits in zip(queries, sem, lex, strict=True):
            rows.extend(result_rows(self.store, query, fuse(s_hits, l_hits, k, mode)))
        return rows

    def _feedback_texts(self, bm25: Bm25, pids: list[int]) -> dict[int, str]:
        """Row → text of the feedback paragraphs."""
        texts = paragraph_texts(self.store, pids)
        return {row: texts[pid] for pid in pids for row in bm25.rows([pid]) if pid in texts}

    def _vectors(self, queries: list[str], embeddings: np.ndarray | None) -> np.ndarray:
        if embeddings is not None:
            vectors = np.asarray(embeddings, dtype=np.float32)
        elif self._encode is not None:
            vectors = np.asarray(self._encode(queries), dtype=np.float32)
        else:
            raise ReslensError("no query embedder; pass embeddings=")
        if len(vectors) != len(queries):
            raise ReslensError(f"{len(vectors)} embeddings for {len(queries)} queries")
        return vectors


def fuse(
    s_hits: list[tuple[int, float, int]], l_hits: list[tuple[int, float]], k: int, mode: str
) -> list[Hit]:
    """One query's hits from the two sides, ranked as ``mode`` says."""
    s_map = {pid: (score, vid) for pid, score, vid in s_hits}
    l_map = dict(l_hits)
    if mode == "semantic":
        ranked = [(pid, score) for pid, score, _ in s_hits]
    elif mode == "lexical":
        ranked = l_hits[:k]
    else:
        ranked = rrf([[p for p, _, _ in s_hits], [p for p, _ in l_hits]], k, (SEMANTIC_WEIGHT, 1.0))
    return [
        (
            pid,
            score,
            s_map[pid][0] if pid in s_map else None,
            l_map.get(pid),
            s_map[pid][1] if pid in s_map else None,
        )
        for pid, score in ranked
    ]
