"""The language versions of a resolution, matched paragraph by paragraph.

A paragraph's key names its language (``2532:op4`` in English, ``2532:op4@fr`` in French), so
two versions of one paragraph share the key without its ``@xx``: the same kind and number.
:func:`version_alignment` matches the versions of one resolution on that key and reports where
their structures differ: a paragraph missing in a language or found only in it, paragraphs in
another order, and sub-points that differ in number or nesting. Texts are never compared
(they are in different languages); only the structure the readers found.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reslens.language.refs import citation
from reslens.models import Paragraph
from reslens.store.db import Store
from reslens.store.queries import select_in

if TYPE_CHECKING:
    import pandas as pd

#: English first, then the other official languages in the UN's order, then German (a
#: translation the UN publishes, not an official language).
LANGUAGE_ORDER = ("en", "ar", "zh", "fr", "ru", "es", "de")
OFFICIAL_LANGUAGES = frozenset({"ar", "zh", "en", "fr", "ru", "es"})

#: Issues :func:`version_alignment` reports, in the order they are listed.
ISSUES = ("missing", "extra", "order", "sub-points")

#: The columns of :meth:`VersionAlignment.mismatch_frame`.
MISMATCH_COLUMNS = ["paragraph", "citation", "language", "issue", "detail", "url"]

Shape = tuple["Shape", ...]


def base_key(key: str) -> str:
    """A paragraph key without its language: ``2532:op4@fr`` → ``2532:op4``.

    Examples:
        >>> base_key("2532:op4@fr"), base_key("2532:pp1")
        ('2532:op4', '2532:pp1')
    """
    return key.split("@", 1)[0]


def language_sort_key(language: str) -> tuple[int, str]:
    """Sort key putting languages in :data:`LANGUAGE_ORDER` (unknown codes last, by name)."""
    order = LANGUAGE_ORDER.index(language) if language in LANGUAGE_ORDER else len(LANGUAGE_ORDER)
    return order, language


def shape_of(points: Sequence[dict[str, Any]]) -> Shape:
    """The nesting of sub-points as nested tuples: ``((), ((), ()))`` is two points, the second
    with two of its own."""
    return tuple(shape_of(p.get("children", [])) for p in points)


def describe_shape(shape: Shape) -> str:
    """``3 sub-points`` / ``2 sub-points (2 nested: 0+2)`` / ``no sub-points``.

    Examples:
        >>> describe_shape(((), ((), ())))
        '2 sub-points (2 nested: 0+2)'
    """
    if not shape:
        return "no sub-points"
    nested = _count(shape) - len(shape)
    text = f"{len(shape)} sub-point{'s' if len(shape) != 1 else ''}"
    if not nested:
        return text
    return text + f" ({nested} nested: {'+'.join(str(_count(c)) for c in shape)})"


def _count(shape: Shape) -> int:
    return sum(1 + _count(child) for child in shape)


@dataclass(frozen=True)
class Version:
    """What the alignment knows of one language version of a paragraph."""

    key: str
    kind: str
    number: str
    ordinal: int
    shape: Shape


@dataclass(frozen=True)
class Mismatch:
    """One structural difference between a language version and the reference version.

    Attributes:
        paragraph: the paragraph's key without language (``2532:op4``).
        language: the version that differs.
        issue: ``missing`` (the reference has the paragraph, this language does not),
            ``extra`` (only this language has it), ``order`` (both have it, at another place),
            ``sub-points`` (a different number or nesting of sub-points).
        detail: what differs, in words.
    """

    paragraph: str
    language: str
    issue: str
    detail: str


@dataclass(frozen=True)
class VersionAlignment:
    """The language versions of one resolution, matched on kind and number.

    Attributes:
        resolution: the resolution number.
        reference: the version the others are compared with (English where present).
        languages: the languages present, English first (see :data:`LANGUAGE_ORDER`).
        paragraphs: every paragraph key (without language) of any version, in the reference's
            order, then the others' extra paragraphs.
        versions: language → paragraph key (without language) → that version.
        mismatches: every structural difference from the reference.
        symbol: the resolution's symbol (``S/RES/2532 (2020)``), for the ``citation`` column.
        urls: language → the link to that version's document, for the ``url`` column.
    """

    resolution: int
    reference: str
    languages: tuple[str, ...]
    paragraphs: tuple[str, ...]
    versions: dict[str, dict[str, Version]]
    mismatches: tuple[Mismatch, ...]
    symbol: str | None = None
    urls: Mapping[str, str | None] = dataclasses.field(default_factory=dict)

    @property
    def aligned(self) -> bool:
        """True when every version has the reference's paragraphs, order and sub-points."""
        return not self.mismatches

    def counts(self) -> dict[str, int]:
        """Paragraphs per language."""
        return {lang: len(self.versions[lang]) for lang in self.languages}

    def summary(self) -> str:
        """One line: the languages with their paragraph counts, and the mismatches by issue."""
        counts = ", ".join(f"{lang} {n}" for lang, n in self.counts().items())
        if self.aligned:
            return f"S/RES/{self.resolution}: {counts} paragraphs; all versions aligned"
        by_issue = Counter(m.issue for m in self.mismatches)
        issues = ", ".join(f"{by_issue[i]} {i}" for i in ISSUES if by_issue[i])
        return f"S/RES/{self.resolution}: {counts} paragraphs; vs {self.reference}: {issues}"

    def to_frame(self) -> pd.DataFrame:
        """One row per paragraph: ``paragraph``, ``kind``, ``number``, ``citation``, then one
        column per language holding that version's number of sub-points (nested ones
        included), missing where the language lacks the paragraph, and the reference
        version's ``url``."""
        import pandas as pd

        rows = []
        for key in self.paragraphs:
            found = [self.versions[lang].get(key) for lang in self.languages]
            first = next(v for v in found if v is not None)
            row: dict[str, Any] = {
                "paragraph": key,
                "kind": first.kind,
                "number": first.number,
                "citation": citation(self.symbol, key),
            }
            for lang, version in zip(self.languages, found, strict=True):
                row[lang] = None if version is None else _count(version.shape)
            row["url"] = self.urls.get(self.reference)
            rows.append(row)
        columns = ["paragraph", "kind", "number", "citation", *self.languages, "url"]
        frame = pd.DataFrame(rows, columns=columns)
        for lang in self.languages:
            frame[lang] = frame[lang].astype("Int64")
        return frame

    def mismatch_frame(self) -> pd.DataFrame:
        """The mismatches: columns ``paragraph``, ``citation``, ``language``, ``issue``,
        ``detail`` and ``url`` (the link to the language version the mismatch is in)."""
        import pandas as pd

        return pd.DataFrame(
            [
                (
                    m.paragraph,
                    citation(self.symbol, m.paragraph),
                    m.language,
                    m.issue,
                    m.detail,
                    self.urls.get(m.language),
                )
                for m in self.mismatches
            ],
            columns=MISMATCH_COLUMNS,
        )


