"""Read-only queries of the store for search and the analyses: filters as SQL, the rows of
search hits, the paragraphs and citations lineage and evolution read, the citation graph.

Every SQL string of the package lives in this folder; the layers above call these functions
with ids and numbers and get plain tuples back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reslens.errors import ReslensError
from reslens.models import DOCUMENTS, RESOLUTION
from reslens.store.db import Store

#: The largest integer SQLite stores; a larger ``LIMIT`` means no limit.
SQL_MAX_INT = (1 << 63) - 1

#: Most ``?`` placeholders put in one ``IN (...)`` (SQLite's old default limit is 999).
CHUNK = 900


def chunks(ids: Sequence[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``ids`` in lists of at most ``size`` (for ``IN (...)`` queries)."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def marks(n: int) -> str:
    """``?,?,…`` with ``n`` placeholders."""
    return ",".join("?" * n)


def select_in(store: Store, sql: str, ids: Sequence[Any], *args: Any) -> list[tuple[Any, ...]]:
    """Run ``sql`` (with one ``{}`` where the placeholders go, and ``args`` after them) over
    ``ids`` in chunks; all rows, in chunk order."""
    out: list[tuple[Any, ...]] = []
    for chunk in chunks(ids):
        out.extend(
            tuple(r) for r in store.conn.execute(sql.format(marks(len(chunk))), [*chunk, *args])
        )
    return out


def like_escape(text: str) -> str:
    r"""``text`` for a ``LIKE … ESCAPE '\'`` pattern: its ``%``, ``_`` and ``\`` match
    themselves instead of any text, any character and escaping.

    Examples:
        >>> print(like_escape(r"50%_share\x"))
        50\%\_share\\x
    """
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# -- filters ----------------------------------------------------------------------------------

#: 1 when a resolution was adopted with no vote against and no abstention, 0 when not, NULL
#: when its vote counts are unknown (over ``resolutions r``; the filter and the search's
#: arrays both read it, so they agree).
UNANIMOUS_SQL = (
    "CASE WHEN json_extract(r.votes, '$.counts[0]') IS NULL THEN NULL "
    "WHEN json_extract(r.votes, '$.counts[1]') = 0 AND json_extract(r.votes, '$.counts[2]') = 0 "
    "THEN 1 ELSE 0 END"
)

#: The ids of the paragraphs with an addressee whose lower-cased name, or whose category, is
#: among the ``{}`` placeholders (given twice).
ADDRESSEE_SQL = (
    "SELECT a.paragraph_id FROM addressees a WHERE lower(a.name) IN ({0}) "
    "OR addressee_category(a.name) IN ({0})"
)

#: Whether one of the resolution's sponsors (``r``), lower-cased, is among the placeholders.
SPONSOR_SQL = "EXISTS (SELECT 1 FROM json_each(r.sponsors) j WHERE lower(j.value) IN ({}))"


@dataclass(frozen=True)
class Filters:
    """Which paragraphs a search may return. Every field left at None (or empty) is no filter.

    Attributes:
        since / until: adoption year bounds, inclusive.
        kind: ``"operative"`` or ``"preambular"``.
        verbs: verb lemmas (``"requests"``, ``"calls upon"``); a paragraph matches when any
            of its verbs has one of these lemmas (phrases are turned into lemmas by the caller).
        min_strength: the paragraph's strongest verb (``max_strength``) is at least this rung.
        subjects: words matched (case-insensitively) against the UNBIS subjects, keywords and
            agenda item of the resolution; any may match.
        resolutions: resolution numbers.
        chapter_vii: only resolutions adopted (or not) under Chapter VII.
        language: ISO 639-1 code (vectors exist for English only).
        exclude: paragraph keys never to return.
        exclude_resolutions: resolution numbers never to return.
        addressees: lower-cased addressee names (``"member states"``) or categories
            (``"mission"``); a paragraph matches when any of its addressees has one.
        sponsors: lower-cased sponsor names; a paragraph matches when its resolution has one.
        unanimous: only resolutions adopted with no vote against and no abstention (True), or
            with some (False); resolutions whose vote is unknown match neither.
        document: the kinds of document (``resolution``, ``presidential statement``,
            ``draft not adopted``); resolutions only unless asked.
    """

    since: int | None = None
    until: int | None = None
    kind: str | None = None
    verbs: tuple[str, ...] = ()
    min_strength: int | None = None
    subjects: tuple[str, ...] = ()
    resolutions: tuple[int, ...] = ()
    chapter_vii: bool | None = None
    language: str = "en"
    exclude: tuple[str, ...] = field(default=())
    exclude_resolutions: tuple[int, ...] = ()
    addressees: tuple[str, ...] = ()
    sponsors: tuple[str, ...] = ()
    unanimous: bool | None = None
    document: tuple[str, ...] = (RESOLUTION,)

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE clause over ``paragraphs p JOIN resolutions r`` and its arguments."""
        where = ["p.language = ?"]
        args: list[Any] = [self.language]
        if self.since is not None:
            where.append("r.year >= ?")
            args.append(self.since)
        if self.until is not None:
            where.append("r.year <= ?")
            args.append(self.until)
        if self.kind:
            if self.kind not in ("operative", "preambular"):
                raise ReslensError(f"kind must be operative or preambular, not {self.kind!r}")
            where.append("p.kind = ?")
            args.append(self.kind)
        if self.verbs:
            where.append(
                "p.id IN (SELECT v.paragraph_id FROM verbs v WHERE v.lemma IN "
                f"({marks(len(self.verbs))}))"
            )
            args.extend(self.verbs)
        if self.min_strength is not None:
            where.append("p.max_strength >= ?")
            args.append(self.min_strength)
        if self.subjects:
            ors = []
            for subject in self.subjects:
                ors.append(
                    "(r.subjects LIKE ? ESCAPE '\\' OR r.keywords LIKE ? ESCAPE '\\' "
                    "OR r.agenda_item LIKE ? ESCAPE '\\')"
                )
                like = f"%{like_escape(subject)}%"
                args.extend([like, like, like])
            where.append("(" + " OR ".join(ors) + ")")
        if self.resolutions:
            where.append(f"p.resolution IN ({marks(len(self.resolutions))})")
            args.extend(self.resolutions)
        if self.chapter_vii is not None:
            where.append("r.chapter_vii = ?")
            args.append(int(self.chapter_vii))
        if self.addressees:
            where.append(f"p.id IN ({ADDRESSEE_SQL.format(marks(len(self.addressees)))})")
            args.extend([*self.addressees, *self.addressees])
        if self.sponsors:
            where.append(SPONSOR_SQL.format(marks(len(self.sponsors))))
            args.extend(self.sponsors)
        if self.unanimous is not None:
            where.append(f"({UNANIMOUS_SQL}) = ?")
            args.append(int(self.unanimous))
        if self.exclude_resolutions:
            where.append(f"p.resolution NOT IN ({marks(len(self.exclude_resolutions))})")
            args.extend(self.exclude_resolutions)
        if self.exclude:
            where.append(f"p.key NOT IN ({marks(len(self.exclude))})")
            args.extend(self.exclude)
        if set(self.document) != set(DOCUMENTS):
            if not self.document or not set(self.document) <= set(DOCUMENTS):
                raise ReslensError(f"document must be among {', '.join(DOCUMENTS)}")
            where.append(f"r.document IN ({marks(len(self.document))})")
            args.extend(self.document)
        return " AND ".join(where), args

    @property
    def active(self) -> bool:
        """True when anything but the language and the kinds of document restricts the
        search."""
        return self != Filters(language=self.language, document=self.document)


