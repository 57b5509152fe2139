"""Lineage of a paragraph and evolution of a theme across resolutions.

**Lineage** answers "where did this obligation come from, and where did it go?". From the
starting paragraph it walks backwards in time: among the paragraphs of earlier resolutions it
takes the best candidate whose semantic similarity reaches the threshold, then continues from
that paragraph; the same forwards in time. It stops when no candidate passes, or after
``max_steps``.

- *Candidates*: the ``CANDIDATES`` nearest paragraphs of earlier (later) resolutions in the
  FAISS index, plus, from each resolution that the current resolution cites (backwards) or
  that cites it (forwards), its ``PER_RELATED`` nearest paragraphs and the ``PER_RELATED``
  paragraphs sharing the most wording — for the ``RELATED_LIMIT`` such resolutions nearest in
  time (S/RES/1325 (2000) is cited by hundreds).
- *Semantic similarity* (the ``similarity`` column, thresholded): the cosine of the paragraph
  vectors (normalised mean of a paragraph's passages). When one paragraph is more than
  ``WINDOW_RATIO`` times longer than the other, windows of the longer one, as long as the
  shorter, are embedded with the index's model and the best window counts too: a paragraph
  that keeps only the opening clause of a long one is still its descendant. (Only for pairs
  whose paragraph vectors fall below the threshold and which share at least ``WINDOW_WORDING``
  of their word pairs, for the ``WINDOW_CANDIDATES`` of them sharing the most, and with at most
  ``MAX_WINDOWS`` windows per paragraph, to bound the embedding work.)
- *Ranking* of the candidates that pass: similarity + ``WORDING_WEIGHT`` × wording (the share
  of the shorter text's word pairs found in the longer: agreed language is shared wording,
  while generic paragraphs such as "requests the Secretary-General to report" are semantically
  alike across unrelated resolutions) + ``CITATION_BONUS`` (0.15) when the candidate's
  resolution is cited by the current one (backwards) or cites it (forwards) + ``AGENDA_BONUS``
  (0.05) when both resolutions share a non-empty agenda item. Bonuses only order candidates;
  they never let one below the threshold in.
- *Preference*: a passing candidate from a related (cited or citing) resolution always beats
  one from elsewhere, and one on the same agenda item beats the rest; the ranking above orders
  candidates within each of these tiers. Without it, generic wording ("requests the
  Secretary-General to report to the Council on the implementation of this resolution")
  leads a walk from S/RES/2388 (2017) back to 1960s resolutions on other matters instead of to
  S/RES/2331 (2016), which 2388 cites and whose request it repeats.

**Evolution** gathers every paragraph about a theme (a FAISS *range* search: all passages at
or above a threshold, a paragraph scoring as its best passage) and counts them by year (or
resolution) and family of the leading verb.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from reslens.errors import ReslensError
from reslens.lexicon import STRENGTH_NAMES, family_of
from reslens.text import normalize

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from reslens.library import Library
    from reslens.search import SemanticIndex

CITATION_BONUS = 0.15
AGENDA_BONUS = 0.05
WORDING_WEIGHT = 1.0
WINDOW_RATIO = 1.5
WINDOW_WORDING = 0.3
CANDIDATES = 30
PER_RELATED = 3
RELATED_LIMIT = 12
WINDOW_CANDIDATES = 10
MAX_WINDOWS = 12

#: Columns of :func:`lineage`.
LINEAGE_COLUMNS = [
    "step",
    "key",
    "symbol",
    "date",
    "number",
    "verbs",
    "lemma",
    "strength",
    "similarity",
    "wording",
    "change",
    "text",
]

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


@dataclass(frozen=True)
class _Node:
    pid: int
    key: str
    resolution: int
    date: str
    year: int
    symbol: str
    agenda_item: str | None
    number: str
    kind: str
    lemma: str | None
    strength: int | None
    text: str


_NODE_SQL = (
    "SELECT p.id, p.key, p.resolution, COALESCE(r.date, r.year || '-12-31'), r.year, r.symbol, "
    "r.agenda_item, p.number, p.kind, p.leading_lemma, p.leading_strength, p.text "
    "FROM paragraphs p JOIN resolutions r ON r.id = p.resolution_id "
)


def _node(lib: Library, pid: int) -> _Node:
    row = lib.store.conn.execute(_NODE_SQL + "WHERE p.id = ?", (pid,)).fetchone()
    return _Node(*tuple(row))


def paragraph_vectors(lib: Library, pids: list[int]) -> np.ndarray:
    """Unit paragraph vectors (normalised mean of passage vectors), one row per id.

    A paragraph without passages gets a zero row.
    """
    semantic = lib._semantic_index()
    dim = int(semantic.index.d)
    out = np.zeros((len(pids), dim), dtype=np.float32)
    for row, pid in enumerate(pids):
        vids = semantic.vids_of({pid})
        if len(vids) == 0:
            continue
        vector = np.vstack([semantic.index.reconstruct(int(v)) for v in vids]).mean(axis=0)
        out[row] = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return out


def _verbs(lib: Library, pid: int) -> str:
    rows = lib.store.conn.execute(
        "SELECT lemma, text FROM verbs WHERE paragraph_id = ? ORDER BY position", (pid,)
    )
    return ", ".join(dict.fromkeys(str(r[0] or r[1]) for r in rows))


def _cited_by_resolution(lib: Library, number: int) -> set[int]:
    rows = lib.store.conn.execute(
        "SELECT DISTINCT c.cited FROM citations c JOIN paragraphs p ON p.id = c.paragraph_id "
        "WHERE p.resolution = ?",
        (number,),
    )
    return {int(r[0]) for r in rows}


def _citing_resolution(lib: Library, number: int) -> set[int]:
    rows = lib.store.conn.execute(
        "SELECT DISTINCT p.resolution FROM citations c JOIN paragraphs p ON p.id = c.paragraph_id "
        "WHERE c.cited = ?",
        (number,),
    )
    return {int(r[0]) for r in rows}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", normalize(text).lower())


@functools.lru_cache(maxsize=4096)  # ≈ 35 MB at most: a walk, not the corpus
def _pairs(text: str) -> frozenset[tuple[str, str]]:
    return frozenset(itertools.pairwise(_words(text)))


def wording(a: str, b: str) -> float:
    """The share of the shorter text's word pairs (bigrams) that the longer text contains."""
    pairs_a, pairs_b = _pairs(a), _pairs(b)
    short, long = (pairs_a, pairs_b) if len(pairs_a) <= len(pairs_b) else (pairs_b, pairs_a)
    return len(short & long) / len(short) if short else 0.0


