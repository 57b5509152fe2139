"""Parents by wording: agreed language is reused word for word or edited.

Candidates for every child unit come from one batched search over all unit vectors
(``CANDIDATES`` nearest distinct texts per text; of a text held by many units, its
``HOLDERS`` latest holders before the child), plus the units of the two previous resolutions on
the child's agenda item and of the three most recent resolutions it cites. The nearest
``SCORED`` by cosine are scored: ``similarity`` (cosine), ``wording`` (the share of the shorter
text's word pairs found in the longer) and context (``related``: same agenda item, or a cited
resolution), and accepted by :func:`accept`. Among the accepted, those of a cited resolution
come first, then those on the same agenda item, then the rest; of
those within ``RECENCY_MARGIN`` of the best score the most recent is the parent (a renewal's
parent is the previous renewal, not the first). A further parent from another paragraph is
kept when it covers at least ``MERGE_GAIN`` of the child's word pairs the first does not.

Presidential statements (:func:`link_with_statements`) join without moving a resolution's
edges: resolutions are linked among themselves exactly as before; a resolution unit that found
no parent there may then take an earlier statement's unit as its parent (a statement's
sentence as the first appearance of an obligation), on the unit's own agenda item or one it
cites (never an ``off_item`` edge); a statement's units take parents among
all earlier units, resolutions and statements.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import defaultdict
from typing import Any

import numpy as np

from reslens.index.vectors import text_sha
from reslens.models import PRST, document_of
from reslens.store import graph as g
from reslens.text import normalize

CANDIDATES = 24
"""Nearest distinct unit texts searched per distinct text."""
RECENCY_MARGIN = 0.15
"""Among accepted parents within this of the best score, the most recent wins."""
MERGE_GAIN = 0.3
"""Share of the child's word pairs a further parent must add to count as merged in."""
MAX_PARENTS = 3
PAIRS_CACHE = 40_000
"""Word-pair sets kept in memory while linking (the rest are recomputed)."""
SCORED = 40
"""Of a child's candidates, the nearest this many (by cosine) are scored in full."""
HOLDERS = 5
"""Of a text held by many units, the latest this many before the child are candidates."""
LONG_RATIO = 3
"""A parent this many times longer than the child may contain it with a diluted cosine."""
DILUTED_COSINE = 0.3
"""The least cosine of such a pair (with ``wording ≥ 0.6`` and related resolutions)."""
LONG_WORDS = 20
"""A text of at least this many words is specific enough to be linked off its agenda item."""


# -- wording ----------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")


def word_pairs(text: str) -> frozenset[tuple[str, str]]:
    """The word bigrams of a text (lower case, punctuation and typography ignored)."""
    return frozenset(itertools.pairwise(_WORD.findall(normalize(text).lower())))


