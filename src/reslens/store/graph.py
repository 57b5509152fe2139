"""The obligation graph in the store: units, their paragraph references, provenance edges.

Tables (created on first use, in the same SQLite file as the paragraphs):

- ``units``: one row per obligation unit (see :mod:`reslens.language.units`), English only;
- ``unit_refs``: every paragraph-level reference a unit makes, with where it resolved to
  (``status``: ``resolved``, ``self``, ``missing-resolution``, ``missing-paragraph``,
  ``missing-point``);
- ``edges``: child unit → parent unit (an earlier unit it carries forward). ``via`` is
  ``reference`` or ``wording``; ``type`` one of ``identical``, ``modified``, ``stronger``,
  ``weaker``, ``re-addressed``, ``reference``; ``shape`` ``merged`` (the child has several
  parents), ``split`` (the parent has several children in one resolution) or ``""``;
  ``off_item`` is 1 when the two resolutions share neither agenda item nor a citation;
- ``graph_state``: the fingerprint of each resolution's English text the graph was built from,
  so a build updates only what changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reslens.store.db import Store
from reslens.store.queries import chunks, marks

SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    paragraph_key TEXT NOT NULL,
    resolution INTEGER NOT NULL,
    kind TEXT NOT NULL,
    point TEXT,
    clause INTEGER,
    ordinal INTEGER NOT NULL,
    lemma TEXT NOT NULL,
    verb TEXT NOT NULL,
    strength INTEGER,
    family TEXT NOT NULL,
    addressees TEXT NOT NULL,
    text TEXT NOT NULL,
    sha TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS units_resolution ON units(resolution);
CREATE INDEX IF NOT EXISTS units_paragraph ON units(paragraph_key);
CREATE TABLE IF NOT EXISTS unit_refs (
    unit_id INTEGER NOT NULL,
    cited_resolution INTEGER NOT NULL,
    cited_year INTEGER,
    cited_paragraph TEXT NOT NULL,
    cited_point TEXT,
    relation TEXT NOT NULL,
    span TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS unit_refs_unit ON unit_refs(unit_id);
CREATE TABLE IF NOT EXISTS edges (
    child INTEGER NOT NULL,
    parent INTEGER NOT NULL,
    via TEXT NOT NULL,
    type TEXT NOT NULL,
    relation TEXT NOT NULL,
    similarity REAL,
    wording REAL,
    score REAL,
    off_item INTEGER NOT NULL,
    shape TEXT NOT NULL,
    PRIMARY KEY (child, parent)
);
CREATE INDEX IF NOT EXISTS edges_parent ON edges(parent);
CREATE TABLE IF NOT EXISTS graph_state (
    resolution INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL
);
"""

UNIT_COLUMNS = (
    "id, key, paragraph_key, resolution, kind, point, clause, ordinal, lemma, verb, strength, "
    "family, addressees, text, sha"
)


@dataclass(frozen=True)
class UnitRow:
    """A stored unit."""

    id: int
    key: str
    paragraph_key: str
    resolution: int
    kind: str
    point: str | None
    clause: int | None
    ordinal: int
    lemma: str
    verb: str
    strength: int | None
    family: str
    addressees: str
    text: str
    sha: str


@dataclass(frozen=True)
class EdgeRow:
    """A stored edge, child → parent."""

    child: int
    parent: int
    via: str
    type: str
    relation: str
    similarity: float | None
    wording: float | None
    score: float | None
    off_item: int
    shape: str


def ensure(store: Store) -> None:
    """Create the graph tables where they are missing."""
    store.conn.executescript(SCHEMA)


def has_graph(store: Store) -> bool:
    """True when the store holds a graph (built by ``reslens build``)."""
    row = store.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'edges'"
    ).fetchone()
    return row is not None


def states(store: Store) -> dict[int, str]:
    """Resolution → the fingerprint its units were built from."""
    return {int(a): str(b) for a, b in store.conn.execute("SELECT * FROM graph_state")}


def resolution_fingerprints(store: Store) -> dict[int, str]:
    """Resolution (or presidential statement) → a fingerprint of its English paragraphs (keys
    and texts) now. Drafts not adopted are no part of the graph."""
    rows = store.conn.execute(
        "SELECT resolution, group_concat(key || char(1) || text, char(2)) FROM "
        "(SELECT p.resolution, p.key, p.text FROM paragraphs p JOIN resolutions r "
        "ON r.id = p.resolution_id WHERE p.language = 'en' AND r.document != 'draft not adopted' "
        "ORDER BY p.resolution, p.ordinal) GROUP BY resolution"
    )
    import hashlib

    return {int(n): hashlib.sha256(str(t).encode()).hexdigest()[:16] for n, t in rows}