def other_documents(store: Store, documents: Sequence[str]) -> bool:
    """True when the store holds documents of a kind not in ``documents``."""
    wanted = tuple(documents)
    sql = f"SELECT 1 FROM resolutions WHERE document NOT IN ({marks(len(wanted))}) LIMIT 1"
    return store.conn.execute(sql, wanted).fetchone() is not None


def allowed_paragraphs(store: Store, filters: Filters) -> set[int] | None:
    """Paragraph ids that pass the filters; None when nothing filters."""
    if not filters.active and not other_documents(store, filters.document):
        return None
    where, args = filters.sql()
    rows = store.conn.execute(
        f"SELECT p.id FROM paragraphs p JOIN resolutions r ON r.id = p.resolution_id WHERE {where}",
        args,
    )
    return {int(r[0]) for r in rows}


# -- the search's precomputed arrays ------------------------------------------------------


def english_columns(store: Store) -> list[tuple[Any, ...]]:
    """(id, year, kind, max_strength, resolution, chapter_vii, resolution row id, unanimous)
    of every English paragraph, in id order."""
    return [
        tuple(r)
        for r in store.conn.execute(
            "SELECT p.id, r.year, p.kind, p.max_strength, p.resolution, r.chapter_vii, r.id, "
            f"{UNANIMOUS_SQL} FROM paragraphs p JOIN resolutions r ON r.id = p.resolution_id "
            "WHERE p.language = 'en' ORDER BY p.id"
        )
    ]