def align_versions(
    resolution: int,
    versions: Mapping[str, Sequence[Version]],
    reference: str | None = None,
    symbol: str | None = None,
    urls: Mapping[str, str | None] | None = None,
) -> VersionAlignment:
    """Match the language versions of one resolution and list their structural differences.

    Args:
        resolution: the resolution number.
        versions: language → its paragraphs in order (keys with or without ``@xx``).
        reference: the version to compare with (default: English, else the first language of
            :data:`LANGUAGE_ORDER` present).
        symbol, urls: the resolution's symbol and each version's link (for citations and
            links in the tables).

    Examples:
        >>> en = [Version("1:op1", "operative", "1", 0, ((), ())),
        ...       Version("1:op2", "operative", "2", 1, ())]
        >>> fr = [Version("1:op1@fr", "operative", "1", 0, ((),))]
        >>> [(m.paragraph, m.issue) for m in align_versions(1, {"en": en, "fr": fr}).mismatches]
        [('1:op2', 'missing'), ('1:op1', 'sub-points')]
    """
    languages = tuple(sorted(versions, key=language_sort_key))
    ref = reference if reference is not None else (languages[0] if languages else "en")
    by_lang = {
        lang: {base_key(v.key): v for v in sorted(paras, key=lambda v: v.ordinal)}
        for lang, paras in versions.items()
    }
    ref_keys = list(by_lang.get(ref, {}))
    paragraphs = list(ref_keys)
    for lang in languages:
        paragraphs.extend(k for k in by_lang[lang] if k not in paragraphs)
    found: list[Mismatch] = []
    for lang in languages:
        if lang == ref:
            continue
        found.extend(_differences(by_lang[ref], by_lang[lang], lang, ref))
    rank = {issue: i for i, issue in enumerate(ISSUES)}
    order = {key: i for i, key in enumerate(paragraphs)}
    found.sort(key=lambda m: (rank[m.issue], order[m.paragraph], language_sort_key(m.language)))
    return VersionAlignment(
        resolution=resolution,
        reference=ref,
        languages=languages,
        paragraphs=tuple(paragraphs),
        versions=by_lang,
        mismatches=tuple(found),
        symbol=symbol,
        urls=dict(urls or {}),
    )


