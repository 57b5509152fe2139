"""The citation graph: which resolutions a resolution cites, which cite it, and exports.

Citations come from the store's ``citations`` table (one row per citing paragraph and cited
resolution, read from text such as ``resolution 2195 (2014)``). Only the English store is read:
every resolution has an English text, and counting other languages would count the same
citation several times. A resolution that mentions itself is not a citation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from reslens.errors import NotFoundError, ReslensError
from reslens.language.refs import parse_ref
from reslens.store.db import Store
from reslens.store.queries import citation_edges, cited_years, citing_paragraphs, resolution_meta

if TYPE_CHECKING:
    import pandas as pd

#: Columns of :func:`citations`.
CITATION_COLUMNS = [
    "direction",
    "resolution",
    "symbol",
    "citation",
    "date",
    "paragraphs",
    "count",
    "url",
]

CITES = "cites"
CITED_BY = "cited by"
GRAPH_FORMATS = ("graphml", "csv")


def resolution_number(res: int | str) -> int:
    """A resolution number from a number or any reference form (``"S/RES/2331 (2016)"``)."""
    if isinstance(res, int):
        return res
    return parse_ref(str(res)).resolution


def citations(store: Store, res: int | str) -> pd.DataFrame:
    """The resolutions ``res`` cites and the resolutions citing it.

    Args:
        store: the store.
        res: a resolution number (``2331``) or reference (``"S/RES/2331 (2016)"``).

    Returns:
        A DataFrame with the columns ``CITATION_COLUMNS``: ``direction`` (``"cites"`` or
        ``"cited by"``), ``resolution``: the other resolution's number, its ``symbol`` and
        ``date`` (None
        when it is not in the store), its ``citation`` (the symbol: a whole resolution) and
        ``url``, ``paragraphs`` (comma-separated keys of the citing
        paragraphs: of ``res`` for "cites", of the other resolution for "cited by") and
        ``count`` (how many paragraphs cite). "cites" rows come first, each direction in
        resolution-number order.

    Raises:
        NotFoundError: ``res`` is not in the store.

    Examples:
        >>> lib.citations(2388).head(2)  # doctest: +SKIP
    """
    import pandas as pd

    number = resolution_number(res)
    meta = resolution_meta(store)
    if number not in meta:
        raise NotFoundError(f"S/RES/{number} is not in the store (see reslens coverage)")
    cites, cited_by = citing_paragraphs(store, number)
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
                    "resolution": other,
                    "symbol": info.symbol if info else None,
                    "citation": info.symbol if info else None,
                    "date": info.date if info else None,
                    "paragraphs": ", ".join(keys),
                    "count": len(keys),
                    "url": info.url if info else None,
                }
            )
    return pd.DataFrame(rows, columns=CITATION_COLUMNS)


def citation_graph(store: Store) -> list[tuple[int, int, int]]:
    """Every citation between resolutions of the English store as weighted edges.

    Returns:
        ``(citing, cited, weight)`` sorted by citing then cited number; ``weight`` is the number
        of paragraphs of ``citing`` that cite ``cited``. Cited resolutions need not be in the
        store (the corpus has gaps); self-citations are left out.

    Examples:
        >>> citation_graph(lib.store)[:1]  # doctest: +SKIP
        [(2260, 2118, 1)]
    """
    return citation_edges(store)


def export_graph(store: Store, path: Path | str, fmt: str = "graphml") -> Path:
    """Write the citation graph to ``path``.

    Args:
        store: the store.
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
        >>> export_graph(lib.store, "citations.graphml")  # doctest: +SKIP
    """
    if fmt not in GRAPH_FORMATS:
        raise ReslensError(f"fmt must be one of {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
    out = Path(path)
    edges = citation_graph(store)
    if fmt == "csv":
        lines = ["citing,cited,weight"] + [f"{a},{b},{w}" for a, b, w in edges]
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return out
    meta = resolution_meta(store)
    years = cited_years(store)
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
