"""The search's precomputed arrays, computed from the store's English paragraphs and kept in
the store (:mod:`reslens.store.arrays`) by every build and ingest:

- **columns**, one row per English paragraph in id order, for filters as masks: ``pid``,
  ``year``, ``kind`` (1 operative, 0 preambular), ``max_strength`` (-1: none),
  ``resolution``, ``chapter_vii`` (-1: unknown), ``rid`` (the resolution's row id),
  ``unanimous`` (1, 0, -1: vote unknown);
- **verb postings**: for each verb lemma, the rows of the paragraphs that use it;
- **addressee postings**: for each lower-cased addressee name and each addressee category,
  the rows of the paragraphs addressed so;
- **BM25 postings**: for each stem (:mod:`reslens.language.tokens`), the rows holding it and
  the term's BM25 weight in each (k1 = 1.2, b = 0.75, idf ``ln(1 + (N - df + 0.5) / (df +
  0.5))``), so a query's scores are a sum of a few postings lists. They are stored in blocks
  of about :data:`BLOCK` postings (``term_rows@k``, ``term_weights@k``; ``term_blocks``: the
  first stem of each), read when a query needs one: a cold search reads a few of them, not
  14 MB. ``term_stats`` holds N and the mean paragraph length, so a weight can also be
  computed from a text (:meth:`reslens.search.lexical.Bm25.weight`).

Postings are CSC-like: ``<name>_vocab`` (the keys, newline-joined UTF-8), ``<name>_indptr``
(key i owns ``rows[indptr[i]:indptr[i + 1]]``), ``<name>_rows`` and, for terms, weights.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from reslens.language.tokens import stems
from reslens.store.arrays import block_name, read_arrays, write_arrays
from reslens.store.db import Store
from reslens.store.queries import (
    english_addressees,
    english_columns,
    english_texts,
    english_verbs,
)

#: Bump when what is computed here changes: stored sets of another version are recomputed.
ARRAYS_VERSION = "4"
K1 = 1.2
B = 0.75
#: Postings per stored block (a stem with more is a block of its own).
BLOCK = 16384


def inverse_frequency(df: int, n: float) -> float:
    """BM25's idf of a stem found in ``df`` of ``n`` paragraphs."""
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def term_weight(idf: float, tf: int, length: int, average: float) -> float:
    """BM25's weight of a stem (of ``idf``) found ``tf`` times in a paragraph of ``length``
    stems, where paragraphs have ``average`` stems: what the postings store (as float32),
    and what query expansion computes from a text."""
    return idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length / average))


def stamp(store: Store) -> str:
    """What the array set depends on: this module's version, the readers, the corpus and the
    paragraph rows (an ingest adds rows under the same readers): how many there are and the
    last id, of all languages and of English (the count from the smallest index, the ids
    from the primary key: not a count of the English rows, which a cold search would pay)."""
    count, last, last_en = store.conn.execute(
        "SELECT COUNT(*), COALESCE(MAX(id), 0), "
        "(SELECT COALESCE(MAX(id), 0) FROM paragraphs WHERE language = 'en') FROM paragraphs"
    ).fetchone()
    return ":".join(
        [
            ARRAYS_VERSION,
            store.get_meta("parser_fingerprint") or "-",
            store.get_meta("corpus_fingerprint") or "-",
            str(count),
            str(last),
            str(last_en),
        ]
    )


def refresh(store: Store) -> bool:
    """Compute and store the array set when the stored one is missing or stale; True when
    it was computed."""
    current = stamp(store)
    if read_arrays(store, current) is not None:
        return False
    write_arrays(store, compute(store), current)
    return True


def load(store: Store) -> dict[str, np.ndarray]:
    """The stored array set, or (an older index, a store without one) the set computed now."""
    return read_arrays(store, stamp(store)) or compute(store)


