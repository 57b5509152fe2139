"""Obligation units: the clauses of a paragraph, one per operative verb.

An operative paragraph often holds several obligations: "*Invites* the Secretary-General to
…; *requests* that … reporting includes …; *requests further* that the Secretary-General takes
steps to improve the collection of data …" (2331, para. 21). Each clause governed by an
operative verb is a **unit**; units are what evolve (2388 (2017) para. 24 carries the third
clause of 2331 para. 21 forward and turns "invites" into "requests").

Keys (read by :func:`reslens.language.refs.parse_ref`):

- a paragraph that is one unit keeps its key: ``2331:op5``, ``2331:pp3`` (a preambular
  paragraph is always one unit);
- the clauses of a paragraph with several: ``2331:op21.1``, ``2331:op21.2``, ``2331:op21.3``;
- its top-level sub-points: ``2331:op2(a)``, ``2331:op2(b)`` (the intro before them, when it
  has words of its own beyond the verb, is ``2331:op2.1``, its further clauses ``.2`` …);
- clauses inside a sub-point with several verbs: ``2331:op2(a).1``, ``2331:op2(a).2``.

A clause starts at a verb that stands at a clause boundary (the paragraph's start, or after
``;``, ``:``, ``,`` or "and"): a verb inside a sentence ("… in order to *support* …") does not
split. A sub-point without a verb of its own is governed by the intro's last verb.

Examples:
    >>> from reslens.models import Paragraph, Verb
    >>> text = "Invites the Secretary-General to act; requests further that data be collected;"
    >>> para = Paragraph("1:op1", 1, "operative", "1", 0, text, verbs=(
    ...     Verb("Invites", "invites", 3, "encouragement", 0),
    ...     Verb("requests further", "requests", 4, "request", 38)))
    >>> [(u.key, u.lemma) for u in paragraph_units(para)]
    [('1:op1.1', 'invites'), ('1:op1.2', 'requests')]
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from reslens.language.addressees import find_addressees
from reslens.models import PREAMBULAR, Paragraph, SubPoint, Verb, flatten_points

_BOUNDARY = re.compile(r"(?:^|[;:,.]|\band|\bor|\)|—|–)\s*$", re.IGNORECASE)
_FILLER = re.compile(r"(?:and|or|also|further|moreover|—|–|-)?\W*", re.IGNORECASE)
_MIN_INTRO_WORDS = 4  # an intro such as "Decides:" is not a unit of its own


@dataclass(frozen=True)
class Unit:
    """One obligation unit.

    Attributes:
        key: the unit key (see the module notes).
        paragraph: the key of its paragraph.
        resolution: the resolution number.
        kind: ``operative`` or ``preambular``.
        point: the top-level sub-point label it stands in (``"(c)"``), or None.
        clause: its clause number inside its paragraph or sub-point (1-based) where the
            paragraph has several units, else None.
        ordinal: its position among the units of its resolution (0-based).
        lemma: the lemma of its governing verb (``""`` when none is known).
        verb: the governing verb as written.
        strength: the verb's rung on the obligation ladder, or None off the ladder.
        family: the verb's family.
        addressees: who it addresses, where that can be read.
        text: the clause's text.
    """

    key: str
    paragraph: str
    resolution: int
    kind: str
    point: str | None
    clause: int | None
    ordinal: int
    lemma: str
    verb: str
    strength: int | None
    family: str
    addressees: tuple[str, ...]
    text: str


def _heads(text: str, verbs: list[Verb], start: int, end: int) -> list[Verb]:
    """The verbs inside [start, end) that begin a clause."""
    out = []
    for verb in verbs:
        if not start <= verb.position < end:
            continue
        if verb.position == start or _BOUNDARY.search(text[start : verb.position]):
            out.append(verb)
    return out


def _clauses(text: str, verbs: list[Verb], start: int, end: int) -> list[tuple[str, Verb | None]]:
    """Split ``text[start:end]`` at its clause-heading verbs: [(clause text, its verb)]."""
    heads = _heads(text, verbs, start, end)
    if not heads:
        piece = text[start:end].strip(" ;,")
        return [(piece, None)] if piece else []
    cuts = [start] + [v.position for v in heads] + [end]
    owners: list[Verb | None] = [None, *heads]  # words before the first verb: the outer verb
    out: list[tuple[str, Verb | None]] = []
    for i, verb in enumerate(owners):
        piece = text[cuts[i] : cuts[i + 1]].strip(" ;,")
        if piece and not (verb is None and _FILLER.fullmatch(piece)):
            out.append((piece, verb))
    return out


def _locate(text: str, points: tuple[SubPoint, ...]) -> list[int]:
    """Where each top-level point starts in ``text`` (its label if found), -1 where not."""
    out: list[int] = []
    cursor = 0
    for point in points:
        probe = point.text.strip()[:40]
        at = text.find(probe, cursor) if probe else -1
        if at < 0:
            out.append(-1)
            continue
        label_at = text.rfind(point.label, cursor, at) if point.label else -1
        start = label_at if label_at >= 0 and at - label_at <= len(point.label) + 3 else at
        out.append(start)
        cursor = at + len(probe)
    return out


def _point_text(point: SubPoint) -> str:
    body = point.text.strip()
    if point.children:
        body = f"{body} {flatten_points(point.children)}".strip()
    return body


def _at(verb: Verb, clause: str) -> Verb:
    """``verb`` with its position inside ``clause`` (0 when it governs from outside)."""
    return dataclasses.replace(verb, position=max(0, clause.find(verb.text)))


def paragraph_units(para: Paragraph, first_ordinal: int = 0) -> list[Unit]:
    """The units of one paragraph, in reading order (see the module notes)."""
    lead = para.leading_verb
    if para.kind == PREAMBULAR or not para.text.strip():
        return [
            Unit(
                key=para.key,
                point=None,
                clause=None,
                ordinal=first_ordinal,
                lemma=lead.lemma if lead else "",
                verb=lead.text if lead else "",
                strength=lead.strength if lead else None,
                family=lead.family if lead else "",
                addressees=para.addressees,
                text=para.text,
                paragraph=para.key,
                resolution=para.resolution,
                kind=para.kind,
            )
        ]
    text = para.text
    verbs = sorted(para.verbs, key=lambda v: v.position)
    starts = _locate(text, para.points) if para.points else []
    found = [(p, s) for p, s in zip(para.points, starts, strict=True) if s >= 0]
    intro_end = found[0][1] if found else len(text)
    # (suffix point, clause text, verb, whether the verb governs from outside the clause)
    raw: list[tuple[str | None, str, Verb | None, bool]] = []
    intro = _clauses(text, verbs, 0, intro_end)
    if found and len(intro) == 1 and len(intro[0][0].split()) < _MIN_INTRO_WORDS:
        intro = []
    raw.extend((None, clause, verb, False) for clause, verb in intro)
    governing = next((v for _, v in reversed(intro) if v is not None), None)
    if governing is None:
        governing = next((v for v in verbs if v.position < intro_end), None)
    # a sub-point without a verb of its own is addressed like the clause that governs it
    chapeau = text[governing.position : intro_end] if governing else ""
    for i, (point, start) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        label_end = start + len(point.label) if text.startswith(point.label, start) else start
        pieces = _clauses(text, verbs, label_end, end) if not point.children else []
        label = point.label or None  # an unlabelled wrap-up continues the intro's clauses
        if len(pieces) <= 1 and label is not None:
            point_verb = pieces[0][1] if pieces else None
            raw.append((label, _point_text(point), point_verb or governing, point_verb is None))
        elif not pieces:
            raw.append((label, _point_text(point), governing, True))
        else:
            raw.extend((label, c, verb or governing, verb is None) for c, verb in pieces)
    if not raw:
        raw = [(None, text, lead, False)]
    units: list[Unit] = []
    single = len(raw) == 1
    counts: dict[str | None, int] = {}
    for label, _, _, _ in raw:
        counts[label] = counts.get(label, 0) + 1
    seen: dict[str | None, int] = {}
    inherited = find_addressees(chapeau, (_at(governing, chapeau),)) if governing else ()
    for label, clause_text, verb, outside in raw:
        seen[label] = seen.get(label, 0) + 1
        if single and label is None:
            key, clause = para.key, None
        elif label is None:
            key, clause = f"{para.key}.{seen[label]}", seen[label]
        elif counts[label] == 1:
            key, clause = f"{para.key}{label}", None
        else:
            key, clause = f"{para.key}{label}.{seen[label]}", seen[label]
        own: tuple[Verb, ...] = (_at(verb, clause_text),) if verb else ()
        units.append(
            Unit(
                key=key,
                point=label,
                clause=clause,
                ordinal=first_ordinal + len(units),
                lemma=verb.lemma if verb else "",
                verb=verb.text if verb else "",
                strength=verb.strength if verb else None,
                family=verb.family if verb else "",
                addressees=inherited if outside else find_addressees(clause_text, own),
                text=clause_text,
                paragraph=para.key,
                resolution=para.resolution,
                kind=para.kind,
            )
        )
    return units


def resolution_units(paragraphs: tuple[Paragraph, ...] | list[Paragraph]) -> list[Unit]:
    """The units of a resolution's paragraphs, numbered in reading order."""
    out: list[Unit] = []
    for para in paragraphs:
        out.extend(paragraph_units(para, len(out)))
    return out


__all__ = ["Unit", "paragraph_units", "resolution_units"]
