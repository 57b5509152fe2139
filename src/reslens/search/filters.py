"""Search filters: the :class:`~reslens.store.queries.Filters` record (its SQL lives in the store)
and :func:`make_filters`, which turns user arguments (verb phrases, resolution references)
into it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reslens.errors import ReslensError
from reslens.language.refs import parse_ref
from reslens.models import DOCUMENTS, DRAFT, PRST, RESOLUTION
from reslens.store.queries import Filters, allowed_paragraphs
from reslens.text import clean

#: Short names accepted for the kinds of document.
DOCUMENT_NAMES = {
    RESOLUTION: RESOLUTION, "resolutions": RESOLUTION, PRST: PRST, "prst": PRST,
    "statement": PRST, "presidential statements": PRST, DRAFT: DRAFT, "draft": DRAFT,
    "drafts": DRAFT, "drafts not adopted": DRAFT,
}  # fmt: skip


def documents(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """The kinds of document a search returns: ``None`` → resolutions only, ``"all"`` → every
    kind, else one name or several (``"prst"``, ``"presidential statement"``, ``"draft"``).

    Examples:
        >>> documents(None), documents("prst")
        (('resolution',), ('presidential statement',))
    """
    if value is None:
        return (RESOLUTION,)
    names = [str(v).strip().lower() for v in items(value)]
    if "all" in names:
        return DOCUMENTS
    unknown = [n for n in names if n not in DOCUMENT_NAMES]
    if unknown or not names:
        raise ReslensError(
            f"document must be 'all' or among {', '.join(DOCUMENTS)} (or prst, draft), "
            f"not {', '.join(map(repr, unknown)) or 'nothing'}"
        )
    return tuple(dict.fromkeys(DOCUMENT_NAMES[n] for n in names))


def lemmas(verbs: Sequence[str]) -> tuple[str, ...]:
    """Verb phrases (``"Requests further"``, ``"calls upon"``) as the lexicon's lemmas."""
    if not verbs:
        return ()
    from reslens.language.lexicon import Lexicon  # read only when a verb is asked for

    lexicon = Lexicon.load()
    out = []
    for verb in verbs:
        phrase = verb.lower().strip()
        out.append(lexicon.lemma(phrase) or phrase)
    return tuple(out)


def items(value: Any) -> list[Any]:
    """None → [], one value → [value], an iterable → a list."""
    if value is None:
        return []
    if isinstance(value, (str, int)):
        return [value]
    return list(value)


def strings(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """One string or several, as a tuple of strings."""
    return tuple(str(v) for v in items(value))


#: The years a ``since``/``until`` bound may name (wider than any adoption year).
YEARS = (1, 9999)


def year(name: str, value: int | None) -> int | None:
    """``value`` checked as a year bound (``since``/``until``): an integer in ``YEARS``.

    Examples:
        >>> year("since", 2010)
        2010
        >>> year("until", 10**5)
        Traceback (most recent call last):
        ...
        reslens.errors.ReslensError: --until must be a year from 1 to 9999, not 100000
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReslensError(f"--{name} must be a year, not {value!r}")
    if not YEARS[0] <= value <= YEARS[1]:
        raise ReslensError(f"--{name} must be a year from {YEARS[0]} to {YEARS[1]}, not {value}")
    return value


def addressee_key(value: str) -> str:
    """An ``addressees=`` value as the filter matches it: a category (``"mission"``,
    ``"member_states"``) as given, else the name as the extractor writes it, lower-cased
    ("all States" → ``member states``, "ECOWAS" → ``economic community of west african
    states``).

    Examples:
        >>> addressee_key("all States"), addressee_key("Mission")
        ('member states', 'mission')
    """
    value = value.strip()
    from reslens.language.addressees import CATEGORIES, canonical_name

    if value.lower() in CATEGORIES:
        return value.lower()
    return (canonical_name(value) or value).lower()


def sponsor_key(value: str) -> str:
    """A ``sponsors=`` value as the filter matches it: the Member State's name as the UN's
    files write it (any spelling of ``data/member_states.txt``; the full name, "United Kingdom
    of Great Britain and Northern Ireland", where the list has no other), lower-cased.

    Examples:
        >>> sponsor_key(" United States of America")
        'united states of america'
    """
    name = clean(value)
    from reslens.language.states import member_states

    return member_states().get(name.casefold(), name).lower()


def resolution_number(value: int | str) -> int:
    """A resolution number from a number or any reference form (``"S/RES/2331 (2016)"``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= 9999:
            raise ReslensError(f"{value} is not a resolution number (1 to 9999)")
        return value
    return parse_ref(str(value)).resolution


def make_filters(
    *,
    since: int | None = None,
    until: int | None = None,
    kind: str | None = None,
    verbs: str | Sequence[str] | None = None,
    min_strength: int | None = None,
    subjects: str | Sequence[str] | None = None,
    resolutions: int | str | Sequence[int | str] | None = None,
    exclude_resolutions: int | str | Sequence[int | str] | None = None,
    chapter_vii: bool | None = None,
    language: str = "en",
    exclude: Sequence[str] = (),
    addressees: str | Sequence[str] | None = None,
    sponsors: str | Sequence[str] | None = None,
    unanimous: bool | None = None,
    document: str | Sequence[str] | None = None,
) -> Filters:
    """:class:`Filters` from the arguments of ``Library.search`` (see there)."""
    if min_strength is not None and (
        isinstance(min_strength, bool)
        or not isinstance(min_strength, int)
        or not 1 <= min_strength <= 5
    ):
        raise ReslensError(f"min_strength must be 1 to 5, not {min_strength!r}")
    return Filters(
        since=year("since", since),
        until=year("until", until),
        kind=kind,
        verbs=lemmas(strings(verbs)),
        min_strength=min_strength,
        subjects=strings(subjects),
        resolutions=tuple(resolution_number(r) for r in items(resolutions)),
        exclude_resolutions=tuple(resolution_number(r) for r in items(exclude_resolutions)),
        chapter_vii=chapter_vii,
        language=language,
        exclude=tuple(exclude),
        addressees=tuple(addressee_key(a) for a in strings(addressees)),
        sponsors=tuple(sponsor_key(s) for s in strings(sponsors)),
        unanimous=unanimous,
        document=documents(document),
    )


__all__ = [
    "YEARS",
    "Filters",
    "addressee_key",
    "allowed_paragraphs",
    "documents",
    "lemmas",
    "make_filters",
    "resolution_number",
    "sponsor_key",
    "year",
]
