"""Obligations over time, read from the provenance graph built by ``reslens build``.

- :func:`lineage` — the ancestors and descendants of a paragraph, sub-point or unit as a DAG
  (:class:`Lineage`: ``nodes`` and ``edges`` tables, ``chain`` the main line, ``.plot()``,
  ``.to_graphml()``);
- :func:`history` — an obligation's verb, strength and addressees over time, when it became
  binding, and whether it is still in force (carried into the latest resolution on its agenda
  item) or was dropped, and when;
- :func:`resolution_obligations` — for every unit of a resolution, where it came from and what
  became of it later ("which obligations of 2331 got stronger later?").

Nothing is searched at query time: the graph's edges are read from the store.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from reslens.analysis.lineage import LINEAGE_COLUMNS
from reslens.errors import NotFoundError, ReslensError
from reslens.language.refs import citation, parse_ref
from reslens.models import document_symbol
from reslens.store import graph as g
from reslens.store.db import Store
from reslens.store.queries import resolution_links

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

#: Columns of :attr:`Lineage.nodes`.
NODE_COLUMNS = [
    "step",
    "key",
    "paragraph",
    "symbol",
    "citation",
    "date",
    "year",
    "kind",
    "lemma",
    "strength",
    "addressees",
    "agenda_item",
    "text",
    "url",
]

#: Columns of :attr:`Lineage.edges`.
EDGE_COLUMNS = [
    "child",
    "parent",
    "via",
    "type",
    "relation",
    "shape",
    "similarity",
    "wording",
    "score",
    "off_item",
    "child_citation",
    "parent_citation",
    "child_url",
    "parent_url",
]

#: Columns of :attr:`Lineage.chain`: those of the earlier single-line lineage (the walk).
CHAIN_COLUMNS = LINEAGE_COLUMNS

BINDING = 5
"""The rung (decision: decides, demands, authorizes …) from which an obligation is binding."""


@dataclass
class Lineage:
    """Where a paragraph's obligations came from and where they went.

    Attributes:
        ref: what was asked for.
        start: the keys of its units.
        nodes: one row per unit (columns ``NODE_COLUMNS``); ``step`` is 0 for the start,
            negative for ancestors (generations back), positive for descendants.
        edges: one row per edge child → parent (columns ``EDGE_COLUMNS``); ``via`` is
            ``reference`` or ``wording`` for parents, ``citation`` for a paragraph the start
            points at without carrying it (shown, not walked); ``off_item`` is 1 where the edge
            leaves both the agenda item and the citation neighbourhood.
        chain: the main line through the start (columns ``CHAIN_COLUMNS``): at each step back
            the best parent (same agenda item first), at each step forward the earliest child.
        truncated: True when ``max_nodes`` stopped the walk.
    """

    ref: str
    start: tuple[str, ...]
    nodes: pd.DataFrame
    edges: pd.DataFrame
    chain: pd.DataFrame
    truncated: bool = False

    @property
    def first_appearance(self) -> str:
        """The key of the earliest ancestor (the start itself when it has none)."""
        if self.nodes.empty:
            return self.start[0] if self.start else ""
        earliest = self.nodes.sort_values(["_order", "key"]).iloc[0]
        return str(earliest["key"])

    @property
    def off_item(self) -> bool:
        """True when an edge of the lineage leaves the agenda item and the citations."""
        return bool(len(self.edges)) and bool(self.edges["off_item"].astype(int).any())

    def plot(self, ax: Any = None) -> Figure:
        """The main line on a time axis, with the strength of each version."""
        from reslens.analysis.plots import plot_lineage

        return plot_lineage(self.chain, ax=ax)

    def to_graphml(self, path: Path | str) -> Path:
        """Write the DAG as GraphML (nodes: units with date, strength, text; edges: child →
        parent with type, relation and scores)."""
        out = Path(path)
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        ]
        node_keys = ("symbol", "date", "lemma", "strength", "step", "text")
        edge_keys = ("via", "type", "relation", "shape", "similarity", "wording", "off_item")
        for name in node_keys:
            parts.append(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="string"/>')
        for name in edge_keys:
            parts.append(f'  <key id="{name}" for="edge" attr.name="{name}" attr.type="string"/>')
        parts.append('  <graph id="lineage" edgedefault="directed">')
        for row in self.nodes.to_dict("records"):
            parts.append(f"    <node id={quoteattr(str(row['key']))}>")
            for name in node_keys:
                value = row.get(name)
                if value is not None and value == value:
                    parts.append(f'      <data key="{name}">{escape(str(value))}</data>')
            parts.append("    </node>")
        for row in self.edges.to_dict("records"):
            parts.append(
                f"    <edge source={quoteattr(str(row['child']))} "
                f"target={quoteattr(str(row['parent']))}>"
            )
            for name in edge_keys:
                value = row.get(name)
                if value is not None and value == value and value != "":
                    parts.append(f'      <data key="{name}">{escape(str(value))}</data>')
            parts.append("    </edge>")
        parts += ["  </graph>", "</graphml>", ""]
        out.write_text("\n".join(parts), encoding="utf-8")
        return out

    def __repr__(self) -> str:
        return (
            f"<Lineage {self.ref}: {len(self.nodes)} units, {len(self.edges)} edges, "
            f"first appearance {self.first_appearance}"
            f"{', leaves its agenda item' if self.off_item else ''}>"
        )


def _require_graph(store: Store) -> None:
    if not g.has_graph(store):
        raise ReslensError("this index has no obligation graph; build it with: reslens build")


def units_of(store: Store, key: str) -> list[g.UnitRow]:
    """The units a paragraph, sub-point or unit key names.

    Raises:
        NotFoundError: no unit has that key.
    """
    _require_graph(store)
    found = g.units_matching(store, key)
    if not found:
        raise NotFoundError(f"no obligation unit {key} in the graph (see reslens show)")
    return found


def _walk(
    store: Store, start: Sequence[int], up: bool, max_depth: int, max_nodes: int
) -> tuple[dict[int, int], list[g.EdgeRow], bool]:
    """Breadth-first over parent (``up``) or child edges: unit id → depth, and the edges."""
    depth = {i: 0 for i in start}
    edges: list[g.EdgeRow] = []
    frontier = deque(start)
    truncated = False
    while frontier:
        level = list(frontier)
        frontier.clear()
        found = g.parent_edges(store, level) if up else g.child_edges(store, level)
        for e in found:
            if e.via == "citation":  # a pointer, not provenance: shown, never walked
                if depth.get(e.child if up else e.parent) == 0:
                    edges.append(e)
                continue
            edges.append(e)
            here = e.child if up else e.parent
            there = e.parent if up else e.child
            if there in depth:
                continue
            if len(depth) >= max_nodes:
                truncated = True
                continue
            if depth[here] + 1 > max_depth:
                continue
            depth[there] = depth[here] + 1
            frontier.append(there)
    return depth, edges, truncated


def lineage(store: Store, key: str, *, max_depth: int = 60, max_nodes: int = 2000) -> Lineage:
    """The lineage of a paragraph (all its units), a sub-point or a unit, from the graph.

    Args:
        store: a store with an obligation graph.
        key: a paragraph key (``2331:op21``), sub-point (``2331:op2(c)``) or unit
            (``2331:op21.3``).
        max_depth: the most generations walked each way.
        max_nodes: the most units gathered each way (a sanctions measure renewed by
            reference for twenty years has hundreds of descendants).

    Returns:
        A :class:`Lineage`.

    Examples:
        >>> lin = lineage(lib.store, "2331:op21")  # doctest: +SKIP
        >>> lin.edges[["child", "parent", "type"]]  # doctest: +SKIP
    """
    import pandas as pd

    start_units = units_of(store, key)
    ids = [u.id for u in start_units]
    up, up_edges, cut_up = _walk(store, ids, True, max_depth, max_nodes)
    down, down_edges, cut_down = _walk(store, ids, False, max_depth, max_nodes)
    steps = {i: -d for i, d in up.items()}
    steps.update({i: d for i, d in down.items() if i not in steps or d > 0})
    info = g.nodes(store, list(steps))
    keys = {i: n.key for i, n in info.items()}
    # the far ends of citation edges are named in the edges table, not walked into the nodes
    cited = {e.parent for e in up_edges if e.via == "citation"}
    cited |= {e.child for e in down_edges if e.via == "citation"}
    keys.update({i: u.key for i, u in g.units_by_ids(store, list(cited - set(keys))).items()})
    node_rows = []
    for i, step in steps.items():
        n = info.get(i)
        if n is None:
            continue
        node_rows.append(
            {
                "step": step,
                "key": n.key,
                "paragraph": n.paragraph_key,
                "symbol": n.symbol,
                "citation": citation(n.symbol, n.key),
                "date": n.date,
                "year": n.year,
                "kind": n.kind,
                "lemma": n.lemma or None,
                "strength": n.strength,
                "addressees": n.addressees,
                "agenda_item": n.agenda_item,
                "text": n.text,
                "url": n.url,
                "_order": (n.order, n.resolution, n.key),
            }
        )
    nodes = pd.DataFrame(node_rows, columns=[*NODE_COLUMNS, "_order"])
    if not nodes.empty:
        nodes = nodes.sort_values("_order").reset_index(drop=True)
    seen: set[tuple[int, int]] = set()
    edge_rows = []
    links = resolution_links(store, [_number(k) for k in keys.values()])
    for e in [*up_edges, *down_edges]:
        if (e.child, e.parent) in seen or e.child not in keys or e.parent not in keys:
            continue
        seen.add((e.child, e.parent))
        edge_rows.append(
            {
                "child": keys[e.child],
                "parent": keys[e.parent],
                "via": e.via,
                "type": e.type,
                "relation": e.relation or None,
                "shape": e.shape or None,
                "similarity": e.similarity,
                "wording": e.wording,
                "score": e.score,
                "off_item": int(e.off_item),
                **_ends(links, keys[e.child], keys[e.parent]),
            }
        )
    edges = pd.DataFrame(edge_rows, columns=EDGE_COLUMNS)
    chain = _chain(start_units, info, up_edges, down_edges)
    return Lineage(
        ref=key,
        start=tuple(u.key for u in start_units),
        nodes=nodes,
        edges=edges,
        chain=chain,
        truncated=cut_up or cut_down,
    )


def _number(key: str) -> int:
    """The resolution number of a unit key (``2331`` of ``2331:op21.3``)."""
    head = key.split(":", 1)[0]
    return int(head) if head.isdigit() else -1


def _ends(links: dict[int, tuple[str, str | None]], child: str, parent: str) -> dict[str, Any]:
    """The citation and url columns of an edge's two ends."""
    out: dict[str, Any] = {}
    for end, key in (("child", child), ("parent", parent)):
        symbol, url = links.get(_number(key), (None, None))
        out[f"{end}_citation"] = citation(symbol, key)
        out[f"{end}_url"] = url
    return out


