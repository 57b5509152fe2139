"""The build on a hand-made mini corpus: problems, duplicates, incremental updates, atomicity."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import reslens as rl
from reslens.errors import NotFoundError, ReslensError
from reslens.index.build import build
from reslens.store.db import DB_NAME
from tests.minicorpus import RES_2002, write_corpus

#: What the mini corpus holds: 7 source files (3 readable, a duplicate, 3 bad), 3 resolutions.
FILES = 7
RESOLUTIONS = [7, 2001, 2002]
KEYS = [
    "2001:op1",
    "2001:op2",
    "2001:op3",
    "2001:pp1",
    "2002:op1",
    "2002:op2",
    "2002:pp1",
    "7:op1",
    "7:op2",
    "7:pp1",
]

#: Everything a store holds that two builds of the same corpus must agree on (row ids aside).
STORE_QUERIES = {
    "resolutions": "SELECT number, language, year, symbol, date, title, agenda_item,"
    " chapter_vii, subjects, keywords, source_path, source_format FROM resolutions"
    " ORDER BY number, language",
    "paragraphs": "SELECT key, kind, number, ordinal, text, points, leading_lemma,"
    " leading_strength, max_strength FROM paragraphs ORDER BY key",
    "verbs": "SELECT p.key, v.position, v.text, v.lemma, v.family, v.strength FROM verbs v"
    " JOIN paragraphs p ON p.id = v.paragraph_id ORDER BY p.key, v.position",
    "citations": "SELECT p.key, c.cited, c.cited_year, c.text FROM citations c"
    " JOIN paragraphs p ON p.id = c.paragraph_id ORDER BY p.key, c.cited, c.text",
    "sources": "SELECT path, sha256, format, resolution, status FROM sources ORDER BY path",
    "problems": "SELECT path, kind FROM problems ORDER BY path",
    "fts": "SELECT p.key FROM paragraphs_fts f JOIN paragraphs p ON p.id = f.rowid"
    " WHERE paragraphs_fts MATCH 'remain' ORDER BY p.key",
}


def store_rows(index: Path) -> dict[str, list[tuple[object, ...]]]:
    """The rows of ``STORE_QUERIES`` in the store of ``index``."""
    conn = sqlite3.connect(index / DB_NAME)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in STORE_QUERIES.items()}
    finally:
        conn.close()


def assert_full_store(rows: dict[str, list[tuple[object, ...]]]) -> None:
    """The store holds the whole mini corpus (so comparing two stores compares something)."""
    assert [r[0] for r in rows["resolutions"]] == RESOLUTIONS
    assert [r[0] for r in rows["paragraphs"]] == KEYS
    assert all(r[4] for r in rows["paragraphs"])  # no empty text
    assert {r[0] for r in rows["verbs"]} >= {"2001:op1", "2001:op2", "2002:op1", "7:op1"}
    assert len(rows["citations"]) == 3
    assert len(rows["sources"]) == FILES and len(rows["problems"]) == 3
    assert [r[0] for r in rows["fts"]] == ["2001:op3", "2002:op2", "7:op2"]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


def test_build_reads_good_files_and_reports_bad_ones(corpus: Path, tmp_path: Path) -> None:
    report = build(corpus, tmp_path / "index", workers=1, vectors=False)
    problems = {Path(p).name for p, _, _ in report.problems}
    assert problems == {"S_RES_2003_broken.xml", "S_RES_2004_empty.xml", "S_RES_2005_binary.xml"}
    for path, _kind, message in report.problems:
        assert Path(path).name in message  # the message names the file
    lib = rl.open(tmp_path / "index")
    assert [p.number for p in lib.resolution(2001).operative()] == ["1", "2", "3"]
    assert lib.resolution(7).operative()[0].text.startswith("Requests the Secretary-General")
    para = lib.paragraph("S/RES/2001 (2010), para. 2")
    assert [v.lemma for v in para.verbs] == ["encourages", "urges"]
    assert para.verbs[1].strength is not None
    assert para.verbs[1].strength > para.verbs[0].strength  # type: ignore[operator]


def test_duplicate_file_is_set_aside_with_a_note(corpus: Path, tmp_path: Path) -> None:
    report = build(corpus, tmp_path / "index", workers=1, vectors=False)
    assert len(report.duplicates) == 1
    path, note = report.duplicates[0]
    assert path == "unxml-scresolutions/Pre-2020/2011/S_RES_2001_1000001E.xml"
    assert "kept from unxml-scresolutions/Pre-2020/2010/" in note  # filed under its own year
    cov = rl.open(tmp_path / "index").coverage()
    assert cov.duplicates and cov.by_source["akn"] == [2001, 2002]
    assert cov.by_source["crunsc"] == [7]
    assert 8 in cov.missing and 2000 in cov.missing
    assert cov.ignored  # desktop.ini is reported, not silently dropped


def test_rebuild_skips_unchanged_and_picks_up_changes(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = build(corpus, index, workers=1, vectors=False)
    assert first.read == first.files == FILES
    before = store_rows(index)
    assert_full_store(before)
    again = build(corpus, index, workers=1, vectors=False)
    assert again.read == 0 and again.unchanged == again.files == FILES
    assert store_rows(index) == before  # skipping every file kept everything
    target = corpus / "unxml-scresolutions/Pre-2020/2011/S_RES_2002_1100002E.xml"
    target.write_text(RES_2002.replace("remain actively seized", "stay seized"), encoding="utf-8")
    (corpus / "unxml-scresolutions/Pre-2020/2011/S_RES_2004_empty.xml").unlink()
    third = build(corpus, index, workers=1, vectors=False)
    assert third.read == 1 and third.removed == 1
    lib = rl.open(index)
    assert "stay seized" in lib.paragraph("2002:2").text
    assert len(lib.coverage().problems) == 2
    after = store_rows(index)
    assert [r[0] for r in after["resolutions"]] == RESOLUTIONS
    assert [r[0] for r in after["paragraphs"]] == KEYS
    assert [r[0] for r in after["fts"]] == ["2001:op3", "7:op2"]  # 2002:op2 now "stays"


def test_removing_the_kept_file_brings_back_its_duplicate(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(corpus, index, workers=1, vectors=False)
    (corpus / "unxml-scresolutions/Pre-2020/2010/S_RES_2001_1000001E.xml").unlink()
    build(corpus, index, workers=1, vectors=False)
    res = rl.open(index).resolution(2001)
    assert res.source_path.endswith("2011/S_RES_2001_1000001E.xml")


def test_failed_build_keeps_the_previous_store(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index"
    build(corpus, index, workers=1, vectors=False)
    before = (index / DB_NAME).read_bytes()

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("killed mid-build")

    monkeypatch.setattr("reslens.index.build._learn_vocabulary", boom)
    (corpus / "unxml-scresolutions/Pre-2020/2011/S_RES_2002_1100002E.xml").write_text(
        RES_2002.replace("Decides", "Requests"), encoding="utf-8"
    )
    with pytest.raises(RuntimeError):
        build(corpus, index, workers=1, vectors=False)
    assert (index / DB_NAME).read_bytes() == before
    assert rl.open(index).paragraph("2002:1").verbs[0].lemma == "decides"


def test_parallel_build_equals_serial(corpus: Path, tmp_path: Path) -> None:
    serial = build(corpus, tmp_path / "a", workers=1, vectors=False)
    parallel = build(corpus, tmp_path / "b", workers=2, vectors=False)
    assert serial.read == parallel.read == FILES
    assert serial.counts == parallel.counts and serial.counts["paragraphs"] == len(KEYS)
    rows = [store_rows(tmp_path / name) for name in ("a", "b")]
    assert_full_store(rows[0])
    assert_full_store(rows[1])
    for name in STORE_QUERIES:
        assert rows[0][name] == rows[1][name], name
    assert sorted(serial.duplicates) == sorted(parallel.duplicates) and serial.duplicates


def test_errors_are_domain_errors(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(ReslensError, match="fetch the corpus first"):
        build(tmp_path / "nowhere", tmp_path / "index", vectors=False)
    build(corpus, tmp_path / "index", workers=1, vectors=False)
    lib = rl.open(tmp_path / "index")
    with pytest.raises(NotFoundError, match="coverage"):
        lib.resolution(999)
    with pytest.raises(NotFoundError, match="no paragraph op9"):
        lib.paragraph("2001:9")
    with pytest.raises(ReslensError):
        rl.open(tmp_path / "empty")


def test_changed_readers_read_every_file_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index"
    build(corpus, index, workers=1, vectors=False)
    before = store_rows(index)
    assert_full_store(before)
    assert build(corpus, index, workers=1, vectors=False).read == 0
    monkeypatch.setattr("reslens.index.build.parser_fingerprint", lambda: "new-code")
    said: list[str] = []
    again = build(corpus, index, workers=1, vectors=False, progress=said.append)
    assert again.read == again.files == FILES
    assert any("readers changed" in line for line in said)
    assert store_rows(index) == before  # read again from scratch: the same store