def _differences(
    ref: dict[str, Version], other: dict[str, Version], lang: str, ref_lang: str
) -> Iterable[Mismatch]:
    for key in ref:
        if key not in other:
            yield Mismatch(key, lang, "missing", f"in {ref_lang}, not in {lang}")
    for key in other:
        if key not in ref:
            yield Mismatch(key, lang, "extra", f"in {lang}, not in {ref_lang}")
    common_ref = [k for k in ref if k in other]
    common_other = [k for k in other if k in ref]
    if common_ref != common_other:
        for mine, theirs in zip(common_ref, common_other, strict=True):
            if mine != theirs:
                detail = f"{lang} has {theirs} where {ref_lang} has {mine}"
                yield Mismatch(theirs, lang, "order", detail)
                break
    for key in common_ref:
        mine_shape, their_shape = ref[key].shape, other[key].shape
        if mine_shape != their_shape:
            detail = (
                f"{ref_lang}: {describe_shape(mine_shape)}; {lang}: {describe_shape(their_shape)}"
            )
            yield Mismatch(key, lang, "sub-points", detail)


def read_versions(
    store: Store, numbers: Sequence[int] | None = None
) -> dict[int, dict[str, list[Version]]]:
    """Resolution → language → its paragraphs (as :class:`Version`), for ``numbers`` (default:
    every resolution stored in more than one language)."""
    if numbers is None:
        numbers = [
            int(r[0])
            for r in store.conn.execute(
                "SELECT number FROM resolutions GROUP BY number HAVING COUNT(*) > 1"
            )
        ]
    out: dict[int, dict[str, list[Version]]] = {}
    for start in range(0, len(numbers), 500):
        chunk = list(numbers[start : start + 500])
        rows = store.conn.execute(
            "SELECT resolution, language, key, kind, number, ordinal, points FROM paragraphs "
            f"WHERE resolution IN ({','.join('?' * len(chunk))}) ORDER BY resolution, ordinal",
            chunk,
        )
        for res, lang, key, kind, number, ordinal, points in rows:
            version = Version(key, kind, number, int(ordinal), shape_of(json.loads(points)))
            out.setdefault(int(res), {}).setdefault(str(lang), []).append(version)
    for number in numbers:  # a version with no paragraph is still a version
        for (lang,) in store.conn.execute(
            "SELECT language FROM resolutions WHERE number = ?", (number,)
        ):
            out.setdefault(number, {}).setdefault(str(lang), [])
    return out


def read_links(
    store: Store, numbers: Sequence[int] | None = None
) -> dict[int, tuple[str | None, dict[str, str | None]]]:
    """Resolution → (its symbol, language → the link to that version), for ``numbers``
    (default: every resolution stored). The symbol is the English version's where it exists."""
    sql = "SELECT number, language, symbol, url FROM resolutions"
    if numbers is None:
        rows = [tuple(r) for r in store.conn.execute(sql)]
    else:
        rows = select_in(store, sql + " WHERE number IN ({})", numbers)
    symbols: dict[int, str | None] = {}
    urls: dict[int, dict[str, str | None]] = {}
    for number, lang, symbol, url in sorted(rows, key=lambda r: r[1] != "en"):  # English first
        symbols.setdefault(int(number), symbol)
        urls.setdefault(int(number), {})[str(lang)] = url
    return {number: (symbols[number], urls[number]) for number in symbols}


def version_alignment(store: Store, number: int) -> VersionAlignment | None:
    """The alignment of the stored versions of resolution ``number`` (None: not stored)."""
    versions = read_versions(store, [number]).get(number)
    if not versions:
        return None
    symbol, urls = read_links(store, [number]).get(number, (None, {}))
    return align_versions(number, versions, symbol=symbol, urls=urls)


def version_alignments(store: Store) -> list[VersionAlignment]:
    """The alignment of every resolution stored in more than one language."""
    links = read_links(store)
    out = []
    for number, versions in sorted(read_versions(store).items()):
        symbol, urls = links.get(number, (None, {}))
        out.append(align_versions(number, versions, symbol=symbol, urls=urls))
    return out


def paragraph_versions(store: Store, key: str) -> dict[str, Paragraph]:
    """Language → the version of paragraph ``key`` (with or without ``@xx``) in it, for every
    language that has it; English first, then :data:`LANGUAGE_ORDER`."""
    base = base_key(key)
    number = int(base.split(":", 1)[0])
    languages = [
        str(r[0])
        for r in store.conn.execute("SELECT language FROM resolutions WHERE number = ?", (number,))
    ]
    out: dict[str, Paragraph] = {}
    for lang in sorted(languages, key=language_sort_key):
        para = store.paragraph(base if lang == "en" else f"{base}@{lang}")
        if para is not None:
            out[lang] = para
    return out


def mismatch_counts(alignments: Sequence[VersionAlignment]) -> dict[str, int]:
    """How many resolutions in several languages there are, how many have any structural
    difference, and per language how many have one (``ar``, ``zh``, …)."""
    out = {
        "resolutions": len(alignments),
        "with_mismatches": sum(1 for a in alignments if not a.aligned),
    }
    per_language: Counter[str] = Counter()
    for alignment in alignments:
        per_language.update({m.language for m in alignment.mismatches})
    for lang in sorted(per_language, key=language_sort_key):
        out[lang] = per_language[lang]
    return out