class _Walker:
    """State of one lineage walk: window embeddings are cached across steps."""

    def __init__(self, lib: Library, threshold: float) -> None:
        self.lib = lib
        self.semantic = lib._semantic_index()
        self.threshold = threshold
        self.windows: dict[str, np.ndarray] = {}
        self.texts: dict[int, dict[int, str]] = {}
        self._order: tuple[np.ndarray, list[tuple[str, int]]] | None = None
        self._encode: Callable[[list[str]], np.ndarray] | None = None
        self.can_encode = True

    def allowed(self, node: _Node, direction: int) -> set[int]:
        """Ids of English paragraphs of resolutions strictly before (-1) or after (+1)
        ``node``'s, in (date, number) order; the order is read once per walk."""
        if self._order is None:
            rows = self.lib.store.conn.execute(
                "SELECT p.id, COALESCE(r.date, r.year || '-12-31'), r.number FROM paragraphs p "
                "JOIN resolutions r ON r.id = p.resolution_id WHERE p.language = 'en'"
            ).fetchall()
            rows.sort(key=lambda r: (str(r[1]), int(r[2])))
            self._order = (
                np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
                [(str(r[1]), int(r[2])) for r in rows],
            )
        pids, keys = self._order
        key = (node.date, node.resolution)
        if direction < 0:
            return set(pids[: bisect.bisect_left(keys, key)].tolist())
        return set(pids[bisect.bisect_right(keys, key) :].tolist())

    def texts_of(self, number: int) -> dict[int, str]:
        """Paragraph id → English text of one resolution (cached for the walk)."""
        if number not in self.texts:
            self.texts[number] = _texts_of(self.lib, number)
        return self.texts[number]

    def _window_need(
        self, a: _Node, va: np.ndarray, b: _Node, vb: np.ndarray
    ) -> tuple[str, int, np.ndarray] | None:
        """The (longer text, window size, shorter paragraph's vector) when windows could rescue
        a pair the paragraph vectors miss; None when the cosine alone decides."""
        len_a, len_b = len(a.text.split()), len(b.text.split())
        if (
            float(va @ vb) >= self.threshold  # windows only rescue pairs below the threshold
            or not self.can_encode
            or max(len_a, len_b) < WINDOW_RATIO * min(len_a, len_b)
        ):
            return None
        long, short_vec = (a, vb) if len_a > len_b else (b, va)
        return long.text, min(len_a, len_b) + 8, short_vec

    def prefetch(self, needs: list[tuple[str, int]]) -> None:
        """Embed the windows of several texts in one call (one batch per walk step)."""
        todo: dict[str, list[str]] = {}
        for text, size in needs:
            key = f"{size}\x00{text}"
            if key not in self.windows and key not in todo:
                todo[key] = _windows(text, size)
        if not todo or not self.can_encode:
            return
        if self._encode is None:
            from reslens.align import library_encoder  # the session memo of query-time texts

            self._encode = library_encoder(self.lib)
        flat = [window for windows in todo.values() for window in windows]
        try:
            vectors = np.asarray(self._encode(flat), dtype=np.float32)
        except (ReslensError, ImportError, OSError):
            self.can_encode = False  # no query model: paragraph vectors only
            return
        at = 0
        for key, windows in todo.items():
            self.windows[key] = vectors[at : at + len(windows)]
            at += len(windows)

    def similarity(
        self, a: _Node, va: np.ndarray, b: _Node, vb: np.ndarray, *, windows: bool = True
    ) -> float:
        """Cosine of the paragraph vectors, or of the best window of the longer paragraph."""
        cosine = float(va @ vb)
        need = self._window_need(a, va, b, vb) if windows else None
        if need is None:
            return cosine
        text, size, short_vec = need
        self.prefetch([(text, size)])
        rows = self.windows.get(f"{size}\x00{text}")
        if rows is None or len(rows) == 0:
            return cosine
        return max(cosine, float((rows @ short_vec).max()))

    def next(
        self, node: _Node, vector: np.ndarray, direction: int, seen: set[int]
    ) -> tuple[_Node, np.ndarray, float, float] | None:
        """The best next paragraph in ``direction``: (node, vector, similarity, wording)."""
        lib = self.lib
        allowed = self.allowed(node, direction) - seen
        if not allowed:
            return None
        related = (
            _cited_by_resolution(lib, node.resolution)
            if direction < 0
            else _citing_resolution(lib, node.resolution)
        )
        pool = [pid for pid, _, _ in self.semantic.search(vector[None, :], CANDIDATES, allowed)[0]]
        side = [n for n in related if (n - node.resolution) * direction > 0]
        # the nearest in time; only these count as related below (a far one found by the
        # vector search does not outrank an uncited previous renewal)
        nearest = sorted(side, key=lambda n: abs(n - node.resolution))[:RELATED_LIMIT]
        related = set(nearest)
        for number in nearest:
            texts = self.texts_of(number)
            near = allowed & set(texts)
            if near:
                hits = self.semantic.search(vector[None, :], PER_RELATED, near)[0]
                by_words = sorted(near, key=lambda pid: -wording(node.text, texts[pid]))
                for pid in [h[0] for h in hits] + by_words[:PER_RELATED]:
                    if pid not in pool:
                        pool.append(pid)
        if not pool:
            return None
        vectors = paragraph_vectors(lib, pool)
        nodes = [_node(lib, pid) for pid in pool]
        overlaps = [wording(node.text, cand.text) for cand in nodes]
        ranked = sorted(range(len(pool)), key=lambda i: -overlaps[i])[:WINDOW_CANDIDATES]
        windowed = {i for i in ranked if overlaps[i] >= WINDOW_WORDING}
        needs = [self._window_need(node, vector, nodes[i], vectors[i]) for i in sorted(windowed)]
        self.prefetch([(need[0], need[1]) for need in needs if need is not None])
        best: tuple[tuple[int, float], _Node, np.ndarray, float, float] | None = None
        for i, (cand, vec, overlap) in enumerate(zip(nodes, vectors, overlaps, strict=True)):
            sim = self.similarity(node, vector, cand, vec, windows=i in windowed)
            if sim < self.threshold:
                continue
            score = sim + WORDING_WEIGHT * overlap
            same_agenda = bool(node.agenda_item) and cand.agenda_item == node.agenda_item
            if cand.resolution in related:
                score += CITATION_BONUS
            if same_agenda:
                score += AGENDA_BONUS
            tier = 0 if cand.resolution in related else 1 if same_agenda else 2
            rank = (-tier, score)
            if best is None or rank > best[0]:
                best = (rank, cand, vec, sim, overlap)
        return None if best is None else best[1:]


