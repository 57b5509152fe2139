"""The lexical side of search: BM25 over the English paragraphs from postings kept in the
store (:class:`Bm25`, a few numpy operations per query, filters as masks), SQLite FTS5 for
quoted phrases and French, Russian, Spanish and German, and substrings (the FTS5 trigram table,
:mod:`reslens.store.trigram`) for Chinese and Arabic, whose words ``unicode61`` cannot split.
Either way, stop words are left out and the other words are OR-ed terms, scored with BM25."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from reslens.errors import ReslensError
from reslens.index.search_arrays import inverse_frequency, strings, term_weight
from reslens.language.tokens import STOP_WORDS, WORD, stem, stems, words
from reslens.store.arrays import block_name
from reslens.store.db import TRIGRAM_LANGUAGES, Store
from reslens.store.queries import Filters, fts_search
from reslens.store.trigram import trigram_search

_STOP = STOP_WORDS
#: Function words of Chinese and Arabic left out of substring queries (a two-letter Arabic
#: preposition is a substring of most paragraphs).
_ZH_STOP = "的 和 与 及 在 了 是 对 并 其"
_AR_STOP = "في من على إلى الى عن أن ان و أو او مع التي الذي هذا هذه ذلك كل"
SUBSTRING_STOP = frozenset(_ZH_STOP.split() + _AR_STOP.split())


def query_problem(query: str) -> str | None:
    """Why ``query`` cannot be searched, or None when it can: a query needs a word (letters
    or digits) that is not a stop word, in every mode (a semantic search of "the" would
    return arbitrary paragraphs).

    Examples:
        >>> query_problem("trafficking in persons") is None
        True
        >>> query_problem("...")
        "the query '...' has no words (letters or digits)"
        >>> query_problem("of the")
        "the query 'of the' has only stop words (of, the); add a word that carries meaning"
    """
    if not query.strip():
        return "the query is empty"
    found = WORD.findall(query)
    if not found:
        return f"the query {query!r} has no words (letters or digits)"
    if all(w.lower() in _STOP for w in found):
        stop = ", ".join(dict.fromkeys(w.lower() for w in found))
        return f"the query {query!r} has only stop words ({stop}); add a word that carries meaning"
    return None


def check_queries(queries: Sequence[str]) -> None:
    """Raise :class:`ReslensError` for the first query that cannot be searched (see
    :func:`query_problem`), or when there is no query at all."""
    if not queries:
        raise ReslensError("the query is empty")
    for query in queries:
        problem = query_problem(query)
        if problem is not None:
            raise ReslensError(problem)


def fts_query(query: str) -> str:
    """An FTS5 query from user text: quoted phrases stay phrases, other words are OR-ed terms."""
    parts: list[str] = []
    for phrase in re.findall(r'"([^"]+)"', query):
        words = re.findall(r"\w+", phrase)
        if words:
            parts.append('"' + " ".join(words) + '"')
    rest = re.sub(r'"[^"]*"', " ", query)
    words = [w for w in re.findall(r"\w+", rest) if w.lower() not in _STOP]
    if not words and not parts:  # only stop words: search them rather than nothing
        words = re.findall(r"\w+", rest)
    parts.extend(f'"{w}"' for w in words)
    return " OR ".join(parts)


def substring_terms(query: str) -> list[str]:
    """The terms of a Chinese or Arabic query, each searched as a substring: quoted phrases
    whole, then the runs of letters between spaces and punctuation, function words left out.

    Examples:
        >>> substring_terms("人道主义 停火")
        ['人道主义', '停火']
        >>> substring_terms('"الأمين العام" في السودان')
        ['الأمين العام', 'السودان']
    """
    phrases = [p.strip() for p in re.findall(r'"([^"]+)"', query) if p.strip()]
    rest = re.sub(r'"[^"]*"', " ", query)
    found = re.findall(r"\w+", rest)
    words = [w for w in found if w.lower() not in _STOP and w not in SUBSTRING_STOP]
    if not words and not phrases:  # only function words: search them rather than nothing
        words = found
    return phrases + words


class Bm25:
    """BM25 scores of the English paragraphs from the stored postings (see
    :mod:`reslens.index.search_arrays`): a query's score vector is the (weighted) sum of its
    stems' postings; filters are a mask over the same rows.

    Args:
        arrays: the search arrays (:func:`reslens.index.search_arrays.load`).
        fetch: reads a block of postings by name (``term_rows@3``) when ``arrays`` does not
            hold it (a stored set leaves them in the store); blocks are kept once read.
    """

    def __init__(
        self,
        arrays: Mapping[str, np.ndarray],
        fetch: Callable[[str], np.ndarray] | None = None,
    ) -> None:
        self.pid = arrays["pid"]
        # sorted: a stem is found by bisection (no dictionary of its ~12,000 stems to build)
        self._vocab = strings(arrays["term_vocab"])
        self._indptr = arrays["term_indptr"]
        self._blocks = arrays["term_blocks"]
        self._count, self._average = (float(x) for x in arrays["term_stats"])
        self._arrays = arrays
        self._fetch = fetch
        self._read: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def term(self, stem: str) -> int | None:
        """The index of a stem in the vocabulary, or None."""
        at = bisect.bisect_left(self._vocab, stem)
        return at if at < len(self._vocab) and self._vocab[at] == stem else None

    def terms(self, query: str) -> dict[int, float]:
        """The query's stems in the index, each with weight 1."""
        found = (self.term(stem(w)) for w in dict.fromkeys(words(query)))
        return {i: 1.0 for i in found if i is not None}

    def postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """The rows holding a stem (sorted) and its BM25 weight in each."""
        k = int(np.searchsorted(self._blocks, term, side="right")) - 1
        if k not in self._read:
            self._read[k] = (
                self._block(block_name("term_rows", k)),
                self._block(block_name("term_weights", k)),
            )
        rows, weights = self._read[k]
        base = int(self._indptr[int(self._blocks[k])])
        start, end = int(self._indptr[term]) - base, int(self._indptr[term + 1]) - base
        return rows[start:end], weights[start:end]

    def _block(self, name: str) -> np.ndarray:
        if name in self._arrays:
            return self._arrays[name]
        if self._fetch is None:
            raise KeyError(name)
        return self._fetch(name)

    def weight(self, term: int, tf: int, length: int) -> float:
        """The BM25 weight of a stem occurring ``tf`` times in a paragraph of ``length`` stems,
        computed as the build computes the stored ones (and rounded to their float32)."""
        df = int(self._indptr[term + 1]) - int(self._indptr[term])
        idf = inverse_frequency(df, self._count)
        return float(np.float32(term_weight(idf, tf, length, self._average)))

    def scores(self, terms: dict[int, float]) -> np.ndarray | None:
        """The BM25 score of every row for weighted stems (None: no stem)."""
        if not terms:
            return None
        lists = [(*self.postings(i), w) for i, w in terms.items()]
        rows = np.concatenate([r for r, _, _ in lists])
        weights = np.concatenate([x if w == 1.0 else x * w for _, x, w in lists])
        return np.bincount(rows, weights=weights, minlength=len(self.pid))

    def feedback_terms(
        self, texts: dict[int, str], exclude: dict[int, float], n: int, gamma: float
    ) -> dict[int, float]:
        """The ``n`` stems that weigh most in the feedback paragraphs (``texts``: row → text;
        summed BM25 weight, computed from each text as the build computes it: no postings
        read), found in at least two of them and not already in the query, weighted
        ``gamma`` for the strongest down to its share of that."""
        if len(texts) < 2 or n < 1:
            return {}
        sums: dict[int, float] = {}
        seen: dict[int, int] = {}
        for text in texts.values():
            counts = Counter(stems(text))
            length = sum(counts.values())
            for word, tf in counts.items():
                term = self.term(word)
                if term is not None:
                    sums[term] = sums.get(term, 0.0) + self.weight(term, tf, length)
                    seen[term] = seen.get(term, 0) + 1
        ranked = sorted(
            (t for t in sums if seen[t] >= 2 and t not in exclude), key=lambda t: (-sums[t], t)
        )[:n]
        if not ranked:
            return {}
        top = sums[ranked[0]]
        return {t: gamma * sums[t] / top for t in ranked}

    def rows(self, pids: list[int]) -> list[int]:
        """The rows of English paragraph ids (others left out)."""
        pos = np.searchsorted(self.pid, np.asarray(pids, dtype=np.int64))
        return [
            int(p)
            for p, pid in zip(pos, pids, strict=True)
            if p < len(self.pid) and self.pid[p] == pid
        ]

    def search(
        self,
        query: str,
        k: int,
        mask: np.ndarray | None,
        extra: dict[int, float] | None = None,
    ) -> list[tuple[int, float]]:
        """Up to ``k`` (paragraph id, BM25 score), best first, ties by paragraph id; ``extra``
        adds weighted stems (query expansion)."""
        scores = self.scores({**self.terms(query), **(extra or {})})
        if scores is None:
            return []
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        found = np.flatnonzero(scores > 0)
        if len(found) > k:
            found = found[np.argpartition(-scores[found], k - 1)[:k]]
        order = np.lexsort((self.pid[found], -scores[found]))
        return [(int(self.pid[found[i]]), float(scores[found[i]])) for i in order]