def containment(a: frozenset[Any], b: frozenset[Any]) -> float:
    """The share of the smaller set found in the larger."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small) if small else 0.0


# -- acceptance -------------------------------------------------------------------------------


def accept(similarity: float, wording: float, identical: bool, related: bool, words: int) -> bool:
    """Whether an earlier unit is a parent candidate of a later one.

    - identical text: on the same agenda item or in a cited resolution, or anywhere when the
      text is specific (``LONG_WORDS`` words or more);
    - shared wording (``wording ≥ 0.5``) with a compatible meaning (``similarity ≥ 0.6``):
      related, or specific text with ``wording ≥ 0.7``;
    - a clause kept inside a longer related text: ``wording ≥ 0.6`` and ``similarity ≥
      DILUTED_COSINE``;
    - the same meaning in other words: ``similarity ≥ 0.85`` when related, ``≥ 0.93`` for a
      specific text elsewhere.
    """
    if identical:
        return related or words >= LONG_WORDS
    if (
        wording >= 0.5
        and similarity >= 0.6
        and (related or (wording >= 0.7 and words >= LONG_WORDS))
    ):
        return True
    if related and wording >= 0.6 and similarity >= DILUTED_COSINE:
        return True  # a clause kept inside a longer text (its cosine is diluted)
    if related:
        return similarity >= 0.85
    return similarity >= 0.93 and words >= LONG_WORDS


def score(similarity: float, wording: float, related: bool) -> float:
    """How good an accepted candidate is (higher is better)."""
    return similarity + wording + (0.2 if related else 0.0)


def _tier(
    child: int,
    parent: int,
    context: dict[int, tuple[str, str | None, str | None]],
    cites: set[tuple[int, int]],
) -> int:
    """How closely two resolutions are related: 2 for the same agenda item, plus 1 when the
    child's resolution cites the parent's (0–3). The item weighs more (a formula such as
    "remain seized" continues its own item, not the thematic resolution a renewal recalls);
    the citation decides between resolutions of one item (a generic item such as
    "Maintenance of international peace and security" holds unrelated themes)."""
    item_c = context.get(child, ("", None, None))[2]
    same = bool(item_c) and item_c == context.get(parent, ("", None, None))[2]
    return 2 * same + ((child, parent) in cites)


def _off(
    child: int,
    parent: int,
    context: dict[int, tuple[str, str | None, str | None]],
    cites: set[tuple[int, int]],
) -> int:
    """1 when an edge leaves both the agenda item and the citations of its child (the
    ``off_item`` flag), else 0."""
    return int(_tier(child, parent, context, cites) == 0)


def _change(child: g.UnitRow, parent: g.UnitRow) -> str:
    if normalize(child.text).lower() == normalize(parent.text).lower():
        return "identical"
    if (
        child.kind == parent.kind
        and child.strength is not None
        and parent.strength is not None
        and child.strength != parent.strength
    ):
        return "stronger" if child.strength > parent.strength else "weaker"
    if child.addressees and parent.addressees and child.addressees != parent.addressees:
        return "re-addressed"
    return "modified"


def link_by_wording(
    units: list[g.UnitRow],
    children: list[g.UnitRow],
    vectors: np.ndarray,
    context: dict[int, tuple[str, str | None, str | None]],
    cites: set[tuple[int, int]],
    order: dict[int, tuple[str, int]],
) -> list[g.EdgeRow]:
    """Parents by wording for ``children``, from one batched search over all unit vectors."""
    position = {u.id: i for i, u in enumerate(units)}
    # distinct texts are searched once
    first_of: dict[str, int] = {}
    for i, u in enumerate(units):
        first_of.setdefault(u.sha, i)
    distinct = sorted(first_of.values())
    matrix = np.ascontiguousarray(vectors[distinct])
    sha_rows: dict[str, list[int]] = defaultdict(list)  # text → its unit rows, in time order
    for i, u in enumerate(units):
        sha_rows[u.sha].append(i)
    for rows_of_text in sha_rows.values():
        rows_of_text.sort(key=lambda i: order.get(units[i].resolution, ("", 0)))
    sha_orders = {
        sha: [order.get(units[i].resolution, ("", 0)) for i in rows_of_text]
        for sha, rows_of_text in sha_rows.items()
    }
    wanted = sorted({first_of[u.sha] for u in children})
    # only earlier texts are candidates: a text's time is its earliest holder; a query's, its
    # latest child (near-copies from later years would crowd the nearest out)
    rank = {n: i for i, n in enumerate(sorted(order, key=lambda n: order[n]))}
    row_rank = np.array(
        [rank.get(units[sha_rows[units[j].sha][0]].resolution, 0) for j in distinct],
        dtype=np.int64,
    )
    latest: dict[str, int] = {}
    for u in children:
        latest[u.sha] = max(latest.get(u.sha, 0), rank.get(u.resolution, 0))
    query_rank = np.array([latest[units[w].sha] for w in wanted], dtype=np.int64)
    neighbours = _nearest(matrix, vectors[wanted], CANDIDATES, row_rank, query_rank)
    near_of = {row: [distinct[j] for j in js] for row, js in zip(wanted, neighbours, strict=True)}
    # the units of each resolution, and the resolutions of each agenda item in time order
    of_resolution: dict[int, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        of_resolution[u.resolution].append(i)
    by_item: dict[str, list[int]] = defaultdict(list)
    for n in sorted(of_resolution, key=lambda n: order.get(n, ("", n))):
        item = context.get(n, ("", None, None))[2]
        if item:
            by_item[item].append(n)
    cited_by: dict[int, list[int]] = defaultdict(list)
    for a, b in cites:
        if b in of_resolution and a != b:
            cited_by[a].append(b)

    @functools.lru_cache(maxsize=PAIRS_CACHE)
    def same_text(i: int) -> str:  # the text with typography ignored
        return text_sha(normalize(units[i].text).lower())

    @functools.lru_cache(maxsize=PAIRS_CACHE)  # children come in time order: a window
    def pairs(i: int) -> frozenset[int]:  # hashed: a quarter of the memory of the tuples
        return frozenset(map(hash, word_pairs(units[i].text)))

    out: list[g.EdgeRow] = []
    for child in children:
        ci = position[child.id]
        c_order = order.get(child.resolution, ("", child.resolution))
        item = context.get(child.resolution, ("", None, None))[2]
        pool: set[int] = set()
        for row in near_of[first_of[child.sha]]:
            sha = units[row].sha
            # a formula held by thousands: its latest holders before the child (related
            # ones come from the agenda item and the cited resolutions below)
            cut = bisect.bisect_left(sha_orders[sha], c_order)
            pool.update(sha_rows[sha][max(0, cut - HOLDERS) : cut])
        if item:
            line = by_item[item]
            earlier = [n for n in line if order.get(n, ("", n)) < c_order][-2:]
            for n in earlier:
                pool.update(of_resolution[n])
        recent_cited = sorted(
            (n for n in cited_by.get(child.resolution, []) if order.get(n, ("", n)) < c_order),
            key=lambda n: order.get(n, ("", n)),
        )[-3:]
        for n in recent_cited:
            pool.update(of_resolution[n])
        candidates = [
            i
            for i in pool
            if units[i].resolution != child.resolution
            and order.get(units[i].resolution, ("", 0)) < c_order
        ]
        if not candidates:
            continue
        sims = vectors[candidates] @ vectors[ci]
        if len(candidates) > SCORED:  # only the nearest are scored in full
            keep = np.argpartition(-sims, SCORED - 1)[:SCORED]
            candidates = [candidates[j] for j in keep]
            sims = sims[keep]
        words = len(child.text.split())
        c_pairs = pairs(ci)
        accepted: list[tuple[float, int, float, float, bool, int]] = []
        for i, sim in zip(candidates, sims.tolist(), strict=True):
            p = units[i]
            tier = _tier(child.resolution, p.resolution, context, cites)
            related = tier > 0
            # a short clause inside a long paragraph: the long text's vector is diluted
            diluted = related and len(p.text) >= LONG_RATIO * len(child.text)
            if sim < (DILUTED_COSINE if diluted else 0.5):
                continue
            identical = units[i].sha == child.sha or same_text(i) == same_text(ci)
            wording = 1.0 if identical else containment(c_pairs, pairs(i))
            if accept(float(sim), wording, identical, related, words):
                accepted.append(
                    (score(float(sim), wording, related), i, float(sim), wording, related, tier)
                )
        if not accepted:
            continue
        # a cited resolution first, then the same agenda item, then the rest
        best_tier = max(a[5] for a in accepted)
        top = [a for a in accepted if a[5] == best_tier]
        best = max(a[0] for a in top)
        close = [a for a in top if a[0] >= best - RECENCY_MARGIN]
        first = max(close, key=lambda a: (order.get(units[a[1]].resolution, ("", 0)), a[0]))
        chosen = [first]
        covered = set(c_pairs & pairs(first[1]))
        for extra in sorted(accepted, key=lambda item: -item[0]):
            if len(chosen) >= MAX_PARENTS or not c_pairs:
                break
            if any(units[extra[1]].paragraph_key == units[c[1]].paragraph_key for c in chosen):
                continue
            gain = len((c_pairs & pairs(extra[1])) - covered) / len(c_pairs)
            if gain >= MERGE_GAIN:
                chosen.append(extra)
                covered |= c_pairs & pairs(extra[1])
        for sc, i, sim, wording, related, _ in chosen:
            p = units[i]
            out.append(
                g.EdgeRow(
                    child.id,
                    p.id,
                    "wording",
                    _change(child, p),
                    "",
                    round(sim, 4),
                    round(wording, 4),
                    round(sc, 4),
                    0 if related else 1,
                    "",
                )
            )
    return out


def link_with_statements(
    units: list[g.UnitRow],
    children: list[g.UnitRow],
    vectors: np.ndarray,
    context: dict[int, tuple[str, str | None, str | None]],
    cites: set[tuple[int, int]],
    order: dict[int, tuple[str, int]],
) -> list[g.EdgeRow]:
    """Parents by wording for ``children`` where ``units`` hold presidential statements too
    (see the module notes); the same as :func:`link_by_wording` where they hold none."""
    statement = [document_of(u.resolution) == PRST for u in units]
    if not any(statement):
        return link_by_wording(units, children, vectors, context, cites, order)
    of_statements = {u.id for u, s in zip(units, statement, strict=True) if s}
    res_rows = [i for i, s in enumerate(statement) if not s]
    res_children = [u for u in children if u.id not in of_statements]
    edges = link_by_wording(
        [units[i] for i in res_rows], res_children, vectors[res_rows], context, cites, order
    )
    linked = {e.child for e in edges}
    orphans = {u.id for u in res_children if u.id not in linked}
    if orphans:
        rows = [i for i, u in enumerate(units) if u.id in of_statements or u.id in orphans]
        found = link_by_wording(
            [units[i] for i in rows],
            [u for u in res_children if u.id in orphans],
            vectors[rows],
            context,
            cites,
            order,
        )
        # a statement is a resolution unit's first appearance only on the unit's own agenda
        # item or one it cites: a statement on another item (drug trafficking in West Africa
        # for 2331's trafficking in persons) shares words, not the obligation
        edges += [e for e in found if e.parent in of_statements and not e.off_item]
    statement_children = [u for u in children if u.id in of_statements]
    if statement_children:
        edges += link_by_wording(units, statement_children, vectors, context, cites, order)
    return edges


def _nearest(
    matrix: np.ndarray,
    queries: np.ndarray,
    k: int,
    row_rank: np.ndarray,
    query_rank: np.ndarray,
) -> list[list[int]]:
    """Row indices of the ``k`` nearest rows of ``matrix`` for each query (inner product),
    among rows whose rank is below the query's; in blocks, so memory stays bounded."""
    out: list[list[int]] = []
    k = min(k, len(matrix))
    block = 256
    for start in range(0, len(queries), block):
        scores = queries[start : start + block] @ matrix.T
        np.putmask(scores, row_rank[None, :] >= query_rank[start : start + block, None], -np.inf)
        if k < scores.shape[1]:
            top = np.argpartition(scores, -k, axis=1)[:, -k:]
        else:
            top = np.tile(np.arange(scores.shape[1]), (len(scores), 1))
        for row, cols in zip(scores, top, strict=True):
            out.append([int(c) for c in cols if np.isfinite(row[c])])
    return out


__all__ = [
    "accept",
    "containment",
    "link_by_wording",
    "link_with_statements",
    "score",
    "word_pairs",
]
