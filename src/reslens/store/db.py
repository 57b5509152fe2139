"""The SQLite store: resolutions, paragraphs, verbs, citations, sources, problems, FTS5 text.

The ``resolutions`` table holds every document: resolutions, presidential statements and
drafts not adopted (its ``document`` column says which; the latter two under the synthetic
numbers of :func:`reslens.models.document_number`, so ``paragraphs.resolution`` joins them
like resolutions). Queries that mean resolutions only say ``document = 'resolution'``.

One file, ``reslens.db``, in the index directory. The schema version lives in the ``meta``
table; opening a store of another version is a :class:`~reslens.errors.StoreError` that says
how to rebuild. Lists and nested structures are stored as JSON text, never pickled.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reslens.errors import StoreError
from reslens.models import RESOLUTION, Citation, Paragraph, Resolution, SubPoint, Verb

#: 2: paragraphs_trigram (Chinese and Arabic); 3: presidential statements and drafts
#: (resolutions.document)
SCHEMA_VERSION = 3
DB_NAME = "reslens.db"

#: Languages whose paragraphs also go into ``paragraphs_trigram``: unicode61 makes a Chinese
#: sentence one token, and Arabic glues articles and prepositions to words (والأمن, للأمن).
TRIGRAM_LANGUAGES = frozenset({"zh", "ar"})

# Where a resolution exists in several sources, the higher priority wins.
SOURCE_PRIORITY = {"akn": 3, "crunsc": 2, "pdf": 1, "pdftext": 1}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    format TEXT NOT NULL,
    language TEXT,
    resolution INTEGER,
    status TEXT NOT NULL,          -- ok | duplicate | problem
    note TEXT
);
CREATE TABLE IF NOT EXISTS resolutions (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL,
    language TEXT NOT NULL,
    document TEXT NOT NULL,        -- resolution | presidential statement | draft not adopted
    year INTEGER NOT NULL,
    symbol TEXT NOT NULL,
    date TEXT,
    title TEXT,
    agenda_item TEXT,
    chapter_vii INTEGER,
    subjects TEXT NOT NULL,
    keywords TEXT NOT NULL,
    meeting TEXT,
    draft_symbol TEXT,
    sponsors TEXT NOT NULL,
    votes TEXT NOT NULL,
    url TEXT,
    source_path TEXT NOT NULL,
    source_format TEXT NOT NULL,
    UNIQUE (number, language)
);
CREATE TABLE IF NOT EXISTS paragraphs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    resolution_id INTEGER NOT NULL REFERENCES resolutions(id) ON DELETE CASCADE,
    resolution INTEGER NOT NULL,
    language TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    section TEXT,
    heading TEXT,
    intro TEXT NOT NULL,
    text TEXT NOT NULL,
    points TEXT NOT NULL,
    leading_lemma TEXT,
    leading_strength INTEGER,
    max_strength INTEGER
);
CREATE INDEX IF NOT EXISTS paragraphs_by_resolution ON paragraphs (resolution, language, ordinal);
CREATE TABLE IF NOT EXISTS verbs (
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    lemma TEXT NOT NULL,
    family TEXT NOT NULL,
    strength INTEGER,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS verbs_by_paragraph ON verbs (paragraph_id);
CREATE INDEX IF NOT EXISTS verbs_by_lemma ON verbs (lemma);
CREATE TABLE IF NOT EXISTS citations (
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    cited INTEGER NOT NULL,
    cited_year INTEGER,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS citations_by_paragraph ON citations (paragraph_id);
CREATE INDEX IF NOT EXISTS citations_by_cited ON citations (cited);
CREATE TABLE IF NOT EXISTS addressees (
    paragraph_id INTEGER NOT NULL REFERENCES paragraphs(id) ON DELETE CASCADE,
    name TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS addressees_by_paragraph ON addressees (paragraph_id);
CREATE TABLE IF NOT EXISTS problems (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS paragraphs_fts USING fts5(text, tokenize='porter unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS paragraphs_trigram USING fts5(text, tokenize='trigram');
"""


@dataclass(frozen=True)
class SourceRecord:
    """What the store remembers of one source file."""

    path: str
    sha256: str
    size: int
    format: str
    language: str | None = None
    resolution: int | None = None
    status: str = "ok"
    note: str | None = None


def _category(name: str) -> str:
    """:func:`reslens.language.addressees.category`, imported when a query first asks."""
    from reslens.language.addressees import category

    return category(name)