def forget_resolutions(store: Store, numbers: Iterable[int]) -> None:
    """Drop the units of these resolutions with their references and every edge touching them."""
    numbers = list(numbers)
    for chunk in chunks(numbers):
        ids = [
            int(r[0])
            for r in store.conn.execute(
                f"SELECT id FROM units WHERE resolution IN ({marks(len(chunk))})", chunk
            )
        ]
        for ids_chunk in chunks(ids):
            m = marks(len(ids_chunk))
            store.conn.execute(f"DELETE FROM unit_refs WHERE unit_id IN ({m})", ids_chunk)
            store.conn.execute(f"DELETE FROM edges WHERE child IN ({m})", ids_chunk)
            store.conn.execute(f"DELETE FROM edges WHERE parent IN ({m})", ids_chunk)
            store.conn.execute(f"DELETE FROM units WHERE id IN ({m})", ids_chunk)
        store.conn.execute(
            f"DELETE FROM graph_state WHERE resolution IN ({marks(len(chunk))})", chunk
        )


def put_units(store: Store, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert units: tuples in the order of ``UNIT_COLUMNS`` without ``id``."""
    store.conn.executemany(
        "INSERT INTO units (key, paragraph_key, resolution, kind, point, clause, ordinal, lemma, "
        "verb, strength, family, addressees, text, sha) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def set_states(store: Store, fingerprints: dict[int, str]) -> None:
    """Record the fingerprints the graph was built from."""
    store.conn.executemany(
        "INSERT OR REPLACE INTO graph_state (resolution, fingerprint) VALUES (?, ?)",
        list(fingerprints.items()),
    )


def put_refs(store: Store, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert unit references (unit_id, cited_resolution, cited_year, cited_paragraph,
    cited_point, relation, span, status)."""
    store.conn.executemany("INSERT INTO unit_refs VALUES (?,?,?,?,?,?,?,?)", rows)


def delete_child_edges(store: Store, child_ids: Sequence[int]) -> None:
    """Drop the parent edges of these units (before computing them again)."""
    for chunk in chunks(list(child_ids)):
        store.conn.execute(f"DELETE FROM edges WHERE child IN ({marks(len(chunk))})", chunk)


def put_edges(store: Store, rows: Sequence[EdgeRow]) -> None:
    """Insert (or replace) edges."""
    store.conn.executemany(
        "INSERT OR REPLACE INTO edges VALUES (?,?,?,?,?,?,?,?,?,?)",
        [tuple(vars(r).values()) for r in rows],
    )


def all_units(store: Store) -> list[UnitRow]:
    """Every unit, in (resolution, ordinal) order."""
    rows = store.conn.execute(f"SELECT {UNIT_COLUMNS} FROM units ORDER BY resolution, ordinal")
    return [UnitRow(*r) for r in rows]


def units_by_ids(store: Store, ids: Sequence[int]) -> dict[int, UnitRow]:
    """Unit id → row."""
    out: dict[int, UnitRow] = {}
    for chunk in chunks(list(ids)):
        for r in store.conn.execute(
            f"SELECT {UNIT_COLUMNS} FROM units WHERE id IN ({marks(len(chunk))})", chunk
        ):
            out[int(r[0])] = UnitRow(*r)
    return out


def units_matching(store: Store, key: str) -> list[UnitRow]:
    """The units a reference names: the unit ``key`` itself, the units of paragraph ``key``,
    or those of a sub-point (``2331:op2(c)`` → ``2331:op2(c)`` and ``2331:op2(c).N``)."""
    rows = store.conn.execute(
        f"SELECT {UNIT_COLUMNS} FROM units WHERE key = ? OR paragraph_key = ? "
        "OR key LIKE ? ESCAPE '\\' ORDER BY ordinal",
        (key, key, key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ".%"),
    )
    return [UnitRow(*r) for r in rows]


def _edges(store: Store, column: str, ids: Sequence[int]) -> list[EdgeRow]:
    out: list[EdgeRow] = []
    for chunk in chunks(list(ids)):
        out += [
            EdgeRow(*r)
            for r in store.conn.execute(
                f"SELECT * FROM edges WHERE {column} IN ({marks(len(chunk))})", chunk
            )
        ]
    return out


def parent_edges(store: Store, ids: Sequence[int]) -> list[EdgeRow]:
    """Edges whose child is one of ``ids``."""
    return _edges(store, "child", ids)


def child_edges(store: Store, ids: Sequence[int]) -> list[EdgeRow]:
    """Edges whose parent is one of ``ids``."""
    return _edges(store, "parent", ids)


def unresolved_refs(store: Store) -> list[tuple[str, int, str, str | None, str, str]]:
    """(citing unit key, cited resolution, cited paragraph, cited point, status, span) of every
    reference that did not resolve to a stored paragraph."""
    rows = store.conn.execute(
        "SELECT u.key, r.cited_resolution, r.cited_paragraph, r.cited_point, r.status, r.span "
        "FROM unit_refs r JOIN units u ON u.id = r.unit_id "
        "WHERE r.status NOT IN ('resolved', 'self') ORDER BY u.resolution, u.ordinal"
    )
    return [(str(a), int(b), str(c), d, str(e), str(f)) for a, b, c, d, e, f in rows]


def refs_of(store: Store, unit_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """The stored references of these units (unit_id first, as in ``put_refs``)."""
    out: list[tuple[Any, ...]] = []
    for chunk in chunks(list(unit_ids)):
        out += [
            tuple(r)
            for r in store.conn.execute(
                f"SELECT * FROM unit_refs WHERE unit_id IN ({marks(len(chunk))})", chunk
            )
        ]
    return out


def resolution_context(store: Store) -> dict[int, tuple[str, str | None, str | None]]:
    """Resolution → (date or year's end for ordering, stored date, agenda item), English."""
    rows = store.conn.execute(
        "SELECT number, COALESCE(date, year || '-12-31'), date, agenda_item FROM resolutions "
        "WHERE language = 'en'"
    )
    return {int(n): (str(o), d, a or None) for n, o, d, a in rows}


def citation_pairs(store: Store) -> set[tuple[int, int]]:
    """(citing, cited) resolution pairs of the English store."""
    rows = store.conn.execute(
        "SELECT DISTINCT p.resolution, c.cited FROM citations c "
        "JOIN paragraphs p ON p.id = c.paragraph_id WHERE p.language = 'en'"
    )
    return {(int(a), int(b)) for a, b in rows}


def graph_counts(store: Store) -> dict[str, int]:
    """Numbers of units, references, edges by ``via``, and unresolved references."""
    if not has_graph(store):
        return {}
    one = store.conn.execute
    return {
        "units": int(one("SELECT COUNT(*) FROM units").fetchone()[0]),
        "references": int(one("SELECT COUNT(*) FROM unit_refs").fetchone()[0]),
        "unresolved references": int(
            one(
                "SELECT COUNT(*) FROM unit_refs WHERE status NOT IN ('resolved', 'self')"
            ).fetchone()[0]
        ),
        "reference edges": int(
            one("SELECT COUNT(*) FROM edges WHERE via = 'reference'").fetchone()[0]
        ),
        "wording edges": int(one("SELECT COUNT(*) FROM edges WHERE via = 'wording'").fetchone()[0]),
    }


@dataclass(frozen=True)
class NodeRow:
    """A unit with what a lineage shows of its resolution."""

    id: int
    key: str
    paragraph_key: str
    resolution: int
    kind: str
    lemma: str
    strength: int | None
    addressees: str
    text: str
    symbol: str
    year: int
    date: str | None
    agenda_item: str | None
    order: str
    url: str | None = None


def nodes(store: Store, ids: Sequence[int]) -> dict[int, NodeRow]:
    """Unit id → :class:`NodeRow` (English resolutions)."""
    out: dict[int, NodeRow] = {}
    for chunk in chunks(list(ids)):
        for r in store.conn.execute(
            "SELECT u.id, u.key, u.paragraph_key, u.resolution, u.kind, u.lemma, u.strength, "
            "u.addressees, u.text, r.symbol, r.year, r.date, r.agenda_item, "
            "COALESCE(r.date, r.year || '-12-31'), r.url FROM units u JOIN resolutions r "
            f"ON r.number = u.resolution AND r.language = 'en' WHERE u.id IN ({marks(len(chunk))})",
            chunk,
        ):
            out[int(r[0])] = NodeRow(*r)
    return out


def item_resolutions(store: Store, agenda_item: str) -> list[tuple[int, str]]:
    """(number, date or year's end) of the English resolutions on an agenda item, in order."""
    rows = store.conn.execute(
        "SELECT number, COALESCE(date, year || '-12-31') FROM resolutions "
        "WHERE language = 'en' AND agenda_item = ? AND document = 'resolution' ORDER BY 2, 1",
        (agenda_item,),
    )
    return [(int(a), str(b)) for a, b in rows]


def resolution_unit_ids(store: Store, number: int) -> list[int]:
    """The unit ids of one resolution, in reading order."""
    rows = store.conn.execute(
        "SELECT id FROM units WHERE resolution = ? ORDER BY ordinal", (number,)
    )
    return [int(r[0]) for r in rows]


def paragraph_passages(store: Store) -> dict[str, list[str]]:
    """English paragraph key → the texts of its passages, in order (as the index embedded
    them)."""
    out: dict[str, list[str]] = defaultdict(list)
    for key, text in store.conn.execute(
        "SELECT p.key, s.text FROM passages s JOIN paragraphs p ON p.id = s.paragraph_id "
        "WHERE p.language = 'en' ORDER BY s.vid"
    ):
        out[str(key)].append(str(text))
    return dict(out)
