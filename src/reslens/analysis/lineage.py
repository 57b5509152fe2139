"""Lineage of a paragraph across resolutions: a walk backwards and forwards in time.

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

The walk takes narrow inputs: the store, the semantic index and an encode function (for
windows); ``Library.lineage`` passes its own.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from reslens.errors import ReslensError
from reslens.index.linking import containment, word_pairs
from reslens.index.passages import split_passages
from reslens.language.refs import citation
from reslens.models import Paragraph
from reslens.search.semantic import SemanticIndex
from reslens.store.db import Store
from reslens.store.queries import (
    Node,
    cited_by_resolution,
    citing_resolution,
    nodes,
    resolution_texts,
    time_order,
    verb_lemmas,
)
from reslens.text import normalize

if TYPE_CHECKING:
    import pandas as pd

Encode = Callable[[list[str]], np.ndarray]

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
    "citation",
    "date",
    "number",
    "verbs",
    "lemma",
    "strength",
    "similarity",
    "wording",
    "change",
    "text",
    "url",
]


def _node(store: Store, pid: int) -> Node:
    return nodes(store, [pid])[pid]


def _verbs(store: Store, pid: int) -> str:
    return ", ".join(dict.fromkeys(verb_lemmas(store, [pid]).get(pid, [])))


_pairs = functools.lru_cache(maxsize=4096)(word_pairs)  # ≈ 35 MB at most: a walk, not the corpus


def wording(a: str, b: str) -> float:
    """The share of the shorter text's word pairs (bigrams) that the longer text contains."""
    return containment(_pairs(a), _pairs(b))


class _Walker:
    """State of one lineage walk: window embeddings are cached across steps."""

    def __init__(
        self, store: Store, semantic: SemanticIndex, encode: Encode | None, threshold: float
    ) -> None:
        self.store = store
        self.semantic = semantic
        self.threshold = threshold
        self.windows: dict[str, np.ndarray] = {}
        self.texts: dict[int, dict[int, str]] = {}
        self._order: tuple[np.ndarray, list[tuple[str, int]]] | None = None
        self._encode = encode
        self.can_encode = encode is not None

    def allowed(self, node: Node, direction: int) -> set[int]:
        """Ids of English paragraphs of resolutions strictly before (-1) or after (+1)
        ``node``'s, in (date, number) order; the order is read once per walk."""
        if self._order is None:
            rows = time_order(self.store)
            self._order = (
                np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
                [r[1] for r in rows],
            )
        pids, keys = self._order
        key = node.order
        if direction < 0:
            return set(pids[: bisect.bisect_left(keys, key)].tolist())
        return set(pids[bisect.bisect_right(keys, key) :].tolist())

    def texts_of(self, number: int) -> dict[int, str]:
        """Paragraph id → English text of one resolution (cached for the walk)."""
        if number not in self.texts:
            self.texts[number] = resolution_texts(self.store, number)
        return self.texts[number]

    def _window_need(
        self, a: Node, va: np.ndarray, b: Node, vb: np.ndarray
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
        if not todo or not self.can_encode or self._encode is None:
            return
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
        self, a: Node, va: np.ndarray, b: Node, vb: np.ndarray, *, windows: bool = True
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
        self, node: Node, vector: np.ndarray, direction: int, seen: set[int]
    ) -> tuple[Node, np.ndarray, float, float] | None:
        """The best next paragraph in ``direction``: (node, vector, similarity, wording)."""
        allowed = self.allowed(node, direction) - seen
        if not allowed:
            return None
        related = (
            cited_by_resolution(self.store, node.resolution)
            if direction < 0
            else citing_resolution(self.store, node.resolution)
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
        vectors = self.semantic.paragraph_vectors(pool)
        found = nodes(self.store, pool)
        cands = [found[pid] for pid in pool]
        overlaps = [wording(node.text, cand.text) for cand in cands]
        ranked = sorted(range(len(pool)), key=lambda i: -overlaps[i])[:WINDOW_CANDIDATES]
        windowed = {i for i in ranked if overlaps[i] >= WINDOW_WORDING}
        needs = [self._window_need(node, vector, cands[i], vectors[i]) for i in sorted(windowed)]
        self.prefetch([(need[0], need[1]) for need in needs if need is not None])
        best: tuple[tuple[int, float], Node, np.ndarray, float, float] | None = None
        for i, (cand, vec, overlap) in enumerate(zip(cands, vectors, overlaps, strict=True)):
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
    """Clause-aligned windows of about ``size`` words covering ``text`` (at most
    ``MAX_WINDOWS``, evenly spread): the same cutting as alignment's pieces
    (:func:`reslens.index.passages.split_passages`), sized to the shorter paragraph."""
    cut = split_passages(text, max_words=max(size, 2), overlap_words=max(size, 2) // 2)
    if len(cut) <= MAX_WINDOWS:
        return cut or [text]
    chosen = np.linspace(0, len(cut) - 1, MAX_WINDOWS).round().astype(int)
    return [cut[i] for i in dict.fromkeys(chosen.tolist())]


def _change(prev: Node, cur: Node, similarity: float) -> str:
    if prev.strength is not None and cur.strength is not None and prev.strength != cur.strength:
        return "stronger" if cur.strength > prev.strength else "weaker"
    if normalize(prev.text).lower() == normalize(cur.text).lower() or similarity >= 0.999:
        return "identical"
    return "modified"


def lineage(
    store: Store,
    semantic: SemanticIndex,
    para: Paragraph,
    *,
    encode: Encode | None = None,
    threshold: float = 0.75,
    max_steps: int = 12,
) -> pd.DataFrame:
    """Earlier and later versions of a paragraph, with the changes of its leading verb.

    Args:
        store: the store the paragraph is in.
        semantic: the semantic index of the store's passages.
        para: the starting paragraph.
        encode: embeds window texts with the index's model; None: paragraph vectors only.
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
        ReslensError: the paragraph has no vectors, or a bad threshold.

    Examples:
        >>> lib.lineage("2388:op34")[["step", "key", "lemma", "change"]]  # doctest: +SKIP
    """
    import pandas as pd

    if not 0.0 < threshold <= 1.0:
        raise ReslensError(f"threshold must be in (0, 1], not {threshold}")
    walker = _Walker(store, semantic, encode, threshold)
    start = _node(store, store.paragraph_id(para.key))
    vector = semantic.paragraph_vectors([start.pid])[0]
    if not vector.any():
        raise ReslensError(f"{para.key} has no vectors (only English paragraphs are indexed)")
    # step -> (paragraph, similarity and wording to the paragraph it was reached from)
    chain: dict[int, tuple[Node, float | None, float | None]] = {0: (start, None, None)}
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
    prev: Node | None = None
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
                "citation": citation(node.symbol, node.key),
                "date": node.date,
                "number": node.number,
                "verbs": _verbs(store, node.pid),
                "lemma": node.lemma,
                "strength": node.strength,
                "similarity": similarity,
                "wording": overlap,
                "change": change,
                "text": node.text,
                "url": node.url,
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


__all__ = ["AGENDA_BONUS", "CITATION_BONUS", "LINEAGE_COLUMNS", "lineage", "wording"]
