"""A resolution's metadata checked against its own document, and its link.

The UN's ``data_extract`` records (:func:`~reslens.sources.readers.metadata.load_metadata`) are
catalogue data typed by people, and some contradict the document they describe: S/RES/2729
(2024)'s title says "resolution 2677 (2023)", S/RES/2423 (2018)'s date is 29 June 2016. The
AKN file's own symbol (``docNumber``) can be stale too: German translations made from another
resolution's file kept its symbol. :func:`reconcile` compares, for one file:

* **symbol** — the symbol the file prints (``docNumber``) and the record's, with the number
  and year the reader settled on (the cover title and file name win over a stale ``docNumber``:
  :func:`~reslens.sources.readers.metadata.read_akn_meta`);
* **title** — the resolution number and year that open the record's title ("Security Council
  resolution 2677 (2023) [on …]"); one naming another resolution is corrected to the
  document's number and year, the bracketed subject kept;
* **date** — the record's adoption date and the document's; the document's is kept, except
  where the document contradicts itself and its own date of issue is the record's date (the
  French S/RES/2655 (2022) says it was adopted on 27 October 2021 and issued on 27 October
  2022): then that date of issue;
* **meeting** — the meeting numbers; the document's is kept.

:func:`check_votes` checks any resolution's vote (AKN or CR-UNSC) against itself: the counts
against the names of the members listed as voting, and both against the size of the Council
(11 members until 1965, 15 from 1966). Names the UN's files cut in two ("CÔTE." and "D'IVOIRE")
are joined first. Where counts and names disagree, the names' counts are kept when they can be
the whole vote (S/RES/1559 (2004) names 9 in favour and 6 abstaining under counts of 15-0-0);
a vote that cannot be known is left unknown, never stated.

Each disagreement is a :class:`Disagreement` that the build records as a ``metadata`` problem
of the file (field, both values, what was kept). A record never overrides a value the
document gives; it fills what the document lacks (:func:`apply_metadata`). A resolution
without a title anywhere gets the document's own heading ("Resolution 2820 (2025)").

:func:`with_link` gives every resolution a link: its UN Digital Library record where the
records know it, else the official symbol link ``https://undocs.org/S/RES/2729(2024)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from reslens.language.states import is_member_state
from reslens.models import Resolution
from reslens.sources.readers.metadata import AknMeta, apply_metadata, parse_record_date
from reslens.text import clean

FIELDS = ("symbol", "title", "date", "meeting", "vote")
SYMBOL_LINK = "https://undocs.org/S/RES/{number}({year})"
_SYMBOL = re.compile(r"S/RES/(\d{1,4})\s*\((\d{4})\)")
_TITLE_LEAD = re.compile(r"^\s*Security Council resolution\s+(\d{1,4})(?:\s*\((\d{4})\))?", re.I)
_COVER_NUMBER = re.compile(r"(\d{1,4})\s*\((\d{4})\)")
_RECORD = "the data_extract record"


@dataclass(frozen=True)
class Disagreement:
    """One field on which metadata and the document disagree.

    Attributes:
        field: ``symbol``, ``title``, ``date``, ``meeting`` or ``vote``.
        source: who says ``claimed``: the ``data_extract`` record, or the file's ``docNumber``.
        claimed: what the metadata says.
        document: what the document says.
        kept: the value stored.
    """

    field: str
    source: str
    claimed: str
    document: str
    kept: str

    def message(self, symbol: str, language: str) -> str:
        """The problem line: ``title: S/RES/2729 (2024) [en]: … says '…', the document …``."""
        return (
            f"{self.field}: {symbol} [{language}]: {self.source} says {self.claimed!r}, "
            f"the document {self.document!r}; kept {self.kept!r}"
        )


def reconcile(
    res: Resolution, document: AknMeta | None, record: dict[str, Any] | None
) -> tuple[Resolution, list[Disagreement]]:
    """Join a resolution read from an AKN file with its ``data_extract`` record, checking the
    record (and the file's printed symbol) against the document.

    Args:
        res: the resolution as read (:func:`~reslens.sources.readers.akn.read_akn`).
        document: what the file says of itself (``read_akn_with_meta``), or ``None``.
        record: its record from :func:`~reslens.sources.readers.metadata.load_metadata`.

    Returns:
        The resolution with the record's fields filled in and a wrong title corrected, and the
        disagreements found (empty when metadata and document agree).

    Examples:
        >>> res, found = reconcile(res, meta, records.get(res.number))  # doctest: +SKIP
        >>> [d.field for d in found]  # doctest: +SKIP
        ['title']
    """
    found: list[Disagreement] = []
    if document is not None:
        found.extend(_printed_symbol(res, document))
    if record:
        found.extend(_record_symbol(res, record))
        res, dates = _date(res, document, record)
        found.extend(dates)
        found.extend(_meeting(res, record))
        own_title = res.title
        res = apply_metadata(res, record)
        if own_title is None:
            res, titles = _title(res)
            found.extend(titles)
    if res.title is None and document is not None:
        res = replace(res, title=_heading(res, document))
    return res, found


def with_link(res: Resolution, records: Mapping[int, str]) -> Resolution:
    """``res`` with its link: the UN Digital Library record from ``records`` (resolution number
    → record URL) where there is one, else the symbol link ``https://undocs.org/S/RES/n(year)``.

    Examples:
        >>> with_link(Resolution(2729, 2024), {}).url
        'https://undocs.org/S/RES/2729(2024)'
    """
    if res.url:
        return res
    url = records.get(res.number) or SYMBOL_LINK.format(number=res.number, year=res.year)
    return replace(res, url=url)


def council_size(year: int) -> int:
    """Members of the Security Council in ``year``: 11, and 15 from 1966 (the enlargement
    in force on 1 January 1966)."""
    return 15 if year >= 1966 else 11


def check_votes(res: Resolution) -> tuple[Resolution, list[Disagreement]]:
    """``res`` with a vote that can be true, and what was wrong with the one read.

    A member named in favour and also against or abstaining voted against or abstained: the
    German files of 2022–2025 name every member in favour, the abstaining ones again, under
    counts of 15-0-0. The counts stand unless the names contradict them (a group with names
    whose number is not its count); then the names' counts are kept when the names can be the
    whole vote — no member twice, and every member of the Council named or the counts
    impossible — else the vote is left unknown.

    Examples:
        >>> res = Resolution(1559, 2004, vote_counts=(15, 0, 0), votes_for=tuple("ABCDEFGHI"),
        ...                  votes_abstaining=tuple("JKLMNO"))
        >>> fixed, found = check_votes(res)
        >>> fixed.vote_counts, found[0].kept
        ((9, 0, 6), '9-0-6')
    """
    in_favour, against, abstaining = (
        _join_cut_names(g) for g in (res.votes_for, res.votes_against, res.votes_abstaining)
    )
    # a list of every member in favour is what a template gives: a member also named against
    # or abstaining voted so
    apart = {name.casefold() for name in (*against, *abstaining)}
    in_favour = tuple(name for name in in_favour if name.casefold() not in apart)
    groups = (in_favour, against, abstaining)
    res = replace(res, votes_for=in_favour, votes_against=against, votes_abstaining=abstaining)
    counts = res.vote_counts
    if counts is None:
        return res, []
    size = council_size(res.year)
    named = (len(groups[0]), len(groups[1]), len(groups[2]))
    if any(names and n != c for names, n, c in zip(groups, named, counts, strict=True)):
        everyone = [name.casefold() for group in groups for name in group]
        whole = len(set(everyone)) == len(everyone) and sum(named) <= size
        kept = named if whole and (sum(named) == size or sum(counts) > size) else None
        document = f"{_vote(named)} by the members it names"
    elif sum(counts) > size:
        kept, document = None, f"a Council of {size} members"
    else:
        return res, []
    found = Disagreement(
        "vote", "the vote as read", _vote(counts), document, _vote(kept) if kept else "unknown"
    )
    return replace(res, vote_counts=kept), [found]


def _vote(counts: tuple[int, int, int]) -> str:
    return "-".join(str(c) for c in counts)


def _join_cut_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """Join a Member State's name cut in two ("CÔTE.", "D'IVOIRE" → "CÔTE D'IVOIRE")."""
    out: list[str] = []
    i = 0
    while i < len(names):
        if i + 1 < len(names) and not is_member_state(names[i]):
            joined = f"{names[i].rstrip('.')} {names[i + 1]}"
            if is_member_state(joined):
                out.append(joined)
                i += 2
                continue
        out.append(names[i])
        i += 1
    return tuple(out)


def _printed_symbol(res: Resolution, document: AknMeta) -> list[Disagreement]:
    m = _SYMBOL.search(document.printed_symbol or "")
    if m is None or (int(m.group(1)), int(m.group(2))) == (res.number, res.year):
        return []
    cover = document.cover_title or res.symbol  # the cover title (and file name) won
    return [Disagreement("symbol", "the file's docNumber", m.group(0), cover, res.symbol)]


def _record_symbol(res: Resolution, record: dict[str, Any]) -> list[Disagreement]:
    m = _SYMBOL.search(str(record.get("symbol") or ""))
    if m is None or (int(m.group(1)), int(m.group(2))) == (res.number, res.year):
        return []
    return [Disagreement("symbol", _RECORD, m.group(0), res.symbol, res.symbol)]


def _date(
    res: Resolution, document: AknMeta | None, record: dict[str, Any]
) -> tuple[Resolution, list[Disagreement]]:
    claimed = parse_record_date(record.get("adoption_date"))
    if claimed is None or res.date is None or claimed == res.date:
        return res, []
    if document is not None and document.adopted is None:
        # the document gives only its date of issue: the record's adoption date is better
        return replace(res, date=claimed), []
    if document is not None and document.issued == claimed:
        said = f"adopted {res.date}, issued {document.issued}"
        return replace(res, date=claimed), [
            Disagreement("date", _RECORD, claimed, said, claimed),
        ]
    return res, [Disagreement("date", _RECORD, claimed, res.date, res.date)]


def _meeting(res: Resolution, record: dict[str, Any]) -> list[Disagreement]:
    claimed = clean(str(record.get("adoption_meeting") or ""))
    theirs, ours = re.sub(r"\D", "", claimed), re.sub(r"\D", "", res.meeting or "")
    if not theirs or not ours or theirs == ours:
        return []
    meeting = res.meeting or ""
    return [Disagreement("meeting", _RECORD, claimed, meeting, meeting)]


def _title(res: Resolution) -> tuple[Resolution, list[Disagreement]]:
    """Correct a record's title that opens with another resolution's number or year."""
    title = res.title or ""
    m = _TITLE_LEAD.match(title)
    if m is None:
        return res, []
    number, year = int(m.group(1)), int(m.group(2)) if m.group(2) else None
    if number == res.number and year in (None, res.year):
        return res, []
    corrected = f"Security Council resolution {res.number} ({res.year})" + title[m.end() :]
    return replace(res, title=corrected), [
        Disagreement("title", _RECORD, title, res.symbol, corrected),
    ]


def _heading(res: Resolution, document: AknMeta) -> str | None:
    """The document's own heading ("Resolution 2820 (2025)") when it names this resolution."""
    m = _COVER_NUMBER.search(document.cover_title or "")
    if m is None or (int(m.group(1)), int(m.group(2))) != (res.number, res.year):
        return None
    return document.cover_title


__all__ = [
    "FIELDS",
    "SYMBOL_LINK",
    "Disagreement",
    "check_votes",
    "council_size",
    "reconcile",
    "with_link",
]