def english_texts(store: Store) -> Iterator[tuple[int, str]]:
    """(id, text) of every English paragraph."""
    for pid, text in store.conn.execute("SELECT id, text FROM paragraphs WHERE language = 'en'"):
        yield int(pid), str(text)


def english_verbs(store: Store) -> list[tuple[int, str]]:
    """(paragraph id, lemma) of every verb of an English paragraph."""
    rows = store.conn.execute(
        "SELECT v.paragraph_id, v.lemma FROM verbs v JOIN paragraphs p ON p.id = v.paragraph_id "
        "WHERE p.language = 'en'"
    )
    return [(int(a), str(b)) for a, b in rows]


def english_addressees(store: Store) -> list[tuple[int, str, str]]:
    """(paragraph id, lower-cased name, category) of every addressee of an English paragraph."""
    rows = store.conn.execute(
        "SELECT a.paragraph_id, lower(a.name), addressee_category(a.name) FROM addressees a "
        "JOIN paragraphs p ON p.id = a.paragraph_id WHERE p.language = 'en'"
    )
    return [(int(a), str(b), str(c)) for a, b, c in rows]


def sponsor_resolutions(store: Store, sponsors: Sequence[str], language: str = "en") -> list[int]:
    """Row ids of the resolutions one of whose sponsors (lower-cased) is among ``sponsors``, as
    the ``sponsors`` filter reads them."""
    rows = store.conn.execute(
        f"SELECT r.id FROM resolutions r WHERE r.language = ? AND "
        f"{SPONSOR_SQL.format(marks(len(sponsors)))}",
        [language, *sponsors],
    )
    return [int(r[0]) for r in rows]


def subject_resolutions(store: Store, subjects: Sequence[str], language: str = "en") -> list[int]:
    """Row ids of the resolutions whose UNBIS subjects, keywords or agenda item contain any of
    ``subjects`` (case-insensitively), as the ``subjects`` filter reads them."""
    ors = []
    args: list[Any] = [language]
    for subject in subjects:
        ors.append(
            "(subjects LIKE ? ESCAPE '\\' OR keywords LIKE ? ESCAPE '\\' "
            "OR agenda_item LIKE ? ESCAPE '\\')"
        )
        like = f"%{like_escape(subject)}%"
        args.extend([like, like, like])
    rows = store.conn.execute(
        f"SELECT id FROM resolutions WHERE language = ? AND ({' OR '.join(ors)})", args
    )
    return [int(r[0]) for r in rows]


def paragraph_texts(store: Store, ids: Sequence[int]) -> dict[int, str]:
    """Paragraph id → text."""
    rows = select_in(store, "SELECT id, text FROM paragraphs WHERE id IN ({})", ids)
    return {int(a): str(b) for a, b in rows}


def paragraph_ids(store: Store, keys: Sequence[str]) -> list[int]:
    """Ids of the paragraphs with these keys (unknown keys are left out)."""
    return [
        int(r[0]) for r in select_in(store, "SELECT id FROM paragraphs WHERE key IN ({})", keys)
    ]


# -- search -----------------------------------------------------------------------------------


def passage_paragraphs(store: Store) -> np.ndarray:
    """Paragraph id of every passage vector, indexed by the vector's row (``vid``)."""
    # two lists in one row, parsed by numpy: ~4x faster than a Python row per passage
    vids, pids = store.conn.execute(
        "SELECT group_concat(vid), group_concat(paragraph_id) FROM passages"
    ).fetchone()
    if not vids:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(np.fromstring(vids, dtype=np.int64, sep=","), kind="stable")
    return np.fromstring(pids, dtype=np.int64, sep=",")[order]