def compute(store: Store) -> dict[str, np.ndarray]:
    """Columns, verb and addressee postings and BM25 postings of the English paragraphs."""
    cols = english_columns(store)
    pid = np.fromiter((c[0] for c in cols), dtype=np.int64, count=len(cols))
    row_of = {int(p): i for i, p in enumerate(pid)}
    out: dict[str, np.ndarray] = {
        "pid": pid,
        "year": np.fromiter((c[1] for c in cols), dtype=np.int16, count=len(cols)),
        "kind": np.fromiter(
            (1 if c[2] == "operative" else 0 if c[2] == "preambular" else -1 for c in cols),
            dtype=np.int8,
            count=len(cols),
        ),
        "max_strength": np.fromiter(
            (-1 if c[3] is None else c[3] for c in cols), dtype=np.int8, count=len(cols)
        ),
        "resolution": np.fromiter((c[4] for c in cols), dtype=np.int32, count=len(cols)),
        "chapter_vii": np.fromiter(
            (-1 if c[5] is None else int(c[5]) for c in cols), dtype=np.int8, count=len(cols)
        ),
        "rid": np.fromiter((c[6] for c in cols), dtype=np.int32, count=len(cols)),
        "unanimous": np.fromiter(
            (-1 if c[7] is None else int(c[7]) for c in cols), dtype=np.int8, count=len(cols)
        ),
    }
    verbs: dict[str, set[int]] = {}
    for paragraph_id, lemma in english_verbs(store):
        row = row_of.get(paragraph_id)
        if row is not None:
            verbs.setdefault(lemma, set()).add(row)
    out.update(_postings("verb", {k: sorted(v) for k, v in verbs.items()}))
    addressees: dict[str, set[int]] = {}
    for paragraph_id, name, kind in english_addressees(store):
        row = row_of.get(paragraph_id)
        if row is not None:
            addressees.setdefault(name, set()).add(row)
            addressees.setdefault(kind, set()).add(row)
    out.update(_postings("addressee", {k: sorted(v) for k, v in addressees.items()}))
    out.update(_bm25(store, row_of))
    return out


def _bm25(store: Store, row_of: dict[int, int]) -> dict[str, np.ndarray]:
    counts: list[tuple[int, Counter[str]]] = []
    for paragraph_id, text in english_texts(store):
        counts.append((row_of[paragraph_id], Counter(stems(text))))
    n = max(len(counts), 1)
    lengths = {row: sum(c.values()) for row, c in counts}
    average = max(sum(lengths.values()) / n, 1.0)
    postings: dict[str, list[tuple[int, int]]] = {}
    for row, counter in counts:
        for term, tf in counter.items():
            postings.setdefault(term, []).append((row, tf))
    vocab = sorted(postings)
    indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    rows: list[int] = []
    weights: list[float] = []
    for i, term in enumerate(vocab):
        plist = sorted(postings[term])
        idf = inverse_frequency(len(plist), n)
        for row, tf in plist:
            rows.append(row)
            weights.append(term_weight(idf, tf, lengths[row], average))
        indptr[i + 1] = len(rows)
    out = {
        "term_vocab": _strings(vocab),
        "term_indptr": indptr,
        "term_stats": np.asarray([n, average], dtype=np.float64),
    }
    out.update(_blocks(indptr, np.asarray(rows, dtype=np.int32), np.asarray(weights, "f4")))
    return out


def _blocks(indptr: np.ndarray, rows: np.ndarray, weights: np.ndarray) -> dict[str, np.ndarray]:
    """The postings cut into blocks of whole stems, a new block where the postings before a
    stem pass a multiple of :data:`BLOCK`."""
    firsts = [0] + [
        t for t in range(1, len(indptr) - 1) if indptr[t] // BLOCK != indptr[t - 1] // BLOCK
    ]
    out = {"term_blocks": np.asarray(firsts, dtype=np.int64)}
    for k, first in enumerate(firsts):
        last = firsts[k + 1] if k + 1 < len(firsts) else len(indptr) - 1
        start, end = int(indptr[first]), int(indptr[last])
        out[block_name("term_rows", k)] = rows[start:end]
        out[block_name("term_weights", k)] = weights[start:end]
    return out


def _postings(name: str, lists: dict[str, list[int]]) -> dict[str, np.ndarray]:
    vocab = sorted(lists)
    indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    rows: list[int] = []
    for i, key in enumerate(vocab):
        rows.extend(lists[key])
        indptr[i + 1] = len(rows)
    return {
        f"{name}_vocab": _strings(vocab),
        f"{name}_indptr": indptr,
        f"{name}_rows": np.asarray(rows, dtype=np.int32),
    }


def _strings(values: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(values).encode("utf-8"), dtype=np.uint8).copy()


def strings(array: np.ndarray) -> list[str]:
    """The keys stored by :func:`_strings` (an empty array is no key)."""
    if len(array) == 0:
        return []
    return bytes(array).decode("utf-8").split("\n")
