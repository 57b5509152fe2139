"""The semantic side of search: exact (or HNSW) inner product over passage vectors in FAISS;
a paragraph scores as its best passage. A filter is a mask over the flat index's rows (or an
``IDSelectorBatch`` for HNSW) applied before the top-k, so a filter that excludes the nearest
thousand paragraphs still returns ``k`` hits."""

from __future__ import annotations

from typing import Any

import numpy as np

from reslens.index.vectors import import_faiss
from reslens.linalg import unit
from reslens.store.db import Store
from reslens.store.queries import passage_paragraphs


class SemanticIndex:
    """The FAISS index with the passage → paragraph map."""

    def __init__(self, index: Any, passage_paragraph: np.ndarray) -> None:
        self.index = index
        self.passage_paragraph = passage_paragraph  # vid -> paragraph id
        self._matrix = _flat_matrix(index)

    @classmethod
    def load(cls, store: Store, index: Any) -> SemanticIndex:
        """Read the passage → paragraph map from the store."""
        return cls(index, passage_paragraphs(store))

    def vids_of(self, paragraph_ids: set[int]) -> np.ndarray:
        """The passage rows of the given paragraphs."""
        wanted = np.fromiter(paragraph_ids, dtype=np.int64, count=len(paragraph_ids))
        return np.flatnonzero(np.isin(self.passage_paragraph, wanted)).astype(np.int64)

    def search(
        self, vectors: np.ndarray, k: int, allowed: set[int] | None
    ) -> list[list[tuple[int, float, int]]]:
        """For each query vector, up to ``k`` (paragraph id, score, best passage vid)."""
        faiss = import_faiss()
        ntotal = int(self.index.ntotal)
        if ntotal == 0 or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        if self._matrix is not None:
            return self._search_matrix(np.asarray(vectors, dtype=np.float32), k, allowed)
        params = None
        if allowed is not None:
            vids = self.vids_of(allowed)
            if len(vids) == 0:
                return [[] for _ in range(len(vectors))]
            selector = faiss.IDSelectorBatch(len(vids), faiss.swig_ptr(vids))
            params = faiss.SearchParameters(sel=selector)
            if isinstance(self.index, faiss.IndexHNSW):
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=256)
            ntotal = len(vids)
        # passages of one paragraph compete: ask for more rows until k paragraphs are found
        want = min(ntotal, max(k * 3, k + 10))
        out: list[list[tuple[int, float, int]]] = []
        while True:
            scores, ids = self.index.search(
                np.ascontiguousarray(vectors, dtype=np.float32), want, params=params
            )
            out = [self._group(s, i, k) for s, i in zip(scores, ids, strict=True)]
            if want >= ntotal or all(len(r) >= k for r in out):
                return out
            want = min(ntotal, want * 4)

    def _search_matrix(
        self, vectors: np.ndarray, k: int, allowed: set[int] | None
    ) -> list[list[tuple[int, float, int]]]:
        """Exact search on the flat index's own memory: one matrix product, the filter as a
        mask before the top-k (about 3x faster than IndexFlat.search for a single query here)."""
        assert self._matrix is not None
        scores = self._matrix @ vectors.T  # (passages, queries)
        if allowed is not None:
            mask = np.zeros(len(self.passage_paragraph), dtype=bool)
            mask[self.vids_of(allowed)] = True
            scores[~mask] = -np.inf
            available = int(mask.sum())
        else:
            available = len(self.passage_paragraph)
        out: list[list[tuple[int, float, int]]] = []
        for column in scores.T:
            want = min(available, max(k * 3, k + 10))
            while True:
                top = (
                    np.argpartition(-column, want - 1)[:want]
                    if want < len(column)
                    else (np.arange(len(column)))
                )
                top = top[np.argsort(-column[top], kind="stable")]
                top = top[np.isfinite(column[top])]
                hits = self._group(column[top], top, k)
                if len(hits) >= k or want >= available:
                    break
                want = min(available, want * 4)
            out.append(hits)
        return out

    def _group(self, scores: np.ndarray, ids: np.ndarray, k: int) -> list[tuple[int, float, int]]:
        best: dict[int, tuple[float, int]] = {}
        for score, vid in zip(scores, ids, strict=True):
            if vid < 0:
                continue
            pid = int(self.passage_paragraph[vid])
            if pid not in best:  # results come best first
                best[pid] = (float(score), int(vid))
        ranked = sorted(best.items(), key=lambda item: -item[1][0])[:k]
        return [(pid, score, vid) for pid, (score, vid) in ranked]

    def paragraph_vectors(self, pids: list[int]) -> np.ndarray:
        """Unit paragraph vectors (the normalised mean of a paragraph's passage vectors), one
        row per id; a paragraph without passages gets a zero row."""
        out = np.zeros((len(pids), int(self.index.d)), dtype=np.float32)
        for row, pid in enumerate(pids):
            vids = self.vids_of({pid})
            if len(vids) == 0:
                continue
            out[row] = unit(np.vstack([self.index.reconstruct(int(v)) for v in vids]).mean(axis=0))
        return out


def _flat_matrix(index: Any) -> np.ndarray | None:
    """A zero-copy view of a flat index's vectors (None for other index types)."""
    faiss = import_faiss()
    if not isinstance(index, faiss.IndexFlat) or index.ntotal == 0:
        return None
    data = faiss.rev_swig_ptr(index.get_xb(), index.ntotal * index.d)
    return np.asarray(data).reshape(index.ntotal, index.d)