class Store:
    """A connection to ``reslens.db`` with typed reads and writes.

    Examples:
        >>> store = Store.open(Path("index"))  # doctest: +SKIP
        >>> store.resolution(2331).title  # doctest: +SKIP
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        # the addressee filter matches categories too (reslens.language.addressees.category)
        conn.create_function("addressee_category", 1, _category, deterministic=True)

    # -- life cycle -------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path) -> Store:
        """Open ``path`` for writing, creating the schema when the file is new."""
        conn = _connect(path)
        try:
            version = _schema_version(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(
                f"{path} is not a readable reslens store ({exc}); "
                "rebuild it with: reslens build --rebuild"
            ) from exc
        if version is not None and version != str(SCHEMA_VERSION):
            conn.close()
            raise _version_error(path, version, "writes")
        conn.executescript(_SCHEMA)
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        conn.commit()
        return cls(conn, path)

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open an existing store read-only; a missing or foreign file is a StoreError."""
        if not path.is_file():
            raise StoreError(f"no store at {path}; build one with: reslens build")
        try:
            # read-only and shared across threads: Jupyter runs widget callbacks on a kernel
            # subshell thread, not on the thread that opened the library (SQLite itself is
            # built serialized, sqlite3.threadsafety == 3)
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            version = _schema_version(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{path} is not a readable reslens store ({exc}); rebuild it with: reslens build"
            ) from exc
        if version != str(SCHEMA_VERSION):
            conn.close()
            raise _version_error(path, version, "reads")
        conn.row_factory = sqlite3.Row
        return cls(conn, path)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """A value of the meta table, or None."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the meta table."""
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- sources and problems ---------------------------------------------------------------
    def sources(self) -> dict[str, SourceRecord]:
        """Every source file recorded, keyed by path."""
        rows = self.conn.execute(
            "SELECT path, sha256, size, format, language, resolution, status, note FROM sources"
        )
        return {r[0]: SourceRecord(*r) for r in rows}

    def put_source(self, record: SourceRecord) -> None:
        """Record (or update) a source file."""
        self.conn.execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.path,
                record.sha256,
                record.size,
                record.format,
                record.language,
                record.resolution,
                record.status,
                record.note,
            ),
        )

    def forget_source(self, path: str) -> None:
        """Drop a source file, the resolution it provided, and its problems."""
        self.conn.execute("DELETE FROM problems WHERE path = ?", (path,))
        self.conn.execute("DELETE FROM sources WHERE path = ?", (path,))
        for (rid,) in self.conn.execute(
            "SELECT id FROM resolutions WHERE source_path = ?", (path,)
        ).fetchall():
            self._delete_resolution(rid)

    def add_problem(self, path: str, kind: str, message: str) -> None:
        """Record a problem met while reading ``path``."""
        self.conn.execute(
            "INSERT INTO problems (path, kind, message) VALUES (?, ?, ?)", (path, kind, message)
        )

    def problems(self) -> list[tuple[str, str, str]]:
        """Every recorded problem as (path, kind, message)."""
        return [
            (r[0], r[1], r[2])
            for r in self.conn.execute("SELECT path, kind, message FROM problems ORDER BY id")
        ]

    # -- resolutions ------------------------------------------------------------------------
    def existing_source(self, number: int, language: str) -> tuple[str, str] | None:
        """(source_path, source_format) of the stored resolution, if any."""
        row = self.conn.execute(
            "SELECT source_path, source_format FROM resolutions WHERE number = ? AND language = ?",
            (number, language),
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def put_resolution(self, res: Resolution) -> None:
        """Insert a resolution with its paragraphs, replacing one of the same number/language."""
        row = self.conn.execute(
            "SELECT id FROM resolutions WHERE number = ? AND language = ?",
            (res.number, res.language),
        ).fetchone()
        if row is not None:
            self._delete_resolution(int(row[0]))
        votes = {
            "counts": list(res.vote_counts) if res.vote_counts else None,
            "for": list(res.votes_for),
            "against": list(res.votes_against),
            "abstaining": list(res.votes_abstaining),
        }
        cur = self.conn.execute(
            "INSERT INTO resolutions (number, language, document, year, symbol, date, title,"
            " agenda_item, chapter_vii, subjects, keywords, meeting, draft_symbol, sponsors,"
            " votes, url, source_path, source_format) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                res.number,
                res.language,
                res.document,
                res.year,
                res.symbol,
                res.date,
                res.title,
                res.agenda_item,
                None if res.chapter_vii is None else int(res.chapter_vii),
                json.dumps(list(res.subjects), ensure_ascii=False),
                json.dumps(list(res.keywords), ensure_ascii=False),
                res.meeting,
                res.draft_symbol,
                json.dumps(list(res.sponsors), ensure_ascii=False),
                json.dumps(votes, ensure_ascii=False),
                res.url,
                res.source_path,
                res.source_format,
            ),
        )
        rid = cur.lastrowid
        for para in res.paragraphs:
            self._put_paragraph(rid, res, para)

    def _put_paragraph(self, rid: int | None, res: Resolution, para: Paragraph) -> None:
        strengths = [v.strength for v in para.verbs if v.strength is not None]
        lead = para.leading_verb
        cur = self.conn.execute(
            "INSERT INTO paragraphs (key, resolution_id, resolution, language, kind, number,"
            " ordinal, section, heading, intro, text, points, leading_lemma, leading_strength,"
            " max_strength) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                para.key,
                rid,
                res.number,
                para.language,
                para.kind,
                para.number,
                para.ordinal,
                para.section,
                para.heading,
                para.intro,
                para.text,
                json.dumps(_points_to_json(para.points), ensure_ascii=False),
                lead.lemma if lead else None,
                lead.strength if lead else None,
                max(strengths) if strengths else None,
            ),
        )
        pid = cur.lastrowid
        self.conn.executemany(
            "INSERT INTO verbs VALUES (?,?,?,?,?,?,?)",
            [
                (pid, v.position, v.text, v.lemma, v.family, v.strength, v.source)
                for v in para.verbs
            ],
        )
        self.conn.executemany(
            "INSERT INTO citations VALUES (?,?,?,?)",
            [(pid, c.number, c.year, c.text) for c in para.citations],
        )
        self.conn.executemany(
            "INSERT INTO addressees VALUES (?,?)", [(pid, a) for a in para.addressees]
        )
        self.conn.execute(
            "INSERT INTO paragraphs_fts (rowid, text) VALUES (?, ?)", (pid, para.text)
        )
        if para.language in TRIGRAM_LANGUAGES:
            self.conn.execute(
                "INSERT INTO paragraphs_trigram (rowid, text) VALUES (?, ?)", (pid, para.text)
            )

    def _delete_resolution(self, rid: int) -> None:
        ids = [
            r[0]
            for r in self.conn.execute("SELECT id FROM paragraphs WHERE resolution_id = ?", (rid,))
        ]
        for table in ("verbs", "citations", "addressees"):
            self.conn.executemany(
                f"DELETE FROM {table} WHERE paragraph_id = ?", [(i,) for i in ids]
            )
        for fts in ("paragraphs_fts", "paragraphs_trigram"):
            self.conn.executemany(f"DELETE FROM {fts} WHERE rowid = ?", [(i,) for i in ids])
        self.conn.execute("DELETE FROM paragraphs WHERE resolution_id = ?", (rid,))
        self.conn.execute("DELETE FROM resolutions WHERE id = ?", (rid,))

    def resolution(self, number: int, language: str = "en") -> Resolution | None:
        """Read one resolution with its paragraphs, or None."""
        self.conn.row_factory = sqlite3.Row
        row = self.conn.execute(
            "SELECT * FROM resolutions WHERE number = ? AND language = ?", (number, language)
        ).fetchone()
        if row is None:
            return None
        paragraphs = tuple(self._paragraphs("WHERE resolution_id = ?", (row["id"],)))
        return _resolution_from_row(row, paragraphs)

    def resolution_numbers(
        self, language: str | None = None, document: str = RESOLUTION
    ) -> list[tuple[int, str, str]]:
        """(number, language, source_format) of every stored resolution (or other
        ``document``)."""
        sql = "SELECT number, language, source_format FROM resolutions WHERE document = ?"
        args: tuple[Any, ...] = (document,)
        if language is not None:
            sql += " AND language = ?"
            args = (document, language)
        return [
            (int(r[0]), str(r[1]), str(r[2]))
            for r in self.conn.execute(sql + " ORDER BY number", args)
        ]

    def document_counts(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Document kind → language → (documents, paragraphs)."""
        rows = self.conn.execute(
            "SELECT r.document, r.language, COUNT(DISTINCT r.id), COUNT(p.id) FROM resolutions r "
            "LEFT JOIN paragraphs p ON p.resolution_id = r.id GROUP BY r.document, r.language"
        )
        out: dict[str, dict[str, tuple[int, int]]] = {}
        for document, language, docs, paragraphs in rows:
            out.setdefault(str(document), {})[str(language)] = (int(docs), int(paragraphs))
        return out

    def paragraph(self, key: str) -> Paragraph | None:
        """Read one paragraph by its key, or None."""
        found = list(self._paragraphs("WHERE key = ?", (key,)))
        return found[0] if found else None

    def paragraph_id(self, key: str) -> int:
        """The row id of a paragraph key (for joins with passages and vectors)."""
        row = self.conn.execute("SELECT id FROM paragraphs WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return int(row[0])

    def iter_paragraphs(self, language: str = "en") -> Iterator[Paragraph]:
        """Every paragraph of one language, in resolution and paragraph order."""
        return self._paragraphs("WHERE language = ? ORDER BY resolution, ordinal", (language,))

    def _paragraphs(self, where: str, args: tuple[Any, ...]) -> Iterator[Paragraph]:
        self.conn.row_factory = sqlite3.Row
        rows = self.conn.execute(f"SELECT * FROM paragraphs {where}", args).fetchall()
        if not rows:
            return
        ids = [r["id"] for r in rows]
        verbs = _group(
            self.conn, "SELECT * FROM verbs WHERE paragraph_id IN ({}) ORDER BY position", ids
        )
        cites = _group(self.conn, "SELECT * FROM citations WHERE paragraph_id IN ({})", ids)
        addrs = _group(self.conn, "SELECT * FROM addressees WHERE paragraph_id IN ({})", ids)
        for r in rows:
            pid = r["id"]
            yield Paragraph(
                key=r["key"],
                resolution=r["resolution"],
                kind=r["kind"],
                number=r["number"],
                ordinal=r["ordinal"],
                text=r["text"],
                intro=r["intro"],
                points=_points_from_json(json.loads(r["points"])),
                section=r["section"],
                heading=r["heading"],
                language=r["language"],
                verbs=tuple(
                    Verb(
                        text=v["text"],
                        lemma=v["lemma"],
                        strength=v["strength"],
                        family=v["family"],
                        position=v["position"],
                        source=v["source"],
                    )
                    for v in verbs.get(pid, [])
                ),
                addressees=tuple(a["name"] for a in addrs.get(pid, [])),
                citations=tuple(
                    Citation(number=c["cited"], year=c["cited_year"], text=c["text"])
                    for c in cites.get(pid, [])
                ),
            )

    # -- counts -----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        out = {}
        for table in (
            "resolutions",
            "paragraphs",
            "verbs",
            "citations",
            "addressees",
            "problems",
            "sources",
        ):
            out[table] = int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        return out


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")
        return conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc


def _schema_version(conn: sqlite3.Connection) -> str | None:
    """The schema version as written (not necessarily a number), or None when there is none."""
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not has_meta:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else str(row[0])


def _version_error(path: Path, version: str | None, does: str) -> StoreError:
    found = (
        "no schema version"
        if version is None
        else f"schema version {version if version.isdigit() else repr(version)}"
    )
    return StoreError(
        f"{path} has {found}, this reslens {does} {SCHEMA_VERSION}; "
        "rebuild it with: reslens build --rebuild"
    )


def check_store(path: Path) -> str | None:
    """What SQLite finds wrong with the store at ``path`` (``PRAGMA quick_check``: about 0.4 s
    for the whole corpus), or None when it is sound."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def is_damage(exc: sqlite3.Error) -> bool:
    """True when ``exc`` says the database file is damaged or not a database at all."""
    name = str(getattr(exc, "sqlite_errorname", ""))
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return True
    text = str(exc).lower()
    # the store writes UTF-8 only: a text that does not decode was changed on disk
    damage = ("malformed", "corrupt", "not a database", "could not decode to utf-8")
    return any(word in text for word in damage)


def _group(conn: sqlite3.Connection, sql: str, ids: list[int]) -> dict[int, list[sqlite3.Row]]:
    out: dict[int, list[sqlite3.Row]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        query = sql.format(",".join("?" * len(chunk)))
        for row in conn.execute(query, chunk):
            out.setdefault(int(row["paragraph_id"]), []).append(row)
    return out


def _points_to_json(points: tuple[SubPoint, ...]) -> list[dict[str, Any]]:
    return [
        {"label": p.label, "text": p.text, "children": _points_to_json(p.children)} for p in points
    ]


def _points_from_json(data: list[dict[str, Any]]) -> tuple[SubPoint, ...]:
    return tuple(
        SubPoint(label=d["label"], text=d["text"], children=_points_from_json(d["children"]))
        for d in data
    )


def _resolution_from_row(row: sqlite3.Row, paragraphs: tuple[Paragraph, ...]) -> Resolution:
    votes = json.loads(row["votes"])
    counts = votes.get("counts")
    return Resolution(
        number=row["number"],
        year=row["year"],
        language=row["language"],
        date=row["date"],
        title=row["title"],
        agenda_item=row["agenda_item"],
        chapter_vii=None if row["chapter_vii"] is None else bool(row["chapter_vii"]),
        subjects=tuple(json.loads(row["subjects"])),
        keywords=tuple(json.loads(row["keywords"])),
        meeting=row["meeting"],
        draft_symbol=row["draft_symbol"],
        sponsors=tuple(json.loads(row["sponsors"])),
        votes_for=tuple(votes.get("for", [])),
        votes_against=tuple(votes.get("against", [])),
        votes_abstaining=tuple(votes.get("abstaining", [])),
        vote_counts=(int(counts[0]), int(counts[1]), int(counts[2])) if counts else None,
        url=row["url"],
        source_path=row["source_path"],
        source_format=row["source_format"],
        paragraphs=paragraphs,
    )
