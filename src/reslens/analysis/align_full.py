"""Align two whole resolutions: preambles, operative paragraphs, and paragraphs that change kind.

:func:`align_resolutions` runs :func:`reslens.analysis.align.align` twice — preambular paragraphs
against preambular ones, operative against operative — and then a third, cross-kind pass: the
paragraphs of ``a`` left without a counterpart in their own kind are matched (optimal
assignment again) against the paragraphs of ``b`` of the *other* kind that were left unpaired,
with a higher threshold (:data:`CROSS_THRESHOLD`), since a preambular paragraph and an operative
one share more subject than act. A cross-kind link is labelled ``moved`` (it changed place and
kind): ``2213:op22`` → ``2238:pp15``, an operative request turned preambular.

Before that, a paragraph-level split or merge pass: a one-to-one assignment cannot say that a
paragraph was cut in two (``2213:op1`` → ``2238:op1`` and ``op2``) or that two were joined
(``2338:pp9`` and ``pp10`` → ``2369:pp9``) where no sub-point marks the cut. A paragraph of
``b`` left ``new`` next to (±1) the partner of an ``a`` paragraph is linked to that paragraph as
``split`` when ``(cos + containment) / 2`` reaches :data:`NEIGHBOUR_THRESHOLD` — ``containment``
is the share of the new paragraph's words found in order in the ``a`` paragraph — and a
``dropped`` paragraph of ``a`` next to the partner of a ``b`` paragraph is linked to it as
``merged`` the same way. Paragraphs already split or merged along sub-points are left alone.

Last, with embeddings, a mutual-best pass (:func:`reslens.analysis.align_mutual.mutual_best`):
a paragraph still unlinked is linked to its best counterpart in the whole similarity matrix when
it is that paragraph's best too, at :data:`MUTUAL_THRESHOLD` (same kind) or
:data:`MUTUAL_CROSS_THRESHOLD` (across kinds).

The rows come in the reading order of ``b``: its preamble, then its operative part.

The thresholds were chosen on six of the twelve pairs of ``bench/eval/align_pairs.json``
(``bench/eval_align.py --preambles --pairs tune``) and are reported on all twelve in
``bench/RESULTS.md`` ("Alignment quality").

Examples:
    >>> from reslens.models import Paragraph, Resolution
    >>> def res(n, pp, op):
    ...     return Resolution(n, 2000, paragraphs=(
    ...         Paragraph(f"{n}:pp1", n, "preambular", "1", 0, pp),
    ...         Paragraph(f"{n}:op1", n, "operative", "1", 1, op)))
    >>> a = res(1, "Recalling its resolution 100,", "Decides to remain seized of the matter.")
    >>> b = res(2, "Recalling its resolution 100,", "Decides to remain seized of the matter.")
    >>> [row.status for row in align_resolutions(a, b).rows]
    ['identical', 'identical']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from reslens.analysis.align import AlignedRow, Alignment, align, assign
from reslens.analysis.align_mutual import mutual_best
from reslens.analysis.similarity import (
    SEMANTIC_CONTAINMENT_WEIGHT,
    Encode,
    containment,
    embed_texts,
    paragraph_vectors,
    point_texts,
    similarity_matrix,
)
from reslens.models import Paragraph, Resolution

NEIGHBOUR_THRESHOLD = 0.6
"""Lowest ``(cosine + containment) / 2`` of a paragraph-level split or merge (embeddings)."""

LEXICAL_NEIGHBOUR_THRESHOLD = 0.75
"""Lowest containment of a paragraph-level split or merge without embeddings."""

PREAMBLE_THRESHOLD = 0.5
"""Lowest similarity of a pair of preambular paragraphs (embeddings; the operative default is
0.55: a recital that updates its list of resolutions or reports changes more words)."""

CROSS_THRESHOLD = 0.7
"""Lowest similarity of a link between a preambular and an operative paragraph (embeddings)."""

LEXICAL_CROSS_THRESHOLD = 0.6
"""The same without embeddings."""

MUTUAL_THRESHOLD = 0.5
"""Lowest similarity of a mutual-best link between two paragraphs of the same kind, one of
which at least is otherwise unlinked (embeddings only)."""

MUTUAL_CROSS_THRESHOLD = 0.6
"""The same for a preambular and an operative paragraph."""


def align_resolutions(
    res_a: Resolution,
    res_b: Resolution,
    *,
    encode: Encode | None = None,
    preambles: bool = True,
    preamble_threshold: float | None = None,
    cross_threshold: float | None = None,
    neighbour_threshold: float | None = None,
    mutual_threshold: float | None = None,
    mutual_cross_threshold: float | None = None,
    **options: Any,
) -> Alignment:
    """Align every paragraph of ``res_a`` with those of ``res_b`` (see the module notes).

    Args:
        res_a: the earlier resolution.
        res_b: the later one.
        encode: an embedding function (``Library.cached_encode``); without it, lexical only.
        preambles: align the preambles too (``False``: operative paragraphs only).
        preamble_threshold: the lowest similarity of a preambular pair (default
            :data:`PREAMBLE_THRESHOLD` with ``encode``, else the operative ``threshold``).
        cross_threshold: the lowest similarity of a cross-kind link (default
            :data:`CROSS_THRESHOLD`, or :data:`LEXICAL_CROSS_THRESHOLD` without ``encode``;
            values above 1 turn the cross-kind pass off).
        neighbour_threshold: the lowest score of a paragraph-level split or merge (default
            :data:`NEIGHBOUR_THRESHOLD`, or :data:`LEXICAL_NEIGHBOUR_THRESHOLD` without
            ``encode``; values above 1 turn that pass off).
        mutual_threshold: the lowest similarity of a mutual-best link of one kind (default
            :data:`MUTUAL_THRESHOLD`; values above 1 turn that pass off; embeddings only).
        mutual_cross_threshold: the same across kinds (default :data:`MUTUAL_CROSS_THRESHOLD`).
        **options: passed to :func:`reslens.analysis.align.align` for both kinds
            (``threshold``, ``point_threshold``, ``semantic_weight``, …).

    Returns:
        An :class:`~reslens.analysis.align.Alignment` labelled with the two symbols.
    """
    labels: dict[str, Any] = {"a_label": res_a.symbol, "b_label": res_b.symbol}
    operative = align(res_a.operative(), res_b.operative(), encode=encode, **labels, **options)
    if not preambles:
        return operative
    pp_options = dict(options)
    if preamble_threshold is None and encode is not None and "threshold" not in options:
        preamble_threshold = PREAMBLE_THRESHOLD
    if preamble_threshold is not None:
        pp_options["threshold"] = preamble_threshold
    preamble = align(res_a.preambular(), res_b.preambular(), encode=encode, **labels, **pp_options)
    rows = list(preamble.rows) + list(operative.rows)
    weight = options.get("semantic_weight", 0.5) if encode is not None else 0.0
    if neighbour_threshold is None:
        neighbour_threshold = NEIGHBOUR_THRESHOLD if weight > 0 else LEXICAL_NEIGHBOUR_THRESHOLD
    if neighbour_threshold <= 1.0:
        rows = _neighbours(rows, res_a, res_b, encode if weight > 0 else None, neighbour_threshold)
    if cross_threshold is None:
        cross_threshold = CROSS_THRESHOLD if weight > 0 else LEXICAL_CROSS_THRESHOLD
    if cross_threshold <= 1.0:
        rows = _cross_kind(rows, res_a, res_b, encode, weight, cross_threshold)
    if encode is not None and weight > 0:
        limits = (
            MUTUAL_THRESHOLD if mutual_threshold is None else mutual_threshold,
            MUTUAL_CROSS_THRESHOLD if mutual_cross_threshold is None else mutual_cross_threshold,
        )
        containment_weight = options.get("semantic_containment", SEMANTIC_CONTAINMENT_WEIGHT)
        rows = mutual_best(rows, res_a, res_b, encode, (weight, containment_weight), limits)
    return Alignment(tuple(rows), **labels)


def _neighbours(
    rows: list[AlignedRow],
    res_a: Resolution,
    res_b: Resolution,
    encode: Encode | None,
    threshold: float,
) -> list[AlignedRow]:
    """Paragraph-level splits and merges of unpaired paragraphs next to a partner's."""
    pos_a = {p.key: i for i, p in enumerate(res_a.paragraphs)}
    pos_b = {p.key: i for i, p in enumerate(res_b.paragraphs)}
    paras_a, paras_b = res_a.paragraphs, res_b.paragraphs
    pointed = {r.a_key for r in rows if r.a_point} | {r.b_key for r in rows if r.b_point}
    partners = [
        (pos_a[r.a_key], pos_b[r.b_key])
        for r in rows
        if r.status in ("identical", "typography", "modified", "moved")
        and r.a_key in pos_a
        and r.b_key in pos_b
        and r.a_key not in pointed
        and r.b_key not in pointed
    ]
    free_a = {pos_a[r.a_key] for r in rows if r.status == "dropped" and r.a_key in pos_a}
    free_b = {pos_b[r.b_key] for r in rows if r.status == "new" and r.b_key in pos_b}
    found: list[tuple[float, str, int, int]] = []
    scorer = _PairScorer(encode)
    for i, j in partners:
        for jj in (j - 1, j + 1):  # a new paragraph of b beside i's partner: a split of i
            if jj in free_b and paras_b[jj].kind == paras_a[i].kind:
                score = scorer(paras_b[jj], paras_a[i])
                if score >= threshold:
                    found.append((score, "split", i, jj))
        for ii in (i - 1, i + 1):  # a dropped paragraph of a beside j's partner: merged into j
            if ii in free_a and paras_a[ii].kind == paras_b[j].kind:
                score = scorer(paras_a[ii], paras_b[j])
                if score >= threshold:
                    found.append((score, "merged", ii, j))
    links: dict[tuple[str, int], tuple[str, int, int, float]] = {}
    for score, status, i, j in sorted(found, reverse=True):
        side = ("b", j) if status == "split" else ("a", i)
        links.setdefault(side, (status, i, j, score))
    if not links:
        return rows
    out = []
    for row in rows:
        if row.status == "dropped" and row.a_key in pos_a and ("a", pos_a[row.a_key]) in links:
            continue
        out.append(row)
        if row.b_key in pos_b and row.status != "new":
            j = pos_b[row.b_key]
            for status, i, jj, score in links.values():
                if status == "merged" and jj == j and row.a_key != paras_a[i].key:
                    out.append(_row(status, paras_a[i], paras_b[j], score))
        if row.status == "new" and row.b_key in pos_b and ("b", pos_b[row.b_key]) in links:
            status, i, j, score = links[("b", pos_b[row.b_key])]
            out[-1] = _row(status, paras_a[i], paras_b[j], score)
    return _dedupe(out)


