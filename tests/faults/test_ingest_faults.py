"""Issue 11, items 3, 4 and 10: ingested documents survive builds and get vectors; a hostile
PDF is a problem of its own file; impossible symbols are refused; a killed ingest leaves the
store intact and no work copy behind.

Hostile files are made here: a PDF whose content stream inflates past pypdf's limit (a
compressed-stream bomb, hand-written bytes around ``zlib``), and PDF-extracted text files.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import reslens as rl
from reslens.errors import ReslensError
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.index.ingest import ingest_files
from reslens.store.db import DB_NAME
from reslens.views.cli import main
from tests.faults.hostile import bomb_pdf
from tests.minicorpus import write_corpus

# the layout of an index directory (literal here: the tests ran on the code before the fix)
INGESTED = "ingested"
RECORD = "ingested.json"
WORK = DB_NAME + ".ingesting"

RES_1000 = """S/RES/1000 (1995)
Resolution 1000 (1995)
Adopted by the Security Council at its 3600th meeting, on 1 January 1995
The Security Council,
Recalling its resolution 2001 (2010),
1. Requests the Secretary-General to report on trafficking in persons in armed
conflict and on the protection of civilians;
2. Decides to remain actively seized of the matter.
"""


def text_file(folder: Path, name: str, number: int = 1000, year: int = 1995) -> Path:
    """A PDF-extracted text of ``S/RES/number (year)``."""
    path = folder / name
    text = RES_1000.replace("1000 (1995)", f"{number} ({year})")
    path.write_text(text, encoding="utf-8")
    return path


def recorded(index: Path) -> dict[str, dict[str, object]]:
    """The record of ingested files, by name."""
    data = json.loads((index / RECORD).read_text(encoding="utf-8"))
    return {item["name"]: item for item in data["files"]}


def integrity(index: Path) -> str:
    conn = sqlite3.connect(index / DB_NAME)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def numbers(index: Path) -> list[int]:
    with rl.open(index) as lib:
        return [n for n, _, _ in lib.store.resolution_numbers("en")]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture()
def index(corpus: Path, tmp_path: Path) -> Path:
    """The mini corpus built without vectors."""
    index = tmp_path / "index"
    build(corpus, index, vectors=False)
    return index


@pytest.fixture()
def vector_index(corpus: Path, tmp_path: Path) -> Path:
    """The mini corpus built with vectors of the fake embedder."""
    pytest.importorskip("faiss")
    index = tmp_path / "vindex"
    build(corpus, index, embedder=FakeEmbedder())
    return index


# -- item 3: ingested documents are sources of every build, and embedded ---------------------


def test_build_after_ingest_keeps_the_ingested_resolution(
    corpus: Path, index: Path, tmp_path: Path
) -> None:
    report = ingest_files(index, [text_file(tmp_path, "r1000.txt")])
    assert [r.symbol for r in report.added] == ["S/RES/1000 (1995)"]
    assert (index / INGESTED / "r1000.txt").is_file()
    assert recorded(index)["r1000.txt"]["origin"] == str(tmp_path / "r1000.txt")
    again = build(corpus, index, vectors=False)
    assert again.removed == 0 and again.read == 0 and again.unchanged == 8
    assert numbers(index) == [7, 1000, 2001, 2002]
    result = CliRunner().invoke(main, ["show", "1000:1", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "Requests the Secretary-General" in result.output
    assert "Source: ingested/r1000.txt" in result.output


def test_rebuild_and_reader_change_read_the_ingested_file_again(
    corpus: Path, index: Path, tmp_path: Path
) -> None:
    ingest_files(index, [text_file(tmp_path, "r1000.txt")])
    (tmp_path / "r1000.txt").unlink()  # the kept copy is what the build reads
    rebuilt = build(corpus, index, vectors=False, rebuild=True)
    assert rebuilt.read == 8 and rebuilt.removed == 0
    assert numbers(index) == [7, 1000, 2001, 2002]
    with sqlite3.connect(index / DB_NAME) as conn:
        conn.execute("UPDATE meta SET value = 'old' WHERE key = 'parser_fingerprint'")
    changed = build(corpus, index, vectors=False)
    assert changed.read == 8 and 1000 in numbers(index)


def test_an_ingested_copy_changed_or_unrecorded_is_read_again_or_forgotten(
    corpus: Path, index: Path, tmp_path: Path
) -> None:
    ingest_files(index, [text_file(tmp_path, "r1000.txt")])
    text_file(index / INGESTED, "r1000.txt", number=1001, year=1995)
    changed = build(corpus, index, vectors=False)
    assert changed.read == 1 and numbers(index) == [7, 1001, 2001, 2002]
    (index / RECORD).write_text('{"files": []}\n', encoding="utf-8")
    forgotten = build(corpus, index, vectors=False)
    assert forgotten.removed == 1 and numbers(index) == [7, 2001, 2002]


def test_ingesting_the_same_name_again_replaces_the_earlier_copy(
    index: Path, tmp_path: Path
) -> None:
    path = text_file(tmp_path, "r.txt")
    ingest_files(index, [path])
    report = ingest_files(index, [path], number=1002, year=1996)
    assert [r.symbol for r in report.added] == ["S/RES/1002 (1996)"]
    assert numbers(index) == [7, 1002, 2001, 2002]
    assert recorded(index)["r.txt"]["number"] == 1002


def test_ingested_paragraphs_get_vectors_from_the_cache_and_the_model(
    corpus: Path, vector_index: Path, tmp_path: Path
) -> None:
    class Counting(FakeEmbedder):
        texts = 0

        def encode(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
            Counting.texts += len(texts)
            return super().encode(texts)

    report = ingest_files(vector_index, [text_file(tmp_path, "r1000.txt")], embedder=Counting())
    assert not report.notes
    # pp1 and op1 only: op2 ("Decides to remain actively seized of the matter.") is the text of
    # 2001:op3, which the cache has, like every paragraph of the corpus
    assert Counting.texts == 2
    with rl.open(vector_index) as lib:
        hits = lib.similar("1000:1", k=3)
        assert len(hits) == 3 and "1000:op1" not in set(hits["key"])
        assert lib.similar("2001:1", k=10)["key"].str.startswith("1000:").any()
    build(corpus, vector_index, embedder=FakeEmbedder())  # the build keeps it, with vectors
    with rl.open(vector_index) as lib:
        assert len(lib.similar("1000:1", k=3)) == 3


def test_ingest_uses_the_index_model_by_default(vector_index: Path, tmp_path: Path) -> None:
    ingest_files(vector_index, [text_file(tmp_path, "r1000.txt")])
    with rl.open(vector_index) as lib:
        assert len(lib.similar("1000:2", k=2)) == 2


def test_without_embedding_the_stale_vectors_are_dropped_with_a_note(
    corpus: Path, vector_index: Path, tmp_path: Path
) -> None:
    report = ingest_files(vector_index, [text_file(tmp_path, "r1000.txt")], vectors=False)
    assert "not embedded" in report.summary()
    assert not list(vector_index.glob("vectors-*.faiss"))
    build(corpus, vector_index, embedder=FakeEmbedder())
    with rl.open(vector_index) as lib:
        assert len(lib.similar("1000:1", k=3)) == 3


def test_an_index_without_vectors_gets_a_note(index: Path, tmp_path: Path) -> None:
    report = ingest_files(index, [text_file(tmp_path, "r1000.txt")])
    assert "no vectors" in report.summary() and report.added


# -- item 4: a hostile PDF is a problem of its file ------------------------------------------


def test_a_compressed_stream_bomb_is_a_problem_and_the_batch_goes_on(
    index: Path, tmp_path: Path
) -> None:
    bomb = bomb_pdf(tmp_path / "bomb.pdf")
    good = text_file(tmp_path, "r1000.txt")
    report = ingest_files(index, [bomb, good])
    ((path, message),) = report.problems
    assert path == str(bomb) and "LimitReachedError" in message
    assert [r.number for r in report.added] == [1000]
    assert not (index / WORK).exists() and integrity(index) == "ok"
    assert not (index / INGESTED / "bomb.pdf").exists()
    result = CliRunner().invoke(main, ["ingest", str(bomb), "--index", str(index)])
    assert result.exit_code == 0 and "bomb.pdf: cannot read PDF: LimitReachedError" in (
        result.output
    )


def test_any_failure_of_the_pdf_library_is_a_problem(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "1. Decides to remain seized.")
    path = tmp_path / "odd.pdf"
    pdf.output(str(path))

    def explode(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("pypdf.PdfReader", explode)
    report = ingest_files(index, [path, text_file(tmp_path, "r1000.txt")])
    assert "odd.pdf: cannot read PDF: RecursionError" in report.problems[0][1]
    assert [r.number for r in report.added] == [1000]


def test_a_reader_bug_is_a_problem_of_its_file(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reslens.index.ingested as ingested

    real = ingested.read_document

    def buggy(path: Path, **kwargs: object) -> object:
        if path.name == "bad.txt":
            raise KeyError("boom")
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingested, "read_document", buggy)
    report = ingest_files(index, [text_file(tmp_path, "bad.txt"), text_file(tmp_path, "ok.txt")])
    assert "unexpected KeyError" in report.problems[0][1]
    assert [r.number for r in report.added] == [1000]


def test_no_work_copy_is_left_when_ingest_fails(
    index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reslens.index.ingest as ingest

    def fail(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(ingest, "place_resolution", fail)
    with pytest.raises(sqlite3.OperationalError):
        ingest_files(index, [text_file(tmp_path, "r1000.txt")])
    assert not (index / WORK).exists()
    assert integrity(index) == "ok" and numbers(index) == [7, 2001, 2002]


# -- item 10: impossible resolution numbers and years ----------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"number": 99999}, r"--number: S/RES/99999 is not a resolution number \(1–9999\)"),
        ({"number": 0}, r"S/RES/0 is not a resolution number"),
        ({"year": 1066}, r"--year: 1066 is not the year of a resolution \(1946–"),
        ({"year": 3000}, r"3000 is not the year"),
    ],
)
def test_impossible_options_are_refused(
    index: Path, tmp_path: Path, options: dict[str, int], message: str
) -> None:
    with pytest.raises(ReslensError, match=message):
        ingest_files(index, [text_file(tmp_path, "r.txt")], **options)
    assert numbers(index) == [7, 2001, 2002] and not (index / INGESTED).exists()


def test_impossible_symbols_in_the_text_are_problems(index: Path, tmp_path: Path) -> None:
    files = [
        text_file(tmp_path, "big.txt", number=99999),
        text_file(tmp_path, "old.txt", year=1066),
        text_file(tmp_path, "fine.txt"),
    ]
    report = ingest_files(index, files)
    messages = [m for _, m in report.problems]
    assert "big.txt: S/RES/99999 is not a resolution number (1–9999)" in messages[0]
    assert "old.txt: 1066 is not the year of a resolution" in messages[1]
    assert [r.number for r in report.added] == [1000]
    with rl.open(index) as lib:
        assert lib.coverage().highest == 2002


def test_cli_refuses_an_impossible_number_cleanly(index: Path, tmp_path: Path) -> None:
    path = text_file(tmp_path, "r.txt")
    result = CliRunner().invoke(
        main, ["ingest", str(path), "--number", "99999", "--index", str(index)]
    )
    assert result.exit_code != 0
    assert "not a resolution number" in result.output and "Traceback" not in result.output


# -- a killed ingest -------------------------------------------------------------------------


def run_killed(index: Path, files: list[Path], stage: str) -> None:
    """Run an ingest in a child process that kills itself at ``stage``."""
    src = Path(rl.__file__).resolve().parents[1]
    env = {
        **os.environ,
        "RESLENS_FAULT": stage,
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
    }
    code = (
        "import sys; from pathlib import Path; from reslens.index.ingest import ingest_files; "
        "ingest_files(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(index), *map(str, files)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.parametrize("stage", ["ingest-read", "ingest-vectors", "ingest-commit"])
@pytest.mark.parametrize("after", ["ingest", "build"])
def test_a_killed_ingest_leaves_the_store_intact(
    corpus: Path, vector_index: Path, tmp_path: Path, stage: str, after: str
) -> None:
    index = vector_index
    files = [text_file(tmp_path, "r1000.txt"), text_file(tmp_path, "r1001.txt", number=1001)]
    vectors_before = {p.name for p in index.glob("vectors-*.faiss")}
    run_killed(index, files, stage)
    assert (index / WORK).exists()  # killed half-way: the work copy is there
    assert integrity(index) == "ok"
    assert numbers(index) == [7, 2001, 2002]  # the store is the one before the ingest
    with rl.open(index) as lib:
        assert len(lib.similar("2001:1", k=2)) == 2  # and its vectors still load
    if after == "ingest":
        report = ingest_files(index, files)
        assert [r.number for r in report.added] == [1000, 1001]
    else:
        build(corpus, index, embedder=FakeEmbedder())  # reads the recorded copies in
    assert not (index / WORK).exists() and integrity(index) == "ok"
    assert numbers(index)[:2] == [7, 1000]
    with rl.open(index) as lib:
        assert len(lib.similar("1000:1", k=2)) == 2
        assert {p.name for p in index.glob("vectors-*.faiss")} == {lib.manifest.vectors_file}
    assert vectors_before != {lib.manifest.vectors_file}
