"""Filters as boolean masks over the English paragraphs, from the precomputed columns of
:mod:`reslens.index.search_arrays`: a search evaluates a filter with a few numpy operations
instead of an SQL query, and a repeated filter (a widget's) is read from a small cache.

The masks mean exactly what :meth:`reslens.store.queries.Filters.sql` means (a test checks the
two agree); other languages keep the SQL.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from reslens.index.search_arrays import strings
from reslens.models import DOCUMENTS, document_codes
from reslens.store.db import Store
from reslens.store.queries import (
    Filters,
    paragraph_ids,
    sponsor_resolutions,
    subject_resolutions,
)

#: How many distinct filters' masks are kept.
CACHE_SIZE = 32


class Masks:
    """Masks over the rows of the English paragraphs (row ``i`` is paragraph ``pid[i]``)."""

    def __init__(self, store: Store, arrays: dict[str, np.ndarray]) -> None:
        self.store = store
        self.pid = arrays["pid"]
        self._year = arrays["year"]
        self._kind = arrays["kind"]
        self._strength = arrays["max_strength"]
        self._resolution = arrays["resolution"]
        self._chapter = arrays["chapter_vii"]
        self._rid = arrays["rid"]
        self._document = document_codes(self._resolution)
        # counts, not np.unique nor np.isin: those import numpy.ma (~10 ms of a cold search)
        counts = np.bincount(self._document, minlength=len(DOCUMENTS))
        self._kinds = {DOCUMENTS[i] for i in np.flatnonzero(counts)}
        self._verb_index = {v: i for i, v in enumerate(strings(arrays["verb_vocab"]))}
        self._verb_indptr = arrays["verb_indptr"]
        self._verb_rows = arrays["verb_rows"]
        self._unanimous = arrays["unanimous"]
        self._addressee_index = {v: i for i, v in enumerate(strings(arrays["addressee_vocab"]))}
        self._addressee_indptr = arrays["addressee_indptr"]
        self._addressee_rows = arrays["addressee_rows"]
        self._cache: OrderedDict[Filters, np.ndarray | None] = OrderedDict()

    def __len__(self) -> int:
        return len(self.pid)

    def rows(self, pids: np.ndarray) -> np.ndarray:
        """Row of each paragraph id (ids not among the English paragraphs get -1)."""
        pids = np.asarray(pids, dtype=np.int64)
        if len(self.pid) == 0:
            return np.full(len(pids), -1, dtype=np.int64)
        pos = np.searchsorted(self.pid, pids)
        pos = np.minimum(pos, len(self.pid) - 1)
        return np.where(self.pid[pos] == pids, pos, -1)

    def mask(self, filters: Filters) -> np.ndarray | None:
        """Which rows pass ``filters`` (None: every row); English filters only."""
        if filters.language != "en":
            raise ValueError("masks cover the English paragraphs only")
        if not filters.active and self._kinds <= set(filters.document):
            return None  # nothing filters, and every document held is of a kind asked for
        if filters in self._cache:
            self._cache.move_to_end(filters)
            return self._cache[filters]
        out = self._compute(filters)
        self._cache[filters] = out
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return out

    def _posted(
        self, keys: tuple[str, ...], index: dict[str, int], indptr: np.ndarray, rows: np.ndarray
    ) -> np.ndarray:
        """Rows that any of ``keys`` owns in a postings list."""
        out = np.zeros(len(self.pid), dtype=bool)
        for key in keys:
            i = index.get(key)
            if i is not None:
                out[rows[indptr[i] : indptr[i + 1]]] = True
        return out

    def _compute(self, f: Filters) -> np.ndarray:
        f.sql()  # the same errors as the SQL filter (an unknown kind, document)
        keep = np.ones(len(self.pid), dtype=bool)
        if set(f.document) != set(DOCUMENTS):
            keep &= np.array([d in f.document for d in DOCUMENTS])[self._document]
        if f.since is not None:
            keep &= self._year >= f.since
        if f.until is not None:
            keep &= self._year <= f.until
        if f.kind:
            keep &= self._kind == (1 if f.kind == "operative" else 0)
        if f.verbs:
            keep &= self._posted(f.verbs, self._verb_index, self._verb_indptr, self._verb_rows)
        if f.addressees:
            keep &= self._posted(
                f.addressees, self._addressee_index, self._addressee_indptr, self._addressee_rows
            )
        if f.sponsors:
            keep &= np.isin(self._rid, sponsor_resolutions(self.store, f.sponsors))
        if f.unanimous is not None:
            keep &= self._unanimous == int(f.unanimous)
        if f.min_strength is not None:
            keep &= self._strength >= f.min_strength
        if f.subjects:
            keep &= np.isin(self._rid, subject_resolutions(self.store, f.subjects))
        if f.resolutions:
            keep &= np.isin(self._resolution, f.resolutions)
        if f.chapter_vii is not None:
            keep &= self._chapter == int(f.chapter_vii)
        if f.exclude_resolutions:
            keep &= ~np.isin(self._resolution, f.exclude_resolutions)
        if f.exclude:
            rows = self.rows(np.asarray(paragraph_ids(self.store, f.exclude), dtype=np.int64))
            keep[rows[rows >= 0]] = False
        keep.flags.writeable = False
        return keep
