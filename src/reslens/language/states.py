"""Member States of the United Nations, and sponsor lists split into them.

The UN's files write sponsor lists as prose: "Germany, Japan and United Kingdom of Great Britain
and Northern Ireland". Splitting at commas leaves the last two glued together, and splitting at
every "and" cuts "Trinidad and Tobago" in two. :func:`split_names` splits at "and" only where
both sides are names, using the list of Member States in ``data/member_states.txt`` (names with
"and" in them are kept whole; any other name is kept as written, never dropped).

Examples:
    >>> split_names("France, Germany and United Kingdom of Great Britain and Northern Ireland")
    ('France', 'Germany', 'United Kingdom of Great Britain and Northern Ireland')
    >>> split_names("Bosnia and Herzegovina and Trinidad and Tobago")
    ('Bosnia and Herzegovina', 'Trinidad and Tobago')
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from reslens.text import clean


@lru_cache(maxsize=1)
def member_states() -> dict[str, str]:
    """Every known spelling of a Member State → its name as the UN files write it."""
    text = resources.files("reslens").joinpath("data/member_states.txt").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names = [clean(n) for n in line.split("|")]
        for name in names:
            out[name.casefold()] = names[0]
    return out


def is_member_state(name: str) -> bool:
    """True when ``name`` is a Member State (any spelling of the list)."""
    return clean(name).casefold() in member_states()


def split_names(raw: str) -> tuple[str, ...]:
    """A prose list of sponsors ("A, B and C") as names, in order, without duplicates.

    At each "and", the longest run of pieces that forms a known name containing "and" is kept
    whole; otherwise "and" separates two names.
    """
    known = member_states()
    out: list[str] = []
    for part in raw.replace(";", ",").split(","):
        part = clean(part)
        if part.lower().startswith("and "):
            part = part[4:]
        pieces = [p for p in part.split(" and ")]
        i = 0
        while i < len(pieces):
            taken = 1
            for j in range(len(pieces), i + 1, -1):  # the longest known name first
                if " and ".join(pieces[i:j]).casefold() in known:
                    taken = j - i
                    break
            name = clean(" and ".join(pieces[i : i + taken]))
            if name and name not in out:
                out.append(name)
            i += taken
    return tuple(out)


__all__ = ["is_member_state", "member_states", "split_names"]