def passage_count(store: Store) -> int:
    """Number of passage rows (= vectors the FAISS file must hold)."""
    return int(store.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0])


def fts_search(store: Store, match: str, k: int, filters: Filters) -> list[tuple[int, float]]:
    """Up to ``k`` (paragraph id, BM25 score: higher is better) for an FTS5 ``MATCH`` string."""
    where, args = filters.sql()
    rows = store.conn.execute(
        "SELECT f.rowid, -bm25(paragraphs_fts) AS score FROM paragraphs_fts f "
        "JOIN paragraphs p ON p.id = f.rowid JOIN resolutions r ON r.id = p.resolution_id "
        f"WHERE paragraphs_fts MATCH ? AND {where} ORDER BY bm25(paragraphs_fts) LIMIT ?",
        [match, *args, min(k, SQL_MAX_INT)],
    ).fetchall()
    return [(int(r[0]), float(r[1])) for r in rows]


def phrase_paragraphs(store: Store, match: str, language: str = "en") -> set[int]:
    """Ids of every paragraph of ``language`` matching an FTS5 ``MATCH`` string (no limit)."""
    rows = store.conn.execute(
        "SELECT f.rowid FROM paragraphs_fts f JOIN paragraphs p ON p.id = f.rowid "
        "WHERE paragraphs_fts MATCH ? AND p.language = ?",
        (match, language),
    )
    return {int(r[0]) for r in rows}


def year_totals(store: Store, language: str = "en") -> dict[int, int]:
    """Adoption year → number of resolution paragraphs of ``language`` (years without text
    are absent)."""
    rows = store.conn.execute(
        "SELECT r.year, COUNT(*) FROM paragraphs p JOIN resolutions r ON r.id = p.resolution_id "
        "WHERE p.language = ? AND r.document = 'resolution' GROUP BY r.year",
        (language,),
    )
    return {int(a): int(b) for a, b in rows}


@dataclass(frozen=True)
class HitRow:
    """What a result table shows of one paragraph."""

    pid: int
    key: str
    kind: str
    number: str
    text: str
    strength: int | None
    max_strength: int | None
    resolution: int
    year: int
    date: str | None
    url: str | None
    agenda_item: str | None
    vote: str | None
    unanimous: bool | None
    sponsors: str
    symbol: str
    document: str


def vote_summary(votes_json: str | None) -> tuple[str | None, bool | None]:
    """(``"15-0-0"``: for, against, abstaining; unanimous) of a stored ``votes`` value; both
    None where the counts are unknown. Unanimous: no vote against and no abstention (members
    not voting are not counted), as :data:`UNANIMOUS_SQL`.

    Examples:
        >>> vote_summary('{"counts": [14, 0, 1]}')
        ('14-0-1', False)
    """
    counts = json.loads(votes_json or "{}").get("counts") if votes_json else None
    if not counts or len(counts) < 3 or counts[0] is None:
        return None, None
    return "-".join(str(c) for c in counts[:3]), counts[1] == 0 and counts[2] == 0


def sponsor_text(sponsors_json: str | None) -> str:
    """A stored sponsor list as ``"France; Germany"`` (``;``: names may hold commas)."""
    return "; ".join(json.loads(sponsors_json or "[]"))


def hit_rows(store: Store, ids: Sequence[int]) -> dict[int, HitRow]:
    """Paragraph id → its row, for the paragraphs of a result table."""
    rows = select_in(
        store,
        "SELECT p.id, p.key, p.kind, p.number, p.text, p.leading_strength, p.max_strength, "
        "r.number, r.year, r.date, r.url, r.agenda_item, r.votes, r.sponsors, r.symbol, "
        "r.document FROM paragraphs p "
        "JOIN resolutions r ON r.id = p.resolution_id WHERE p.id IN ({})",
        ids,
    )
    out = {}
    for r in rows:
        vote, unanimous = vote_summary(r[12])
        pid, key, kind, number, text, strength, top, res, year, date, url = r[:11]
        out[int(pid)] = HitRow(
            pid, key, kind, number, text, strength, top, res, year, date, url,
            r[11] or None, vote, unanimous, sponsor_text(r[13]), str(r[14]), str(r[15]),
        )  # fmt: skip
    return out


