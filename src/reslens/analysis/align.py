"""Align the operative paragraphs of two resolutions (or of a draft and an adopted text).

:func:`align` maps the paragraphs of ``a`` to those of ``b`` one to one, by an optimal
assignment (the Hungarian method, :func:`scipy.optimize.linear_sum_assignment`) on a
similarity matrix, then labels every row:

* ``identical`` — paired, same text after normalisation (NFKC, white space, final punctuation:
  :func:`reslens.text.exact_form`);
* ``typography`` — paired, the texts differ only in quotes and apostrophes, dashes and hyphens,
  spaces, or the letter case of a hyphenated compound (:func:`reslens.text.typography_only`):
  ``’`` → ``'``, ``zero tolerance`` → ``zero-tolerance``;
* ``modified`` — paired (similarity at least ``threshold``), text differs otherwise;
* ``moved`` — paired, but the pair breaks the reading order: among all paragraph pairs, the
  heaviest chain (by similarity) whose ``a`` and ``b`` positions both increase is taken as the
  backbone, and every pair off it is ``moved`` (whether or not its text changed: compare
  ``a_text`` and ``b_text``, or see the ``redline`` column);
* ``split`` — a sub-point of an ``a`` paragraph reappears as a paragraph of ``b``
  (``2331:op2(b)`` → ``2388:op3``); bullets and dashes, which share one label, are cited by
  position: ``2820:op7•2`` is the second bullet of paragraph 7;
* ``merged`` — a paragraph of ``a`` reappears as a sub-point of a ``b`` paragraph;
* ``new`` — a ``b`` paragraph with no counterpart; ``dropped`` — an ``a`` paragraph whose
  content has no counterpart (neither as a whole nor through any of its sub-points).

Similarity (computed in :mod:`reslens.analysis.similarity`; see ``bench/eval_align.py`` for the
measurements behind the defaults)::

    sim = w * clip(sem, 0, 1) + (1 - w) * lex     with vectors (w = semantic_weight)
    sim = lex                                     without
    sem = max(cos, c * piece_cos)                 (c = semantic_containment)

``cos`` is the cosine of the embeddings (a paragraph longer than the model's window is embedded
as passages, see :mod:`reslens.index.passages`, and their mean is used). A short paragraph compared
with a long one that contains it is drowned by the rest of the long text, so ``piece_cos`` is
the best cosine of a clause-sized piece (:data:`PIECE_WORDS` words, cut like passages) of the
pair's longer text with the whole shorter text — 0 when the longer text has no more than
:data:`PIECE_WORDS` words, or the two have the same length — damped by ``c`` (0.9) so that the
cosine of the means still wins where both agree. Pieces need the ``encode`` function: with only
``vectors_a``/``vectors_b`` given, ``sem = cos``. ``lex`` compares the two lists of lower-cased
word tokens with :class:`difflib.SequenceMatcher`: with ``M`` words matched in order,
``lex = max(2M / (len_a + len_b), 0.8 * M / min(len_a, len_b))`` — the ratio, or the
containment of the shorter text, damped, so that a paragraph which kept its wording and gained
(or lost) a long tail still scores high. The assignment maximises the summed gain
``max(sim - threshold, 0)``, so one strong pair is never traded for two mediocre ones, and a
pair is kept only when ``sim >= threshold``. Sub-points (below) are compared by ``cos`` and
``lex`` only.

Sub-points get a second pass: the top-level sub-points of every ``a`` paragraph with at least two
of them are matched (again by optimal assignment, with ``point_threshold``) against the ``b``
paragraphs left unpaired and against the paragraph's own partner. A sub-point takes over its
paragraph's pair (turning it into a ``split`` row) when it explains the partner better than the
whole paragraph does, or when sibling sub-points already went to other paragraphs. The same pass
runs the other way for ``merged``.

Examples:
    >>> from reslens.models import Paragraph
    >>> a = [Paragraph("1:op1", 1, "operative", "1", 0, "Decides to remain seized of the matter.")]
    >>> b = [Paragraph("2:op1", 2, "operative", "1", 0, "Decides to remain seized of the matter.")]
    >>> align(a, b).counts()["identical"]
    1
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from reslens.analysis.similarity import (
    SEMANTIC_CONTAINMENT_WEIGHT,
    Containment,
    Encode,
    embed_texts,
    paragraph_vectors,
    point_texts,
    similarity_matrix,
)
from reslens.errors import ReslensError
from reslens.language.refs import citation
from reslens.models import Paragraph, SubPoint, flatten_points
from reslens.text import exact_form, typography_only

if TYPE_CHECKING:
    import pandas as pd

STATUSES = ("identical", "typography", "modified", "moved", "split", "merged", "new", "dropped")
"""Every row status, in the order :meth:`Alignment.counts` reports them."""

DEFAULT_THRESHOLD = 0.55
"""Lowest similarity of a paragraph pair with embeddings (tuned on bench/eval/align_pairs.json)."""

LEXICAL_THRESHOLD = 0.35
"""Lowest similarity of a paragraph pair without embeddings (lexical values run lower)."""

DEFAULT_POINT_THRESHOLD = 0.55
"""Lowest similarity of a sub-point link (split / merged), either mode."""

DEFAULT_SEMANTIC_WEIGHT = 0.5
"""Weight of the embedding cosine in the mix (the rest is the lexical ratio)."""

FRAME_COLUMNS = [
    "status",
    "a",
    "b",
    "score",
    "a_citation",
    "b_citation",
    "a_text",
    "b_text",
    "redline",
    "a_url",
    "b_url",
]


_PAIRED = ("identical", "typography", "modified", "moved")


@dataclass(frozen=True)
class AlignedRow:
    """One row of an alignment.

    Attributes:
        status: one of :data:`STATUSES`.
        a_key: the paragraph key in ``a`` (``None`` for ``new``).
        b_key: the paragraph key in ``b`` (``None`` for ``dropped``).
        a_point: the sub-point label in ``a`` (``"(b)"``) for ``split`` rows, else ``None``.
        b_point: the sub-point label in ``b`` for ``merged`` rows, else ``None``.
        similarity: the combined similarity of the link (``None`` for new/dropped).
        a_text: the text on the ``a`` side (the sub-point's text for ``split``).
        b_text: the text on the ``b`` side (the sub-point's text for ``merged``).
    """

    status: str
    a_key: str | None
    b_key: str | None
    a_point: str | None = None
    b_point: str | None = None
    similarity: float | None = None
    a_text: str = ""
    b_text: str = ""

    @property
    def a(self) -> str | None:
        """The ``a`` side as cited: ``2331:op2(b)`` or ``2331:op24``."""
        return _cite(self.a_key, self.a_point)

    @property
    def b(self) -> str | None:
        """The ``b`` side as cited."""
        return _cite(self.b_key, self.b_point)

    @property
    def changed(self) -> bool:
        """Whether the two sides of a link differ (typography included), final punctuation and
        white space aside."""
        return exact_form(self.a_text) != exact_form(self.b_text)


@dataclass(frozen=True)
class Alignment:
    """The paragraph mapping of two texts, in the reading order of ``b``.

    Attributes:
        rows: the rows; dropped paragraphs stand after the row of the ``a`` paragraph
            before them.
        a_label: a name for the ``a`` side (e.g. ``S/RES/2331 (2016)``): the symbol the
            ``a_citation`` column cites.
        b_label: a name for the ``b`` side.
        a_url: the UN Digital Library record of ``a``, where known.
        b_url: that of ``b``.
    """

    rows: tuple[AlignedRow, ...]
    a_label: str = "a"
    b_label: str = "b"
    a_url: str | None = None
    b_url: str | None = None

    def links(self) -> list[tuple[str, str]]:
        """``(a, b)`` citations of every link (paired, split and merged rows)."""
        return [(r.a, r.b) for r in self.rows if r.a is not None and r.b is not None]

    def counts(self) -> dict[str, int]:
        """Rows per status, every status present (zero where none)."""
        out = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            out[row.status] += 1
        return out

    def to_frame(self, redlines: bool = True) -> pd.DataFrame:
        """The rows as a DataFrame.

        Columns: ``status``, ``a``, ``b`` (keys, sub-point label included), ``score``,
        ``a_citation`` and ``b_citation`` (``S/RES/2331 (2016), para. 2 (b)``, from the labels),
        ``a_text``, ``b_text``, ``redline``: the word-level redline
        (:func:`reslens.analysis.redline.redline`) of every link whose text changed, else
        ``None``, and ``a_url``, ``b_url`` (the resolutions' records, where known).

        Args:
            redlines: compute the redline column (``False`` leaves it empty, faster).
        """
        import pandas as pd

        records = []
        for row in self.rows:
            diff = None
            if redlines and row.a is not None and row.b is not None and row.changed:
                diff = _redline_text(row.a_text, row.b_text)
            records.append(
                {
                    "status": row.status,
                    "a": row.a,
                    "b": row.b,
                    "score": row.similarity,
                    "a_citation": citation(self.a_label, row.a),
                    "b_citation": citation(self.b_label, row.b),
                    "a_text": row.a_text,
                    "b_text": row.b_text,
                    "redline": diff,
                    "a_url": self.a_url if row.a else None,
                    "b_url": self.b_url if row.b else None,
                }
            )
        return pd.DataFrame(records, columns=FRAME_COLUMNS)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.counts().items() if v)
        return f"<Alignment {self.a_label} → {self.b_label}: {counts or 'empty'}>"

    def _repr_html_(self) -> str:
        esc = html.escape
        head = (
            f"<p><b>{esc(self.a_label)}</b> → <b>{esc(self.b_label)}</b>: "
            + esc(", ".join(f"{k} {v}" for k, v in self.counts().items() if v))
            + "</p>"
        )
        cells = [
            "<tr><th>status</th><th>a</th><th>b</th><th>sim.</th><th>a text</th>"
            "<th>b text</th></tr>"
        ]
        for row in self.rows:
            sim = "" if row.similarity is None else f"{row.similarity:.2f}"
            cells.append(
                f'<tr class="reslens-{esc(row.status)}"><td>{esc(row.status)}</td>'
                f"<td>{esc(row.a or '')}</td><td>{esc(row.b or '')}</td><td>{sim}</td>"
                f"<td>{esc(_short(row.a_text))}</td><td>{esc(_short(row.b_text))}</td></tr>"
            )
        return head + '<table class="reslens-align">' + "".join(cells) + "</table>"


def align(
    a: Sequence[Paragraph],
    b: Sequence[Paragraph],
    *,
    vectors_a: np.ndarray | None = None,
    vectors_b: np.ndarray | None = None,
    encode: Encode | None = None,
    threshold: float | None = None,
    point_threshold: float = DEFAULT_POINT_THRESHOLD,
    semantic_weight: float = DEFAULT_SEMANTIC_WEIGHT,
    semantic_containment: float = SEMANTIC_CONTAINMENT_WEIGHT,
    a_label: str = "a",
    b_label: str = "b",
) -> Alignment:
    """Align two lists of paragraphs (usually the operative paragraphs of two resolutions).

    Args:
        a: the earlier text's paragraphs, in order.
        b: the later text's paragraphs, in order.
        vectors_a: unit embeddings of ``a`` (one row per paragraph), skipping the model.
        vectors_b: unit embeddings of ``b``.
        encode: an embedding function (``Library.encode``, ``Embedder.encode``); used for
            paragraphs without given vectors and for sub-points. Without vectors and without
            ``encode`` the similarity is lexical only.
        threshold: the lowest similarity of a paragraph pair (default
            :data:`DEFAULT_THRESHOLD` with embeddings, :data:`LEXICAL_THRESHOLD` without).
        point_threshold: the lowest similarity of a split or merged link.
        semantic_weight: the weight ``w`` of the cosine in the mix (0 = lexical only).
        semantic_containment: the damping ``c`` of the piece cosine (0 = cosine of the means
            only); pieces are embedded with ``encode``, so given vectors alone do without.
        a_label: a name for ``a`` in displays.
        b_label: a name for ``b``.

    Returns:
        An :class:`Alignment`.

    Raises:
        ReslensError: vectors of the wrong shape, or only one side's vectors and no ``encode``.

    Examples:
        >>> lib = rl.open("index")  # doctest: +SKIP
        >>> ops = lambda n: lib.resolution(n).operative()  # doctest: +SKIP
        >>> align(ops(2331), ops(2388), encode=lib.encode).counts()  # doctest: +SKIP
    """
    if not 0.0 <= semantic_weight <= 1.0:
        raise ReslensError("semantic_weight must be between 0 and 1")
    a, b = list(a), list(b)
    va, vb = paragraph_vectors(a, b, vectors_a, vectors_b, encode)
    use_vectors = va is not None and vb is not None and semantic_weight > 0
    weight = semantic_weight if use_vectors else 0.0
    if threshold is None:
        threshold = DEFAULT_THRESHOLD if weight > 0 else LEXICAL_THRESHOLD
    contain = None
    if use_vectors and encode is not None and semantic_containment > 0:
        contain = Containment(
            encode,
            [point_texts(p.points) for p in a],
            [point_texts(p.points) for p in b],
            semantic_containment,
        )
    sim = similarity_matrix([p.text for p in a], [p.text for p in b], va, vb, weight, contain)

    pairs = assign(sim, threshold)
    partner_of_a = {i: j for i, j in pairs}
    partner_of_b = {j: i for i, j in pairs}
    point_encode = encode if use_vectors else None
    splits = _point_links(
        a, b, sim.T, partner_of_a, partner_of_b, point_threshold, point_encode, weight, vb
    )
    merges = _point_links(
        b, a, sim, partner_of_b, partner_of_a, point_threshold, point_encode, weight, va
    )

    rows: list[tuple[tuple[float, int, int, int], AlignedRow]] = []
    taken_pairs = {(i, j) for i, j, *_ in splits} | {(i, j) for j, i, *_ in merges}
    kept_pairs = [(i, j) for i, j in pairs if (i, j) not in taken_pairs]
    moved = _off_chain(kept_pairs, sim)
    for i, j in kept_pairs:
        status = "moved" if (i, j) in moved else _pair_status(a[i].text, b[j].text)
        row = AlignedRow(
            status,
            a[i].key,
            b[j].key,
            similarity=_round(sim[i, j]),
            a_text=a[i].text,
            b_text=b[j].text,
        )
        rows.append(((j, 0, i, 0), row))
    for i, j, order, label, text, score in splits:
        row = AlignedRow(
            "split",
            a[i].key,
            b[j].key,
            a_point=label,
            similarity=_round(score),
            a_text=text,
            b_text=b[j].text,
        )
        rows.append(((j, 0, i, order), row))
    for j, i, order, label, text, score in merges:
        row = AlignedRow(
            "merged",
            a[i].key,
            b[j].key,
            b_point=label,
            similarity=_round(score),
            a_text=a[i].text,
            b_text=text,
        )
        rows.append(((j, 0, i, order), row))
    linked_a = {i for i, _ in kept_pairs} | {i for i, *_ in splits} | {i for _, i, *_ in merges}
    linked_b = {j for _, j in kept_pairs} | {j for _, j, *_ in splits} | {j for j, *_ in merges}
    last_b = -1.0
    for i, para in enumerate(a):
        targets = [key[0] for key, row in rows if row.a_key == para.key]
        if targets:
            last_b = max(last_b, max(targets))
        elif i not in linked_a:
            rows.append(
                ((last_b, 1, i, 0), AlignedRow("dropped", para.key, None, a_text=para.text))
            )
    for j, para in enumerate(b):
        if j not in linked_b:
            rows.append(((j, 0, -1, 0), AlignedRow("new", None, para.key, b_text=para.text)))
    rows.sort(key=lambda item: item[0])
    return Alignment(tuple(row for _, row in rows), a_label=a_label, b_label=b_label)


# -- assignment -------------------------------------------------------------------------------
def assign(sim: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Optimal one-to-one pairs with ``sim >= threshold``, maximising the gain over it."""
    if sim.size == 0:
        return []
    from scipy.optimize import linear_sum_assignment

    gain = np.maximum(sim - threshold, 0.0)
    rows, cols = linear_sum_assignment(gain, maximize=True)
    return sorted(
        (int(i), int(j)) for i, j in zip(rows, cols, strict=True) if sim[i, j] >= threshold
    )


def _point_links(
    holders: list[Paragraph],
    others: list[Paragraph],
    sim_others_holders: np.ndarray,
    partner_of_holder: dict[int, int],
    partner_of_other: dict[int, int],
    threshold: float,
    encode: Encode | None,
    weight: float,
    other_vectors: np.ndarray | None,
) -> list[tuple[int, int, int, str, str, float]]:
    """Sub-points of ``holders`` matched to whole paragraphs of ``others``.

    Candidates are the ``others`` left unpaired and each holder's own partner. Returns
    ``(holder index, other index, point order, label, point text, similarity)``; a holder's
    own partner is taken only where the sub-point explains it better than the whole paragraph,
    or where other sub-points of the holder already went to other paragraphs.
    """
    units: list[tuple[int, int, str, str]] = []
    for h, para in enumerate(holders):
        if len(para.points) >= 2:
            labels = point_labels(para.points)
            for order, point in enumerate(para.points, start=1):
                text = _point_text(point)
                if text:
                    units.append((h, order, labels[order - 1], text))
    free = [o for o in range(len(others)) if o not in partner_of_other]
    owned = sorted({partner_of_holder[h] for h, *_ in units if h in partner_of_holder})
    columns = free + owned
    if not units or not columns:
        return []
    texts = [u[3] for u in units]
    cand_texts = [others[o].text for o in columns]
    unit_vectors = cand_vectors = None
    if encode is not None and other_vectors is not None and weight > 0:
        unit_vectors = embed_texts(encode, [(t, ()) for t in texts])
        cand_vectors = other_vectors[columns]
    sim = similarity_matrix(texts, cand_texts, unit_vectors, cand_vectors, weight)
    for c, o in enumerate(columns):
        if o in partner_of_other:  # an owned column: only its own holder's points may take it
            owner = partner_of_other[o]
            for u, unit in enumerate(units):
                if unit[0] != owner:
                    sim[u, c] = 0.0
    found = [(units[u], columns[c], float(sim[u, c])) for u, c in assign(sim, threshold)]
    spread = {unit[0] for unit, o, _ in found if o not in partner_of_other}
    out = []
    for (h, order, label, text), o, score in found:
        # A sub-point takes over its paragraph's own pair when it explains the partner better
        # than the whole paragraph does, or when the paragraph is already spread over others.
        if o in partner_of_other and score <= sim_others_holders[o, h] and h not in spread:
            continue
        out.append((h, o, order, label, text, score))
    return out


def _point_text(point: SubPoint) -> str:
    text = point.text
    if point.children:
        text = f"{text} {flatten_points(point.children)}"
    return text.strip()


def _off_chain(pairs: list[tuple[int, int]], sim: np.ndarray) -> set[tuple[int, int]]:
    """Pairs off the heaviest chain increasing in both positions (the ``moved`` ones)."""
    ordered = sorted(pairs)
    if not ordered:
        return set()
    best = [float(sim[i, j]) for i, j in ordered]
    back = [-1] * len(ordered)
    for k, (_, j) in enumerate(ordered):
        for m in range(k):
            if ordered[m][1] < j and best[m] + float(sim[ordered[k]]) > best[k]:
                best[k] = best[m] + float(sim[ordered[k]])
                back[k] = m
    k = max(range(len(ordered)), key=lambda n: best[n])
    chain: set[tuple[int, int]] = set()
    while k >= 0:
        chain.add(ordered[k])
        k = back[k]
    return set(ordered) - chain


def _pair_status(x: str, y: str) -> str:
    if exact_form(x) == exact_form(y):
        return "identical"
    return "typography" if typography_only(x, y) else "modified"


UNLABELLED = ("•", "–", "-", "—", "*")
"""Sub-point labels that do not number their point; cited with their position (``•2``)."""


def point_labels(points: Sequence[SubPoint]) -> list[str]:
    """The citation label of each sub-point: its own (``(b)``), or a bullet or dash followed
    by its position among the points with that mark (``•1``, ``•2``).

    Examples:
        >>> point_labels([SubPoint("•", "x"), SubPoint("•", "y"), SubPoint("(c)", "z")])
        ['•1', '•2', '(c)']
    """
    seen: dict[str, int] = {}
    out = []
    for point in points:
        if point.label in UNLABELLED:
            seen[point.label] = seen.get(point.label, 0) + 1
            out.append(f"{point.label}{seen[point.label]}")
        else:
            out.append(point.label)
    return out


# -- display ----------------------------------------------------------------------------------
def _cite(key: str | None, point: str | None) -> str | None:
    if key is None:
        return None
    return f"{key}{point}" if point else key


def _round(value: float) -> float:
    return round(float(value), 4)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _redline_text(x: str, y: str) -> str:
    """The plain-text word-level redline of ``x`` → ``y``."""
    from reslens.analysis.redline import redline

    return redline(x, y).to_text()
