"""The semantic side of search: exact (or HNSW) inner product over passage vectors in FAISS;
a paragraph scores as its best passage. A filter is a mask over the flat index's rows (or an
``IDSelectorBatch`` for HNSW) applied before the top-k, so a filter that excludes the nearest
thousand paragraphs still returns ``k`` hits."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from reslens.index.vectors import import_faiss
from reslens.linalg import unit
from reslens.store.db import Store
from reslens.store.queries import passage_paragraphs

#: Batches up to this many queries scan the fp16 copy; larger ones use one matrix product.
SCAN_QUERIES = 8
#: Searches answered by the float32 product before the fp16 copy is made: a one-query process
#: (the CLI: one search, two with query expansion) never pays the copy's ~60–90 ms.
SCAN_AFTER = 2
#: Extra candidates taken from the fp16 scan before exact rescoring.
SCAN_MARGIN = 20


class SemanticIndex:
    """The passage vectors with the passage → paragraph map.

    Args:
        index: a FAISS index, or the float32 matrix of a flat index's vectors (row ``vid``):
            searched with numpy, its FAISS index made only when something asks for ``index``.
        passage_paragraph: the paragraph id of each passage row.
    """

    def __init__(self, index: Any, passage_paragraph: np.ndarray) -> None:
        self.passage_paragraph = passage_paragraph  # vid -> paragraph id
        if isinstance(index, np.ndarray):
            self._matrix: np.ndarray | None = index
        else:
            self.index = index
            self._matrix = _flat_matrix(index)
        self._scan: Any = None  # the fp16 scan index, made on the second search
        self._searches = 0

    @cached_property
    def index(self) -> Any:
        """The FAISS index (for a matrix: an ``IndexFlatIP`` over a copy of it, made now)."""
        assert self._matrix is not None
        faiss = import_faiss()
        index = faiss.IndexFlatIP(self.dimension)
        if len(self._matrix):
            index.add(self._matrix)
        return index

    @property
    def dimension(self) -> int:
        """The vectors' dimension."""
        return int(self._matrix.shape[1] if self._matrix is not None else self.index.d)

    @property
    def ntotal(self) -> int:
        """The number of passage vectors."""
        return len(self._matrix) if self._matrix is not None else int(self.index.ntotal)

    @classmethod
    def load(cls, store: Store, index: Any) -> SemanticIndex:
        """Read the passage → paragraph map from the store."""
        return cls(index, passage_paragraphs(store))

    def vids_of(self, paragraph_ids: set[int]) -> np.ndarray:
        """The passage rows of the given paragraphs."""
        wanted = np.fromiter(paragraph_ids, dtype=np.int64, count=len(paragraph_ids))
        return np.flatnonzero(np.isin(self.passage_paragraph, wanted)).astype(np.int64)

    def search(
        self,
        vectors: np.ndarray,
        k: int,
        allowed: set[int] | None,
        *,
        mask: np.ndarray | None = None,
    ) -> list[list[tuple[int, float, int]]]:
        """For each query vector, up to ``k`` (paragraph id, score, best passage vid).

        Args:
            vectors: unit query vectors, one row each.
            k: paragraphs per query.
            allowed: paragraph ids a hit may have (None: any).
            mask: instead of ``allowed``, a boolean per passage row (from a search's filter
                masks, without a set of ids).
        """
        ntotal = self.ntotal
        if ntotal == 0 or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        if mask is None and allowed is not None:
            mask = np.zeros(len(self.passage_paragraph), dtype=bool)
            mask[self.vids_of(allowed)] = True
        if self._matrix is not None:
            vectors = np.asarray(vectors, dtype=np.float32)
            if len(vectors) <= SCAN_QUERIES and self._scan_index() is not None:
                return self._search_scan(vectors, k, mask)
            return self._search_matrix(vectors, k, mask)
        faiss = import_faiss()
        params = None
        if mask is not None:
            vids = np.flatnonzero(mask).astype(np.int64)
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
        self, vectors: np.ndarray, k: int, mask: np.ndarray | None
    ) -> list[list[tuple[int, float, int]]]:
        """Exact search on the flat index's own memory: one matrix product, the filter as a
        mask before the top-k (about 3x faster than IndexFlat.search for a single query here)."""
        assert self._matrix is not None
        scores = self._matrix @ vectors.T  # (passages, queries)
        if mask is not None:
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
                top = top[np.lexsort((top, -column[top]))]  # ties: the lower row first
                top = top[np.isfinite(column[top])]
                hits = self._group(column[top], top, k)
                if len(hits) >= k or want >= available:
                    break
                want = min(available, want * 4)
            out.append(hits)
        return out

    def _scan_index(self) -> Any:
        """The fp16 copy of the flat vectors (FAISS ``IndexScalarQuantizer``), made after
        ``SCAN_AFTER`` searches."""
        self._searches += 1
        if self._scan is None and self._matrix is not None and self._searches > SCAN_AFTER:
            faiss = import_faiss()
            scan = faiss.IndexScalarQuantizer(
                self.dimension, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
            )
            scan.add(self._matrix)
            self._scan = scan
        return self._scan

    def _search_scan(
        self, vectors: np.ndarray, k: int, mask: np.ndarray | None
    ) -> list[list[tuple[int, float, int]]]:
        """A few queries: candidates from a scan of the fp16 copy (half the memory traffic of
        the float32 product, with the filter as a bitmap), then their exact float32 scores.
        It can differ from the exhaustive product only where two passages score within the
        fp16 rounding (~1e-3) of each other at the edge of the candidates (``SCAN_MARGIN``
        extra candidates are taken for that)."""
        assert self._matrix is not None
        faiss = import_faiss()
        available = len(self.passage_paragraph)
        params = None
        if mask is not None:
            available = int(mask.sum())
            if available == 0:
                return [[] for _ in range(len(vectors))]
            bits = np.packbits(mask, bitorder="little")  # alive while the searches run
            params = faiss.SearchParameters(
                sel=faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bits))
            )
        out: list[list[tuple[int, float, int]]] = []
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)  # one query: OpenMP's start-up costs more than it saves
        try:
            for vector in vectors:
                out.append(self._scan_one(vector, k, params, available))
        finally:
            faiss.omp_set_num_threads(threads)
        return out

    def _scan_one(
        self, vector: np.ndarray, k: int, params: Any, available: int
    ) -> list[tuple[int, float, int]]:
        assert self._matrix is not None
        want = min(available, max(k * 3, k + 10) + SCAN_MARGIN)
        while True:
            _, found = self._scan.search(vector[None, :], want, params=params)
            ids = found[0][found[0] >= 0]
            exact = self._matrix[ids] @ vector
            order = np.lexsort((ids, -exact))  # ties: the lower row first, as the product
            hits = self._group(exact[order], ids[order], k)
            if len(hits) >= k or want >= available:
                return hits
            want = min(available, want * 4)

    def _group(self, scores: np.ndarray, ids: np.ndarray, k: int) -> list[tuple[int, float, int]]:
        best: dict[int, tuple[float, int]] = {}
        for score, vid in zip(scores, ids, strict=True):
            if vid < 0:
                continue
            pid = int(self.passage_paragraph[vid])
            if pid not in best:  # results come best first
                best[pid] = (float(score), int(vid))
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:k]
        return [(pid, score, vid) for pid, (score, vid) in ranked]

    def all_scores(self, vector: np.ndarray) -> np.ndarray:
        """Every passage's inner product with ``vector``, by row (one matrix product over the
        flat index's own memory; other index types reconstruct their vectors)."""
        query = np.asarray(vector, dtype=np.float32)
        if self._matrix is not None:
            return np.asarray(self._matrix @ query)
        if self.ntotal == 0:
            return np.zeros(0, dtype=np.float32)
        return np.asarray(self.index.reconstruct_n(0, self.ntotal) @ query)

    def passage_vectors(self, vids: list[int]) -> np.ndarray:
        """The vectors of passage rows, one row each."""
        if not vids:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self._matrix is not None:
            return np.asarray(self._matrix[np.asarray(vids, dtype=np.int64)])
        return np.vstack([self.index.reconstruct(int(v)) for v in vids])

    def paragraph_vectors(self, pids: list[int]) -> np.ndarray:
        """Unit paragraph vectors (the normalised mean of a paragraph's passage vectors), one
        row per id; a paragraph without passages gets a zero row."""
        out = np.zeros((len(pids), self.dimension), dtype=np.float32)
        for row, pid in enumerate(pids):
            vids = self.vids_of({pid})
            if len(vids) == 0:
                continue
            out[row] = unit(self.passage_vectors([int(v) for v in vids]).mean(axis=0))
        return out


def _flat_matrix(index: Any) -> np.ndarray | None:
    """A zero-copy view of a flat index's vectors (None for other index types)."""
    faiss = import_faiss()
    if not isinstance(index, faiss.IndexFlat) or index.ntotal == 0:
        return None
    data = faiss.rev_swig_ptr(index.get_xb(), index.ntotal * index.d)
    return np.asarray(data).reshape(index.ntotal, index.d)