def addressee_names(store: Store, ids: Sequence[int]) -> dict[int, list[str]]:
    """Paragraph id → its addressees, in order."""
    out: dict[int, list[str]] = {}
    for pid, name in select_in(
        store,
        "SELECT paragraph_id, name FROM addressees WHERE paragraph_id IN ({}) ORDER BY rowid",
        ids,
    ):
        out.setdefault(int(pid), []).append(str(name))
    return out


def verb_lemmas(store: Store, ids: Sequence[int]) -> dict[int, list[str]]:
    """Paragraph id → its verbs' lemmas (the verb's text where it has no lemma), in order."""
    out: dict[int, list[str]] = {}
    for pid, lemma, text in select_in(
        store,
        "SELECT paragraph_id, lemma, text FROM verbs WHERE paragraph_id IN ({}) "
        "ORDER BY paragraph_id, position",
        ids,
    ):
        out.setdefault(int(pid), []).append(str(lemma or text))
    return out


def passage_texts(store: Store, vids: Sequence[int]) -> dict[int, str]:
    """Passage row → its text."""
    rows = select_in(store, "SELECT vid, text FROM passages WHERE vid IN ({})", vids)
    return {int(v): str(t) for v, t in rows}


# -- lineage and evolution --------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A paragraph as lineage and evolution read it. ``date`` is None where the source gives
    none; ``order`` is the date, or the year's last day, for sorting only (never shown)."""

    pid: int
    key: str
    resolution: int
    date: str | None
    year: int
    symbol: str
    agenda_item: str | None
    number: str
    kind: str
    lemma: str | None
    strength: int | None
    text: str
    url: str | None = None

    @property
    def order(self) -> tuple[str, int]:
        return (self.date or f"{self.year}-12-31", self.resolution)


def nodes(store: Store, ids: Sequence[int]) -> dict[int, Node]:
    """Paragraph id → :class:`Node`."""
    rows = select_in(
        store,
        "SELECT p.id, p.key, p.resolution, r.date, r.year, r.symbol, r.agenda_item, p.number, "
        "p.kind, p.leading_lemma, p.leading_strength, p.text, r.url FROM paragraphs p "
        "JOIN resolutions r ON r.id = p.resolution_id WHERE p.id IN ({})",
        ids,
    )
    return {int(r[0]): Node(*r) for r in rows}


def time_order(store: Store, language: str = "en") -> list[tuple[int, tuple[str, int]]]:
    """(paragraph id, (date or year's end, resolution number)) of every resolution paragraph
    of a language, sorted by the second."""
    rows = store.conn.execute(
        "SELECT p.id, COALESCE(r.date, r.year || '-12-31'), r.number FROM paragraphs p "
        "JOIN resolutions r ON r.id = p.resolution_id "
        "WHERE p.language = ? AND r.document = 'resolution'",
        (language,),
    ).fetchall()
    out = [(int(r[0]), (str(r[1]), int(r[2]))) for r in rows]
    out.sort(key=lambda item: item[1])
    return out


def resolution_texts(store: Store, number: int, language: str = "en") -> dict[int, str]:
    """Paragraph id → text, for one resolution."""
    rows = store.conn.execute(
        "SELECT id, text FROM paragraphs WHERE language = ? AND resolution = ?", (language, number)
    )
    return {int(r[0]): str(r[1]) for r in rows}


def cited_by_resolution(store: Store, number: int) -> set[int]:
    """Resolutions that resolution ``number`` cites."""
    rows = store.conn.execute(
        "SELECT DISTINCT c.cited FROM citations c JOIN paragraphs p ON p.id = c.paragraph_id "
        "WHERE p.resolution = ?",
        (number,),
    )
    return {int(r[0]) for r in rows}


def citing_resolution(store: Store, number: int) -> set[int]:
    """Resolutions that cite resolution ``number``."""
    rows = store.conn.execute(
        "SELECT DISTINCT p.resolution FROM citations c JOIN paragraphs p ON p.id = c.paragraph_id "
        "WHERE c.cited = ?",
        (number,),
    )
    return {int(r[0]) for r in rows}


# -- citations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolutionMeta:
    """What the citation views show of a resolution."""

    symbol: str
    year: int
    date: str | None
    agenda_item: str | None
    url: str | None = None


