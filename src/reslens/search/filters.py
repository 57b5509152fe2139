"""Search filters: the :class:`~reslens.store.queries.Filters` record (its SQL lives in the store)
and :func:`make_filters`, which turns user arguments (verb phrases, resolution references)
into it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reslens.language.lexicon import Lexicon
from reslens.language.refs import parse_ref
from reslens.store.queries import Filters, allowed_paragraphs


def lemmas(verbs: Sequence[str]) -> tuple[str, ...]:
    """Verb phrases (``"Requests further"``, ``"calls upon"``) as the lexicon's lemmas."""
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


def resolution_number(value: int | str) -> int:
    """A resolution number from a number or any reference form (``"S/RES/2331 (2016)"``)."""
    return value if isinstance(value, int) else parse_ref(str(value)).resolution


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
) -> Filters:
    """:class:`Filters` from the arguments of ``Library.search`` (see there)."""
    return Filters(
        since=since,
        until=until,
        kind=kind,
        verbs=lemmas(strings(verbs)),
        min_strength=min_strength,
        subjects=strings(subjects),
        resolutions=tuple(resolution_number(r) for r in items(resolutions)),
        exclude_resolutions=tuple(resolution_number(r) for r in items(exclude_resolutions)),
        chapter_vii=chapter_vii,
        language=language,
        exclude=tuple(exclude),
    )


__all__ = ["Filters", "allowed_paragraphs", "lemmas", "make_filters", "resolution_number"]