def _dedupe(rows: list[AlignedRow]) -> list[AlignedRow]:
    seen: set[tuple[str, str | None, str | None]] = set()
    out = []
    for row in rows:
        mark = (row.status, row.a, row.b)
        if row.a is not None and row.b is not None and mark in seen:
            continue
        seen.add(mark)
        out.append(row)
    return out


def _row(status: str, a: Paragraph, b: Paragraph, score: float) -> AlignedRow:
    return AlignedRow(
        status, a.key, b.key, similarity=round(score, 4), a_text=a.text, b_text=b.text
    )


class _PairScorer:
    """``(cos + containment of the first text in the second) / 2``; containment alone without
    embeddings."""

    def __init__(self, encode: Encode | None) -> None:
        self.encode = encode
        self.vectors: dict[str, np.ndarray] = {}

    def _vector(self, para: Paragraph) -> np.ndarray:
        if para.key not in self.vectors:
            assert self.encode is not None
            self.vectors[para.key] = embed_texts(
                self.encode, [(para.text, point_texts(para.points))]
            )[0]
        return self.vectors[para.key]

    def __call__(self, part: Paragraph, whole: Paragraph) -> float:
        contained = containment(part.text, whole.text)
        if self.encode is None:
            return contained
        cos = float(self._vector(part) @ self._vector(whole))
        return (max(cos, 0.0) + contained) / 2