def resolution_meta(store: Store, language: str = "en") -> dict[int, ResolutionMeta]:
    """Resolution number → symbol, year, date, agenda item and UN Digital Library link."""
    rows = store.conn.execute(
        "SELECT number, symbol, year, date, agenda_item, url FROM resolutions WHERE language = ?",
        (language,),
    )
    return {
        int(r[0]): ResolutionMeta(str(r[1]), int(r[2]), r[3], r[4] or None, r[5] or None)
        for r in rows
    }


def resolution_links(store: Store, numbers: Sequence[int]) -> dict[int, tuple[str, str | None]]:
    """Resolution number → (symbol, url) of the English resolutions among ``numbers``."""
    rows = select_in(
        store,
        "SELECT number, symbol, url FROM resolutions WHERE language = 'en' AND number IN ({})",
        sorted(set(numbers)),
    )
    return {int(n): (str(s), u or None) for n, s, u in rows}


def citing_paragraphs(
    store: Store, number: int
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(cited resolution, citing key of ``number``) and (citing resolution, its citing key),
    English paragraphs, self-citations left out; citing documents are resolutions only."""
    cites = store.conn.execute(
        "SELECT c.cited, p.key FROM citations c JOIN paragraphs p ON p.id = c.paragraph_id "
        "WHERE p.resolution = ? AND p.language = 'en' AND c.cited != ? ORDER BY p.ordinal",
        (number, number),
    ).fetchall()
    cited_by = store.conn.execute(
        "SELECT p.resolution, p.key FROM citations c JOIN paragraphs p ON p.id = c.paragraph_id "
        "JOIN resolutions r ON r.id = p.resolution_id AND r.document = 'resolution' "
        "WHERE c.cited = ? AND p.language = 'en' AND p.resolution != ? "
        "ORDER BY p.resolution, p.ordinal",
        (number, number),
    ).fetchall()
    return [(int(a), str(b)) for a, b in cites], [(int(a), str(b)) for a, b in cited_by]


def citation_edges(store: Store) -> list[tuple[int, int, int]]:
    """(citing, cited, number of citing paragraphs), English resolutions, no self-citations."""
    rows = store.conn.execute(
        "SELECT p.resolution, c.cited, COUNT(DISTINCT p.id) FROM citations c "
        "JOIN paragraphs p ON p.id = c.paragraph_id "
        "JOIN resolutions r ON r.id = p.resolution_id AND r.document = 'resolution' "
        "WHERE p.language = 'en' AND c.cited != p.resolution "
        "GROUP BY p.resolution, c.cited ORDER BY p.resolution, c.cited"
    )
    return [(int(a), int(b), int(w)) for a, b, w in rows]


def cited_years(store: Store) -> dict[int, int]:
    """Cited resolution → the year its citations give it (for resolutions not in the store)."""
    rows = store.conn.execute(
        "SELECT cited, MIN(cited_year) FROM citations WHERE cited_year IS NOT NULL GROUP BY cited"
    )
    return {int(a): int(b) for a, b in rows}


def language_years(store: Store, language: str = "en") -> tuple[int, int] | None:
    """The first and last adoption years of a language's resolutions (None: none stored)."""
    row = store.conn.execute(
        "SELECT min(year), max(year) FROM resolutions WHERE language = ?", (language,)
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])


# -- browsing ---------------------------------------------------------------------------------


def catalogue(store: Store, language: str = "en") -> list[tuple[Any, ...]]:
    """(number, symbol, date, year, title, agenda item, chapter_vii, subjects, votes, sponsors,
    url) of every resolution of a language, by number."""
    return [
        tuple(r)
        for r in store.conn.execute(
            "SELECT number, symbol, date, year, title, agenda_item, chapter_vii, subjects, votes, "
            "sponsors, url FROM resolutions WHERE language = ? ORDER BY number",
            (language,),
        )
    ]


def resolutions_mentioning(store: Store, word: str, language: str = "en") -> dict[int, list[str]]:
    """Resolution number → the texts of its paragraphs that contain ``word`` (case-sensitive
    substring; the caller checks word boundaries)."""
    out: dict[int, list[str]] = {}
    rows = store.conn.execute(
        "SELECT resolution, text FROM paragraphs WHERE language = ? AND instr(text, ?) > 0",
        (language, word),
    )
    for number, text in rows:
        out.setdefault(int(number), []).append(str(text))
    return out
