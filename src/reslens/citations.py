"""The citation graph: which resolutions a resolution cites, which cite it, and exports.

Citations come from the store's ``citations`` table (one row per citing paragraph and cited
resolution, read from text such as ``resolution 2195 (2014)``). Only the English store is read:
every resolution has an English text, and counting other languages would count the same
citation several times. A resolution that mentions itself is not a citation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from reslens.errors import NotFoundError, ReslensError
from reslens.refs import parse_ref

if TYPE_CHECKING:
    import pandas as pd

    from reslens.library import Library

#: Columns of :func:`citations`.
CITATION_COLUMNS = ["direction", "number", "symbol", "date", "paragraphs", "count"]

CITES = "cites"
CITED_BY = "cited by"
GRAPH_FORMATS = ("graphml", "csv")


@dataclass(frozen=True)
class _Meta:
    symbol: str
    year: int
    date: str | None
    agenda_item: str | None


def resolution_number(res: int | str) -> int:
    """A resolution number from a number or any reference form (``"S/RES/2331 (2016)"``)."""
    if isinstance(res, int):
        return res
    return parse_ref(str(res)).resolution


def _metadata(lib: Library, language: str = "en") -> dict[int, _Meta]:
    rows = lib.store.conn.execute(
        "SELECT number, symbol, year, date, agenda_item FROM resolutions WHERE language = ?",
        (language,),
    )
    return {int(r[0]): _Meta(str(r[1]), int(r[2]), r[3], r[4] or None) for r in rows}


def citations(lib: Library, res: int | str) -> pd.DataFrame:
    """The resolutions ``res`` cites and the resolutions citing it.

    Args:
        lib: an open library.
        res: a resolution number (``2331``) or reference (``"S/RES/2331 (2016)"``).

    Returns:
        A DataFrame with the columns ``CITATION_COLUMNS``: ``direction`` (``"cites"`` or
        ``"cited by"``), ``number`` of the other resolution, its ``symbol`` and ``date`` (None
        when it is not in the store), ``paragraphs`` (comma-separated keys of the citing
        paragraphs: of ``res`` for "cites", of the other resolution for "cited by") and
        ``count`` (how many paragraphs cite). "cites" rows come first, each direction in
        resolution-number order.

    Raises:
        NotFoundError: ``res`` is not in the store.

    Examples:
        >>> citations(lib, 2388).head(2)  # doctest: +SKIP
    """
    import pandas as pd

    number = resolution_number(res)
    meta = _metadata(lib)
    if number not in meta:
        raise NotFoundError(f"S/RES/{number} is not in the store (see reslens coverage)")
    conn = lib.store.conn
    cites = conn.execute(
        "SELECT c.cited, p.key FROM citations c JOIN paragraphs p ON p.id = c.paragraph_id "
        "WHERE p.resolution = ? AND p.language = 'en' AND c.cited != ? ORDER BY p.ordinal",
        (number, number),
    ).fetchall()
    cited_by = conn.execute(
        "SELECT p.resolution, p.key FROM citations c JOIN paragraphs p ON p.id = c.paragraph_id "
        "WHERE c.cited = ? AND p.language = 'en' AND p.resolution != ? "
        "ORDER BY p.resolution, p.ordinal",
        (number, number),
    ).fetchall()
    rows = []
    for direction, pairs in ((CITES, cites), (CITED_BY, cited_by)):
        grouped: dict[int, list[str]] = {}
        for other, key in pairs:
            grouped.setdefault(int(other), []).append(str(key))
        for other in sorted(grouped):
            keys = list(dict.fromkeys(grouped[other]))
            info = meta.get(other)
            rows.append(
                {
                    "direction": direction,
                    "number": other,
                    "symbol": info.symbol if info else None,
                    "date": info.date if info else None,
                    "paragraphs": ", ".join(keys),
                    "count": len(keys),
                }
            )
    return pd.DataFrame(rows, columns=CITATION_COLUMNS)


def citation_graph(lib: Library) -> list[tuple[int, int, int]]:
    """Every citation between resolutions of the English store as weighted edges.

    Returns:
        ``(citing, cited, weight)`` sorted by citing then cited number; ``weight`` is the number
        of paragraphs of ``citing`` that cite ``cited``. Cited resolutions need not be in the
        store (the corpus has gaps); self-citations are left out.

    Examples:
        >>> citation_graph(lib)[:1]  # doctest: +SKIP
        [(2260, 2118, 1)]
    """
    rows = lib.store.conn.execute(
        "SELECT p.resolution, c.cited, COUNT(DISTINCT p.id) FROM citations c "
        "JOIN paragraphs p ON p.id = c.paragraph_id "
        "WHERE p.language = 'en' AND c.cited != p.resolution "
        "GROUP BY p.resolution, c.cited ORDER BY p.resolution, c.cited"
    )
    return [(int(a), int(b), int(w)) for a, b, w in rows]


def _cited_years(lib: Library) -> dict[int, int]:
    rows = lib.store.conn.execute(
        "SELECT cited, MIN(cited_year) FROM citations WHERE cited_year IS NOT NULL GROUP BY cited"
    )
    return {int(a): int(b) for a, b in rows}


def export_graph(lib: Library, path: Path | str, fmt: str = "graphml") -> Path:
    """Write the citation graph to ``path``.

    Args:
        lib: an open library.
        path: the output file.
        fmt: ``"graphml"`` (a directed graph: one node per resolution of the store or cited
            by one, with ``symbol``, ``year``, ``agenda_item`` and ``in_store`` attributes, and
            edges citing → cited with a ``weight``) or ``"csv"`` (an edge list with the header
            ``citing,cited,weight``).

    Returns:
        The path written.

    Raises:
        ReslensError: an unknown format.

    Examples:
        >>> export_graph(lib, "citations.graphml")  # doctest: +SKIP
    """
    if fmt not in GRAPH_FORMATS:
        raise ReslensError(f"fmt must be one of {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
    out = Path(path)
    edges = citation_graph(lib)
    if fmt == "csv":
        lines = ["citing,cited,weight"] + [f"{a},{b},{w}" for a, b, w in edges]
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return out
    meta = _metadata(lib)
    years = _cited_years(lib)
    nodes = sorted(set(meta) | {a for a, _, _ in edges} | {b for _, b, _ in edges})
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="symbol" for="node" attr.name="symbol" attr.type="string"/>',
        '  <key id="year" for="node" attr.name="year" attr.type="int"/>',
        '  <key id="agenda_item" for="node" attr.name="agenda_item" attr.type="string"/>',
        '  <key id="in_store" for="node" attr.name="in_store" attr.type="boolean"/>',
        '  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>',
        '  <graph id="citations" edgedefault="directed">',
    ]
    for number in nodes:
        info = meta.get(number)
        year = info.year if info else years.get(number)
        symbol = info.symbol if info else f"S/RES/{number}" + (f" ({year})" if year else "")
        parts.append(f"    <node id={quoteattr(f'r{number}')}>")
        parts.append(f'      <data key="symbol">{escape(symbol)}</data>')
        if year is not None:
            parts.append(f'      <data key="year">{year}</data>')
        if info and info.agenda_item:
            parts.append(f'      <data key="agenda_item">{escape(info.agenda_item)}</data>')
        parts.append(f'      <data key="in_store">{"true" if info else "false"}</data>')
        parts.append("    </node>")
    for a, b, w in edges:
        parts.append(
            f"    <edge source={quoteattr(f'r{a}')} target={quoteattr(f'r{b}')}>"
            f'<data key="weight">{w}</data></edge>'
        )
    parts += ["  </graph>", "</graphml>", ""]
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


__all__ = [
    "CITATION_COLUMNS",
    "citation_graph",
    "citations",
    "export_graph",
    "resolution_number",
]
