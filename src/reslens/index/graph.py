"""The provenance graph, computed once at build time: for every obligation unit, its parents.

The Council carries obligations forward in two ways, and the graph records both:

- **by reference**: "Decides to renew … the measures as set out in paragraphs 1 to 6 of
  resolution 2293 (2016)" — every paragraph-level reference
  (:mod:`reslens.language.paragraph_refs`) becomes an edge to the units of the cited
  paragraphs (or sub-points), with the citing clause's relation (renews, extends, …): a parent
  edge (``via="reference"``) when the relation carries the paragraph forward (``CARRYING``),
  a ``citation`` edge otherwise. A unit carried forward by reference gets no parent by
  wording (its wording is the renewal formula every regime shares). A
  reference to a paragraph the store lacks is kept as an unresolved reference and reported by
  ``reslens coverage``; it never points at another paragraph.
- **by wording**: agreed language is reused word for word or edited. Candidates come from one
  batched search over all unit vectors (``CANDIDATES`` nearest distinct texts per text), plus
  the units of the two previous resolutions on the same agenda item and of the three most
  recent resolutions the child's resolution cites. Each candidate earlier than the child is
  scored by its cosine (``similarity``), its shared wording (``wording``: the share of the
  shorter text's word pairs found in the longer) and its context (same agenda item, or cited:
  ``related``), and accepted by the rules of :func:`accept`. Among the accepted, related ones
  come first; of those within ``RECENCY_MARGIN`` of the best score the most recent is the
  parent (a renewal's parent is the previous renewal, not the first). A second (third) parent
  from another paragraph is kept when it covers at least ``MERGE_GAIN`` of the child's word
  pairs that the first does not: a merge.

Edge types: ``identical`` (same text), ``stronger`` / ``weaker`` (the verb's rung changed;
only between units of the same kind), ``re-addressed`` (the addressees changed), ``modified``;
``reference`` for edges by reference. ``shape`` marks merges and splits; ``off_item`` marks an
edge that leaves both the agenda item and the citation neighbourhood of the child.

Thresholds were calibrated on pairs that are not the hand-read lineage set (see
``bench/eval_lineage.py``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from reslens.index.linking import _off, link_by_wording
from reslens.index.passages import split_passages
from reslens.index.vectors import EmbeddingCache, text_sha
from reslens.language.paragraph_refs import find_paragraph_refs
from reslens.language.units import Unit, resolution_units
from reslens.linalg import unit as unit_rows
from reslens.models import Paragraph
from reslens.store import graph as g
from reslens.store.db import Store

Encode = Callable[[list[str]], np.ndarray]

GRAPH_VERSION = "4"
"""Changed whenever units, references or linking change what the graph holds: a build then
computes every reference and edge again."""

CARRYING = frozenset(
    {"renews", "extends", "reaffirms", "confirms", "recalls", "amends", "terminates", "decides"}
)
"""Relations by which a clause carries the cited paragraph forward: its parents. Other
references ("pursuant to paragraph 24", "the criteria in paragraph 3", "requests … to report
on paragraph 5") point at a paragraph without carrying it: they are ``citation`` edges, shown
but not walked by a lineage. A unit carried forward by reference gets no parent by wording."""


@dataclass
class GraphReport:
    """What an update of the graph did."""

    resolutions: int = 0
    units: int = 0
    embedded: int = 0
    references: int = 0
    unresolved: int = 0
    children: int = 0
    edges: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"graph: {self.resolutions} resolutions updated, {self.units:,} units, "
            f"{self.references:,} references ({self.unresolved:,} unresolved), "
            f"{self.edges:,} edges for {self.children:,} units, {self.embedded:,} texts "
            f"embedded ({self.seconds:.1f} s)"
        )


# -- the update -------------------------------------------------------------------------------


def _paragraphs_of(store: Store, numbers: set[int]) -> dict[int, list[Paragraph]]:
    out: dict[int, list[Paragraph]] = defaultdict(list)
    if len(numbers) <= 50:
        for number in sorted(numbers):
            res = store.resolution(number, "en")
            if res is not None:
                out[number] = list(res.paragraphs)
        return out
    for para in store.iter_paragraphs("en"):
        if para.resolution in numbers:
            out[para.resolution].append(para)
    return out


def _unit_row(u: Unit) -> tuple[Any, ...]:
    return (
        u.key,
        u.paragraph,
        u.resolution,
        u.kind,
        u.point,
        u.clause,
        u.ordinal,
        u.lemma,
        u.verb,
        u.strength,
        u.family,
        ", ".join(u.addressees),
        u.text,
        text_sha(u.text),
    )


def unit_vectors(
    texts: Sequence[str],
    encode: Encode,
    cache: EmbeddingCache | None,
    fingerprint: str,
    dimension: int,
    max_words: int = 150,
    known: Sequence[list[str] | None] | None = None,
) -> tuple[np.ndarray, int]:
    """Unit vectors of ``texts``: a text longer than the model's window is the normalised mean
    of its passages (never truncated). ``known[i]``, where given, are the passages text ``i``
    was already embedded as (a unit that is a whole paragraph: the index's own passages, in
    the cache). Distinct texts are embedded once; the cache is read and written.
    Returns (matrix, number of texts embedded now)."""
    pieces: list[list[str]] = []
    for row, text in enumerate(texts):
        given = known[row] if known is not None else None
        if given:
            pieces.append(given)
            continue
        cut = split_passages(text, max_words=max_words) if len(text.split()) > max_words else []
        pieces.append(cut or [text or " "])
    flat = list(dict.fromkeys(p for ps in pieces for p in ps))
    shas = [text_sha(t) for t in flat]
    found = cache.get(fingerprint, shas, dimension) if cache is not None else {}
    missing = [i for i, s in enumerate(shas) if s not in found]
    if missing:
        vectors = np.asarray(encode([flat[i] for i in missing]), dtype=np.float32)
        fresh = {shas[i]: vectors[j] for j, i in enumerate(missing)}
        if cache is not None:
            cache.put(fingerprint, fresh.items())
        found.update(fresh)
    index = {t: found[s] for t, s in zip(flat, shas, strict=True)}
    out = np.zeros((len(texts), dimension), dtype=np.float32)
    for row, ps in enumerate(pieces):
        out[row] = np.mean([index[p] for p in ps], axis=0)
    return unit_rows(out), len(missing)


def update_graph(
    store: Store,
    encode: Encode | None,
    *,
    cache: EmbeddingCache | None = None,
    fingerprint: str = "",
    dimension: int = 0,
    say: Callable[[str], None] | None = None,
    full: bool = False,
) -> GraphReport:
    """Bring the graph in line with the store's English paragraphs.

    Args:
        store: the store (the graph tables are created where missing).
        encode: embeds unit texts with the index's model; None: references only (no wording
            edges).
        cache: the embedding cache (read and written).
        fingerprint: the model fingerprint the cache is keyed by.
        dimension: the model's dimension.
        say: progress lines.
        full: recompute every edge, not only those a change can affect.

    Returns:
        A :class:`GraphReport`.
    """
    started = time.perf_counter()
    report = GraphReport()
    tell = say or (lambda _m: None)
    g.ensure(store)
    # everything again when the model or the graph code changed (or wording edges were never
    # computed): the edges depend on both
    model = f"{fingerprint if encode is not None and dimension else ''}|{GRAPH_VERSION}"
    if store.get_meta("graph_model") != model:
        full = True
        store.set_meta("graph_model", model)
    now = g.resolution_fingerprints(store)
    old = g.states(store)
    changed = {n for n, fp in now.items() if old.get(n) != fp}
    removed = set(old) - set(now)
    g.forget_resolutions(store, sorted(changed | removed))
    papers = _paragraphs_of(store, changed)
    rows: list[tuple[Any, ...]] = []
    for number in sorted(papers):
        rows.extend(_unit_row(u) for u in resolution_units(papers[number]))
    del papers
    g.put_units(store, rows)
    del rows
    report.resolutions = len(changed)
    units = g.all_units(store)
    report.units = len(units)
    by_paragraph: dict[str, list[g.UnitRow]] = defaultdict(list)
    for u in units:
        by_paragraph[u.paragraph_key].append(u)
    stored_resolutions = set(now)
    context = g.resolution_context(store)
    order = {n: (c[0], n) for n, c in context.items()}

    # references: of the new units, and old unresolved ones that may resolve now
    new_ids = {u.id for u in units if u.resolution in changed or full}
    if full:  # the reference parser may have changed: read every reference again
        store.conn.execute("DELETE FROM unit_refs")
    dirty = set(new_ids)
    stale = g.refs_of(store, [u.id for u in units if u.id not in new_ids])
    retry = {int(r[0]) for r in stale if r[7] != "resolved" and int(r[1]) in changed}
    if retry:
        store.conn.executemany(
            "DELETE FROM unit_refs WHERE unit_id = ?", [(i,) for i in sorted(retry)]
        )
    ref_rows: list[tuple[Any, ...]] = []
    for u in units:
        if u.id not in new_ids and u.id not in retry:
            continue
        for ref in find_paragraph_refs(u.text, resolution=u.resolution, verb=u.lemma or None):
            for para in ref.paragraphs:
                points = ref.points_of(para) or (None,)
                for point in points:
                    status = _status(
                        ref.self_ref,
                        ref.resolution,
                        para,
                        point,
                        stored_resolutions,
                        by_paragraph,
                    )
                    ref_rows.append(
                        (
                            u.id,
                            ref.resolution,
                            ref.year,
                            para,
                            point,
                            ref.relation,
                            ref.span,
                            status,
                        )
                    )
    g.put_refs(store, ref_rows)
    dirty |= retry
    all_refs = [r for r in stale if int(r[0]) not in retry] + ref_rows
    report.references = len(all_refs)
    report.unresolved = sum(1 for r in all_refs if r[7] not in ("resolved", "self"))

    # which units' parents to compute: all (see above), else those a change can affect
    cites = g.citation_pairs(store)
    if full or not old:
        children = list(units)
    else:
        touched_items = {context[n][2] for n in changed if n in context and context[n][2]}
        citing_changed = {a for a, b in cites if b in changed}
        earliest = min((order[n] for n in changed if n in order), default=None)
        children = [
            u
            for u in units
            if u.id in dirty
            or (
                earliest is not None
                and order.get(u.resolution, ("", 0)) > earliest
                and (
                    (context.get(u.resolution, ("", None, None))[2] in touched_items)
                    or u.resolution in citing_changed
                )
            )
        ]
    report.children = len(children)
    if not children:
        g.set_states(store, {n: now[n] for n in changed})
        report.seconds = time.perf_counter() - started
        return report
    g.delete_child_edges(store, [u.id for u in children])

    edges: list[g.EdgeRow] = []
    refs_by_unit: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for r in all_refs:
        refs_by_unit[int(r[0])].append(r)
    for u in children:
        for r in refs_by_unit.get(u.id, []):
            if r[7] != "resolved":
                continue
            carried = str(r[5]) in CARRYING
            for parent in _targets(f"{r[1]}:op{r[3]}", r[4], by_paragraph):
                if parent.id == u.id:
                    continue
                edges.append(
                    g.EdgeRow(
                        u.id,
                        parent.id,
                        "reference" if carried else "citation",
                        "reference" if carried else "citation",
                        str(r[5]),
                        None,
                        None,
                        None,
                        _off(u.resolution, parent.resolution, context, cites),
                        "",
                    )
                )

    if encode is not None and dimension:
        tell(f"graph: {len(units):,} units, {len(children):,} to link")
        step = time.perf_counter()
        passages = g.paragraph_passages(store)
        known = [passages.get(u.paragraph_key) if u.key == u.paragraph_key else None for u in units]
        vectors, report.embedded = unit_vectors(
            [u.text for u in units], encode, cache, fingerprint, dimension, known=known
        )
        del passages, known
        tell(
            f"graph: unit vectors ready ({report.embedded:,} embedded, "
            f"{time.perf_counter() - step:.1f} s)"
        )
        step = time.perf_counter()
        by_reference = {e.child for e in edges if e.via == "reference"}
        wording_children = [u for u in children if u.id not in by_reference]
        edges += link_by_wording(units, wording_children, vectors, context, cites, order)
        tell(f"graph: parents by wording found ({time.perf_counter() - step:.1f} s)")
    _dedupe_and_shape(edges, {u.id: u for u in units})
    g.put_edges(store, edges)
    report.edges = len(edges)
    g.set_states(store, {n: now[n] for n in changed})
    report.seconds = time.perf_counter() - started
    tell(report.summary())
    return report


def _status(
    self_ref: bool,
    number: int,
    paragraph: str,
    point: str | None,
    stored: set[int],
    by_paragraph: dict[str, list[g.UnitRow]],
) -> str:
    if self_ref:
        return "self"
    if number not in stored:
        return "missing-resolution"
    key = f"{number}:op{paragraph}"
    if key not in by_paragraph:
        return "missing-paragraph"
    if point is not None and not _targets(key, point, by_paragraph):
        return "missing-point"
    return "resolved"


def _targets(
    paragraph_key: str, point: str | None, by_paragraph: dict[str, list[g.UnitRow]]
) -> list[g.UnitRow]:
    """The units a (paragraph, sub-point) reference names."""
    units = by_paragraph.get(paragraph_key, [])
    if point is None:
        return units
    label = f"({point})"
    return [u for u in units if u.point == label]


def _dedupe_and_shape(edges: list[g.EdgeRow], units: dict[int, g.UnitRow]) -> None:
    """Keep one edge per (child, parent) — by reference wins — and mark merges and splits."""
    best: dict[tuple[int, int], g.EdgeRow] = {}
    for e in edges:
        key = (e.child, e.parent)
        if key not in best or (e.via == "reference" and best[key].via != "reference"):
            best[key] = e
    edges[:] = list(best.values())
    wording_parents: dict[int, set[str]] = defaultdict(set)
    children_in: dict[tuple[int, int], set[str]] = defaultdict(set)
    for e in edges:
        if e.via != "wording":
            continue
        wording_parents[e.child].add(units[e.parent].paragraph_key)
        children_in[(e.parent, units[e.child].resolution)].add(units[e.child].paragraph_key)
    for i, e in enumerate(edges):
        if e.via != "wording":
            continue
        shape = ""
        if len(wording_parents[e.child]) > 1:
            shape = "merged"
        elif len(children_in[(e.parent, units[e.child].resolution)]) > 1:
            shape = "split"
        if shape:
            edges[i] = g.EdgeRow(
                e.child,
                e.parent,
                e.via,
                e.type,
                e.relation,
                e.similarity,
                e.wording,
                e.score,
                e.off_item,
                shape,
            )


__all__ = ["GraphReport", "unit_vectors", "update_graph"]