def uses_fts(query: str, filters: Filters) -> bool:
    """True when a query goes to SQLite rather than :class:`Bm25`: a quoted phrase, or a
    language other than English (Chinese and Arabic: the trigram table)."""
    return filters.language != "en" or '"' in query


def lexical_search(
    store: Store,
    queries: Sequence[str],
    k: int,
    filters: Filters,
    bm25: Bm25 | None = None,
    mask: np.ndarray | None = None,
    extras: Sequence[dict[int, float]] | None = None,
) -> list[list[tuple[int, float]]]:
    """For each query, up to ``k`` (paragraph id, BM25 score: higher is better): from ``bm25``
    (with ``mask``, the filters' mask, and each query's ``extras``, weighted expansion stems)
    where given and the query allows, else from FTS5 without expansion (for Chinese and
    Arabic, the trigram table: :func:`reslens.store.trigram.trigram_search`)."""
    out: list[list[tuple[int, float]]] = []
    for i, query in enumerate(queries):
        if bm25 is not None and not uses_fts(query, filters):
            out.append(bm25.search(query, k, mask, extras[i] if extras else None))
            continue
        if filters.language in TRIGRAM_LANGUAGES:
            out.append(trigram_search(store, substring_terms(query), k, filters))
            continue
        match = fts_query(query)
        out.append(fts_search(store, match, k, filters) if match else [])
    return out
