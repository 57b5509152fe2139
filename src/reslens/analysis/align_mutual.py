"""Mutual-best links: the last pass of :func:`reslens.analysis.align_full.align_resolutions`.

The one-to-one assignments of :mod:`reslens.analysis.align` keep a pair only above their
threshold, and a paragraph whose best counterpart was given to another one stays ``new`` or
``dropped``. This pass reads the whole similarity matrix of the two resolutions (every
paragraph of ``a`` against every paragraph of ``b``, both kinds, the similarity of
:func:`reslens.analysis.similarity.similarity_matrix`) and links a paragraph ``i`` of ``a`` to a
paragraph ``j`` of ``b`` when

* each is the other's best counterpart in the whole matrix (``j`` is the best of ``i``'s row and
  ``i`` the best of ``j``'s column),
* at least one of the two is still unlinked, and
* the similarity reaches ``limits[0]`` (same kind) or ``limits[1]`` (a preambular and an
  operative paragraph).

Being the best in both directions is what makes a lower threshold safe: a rewritten paragraph
whose wording changed (``2304:op17`` → ``2327:op10``, similarity 0.51) is kept, while a
paragraph that merely resembles many others is not. The link is labelled by what it does:

* both paragraphs were unlinked — ``moved`` across kinds or against the reading order of the
  nearest linked paragraphs, else ``identical`` / ``typography`` / ``modified``;
* only ``i`` was unlinked — ``merged`` (``i`` was joined into ``j``, which keeps its own link);
* only ``j`` was unlinked — ``split`` (``i`` was cut, ``j`` is one of its parts).

The two thresholds were chosen on the "tune" pairs of ``bench/eval/align_pairs.json``
(``bench/eval_align.py --preambles --pairs tune``); see ``bench/RESULTS.md``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reslens.analysis.align import AlignedRow
from reslens.analysis.similarity import (
    Containment,
    Encode,
    paragraph_vectors,
    point_texts,
    similarity_matrix,
)
from reslens.models import Paragraph, Resolution
from reslens.text import exact_form, typography_only


def mutual_best(
    rows: list[AlignedRow],
    res_a: Resolution,
    res_b: Resolution,
    encode: Encode,
    weights: tuple[float, float],
    limits: tuple[float, float],
) -> list[AlignedRow]:
    """Add the mutual-best links of paragraphs left unlinked (see the module notes).

    Args:
        rows: the alignment so far (reading order of ``b``).
        res_a: the earlier resolution.
        res_b: the later one.
        encode: the embedding function.
        weights: the semantic weight and the semantic containment damping of the similarity.
        limits: the lowest similarity of a link of one kind, and of one across kinds.

    Returns:
        The rows with the new links in place of the ``new`` / ``dropped`` rows they replace.
    """
    paras_a, paras_b = list(res_a.paragraphs), list(res_b.paragraphs)
    linked_a = {r.a_key for r in rows if r.a_key is not None and r.b_key is not None}
    linked_b = {r.b_key for r in rows if r.a_key is not None and r.b_key is not None}
    free_a = [p.key not in linked_a for p in paras_a]
    free_b = [p.key not in linked_b for p in paras_b]
    if min(limits) > 1.0 or not paras_a or not paras_b or not (any(free_a) or any(free_b)):
        return rows
    sim = _full_similarity(paras_a, paras_b, encode, weights)
    best_of_a = sim.argmax(axis=1)
    best_of_b = sim.argmax(axis=0)
    links: list[tuple[str, Paragraph, Paragraph, float]] = []
    for i, j in enumerate(best_of_a):
        j = int(j)
        if int(best_of_b[j]) != i or not (free_a[i] or free_b[j]):
            continue
        a, b = paras_a[i], paras_b[j]
        if sim[i, j] < (limits[0] if a.kind == b.kind else limits[1]):
            continue
        if free_a[i] and free_b[j]:
            status = _paired_status(rows, a, b, paras_a, paras_b)
        else:
            status = "merged" if free_a[i] else "split"
        links.append((status, a, b, float(sim[i, j])))
    return place_links(rows, links) if links else rows


def _full_similarity(
    paras_a: Sequence[Paragraph],
    paras_b: Sequence[Paragraph],
    encode: Encode,
    weights: tuple[float, float],
) -> np.ndarray:
    weight, containment = weights
    va, vb = paragraph_vectors(list(paras_a), list(paras_b), None, None, encode)
    contain = None
    if containment > 0:
        contain = Containment(
            encode,
            [point_texts(p.points) for p in paras_a],
            [point_texts(p.points) for p in paras_b],
            containment,
        )
    texts_a = [p.text for p in paras_a]
    texts_b = [p.text for p in paras_b]
    return similarity_matrix(texts_a, texts_b, va, vb, weight, contain)


def _paired_status(
    rows: list[AlignedRow],
    a: Paragraph,
    b: Paragraph,
    paras_a: Sequence[Paragraph],
    paras_b: Sequence[Paragraph],
) -> str:
    """``moved`` across kinds or out of order with the nearest linked paragraphs, else the
    status of the text change."""
    if a.kind != b.kind:
        return "moved"
    pos_a = {p.key: n for n, p in enumerate(paras_a)}
    pos_b = {p.key: n for n, p in enumerate(paras_b)}
    i, j = pos_a[a.key], pos_b[b.key]
    pairs = [
        (pos_a[r.a_key], pos_b[r.b_key])
        for r in rows
        if r.a_key in pos_a and r.b_key in pos_b and r.status != "moved"
    ]
    before = [jj for ii, jj in pairs if ii < i]
    after = [jj for ii, jj in pairs if ii > i]
    if (before and max(before) > j) or (after and min(after) < j):
        return "moved"
    if exact_form(a.text) == exact_form(b.text):
        return "identical"
    return "typography" if typography_only(a.text, b.text) else "modified"


def place_links(
    rows: list[AlignedRow], links: Sequence[tuple[str, Paragraph, Paragraph, float]]
) -> list[AlignedRow]:
    """Put ``(status, a, b, similarity)`` links into ``rows``: a link takes the place of its
    ``b`` paragraph's ``new`` row, or else stands after that paragraph's last row; the ``dropped``
    row of its ``a`` paragraph goes."""
    gone = {a.key for _, a, _, _ in links}
    by_b: dict[str, list[AlignedRow]] = {}
    for status, a, b, score in links:
        row = AlignedRow(
            status, a.key, b.key, similarity=round(score, 4), a_text=a.text, b_text=b.text
        )
        by_b.setdefault(b.key, []).append(row)
    last = {r.b_key: n for n, r in enumerate(rows) if r.b_key is not None}
    out: list[AlignedRow] = []
    for n, row in enumerate(rows):
        if row.status == "dropped" and row.a_key in gone:
            continue
        if row.status == "new" and row.b_key in by_b:
            out.extend(by_b.pop(row.b_key))
            continue
        out.append(row)
        if row.b_key in by_b and last[row.b_key] == n:
            out.extend(by_b.pop(row.b_key))
    return out
