"""Browsing resolutions: a table of resolutions by agenda item, country, mission, years and
Chapter VII, and the latest ones of an agenda item or mission ("the latest renewal of UNMISS
and the one before it").

Examples:
    >>> lib.resolutions(agenda="Sudan", since=2020, chapter_vii=True)  # doctest: +SKIP
    >>> a, b = lib.latest("UNMISS", n=2).resolution  # newest first  # doctest: +SKIP
    >>> lib.align(b, a)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from reslens.errors import ReslensError
from reslens.language.states import member_states
from reslens.store.db import Store
from reslens.store.queries import catalogue, resolutions_mentioning, sponsor_text, vote_summary

if TYPE_CHECKING:
    import pandas as pd

#: Columns of the table of resolutions, in order (meanings: docs/columns.md).
RESOLUTION_COLUMNS = [
    "symbol",
    "resolution",
    "date",
    "year",
    "title",
    "agenda_item",
    "chapter_vii",
    "vote",
    "unanimous",
    "sponsors",
    "url",
]

_ACRONYM = re.compile(r"[A-Z][A-Z0-9\-]{2,}")
#: "extend the mandate of UNMISS", "… of the United Nations Mission in … (UNMISS)", "renews
#: the UNMISS mandate" ({0}: the escaped acronym).
_MANDATE = (
    r"(?:extend|renew)\w*\s+[^;]{{0,60}}?(?:mandate\s+of\s+(?:the\s+)?"
    r"(?:[^;()]{{0,120}}?\(\s*)?{0}\b|{0}(?:’s|'s)?\s+mandate)"
)


def _country_pattern(country: str) -> re.Pattern[str]:
    """Every spelling of a Member State (``data/member_states.txt``) as one pattern."""
    known = member_states()
    name = known.get(country.strip().casefold())
    if name is None:
        raise ReslensError(
            f"{country!r} is not a Member State name (see reslens/data/member_states.txt)"
        )
    spellings = sorted({k for k, v in known.items() if v == name}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in spellings) + r")\b", re.I)


def _mission_numbers(store: Store, mission: str, renewals: bool = False) -> set[int]:
    """Resolutions naming ``mission`` (an acronym, as a whole word) in their title or a
    paragraph; with ``renewals``, only those extending or renewing its mandate."""
    word = re.compile(rf"\b{re.escape(mission)}\b")
    mandate = re.compile(_MANDATE.format(re.escape(mission)), re.IGNORECASE)
    found = resolutions_mentioning(store, mission)
    check = mandate if renewals else word
    return {n for n, texts in found.items() if any(check.search(t) for t in texts)}


def resolution_table(
    store: Store,
    *,
    agenda: str | None = None,
    country: str | None = None,
    mission: str | None = None,
    since: int | None = None,
    until: int | None = None,
    chapter_vii: bool | None = None,
    language: str = "en",
) -> pd.DataFrame:
    """The resolutions that pass every filter given, by number (see ``Library.resolutions``)."""
    import pandas as pd

    pattern = _country_pattern(country) if country else None
    in_mission = _mission_numbers(store, mission) if mission else None
    rows: list[dict[str, Any]] = []
    for (
        number,
        symbol,
        date,
        year,
        title,
        item,
        chapter,
        subjects,
        votes,
        sponsors,
        url,
    ) in catalogue(store, language):
        if (since is not None and year < since) or (until is not None and year > until):
            continue
        if agenda and agenda.casefold() not in (item or "").casefold():
            continue
        if chapter_vii is not None and chapter != int(chapter_vii):
            continue
        if pattern is not None:
            where = " ".join([title or "", item or "", " ".join(json.loads(subjects or "[]"))])
            if not pattern.search(where):
                continue
        if in_mission is not None and not (
            number in in_mission or re.search(rf"\b{re.escape(mission or '')}\b", title or "")
        ):
            continue
        vote, unanimous = vote_summary(votes)
        rows.append(
            {
                "symbol": symbol,
                "resolution": number,
                "date": date,
                "year": year,
                "title": title,
                "agenda_item": item or None,
                "chapter_vii": None if chapter is None else bool(chapter),
                "vote": vote,
                "unanimous": unanimous,
                "sponsors": sponsor_text(sponsors),
                "url": url,
            }
        )
    return pd.DataFrame({c: [r[c] for r in rows] for c in RESOLUTION_COLUMNS})


def latest_resolutions(store: Store, item: str, n: int = 2, language: str = "en") -> pd.DataFrame:
    """The ``n`` latest resolutions of an agenda item or mission, newest first.

    ``item`` in capitals without spaces (``"UNMISS"``) is a mission: the resolutions that
    extend or renew its mandate ("Decides to extend the mandate of UNMISS until …"), or, when
    none does, those naming it. Anything else is a part of an agenda item (``"South Sudan"``).
    """
    if n < 1:
        raise ReslensError(f"n must be at least 1, not {n}")
    if _ACRONYM.fullmatch(item.strip()):
        mission = item.strip()
        table = resolution_table(store, mission=mission, language=language)
        renewals = _mission_numbers(store, mission, renewals=True)
        if renewals:
            table = table[table["resolution"].isin(renewals)]
    else:
        table = resolution_table(store, agenda=item, language=language)
    if table.empty:
        raise ReslensError(f"no resolution on {item!r}")
    table = table.sort_values(["date", "resolution"], ascending=False, na_position="last")
    return table.head(n).reset_index(drop=True)


__all__ = ["RESOLUTION_COLUMNS", "latest_resolutions", "resolution_table"]