def _chain(
    start: list[g.UnitRow],
    info: dict[int, g.NodeRow],
    up_edges: list[g.EdgeRow],
    down_edges: list[g.EdgeRow],
) -> pd.DataFrame:
    """The main line: from the first start unit, the best parent back, the earliest child on."""
    import pandas as pd

    parents: dict[int, list[g.EdgeRow]] = {}
    for e in up_edges:
        parents.setdefault(e.child, []).append(e)
    children: dict[int, list[g.EdgeRow]] = {}
    for e in down_edges:
        children.setdefault(e.parent, []).append(e)
    first = start[0].id
    line: list[tuple[int, g.EdgeRow | None]] = [(first, None)]
    rows: list[dict[str, Any]] = []
    seen = {first}
    here = first
    while here in parents:
        options = [
            e
            for e in parents[here]
            if e.parent in info and e.parent not in seen and e.via != "citation"
        ]
        if not options:
            break
        best = min(options, key=lambda e: (e.off_item, e.via != "wording", -(e.score or 0.0)))
        line.insert(0, (best.parent, best))
        seen.add(best.parent)
        here = best.parent
    here = first
    while here in children:
        options = [
            e
            for e in children[here]
            if e.child in info and e.child not in seen and e.via != "citation"
        ]
        if not options:
            break
        nxt = min(options, key=lambda e: (e.off_item, info[e.child].order, -(e.score or 0.0)))
        line.append((nxt.child, nxt))
        seen.add(nxt.child)
        here = nxt.child
    zero = next(i for i, (uid, _) in enumerate(line) if uid == first)
    for i, (uid, _edge) in enumerate(line):
        n = info[uid]
        # the edge joining this row to the one before it in time: an ancestor's edge is kept
        # with the ancestor (it leads to the next row), a descendant's with the descendant
        joining = None if i == 0 else line[i - 1][1] if i - 1 < zero else line[i][1]
        prev = rows[-1] if rows else None
        rows.append(
            {
                "step": i - zero,
                "key": n.key,
                "symbol": n.symbol,
                "citation": citation(n.symbol, n.key),
                "date": n.date,
                "number": n.paragraph_key.split(":", 1)[1][2:],
                "verbs": n.lemma or "",
                "lemma": n.lemma or None,
                "strength": n.strength,
                "similarity": joining.similarity if joining and prev is not None else None,
                "wording": joining.wording if joining and prev is not None else None,
                "change": (joining.type if joining else None) if prev is not None else None,
                "text": n.text,
                "url": n.url,
            }
        )
    frame = pd.DataFrame(rows, columns=CHAIN_COLUMNS)
    frame["similarity"] = frame["similarity"].astype(float)
    frame["wording"] = frame["wording"].astype(float)
    return frame


