"""Records that flow through reslens: frozen dataclasses, no behaviour beyond small helpers.

A reader turns one source file into a :class:`Resolution` holding its :class:`Paragraph`
records. Readers fill in the text and structure; :mod:`reslens.language.verbs` adds verbs (where a
reader could not read them from markup), addressees and citations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PREAMBULAR = "preambular"
OPERATIVE = "operative"

#: The kinds of document the store holds (the ``document`` column).
RESOLUTION = "resolution"
PRST = "presidential statement"
DRAFT = "draft not adopted"
DOCUMENTS = (RESOLUTION, PRST, DRAFT)

# A document other than a resolution gets a synthetic number, far above any resolution number
# (at most 9999), that encodes its symbol: S/PRST/2015/25 is 120_150_025, S/2024/302 is
# 220_240_302. The store's ``resolution`` columns hold it, so every join and index works as
# for resolutions; every resolution-number look-up (``S/RES/n``, citations, coverage) reads
# numbers of at most four digits and so never meets one.
_BASES = {PRST: 100_000_000, DRAFT: 200_000_000}
_PER_YEAR = 10_000


def document_number(document: str, year: int, number: int) -> int:
    """The number a document is stored under: the resolution number itself, or the synthetic
    number of a presidential statement or draft (``S/PRST/2015/25`` → 120150025).

    Examples:
        >>> document_number(PRST, 2015, 25), document_number(DRAFT, 2024, 302)
        (120150025, 220240302)
    """
    if document == RESOLUTION:
        return number
    if document not in _BASES or not 1900 <= year <= 9999 or not 0 < number < _PER_YEAR:
        raise ValueError(f"no number for {document} {year}/{number}")
    return _BASES[document] + year * _PER_YEAR + number


def document_codes(numbers: Any) -> Any:
    """The index in :data:`DOCUMENTS` of the kind of each stored number (a numpy array)."""
    import numpy as np

    values = np.asarray(numbers, dtype=np.int64)
    return np.where(values >= _BASES[DRAFT], 2, np.where(values >= _BASES[PRST], 1, 0))


def document_of(number: int) -> str:
    """The kind of document stored under ``number`` (see :data:`DOCUMENTS`)."""
    if number >= _BASES[DRAFT]:
        return DRAFT
    if number >= _BASES[PRST]:
        return PRST
    return RESOLUTION


def document_symbol(number: int, year: int | None = None) -> str:
    """The document's own symbol: ``S/RES/2331 (2016)``, ``S/PRST/2015/25``, ``S/2024/302``.

    Examples:
        >>> document_symbol(2331, 2016), document_symbol(120150025), document_symbol(220240302)
        ('S/RES/2331 (2016)', 'S/PRST/2015/25', 'S/2024/302')
    """
    document = document_of(number)
    if document == RESOLUTION:
        return f"S/RES/{number}" + (f" ({year})" if year else "")
    rest = number - _BASES[document]
    middle = "PRST/" if document == PRST else ""
    return f"S/{middle}{rest // _PER_YEAR}/{rest % _PER_YEAR}"


def document_key(number: int) -> str:
    """The document part of a paragraph key: ``2331`` for a resolution, else the symbol."""
    return str(number) if document_of(number) == RESOLUTION else document_symbol(number)


@dataclass(frozen=True)
class SubPoint:
    """A lettered or numbered sub-point such as ``(a)`` or ``(ii)``, possibly nested."""

    label: str
    text: str
    children: tuple[SubPoint, ...] = ()


@dataclass(frozen=True)
class Verb:
    """An operative (or preambular) verb phrase as it stands in a paragraph.

    Attributes:
        text: the phrase as written, e.g. ``"requests further"``.
        lemma: the canonical head, e.g. ``"requests"``; empty when unknown.
        strength: the rung on the obligation ladder (see :mod:`reslens.language.lexicon`),
            or ``None``
            for verbs off the ladder (condemnation, unknown, other languages).
        family: the ladder family name (``decision``, ``request``, ``encouragement``,
            ``support``, ``acknowledgement``, ``condemnation``) or ``""``.
        position: character offset of the phrase in the paragraph text.
        source: ``"markup"`` (AKN italics) or ``"detected"`` (found in plain text).
    """

    text: str
    lemma: str = ""
    strength: int | None = None
    family: str = ""
    position: int = 0
    source: str = "markup"


@dataclass(frozen=True)
class Citation:
    """A reference from a paragraph to another Security Council resolution."""

    number: int
    year: int | None
    text: str


@dataclass(frozen=True)
class Paragraph:
    """One preambular or operative paragraph.

    Attributes:
        key: stable key, ``"2331:op21"`` or ``"2331:pp3"`` (``"2331:op21@fr"`` for French).
        resolution: the resolution number.
        kind: ``"operative"`` or ``"preambular"``.
        number: the printed number of an operative paragraph (``"21"``); the position for a
            preambular one (``"3"``).
        ordinal: order of the paragraph inside the resolution, from 0.
        text: the clean text of the whole paragraph, sub-points included.
        intro: the text before the first sub-point (the whole text when there are none).
        points: the sub-points, as structure.
        section: part of the resolution (``"A"``, ``"B"``…) where it has parts.
        heading: the un-numbered heading the paragraph stands under, if any.
        language: ISO 639-1 code.
        verbs: verbs in order of appearance.
        addressees: who the paragraph addresses, where it can be read.
        citations: resolutions the paragraph cites.
    """

    key: str
    resolution: int
    kind: str
    number: str
    ordinal: int
    text: str
    intro: str = ""
    points: tuple[SubPoint, ...] = ()
    section: str | None = None
    heading: str | None = None
    language: str = "en"
    verbs: tuple[Verb, ...] = ()
    addressees: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()

    @property
    def leading_verb(self) -> Verb | None:
        """The first verb of the paragraph, if any."""
        return self.verbs[0] if self.verbs else None


@dataclass(frozen=True)
class Resolution:
    """A Security Council resolution in one language, with its paragraphs and metadata."""

    number: int
    year: int
    language: str = "en"
    date: str | None = None
    title: str | None = None
    agenda_item: str | None = None
    chapter_vii: bool | None = None
    subjects: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    meeting: str | None = None
    draft_symbol: str | None = None
    sponsors: tuple[str, ...] = ()
    votes_for: tuple[str, ...] = ()
    votes_against: tuple[str, ...] = ()
    votes_abstaining: tuple[str, ...] = ()
    vote_counts: tuple[int, int, int] | None = None
    url: str | None = None
    source_path: str = ""
    source_format: str = ""
    paragraphs: tuple[Paragraph, ...] = field(default=(), repr=False)

    @property
    def symbol(self) -> str:
        """The document symbol, e.g. ``S/RES/2331 (2016)``, ``S/PRST/2015/25``."""
        return document_symbol(self.number, self.year)

    @property
    def document(self) -> str:
        """``resolution``, ``presidential statement`` or ``draft not adopted``."""
        return document_of(self.number)

    def operative(self) -> tuple[Paragraph, ...]:
        """The operative paragraphs, in order."""
        return tuple(p for p in self.paragraphs if p.kind == OPERATIVE)

    def preambular(self) -> tuple[Paragraph, ...]:
        """The preambular paragraphs, in order."""
        return tuple(p for p in self.paragraphs if p.kind == PREAMBULAR)


def paragraph_key(number: int, kind: str, para_number: str, language: str = "en") -> str:
    """Build the stable key of a paragraph: ``2331:op21``, ``2331:pp3``, ``2331:op21@fr``;
    ``S/PRST/2015/25:op3``, ``S/2024/302:pp2`` for other documents."""
    prefix = "op" if kind == OPERATIVE else "pp"
    key = f"{document_key(number)}:{prefix}{para_number}"
    return key if language == "en" else f"{key}@{language}"


def flatten_points(points: tuple[SubPoint, ...]) -> str:
    """Render sub-points as running text: ``(a) first; (b) second``."""
    parts: list[str] = []
    for point in points:
        parts.append(f"{point.label} {point.text}".strip())
        if point.children:
            parts.append(flatten_points(point.children))
    return " ".join(p for p in parts if p)
