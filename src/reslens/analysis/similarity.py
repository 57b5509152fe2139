"""Similarity of two paragraph texts, as used to align resolutions (:mod:`reslens.analysis.align`).

``lex`` compares word lists with :class:`difflib.SequenceMatcher` (the ratio, or the damped
containment of the shorter text); the semantic term is the cosine of the paragraphs' mean
embeddings, or — for a short paragraph against a long one — the damped best cosine of a
clause-sized piece of the longer text. See the :mod:`reslens.analysis.align` module notes for the
formula and ``bench/eval_align.py`` for the measurements behind the constants.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from reslens.errors import ReslensError
from reslens.linalg import unit
from reslens.models import Paragraph, SubPoint
from reslens.text import normalize

CONTAINMENT_WEIGHT = 0.8
"""``lex = max(ratio, CONTAINMENT_WEIGHT * matched / shorter)``: a paragraph that kept its text
and gained (or lost) a long tail still scores high (0 turns containment off)."""

PIECE_WORDS = 30
"""Words per piece (about one clause) for the semantic containment term."""

PIECE_OVERLAP = 10
"""Words a piece repeats from the one before (see :func:`reslens.index.passages.split_passages`)."""

SEMANTIC_CONTAINMENT_WEIGHT = 0.9
"""``cos = max(cos of the means, SEMANTIC_CONTAINMENT_WEIGHT * best piece cosine)`` (0 turns
semantic containment off)."""

Encode = Callable[[list[str]], np.ndarray]
"""An embedding function: texts → unit float32 rows."""

_WORD = re.compile(r"\w+")


def lexical_similarity(x: str, y: str) -> float:
    """The :class:`difflib.SequenceMatcher` ratio of the word tokens of two texts (0–1).

    Examples:
        >>> lexical_similarity("Decides to remain seized", "decides to remain seized.")
        1.0
    """
    wx, wy = words(x), words(y)
    if not wx and not wy:
        return 1.0
    return lex_score(SequenceMatcher(None, wy, wx, autojunk=False), len(wx), len(wy))


def containment(part: str, whole: str) -> float:
    """The share of ``part``'s word tokens found, in order, in ``whole`` (0–1).

    Examples:
        >>> containment("remain seized", "Decides to remain seized of the matter")
        1.0
    """
    wp, ww = words(part), words(whole)
    if not wp:
        return 0.0
    matcher = SequenceMatcher(None, wp, ww, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(wp)


def lex_score(matcher: SequenceMatcher[str], nx: int, ny: int) -> float:
    matched = sum(block.size for block in matcher.get_matching_blocks())
    ratio = 2.0 * matched / (nx + ny)
    if CONTAINMENT_WEIGHT <= 0 or not min(nx, ny):
        return ratio
    return max(ratio, CONTAINMENT_WEIGHT * matched / min(nx, ny))


def words(text: str) -> list[str]:
    return _WORD.findall(normalize(text).casefold())


def norm_text(text: str) -> str:
    return normalize(text).casefold().rstrip(" ;.,:")


def similarity_matrix(
    xs: Sequence[str],
    ys: Sequence[str],
    vx: np.ndarray | None,
    vy: np.ndarray | None,
    weight: float,
    contain: Containment | None = None,
) -> np.ndarray:
    """The combined similarity matrix (rows ``xs``, columns ``ys``); 1.0 for identical text.

    With ``contain`` the cosine of a pair is at least ``contain.factor`` times the best cosine
    of a piece of its longer text with the whole shorter text.
    """
    wx = [words(t) for t in xs]
    wy = [words(t) for t in ys]
    lex = np.zeros((len(xs), len(ys)), dtype=np.float64)
    for i, left in enumerate(wx):
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(left)
        for j, right in enumerate(wy):
            if not left and not right:
                lex[i, j] = 1.0
                continue
            matcher.set_seq1(right)
            lex[i, j] = lex_score(matcher, len(right), len(left))
    sim = lex
    if weight > 0 and vx is not None and vy is not None and len(xs) and len(ys):
        fx, fy = np.asarray(vx, dtype=np.float64), np.asarray(vy, dtype=np.float64)
        cos = fx @ fy.T
        if contain is not None:
            sizes = (np.array([len(w) for w in wx]), np.array([len(w) for w in wy]))
            piece_cos = piece_cosines((xs, ys), (fx, fy), sizes, contain)
            cos = np.maximum(cos, contain.factor * piece_cos)
        sim = weight * np.clip(cos, 0.0, 1.0) + (1.0 - weight) * lex
    nx = [norm_text(t) for t in xs]
    ny = [norm_text(t) for t in ys]
    for i, left_norm in enumerate(nx):
        for j, right_norm in enumerate(ny):
            if left_norm == right_norm:
                sim[i, j] = 1.0
    return sim


@dataclass(frozen=True)
class Containment:
    """What the semantic containment term needs besides the texts and their vectors."""

    encode: Encode
    points_x: Sequence[Sequence[str]]
    points_y: Sequence[Sequence[str]]
    factor: float


def piece_cosines(
    texts: tuple[Sequence[str], Sequence[str]],
    vectors: tuple[np.ndarray, np.ndarray],
    sizes: tuple[np.ndarray, np.ndarray],
    contain: Containment,
) -> np.ndarray:
    """Per pair, the best cosine of a piece of the longer text with the whole shorter one.

    Zero where the longer text has no pieces (it is short) or both have the same length.
    """
    (xs, ys), (vx, vy) = texts, vectors
    longer_x = sizes[0][:, None] > sizes[1][None, :]
    longer_y = sizes[0][:, None] < sizes[1][None, :]
    out = np.zeros((len(xs), len(ys)), dtype=np.float64)
    sides = (
        (xs, contain.points_x, longer_x, vy, out),
        (ys, contain.points_y, longer_y.T, vx, out.T),  # out.T is a view: writes go to out
    )
    for side_texts, points, longer, other, target in sides:
        need = [int(i) for i in np.flatnonzero(longer.any(axis=1))]
        if not need:
            continue
        pieces = embed_pieces(contain.encode, [(side_texts[i], points[i]) for i in need])
        if not len(pieces.owners):
            continue
        best = np.zeros((len(need), len(other)), dtype=np.float64)
        np.maximum.at(best, pieces.owners, pieces.vectors.astype(np.float64) @ other.T)
        target[need] = np.where(longer[need], best, target[need])
    return out


def paragraph_vectors(
    a: list[Paragraph],
    b: list[Paragraph],
    vectors_a: np.ndarray | None,
    vectors_b: np.ndarray | None,
    encode: Encode | None,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    out: list[np.ndarray | None] = []
    for name, paras, given in (("a", a, vectors_a), ("b", b, vectors_b)):
        if given is not None:
            arr = np.asarray(given, dtype=np.float32)
            if arr.ndim != 2 or arr.shape[0] != len(paras):
                raise ReslensError(
                    f"vectors_{name} has shape {arr.shape}; expected ({len(paras)}, dimension)"
                )
            out.append(arr)
        elif encode is not None:
            out.append(embed_texts(encode, [(p.text, point_texts(p.points)) for p in paras]))
        else:
            out.append(None)
    va, vb = out
    if (va is None) != (vb is None):
        raise ReslensError("give vectors for both sides (or an encode function), or for neither")
    if va is not None and vb is not None and va.shape[1] != vb.shape[1] and len(a) and len(b):
        raise ReslensError(f"vectors of different dimensions: {va.shape[1]} and {vb.shape[1]}")
    return va, vb


def embed_texts(encode: Encode, items: Sequence[tuple[str, Sequence[str]]]) -> np.ndarray:
    """Embed texts too long for the model as passages and return each text's mean unit vector.

    Args:
        encode: the embedding function.
        items: ``(text, sub-point texts)`` pairs; the points guide where a long text is cut.

    Returns:
        One unit float32 row per item.
    """
    from reslens.index.passages import split_passages

    owners: list[int] = []
    passages: list[str] = []
    for index, (text, points) in enumerate(items):
        pieces = split_passages(text, points=list(points)) or [text or " "]
        passages.extend(pieces)
        owners.extend([index] * len(pieces))
    if not items:
        return np.zeros((0, 1), dtype=np.float32)
    vectors = np.asarray(encode(passages), dtype=np.float32)
    out = np.zeros((len(items), vectors.shape[1]), dtype=np.float32)
    np.add.at(out, np.asarray(owners), vectors)
    return unit(out)


@dataclass(frozen=True)
class Pieces:
    """Clause-sized pieces of the long texts of one side (see :func:`embed_pieces`).

    Attributes:
        vectors: one unit float32 row per piece.
        owners: the index of the text each piece comes from.
    """

    vectors: np.ndarray
    owners: np.ndarray


def embed_pieces(
    encode: Encode,
    items: Sequence[tuple[str, Sequence[str]]],
    max_words: int = PIECE_WORDS,
    overlap_words: int = PIECE_OVERLAP,
) -> Pieces:
    """Embed every text longer than ``max_words`` as clause-sized, overlapping pieces.

    A short text read against a whole long one is drowned by the rest of it (2388:op34, a
    26-word reporting request, has a cosine of 0.37 with the 162-word 2331:op23 that opens with
    it, but of 0.81 with that opening clause); the pieces let the similarity see it.

    Args:
        encode: the embedding function.
        items: ``(text, sub-point texts)`` pairs; the points guide where a text is cut.
        max_words: the largest piece, in words.
        overlap_words: about how many words a piece repeats from the one before.

    Returns:
        The pieces (texts of at most ``max_words`` words have none).
    """
    from reslens.index.passages import split_passages

    owners: list[int] = []
    texts: list[str] = []
    for index, (text, points) in enumerate(items):
        cut = split_passages(
            text, points=list(points), max_words=max_words, overlap_words=overlap_words
        )
        if len(cut) > 1:
            texts.extend(cut)
            owners.extend([index] * len(cut))
    if not texts:
        return Pieces(np.zeros((0, 1), dtype=np.float32), np.zeros(0, dtype=np.int64))
    return Pieces(unit(encode(texts)), np.asarray(owners, dtype=np.int64))


def point_texts(points: Sequence[SubPoint]) -> list[str]:
    return [p.text for p in points]