def first_appearance(store: Store, key: str) -> str:
    """The key of the earliest unit a paragraph's (sub-point's, unit's) lineage reaches."""
    return lineage(store, key).first_appearance


def history(store: Store, key: str) -> pd.DataFrame:
    """The history of an obligation along its main line.

    Returns:
        The main line (columns ``CHAIN_COLUMNS`` plus ``addressees``) with ``attrs``:
        ``became_binding`` (the date its verb first reached the decision rung, or None),
        ``in_force`` (True when the line reaches the latest resolution on its agenda item;
        None when the resolution has no agenda item), ``dropped_after`` and ``dropped_at`` (the
        last resolution that carried it and the date of the next on its item, when dropped).
    """
    lin = lineage(store, key)
    chain = lin.chain.copy()
    info = {n["key"]: n for n in lin.nodes.to_dict("records")}
    chain["addressees"] = [info.get(k, {}).get("addressees") for k in chain["key"]]
    binding = chain[chain["strength"].fillna(0).astype(int) >= BINDING]
    chain.attrs["became_binding"] = None if binding.empty else binding.iloc[0]["date"]
    chain.attrs["first_appearance"] = lin.first_appearance
    start = units_of(store, key)[0]
    item = g.nodes(store, [start.id])[start.id].agenda_item
    chain.attrs["in_force"] = None
    chain.attrs["dropped_after"] = None
    chain.attrs["dropped_at"] = None
    if item:
        line = g.item_resolutions(store, item)
        numbers = [n for n, _ in line]
        carried = (
            {parse_ref(str(k)).resolution for k in lin.nodes["key"]} if len(lin.nodes) else set()
        )
        on_item = [n for n in numbers if n in carried]
        last = on_item[-1] if on_item else start.resolution
        chain.attrs["in_force"] = bool(numbers) and last == numbers[-1]
        if not chain.attrs["in_force"] and last in numbers:
            after = numbers.index(last) + 1
            if after < len(line):
                chain.attrs["dropped_after"] = document_symbol(last)
                chain.attrs["dropped_at"] = line[after][1]
    return chain


