"""Which text of a resolution the store keeps: provenance first (a file the pinned source
recorded wins), then format, the resolution's own year folder, paragraph count and the plainer
name; duplicates set aside and conflicting texts are reported."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from reslens.index.conflicts import conflicting, difference
from reslens.index.report import BuildReport
from reslens.models import Resolution
from reslens.sources.discover import YEAR_FOLDER
from reslens.sources.source import UNKNOWN, UNRECORDED, Provenance, read_provenance
from reslens.store.db import SOURCE_PRIORITY, SourceRecord, Store


def _load_provenance(store: Store, corpus: Path, say: Callable[[str], None]) -> Provenance:
    """The corpus's provenance records; when they changed since the store was built (a new
    fetch, or the first build with records), every file is read again so that every choice
    between duplicates is made anew."""
    provenance = read_provenance(corpus)
    for warning in provenance.warnings:
        say(f"warning: {warning}")
    if (store.get_meta("provenance") or "") != provenance.fingerprint:
        if store.sources():
            say("the sources' provenance records changed: every file is read again")
        for path in store.sources():
            store.forget_source(path)
        store.set_meta("provenance", provenance.fingerprint)
    return provenance


def place_resolution(
    store: Store,
    res: Resolution,
    record: SourceRecord,
    report: BuildReport,
    provenance: Provenance | None = None,
) -> None:
    """Store ``res`` unless a better source of the same resolution/language is already there.

    Better is :func:`_rank`: first the file that ``reslens fetch`` brought (in its source's
    provenance record) over one that is not (planted or changed after the fetch), then the
    duplicate rule. A file its source's record lacks is an ``unrecorded`` problem; two
    different texts of one resolution are a ``conflict`` problem (besides the duplicate note)
    unless their formats differ and both are as fetched (AKN and OCR text always differ a
    little, and the format decides).
    """
    prov = provenance if provenance is not None else Provenance()
    level = prov.level(record.path, record.sha256)
    if level == UNRECORDED:
        store.add_problem(
            record.path,
            "unrecorded",
            f"{record.path}: {prov.describe(record.path, record.sha256)}; "
            "a fetched text of the same resolution wins over it",
        )
    existing = store.existing_source(res.number, res.language)
    if existing is not None and existing[0] != record.path:
        other_path = existing[0]
        old = store.sources().get(other_path)
        other_level = prov.level(other_path, old.sha256) if old is not None else UNKNOWN
        stored = store.resolution(res.number, res.language)
        mine = _rank(res.source_format, res.year, len(res.paragraphs), record.path, level)
        keep_old = mine <= _rank_stored(store, other_path, res, other_level)
        kept, dropped = (other_path, record.path) if keep_old else (record.path, other_path)
        note = f"{res.symbol} [{res.language}] kept from {kept}"
        if keep_old:
            store.put_source(replace(record, status="duplicate", note=note))
        elif old is not None:
            store.put_source(replace(old, status="duplicate", note=note))
        report.duplicates.append((dropped, note))
        if stored is not None and conflicting(stored, res, (level, other_level)):
            text = {record.path: res, other_path: stored}
            why = "by the duplicate rule (format, year folder, paragraphs, file name)"
            if old is not None and level != other_level:
                digest = record.sha256 if kept == record.path else old.sha256
                why = f"as {prov.describe(kept, digest)}"
            store.add_problem(
                dropped,
                "conflict",
                f"{res.symbol} [{res.language}]: {dropped} and {kept} give different texts "
                f"({difference(text[dropped], text[kept])}); kept {kept} {why}",
            )
        if keep_old:
            return
    store.put_resolution(res)
    store.put_source(record)


def _rank(
    fmt: str, year: int, paragraphs: int, path: str, provenance: int = UNKNOWN
) -> tuple[int, int, int, int, int]:
    """Order of preference among files giving the same resolution (higher wins).

    Provenance first: the file fetched from its pinned source (in the source's provenance
    record) over a file of a folder without record over a file the record lacks or has
    another digest for (see :meth:`reslens.sources.source.Provenance.level`). Then format
    (AKN > CR-UNSC > PDF), then a file filed under the resolution's own year, then the file
    with more paragraphs, then the plainer file name: one without spaces or brackets is the
    canonical one ("S_RES_2464_1906112E.xml" over "S_RES_2464 (2019)-1906112E.xml").
    """
    folder_year = next((int(p) for p in path.split("/") if YEAR_FOLDER.match(p)), None)
    name = path.rsplit("/", 1)[-1]
    return (
        provenance,
        SOURCE_PRIORITY.get(fmt, 0),
        int(folder_year == year),
        paragraphs,
        int(re.fullmatch(r"[A-Za-z0-9_.\-]+", name) is not None),
    )


def _rank_stored(
    store: Store, path: str, like: Resolution, provenance: int = UNKNOWN
) -> tuple[int, int, int, int, int]:
    """The rank of the stored resolution ``like`` replaces, read from the store's counts."""
    row = store.conn.execute(
        "SELECT r.source_format, r.year, (SELECT COUNT(*) FROM paragraphs p"
        " WHERE p.resolution_id = r.id) FROM resolutions r WHERE r.number = ? AND r.language = ?",
        (like.number, like.language),
    ).fetchone()
    if row is None:
        return (-2, -1, 0, 0, 0)
    return _rank(str(row[0]), int(row[1]), int(row[2]), path, provenance)


def forget_file(store: Store, path: str, record: SourceRecord) -> None:
    """Drop a source; if it supplied a resolution, let its set-aside duplicates be read again."""
    store.forget_source(path)
    if record.resolution is not None and record.status == "ok":
        for (duplicate,) in store.conn.execute(
            "SELECT path FROM sources WHERE status = 'duplicate' AND resolution = ?"
            " AND language = ?",
            (record.resolution, record.language),
        ).fetchall():
            store.forget_source(duplicate)  # with its problems: reading it again adds them
