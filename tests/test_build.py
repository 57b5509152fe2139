"""The build on a hand-made mini corpus: problems, duplicates, incremental updates, atomicity."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import reslens as rl
from reslens.build import build
from reslens.errors import NotFoundError, ReslensError
from reslens.store import DB_NAME
from tests.minicorpus import RES_2002, write_corpus


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
    build(corpus, index, workers=1, vectors=False)
    again = build(corpus, index, workers=1, vectors=False)
    assert again.read == 0 and again.unchanged == again.files
    target = corpus / "unxml-scresolutions/Pre-2020/2011/S_RES_2002_1100002E.xml"
    target.write_text(RES_2002.replace("remain actively seized", "stay seized"), encoding="utf-8")
    (corpus / "unxml-scresolutions/Pre-2020/2011/S_RES_2004_empty.xml").unlink()
    third = build(corpus, index, workers=1, vectors=False)
    assert third.read == 1 and third.removed == 1
    lib = rl.open(index)
    assert "stay seized" in lib.paragraph("2002:2").text
    assert len(lib.coverage().problems) == 2


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

    monkeypatch.setattr("reslens.build._learn_vocabulary", boom)
    (corpus / "unxml-scresolutions/Pre-2020/2011/S_RES_2002_1100002E.xml").write_text(
        RES_2002.replace("Decides", "Requests"), encoding="utf-8"
    )
    with pytest.raises(RuntimeError):
        build(corpus, index, workers=1, vectors=False)
    assert (index / DB_NAME).read_bytes() == before
    assert rl.open(index).paragraph("2002:1").verbs[0].lemma == "decides"


def test_parallel_build_equals_serial(corpus: Path, tmp_path: Path) -> None:
    build(corpus, tmp_path / "a", workers=1, vectors=False)
    build(corpus, tmp_path / "b", workers=2, vectors=False)
    rows = []
    for name in ("a", "b"):
        conn = sqlite3.connect(tmp_path / name / DB_NAME)
        rows.append(conn.execute("SELECT key, text FROM paragraphs ORDER BY key").fetchall())
    assert rows[0] == rows[1]


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
    assert build(corpus, index, workers=1, vectors=False).read == 0
    monkeypatch.setattr("reslens.build.parser_fingerprint", lambda: "new-code")
    said: list[str] = []
    again = build(corpus, index, workers=1, vectors=False, progress=said.append)
    assert again.read == again.files
    assert any("readers changed" in line for line in said)