def _windows(text: str, size: int) -> list[str]:
    """Overlapping windows of ``size`` words (at most ``MAX_WINDOWS``) covering ``text``."""
    words = text.split()
    step = max(1, size // 2, (len(words) - size) // (MAX_WINDOWS - 1) + 1)
    return [" ".join(words[i : i + size]) for i in range(0, max(1, len(words) - size + step), step)]


def _texts_of(lib: Library, number: int) -> dict[int, str]:
    rows = lib.store.conn.execute(
        "SELECT id, text FROM paragraphs WHERE language = 'en' AND resolution = ?", (number,)
    )
    return {int(r[0]): str(r[1]) for r in rows}


def _change(prev: _Node, cur: _Node, similarity: float) -> str:
    if prev.strength is not None and cur.strength is not None and prev.strength != cur.strength:
        return "stronger" if cur.strength > prev.strength else "weaker"
    if normalize(prev.text).lower() == normalize(cur.text).lower() or similarity >= 0.999:
        return "identical"
    return "modified"


def lineage(
    lib: Library, ref: str, *, threshold: float = 0.75, max_steps: int = 12
) -> pd.DataFrame:
    """Earlier and later versions of a paragraph, with the changes of its leading verb.

    Args:
        lib: an open library with vectors.
        ref: a paragraph reference (``"2388:op34"``, ``"S/RES/2331 (2016), para. 21"``).
        threshold: the least cosine similarity between consecutive versions.
        max_steps: the most steps walked in each direction.

    Returns:
        A DataFrame in date order with the columns ``LINEAGE_COLUMNS``: ``step`` (0 for the
        starting paragraph, negative earlier, positive later), ``key``, ``symbol``, ``date``,
        ``number``, ``verbs`` (lemmas), ``lemma`` and ``strength`` of the leading verb,
        ``similarity`` (semantic similarity to the row before, see the module notes; NaN on
        the first row), ``wording`` (shared word pairs with the row before), ``change`` from the
        row before (``"identical"``, ``"modified"``, ``"stronger"``, ``"weaker"``; None on the
        first row) and ``text``. ``df.attrs["first_appearance"]`` holds the key of the earliest
        version found.

    Raises:
        NotFoundError: no such paragraph.
        ReslensError: the paragraph has no vectors, or a bad threshold.

    Examples:
        >>> lineage(lib, "2388:op34")[["step", "key", "lemma", "change"]]  # doctest: +SKIP
    """
    import pandas as pd

    if not 0.0 < threshold <= 1.0:
        raise ReslensError(f"threshold must be in (0, 1], not {threshold}")
    para = lib.paragraph(ref)
    walker = _Walker(lib, threshold)
    start = _node(lib, lib.store.paragraph_id(para.key))
    vector = paragraph_vectors(lib, [start.pid])[0]
    if not vector.any():
        raise ReslensError(f"{para.key} has no vectors (only English paragraphs are indexed)")
    # step -> (paragraph, similarity and wording to the paragraph it was reached from)
    chain: dict[int, tuple[_Node, float | None, float | None]] = {0: (start, None, None)}
    seen = {start.pid}
    for direction in (-1, 1):
        node, vec = start, vector
        for step in range(1, max_steps + 1):
            found = walker.next(node, vec, direction, seen)
            if found is None:
                break
            nxt, vec, sim, shared = found
            seen.add(nxt.pid)
            chain[direction * step] = (nxt, sim, shared)
            node = nxt
    rows: list[dict[str, Any]] = []
    steps = sorted(chain)
    prev: _Node | None = None
    for i, step in enumerate(steps):
        node = chain[step][0]
        similarity: float | None = None
        overlap: float | None = None
        change: str | None = None
        if prev is not None:
            # the measures of a walked pair are stored with the member reached last
            _, pair_sim, pair_words = chain[step if step > 0 else steps[i - 1]]
            similarity = None if pair_sim is None else round(pair_sim, 4)
            overlap = None if pair_words is None else round(pair_words, 4)
            change = _change(prev, node, similarity or 0.0)
        rows.append(
            {
                "step": step,
                "key": node.key,
                "symbol": node.symbol,
                "date": node.date,
                "number": node.number,
                "verbs": _verbs(lib, node.pid),
                "lemma": node.lemma,
                "strength": node.strength,
                "similarity": similarity,
                "wording": overlap,
                "change": change,
                "text": node.text,
            }
        )
        prev = node
    df = pd.DataFrame(rows, columns=LINEAGE_COLUMNS)
    df["similarity"] = df["similarity"].astype(float)
    df["wording"] = df["wording"].astype(float)
    df.attrs["first_appearance"] = chain[steps[0]][0].key
    df.attrs["start"] = start.key
    df.attrs["threshold"] = threshold
    return df


# -- evolution of a theme -------------------------------------------------------------------


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
        from reslens.plots import plot_evolution

        return plot_evolution(self, ax=ax)


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
    lib: Library, query_or_ref: str, *, by: str = "year", threshold: float = 0.6
) -> Evolution:
    """Every paragraph about a theme, counted by year (or resolution) and verb family.

    Args:
        lib: an open library with vectors.
        query_or_ref: a text (``"trafficking in persons"``) or a paragraph reference, whose
            vector (normalised mean of its passages) is the query.
        by: ``"year"`` or ``"resolution"``.
        threshold: the least cosine similarity of a passage; a paragraph scores as its best.

    Returns:
        An :class:`Evolution`.

    Examples:
        >>> ev = evolution(lib, "trafficking in persons", threshold=0.6)  # doctest: +SKIP
        >>> ev.table.loc[2016]  # doctest: +SKIP
    """
    import pandas as pd

    from reslens.library import looks_like_ref

    if by not in ("year", "resolution"):
        raise ReslensError(f"by must be 'year' or 'resolution', not {by!r}")
    if not query_or_ref.strip():
        raise ReslensError("the query is empty")
    semantic = lib._semantic_index()
    if looks_like_ref(query_or_ref):
        para = lib.paragraph(query_or_ref)
        vector = paragraph_vectors(lib, [lib.store.paragraph_id(para.key)])[0]
    else:
        vector = np.asarray(lib.encode([query_or_ref]), dtype=np.float32)[0]
    best = _range_hits(semantic, vector, threshold)
    rows: list[dict[str, Any]] = []
    ids = list(best)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for row in lib.store.conn.execute(
            "SELECT p.id, p.key, r.symbol, r.year, r.date, p.kind, p.leading_lemma, "
            "p.leading_strength, p.text FROM paragraphs p "
            "JOIN resolutions r ON r.id = p.resolution_id "
            f"WHERE p.id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            lemma = row[6]
            rows.append(
                {
                    "key": row[1],
                    "symbol": row[2],
                    "year": int(row[3]),
                    "kind": row[5],
                    "lemma": lemma,
                    "family": (family_of(lemma) if lemma else "") or "other",
                    "strength": row[7],
                    "score": round(best[int(row[0])], 6),
                    "text": row[8],
                    "_date": row[4] or f"{row[3]}-12-31",
                }
            )
    frame = pd.DataFrame(rows, columns=[*EVOLUTION_COLUMNS, "_date"])
    frame = frame.sort_values(["score", "key"], ascending=[False, True]).reset_index(drop=True)
    table = _table(frame, by)
    return Evolution(
        query=query_or_ref,
        by=by,
        threshold=threshold,
        paragraphs=frame.drop(columns="_date"),
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
        order = frame.sort_values(["_date", "symbol"]).drop_duplicates("symbol")["symbol"]
        counts = counts.reindex(list(order), fill_value=0)
        counts.index.name = "symbol"
    counts.columns.name = "family"
    return counts.astype(int)


__all__ = [
    "AGENDA_BONUS",
    "CITATION_BONUS",
    "EVOLUTION_COLUMNS",
    "LINEAGE_COLUMNS",
    "Evolution",
    "evolution",
    "lineage",
    "paragraph_vectors",
]