def _cross_kind(
    rows: list[AlignedRow],
    res_a: Resolution,
    res_b: Resolution,
    encode: Encode | None,
    weight: float,
    threshold: float,
) -> list[AlignedRow]:
    """Link dropped paragraphs of ``a`` to new paragraphs of ``b`` of the other kind."""
    by_key_a = {p.key: p for p in res_a.paragraphs}
    by_key_b = {p.key: p for p in res_b.paragraphs}
    dropped = [by_key_a[r.a_key] for r in rows if r.status == "dropped" and r.a_key in by_key_a]
    new = [by_key_b[r.b_key] for r in rows if r.status == "new" and r.b_key in by_key_b]
    if not dropped or not new:
        return rows
    links = _assign_cross(dropped, new, encode, weight, threshold)
    if not links:
        return rows
    replace = {b.key: (a, b, score) for a, b, score in links}
    gone = {a.key for a, _, _ in links}
    out = []
    for row in rows:
        if row.status == "dropped" and row.a_key in gone:
            continue
        if row.status == "new" and row.b_key in replace:
            a, b, score = replace[row.b_key]
            row = AlignedRow(
                "moved",
                a.key,
                b.key,
                similarity=round(score, 4),
                a_text=a.text,
                b_text=b.text,
            )
        out.append(row)
    return out


def _assign_cross(
    dropped: list[Paragraph],
    new: list[Paragraph],
    encode: Encode | None,
    weight: float,
    threshold: float,
) -> list[tuple[Paragraph, Paragraph, float]]:
    va, vb = paragraph_vectors(dropped, new, None, None, encode if weight > 0 else None)
    sim = similarity_matrix([p.text for p in dropped], [p.text for p in new], va, vb, weight)
    kinds_a = np.array([p.kind for p in dropped])
    kinds_b = np.array([p.kind for p in new])
    sim = np.where(kinds_a[:, None] != kinds_b[None, :], sim, 0.0)
    return [(dropped[i], new[j], float(sim[i, j])) for i, j in assign(sim, threshold)]