#: Columns of :func:`resolution_obligations`.
OBLIGATION_COLUMNS = [
    "key",
    "citation",
    "lemma",
    "strength",
    "addressees",
    "parents",
    "came_by",
    "change",
    "first_appearance",
    "later",
    "later_strength",
    "later_change",
    "text",
    "url",
]


def resolution_obligations(store: Store, number: int) -> pd.DataFrame:
    """Every unit of a resolution: where it came from and whether it got stronger later.

    Returns:
        One row per unit (columns ``OBLIGATION_COLUMNS``): ``parents`` (keys), ``came_by``
        (``reference`` / ``wording`` / None when new), ``change`` from its parent (edge type),
        ``first_appearance``, ``later`` (how many later units carry it), ``later_strength``
        (the strongest rung among them, same kind only) and ``later_change``
        (``stronger later``, ``weaker later``, ``kept``, or ``not carried forward``).

    Examples:
        >>> table = resolution_obligations(lib.store, 2331)  # doctest: +SKIP
        >>> table[table["later_change"] == "stronger later"]  # doctest: +SKIP
    """
    import pandas as pd

    _require_graph(store)
    ids = g.resolution_unit_ids(store, number)
    if not ids:
        raise NotFoundError(f"{document_symbol(number)} has no units in the graph")
    units = g.units_by_ids(store, ids)
    symbol, url = resolution_links(store, [number]).get(number, (None, None))
    rows = []
    for uid in ids:
        u = units[uid]
        up, up_edges, _ = _walk(store, [uid], True, 60, 500)
        down, _, _ = _walk(store, [uid], False, 60, 500)
        info = g.nodes(store, [*up, *down])
        direct = [e for e in up_edges if e.child == uid and e.via != "citation"]
        earliest = min(
            (info[i] for i in up if i in info), key=lambda n: (n.order, n.key), default=None
        )
        later = [info[i] for i in down if i != uid and i in info]
        same_kind = [n.strength for n in later if n.kind == u.kind and n.strength is not None]
        strongest = max(same_kind) if same_kind else None
        if not later:
            later_change = "not carried forward"
        elif strongest is not None and u.strength is not None and strongest > u.strength:
            later_change = "stronger later"
        elif strongest is not None and u.strength is not None and strongest < u.strength:
            later_change = "weaker later"
        else:
            later_change = "kept"
        rows.append(
            {
                "key": u.key,
                "citation": citation(symbol, u.key),
                "lemma": u.lemma or None,
                "strength": u.strength,
                "addressees": u.addressees,
                "parents": ", ".join(info[e.parent].key for e in direct if e.parent in info),
                "came_by": direct[0].via if direct else None,
                "change": ", ".join(sorted({e.type for e in direct})) or None,
                "first_appearance": earliest.key if earliest else u.key,
                "later": len(later),
                "later_strength": strongest,
                "later_change": later_change,
                "text": u.text,
                "url": url,
            }
        )
    return pd.DataFrame(rows, columns=OBLIGATION_COLUMNS)


__all__ = [
    "CHAIN_COLUMNS",
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "OBLIGATION_COLUMNS",
    "Lineage",
    "first_appearance",
    "history",
    "lineage",
    "resolution_obligations",
]
