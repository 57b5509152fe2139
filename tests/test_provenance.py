"""Official text wins by provenance: ``reslens fetch`` records the sha256 of every file it
brings, and the build prefers a recorded file over one planted (or changed) after the fetch;
two different texts of one resolution are a reported conflict, not a silent choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import reslens as rl
from reslens.index.build import BuildReport, build
from reslens.sources.fetch import fetch
from reslens.sources.source import PROVENANCE_FILE, read_provenance
from reslens.views.cli import main
from tests.minicorpus import RES_2001, akn, write_corpus
from tests.test_fetch import mirror_sources

OFFICIAL = "unxml-scresolutions/Pre-2020/2010/S_RES_2001_1000001E.xml"
PLANTED = "unxml-scresolutions/Pre-2020/2010/S_RES_2001_9999999E.xml"
#: A fake S/RES/2001 (2010) with more paragraphs than the official one (3), filed under the
#: resolution's own year with a plain name: today's duplicate rule would let it win.
FAKE_2001 = akn(
    2001,
    2010,
    "2010-05-04",
    [
        '<span class="italic">Decides</span> to authorize all necessary means;',
        '<span class="italic">Requests</span> the Secretary-General to report;',
        '<span class="italic">Urges</span> all parties to comply;',
        '<span class="italic">Decides</span> to remain seized of the matter.',
    ],
    ['<span class="italic">Recalling</span> its resolution 1325 (2000),'],
)


@pytest.fixture()
def fetched(tmp_path: Path) -> Path:
    """A corpus fetched with ``reslens fetch --mirror`` from a hand-made mirror."""
    mirror = write_corpus(tmp_path / "mirror")
    corpus = tmp_path / "corpus"
    fetch(corpus, mirror=mirror, sources=mirror_sources())
    return corpus


def plant(corpus: Path, relpath: str = PLANTED, text: str = FAKE_2001) -> None:
    (corpus / relpath).write_text(text, encoding="utf-8")


def problems_of(report: BuildReport, kind: str) -> list[tuple[str, str, str]]:
    return [p for p in report.problems if p[1] == kind]


def test_fetch_records_the_files_it_brought(fetched: Path) -> None:
    prov = read_provenance(fetched)
    assert prov.folders == {"unxml-scresolutions", "cr-unsc-gold"}
    assert OFFICIAL in prov.files and len(prov.files) == 8  # 7 source files + desktop.ini
    plant(fetched)
    assert PLANTED not in read_provenance(fetched).files


def test_the_official_text_wins_over_a_planted_file(fetched: Path, tmp_path: Path) -> None:
    plant(fetched)
    report = build(fetched, tmp_path / "index", workers=1, vectors=False)
    with rl.open(tmp_path / "index") as lib:
        res = lib.resolution(2001)
        assert res.source_path == OFFICIAL
        assert len(res.operative()) == 3
        assert lib.paragraph("2001:op1").text.startswith("Requests the Secretary-General")
    assert (PLANTED, f"S/RES/2001 (2010) [en] kept from {OFFICIAL}") in report.duplicates
    (conflict,) = problems_of(report, "conflict")
    assert conflict[0] == PLANTED and OFFICIAL in conflict[2] and PLANTED in conflict[2]
    assert "provenance record" in conflict[2]
    (unrecorded,) = problems_of(report, "unrecorded")
    assert unrecorded[0] == PLANTED
    # the build report and the coverage show the conflict
    assert f"problem: {PLANTED}: conflict:" in report.summary()
    coverage = CliRunner().invoke(main, ["coverage", "--index", str(tmp_path / "index")])
    assert f"{PLANTED}: conflict:" in coverage.output
    data = json.loads(
        CliRunner()
        .invoke(main, ["coverage", "--index", str(tmp_path / "index"), "-f", "json"])
        .output
    )
    assert {p["kind"] for p in data["problems"] if p["path"] == PLANTED} == {
        "conflict",
        "unrecorded",
    }
    # and --strict fails
    args = ["build", "--corpus", str(fetched), "--index", str(tmp_path / "i2"), "--no-vectors"]
    assert CliRunner().invoke(main, [*args, "--strict"]).exit_code == 1


def test_a_file_planted_after_a_build_does_not_replace_the_official_one(
    fetched: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    build(fetched, index, workers=1, vectors=False)
    plant(fetched)
    report = build(fetched, index, workers=1, vectors=False)
    with rl.open(index) as lib:
        assert lib.resolution(2001).source_path == OFFICIAL
    assert [p[0] for p in problems_of(report, "conflict")] == [PLANTED]
    # the planted file removed: no conflict left, nothing else changes
    (fetched / PLANTED).unlink()
    report = build(fetched, index, workers=1, vectors=False)
    assert not problems_of(report, "conflict") and not problems_of(report, "unrecorded")
    assert len(report.problems) == 3  # the mini corpus's own bad files
    with rl.open(index) as lib:
        assert lib.resolution(2001).source_path == OFFICIAL


def test_an_official_file_changed_after_the_fetch_is_reported(
    fetched: Path, tmp_path: Path
) -> None:
    plant(fetched, OFFICIAL, RES_2001.replace("to report on", "never to report on"))
    report = build(fetched, tmp_path / "index", workers=1, vectors=False)
    (unrecorded,) = problems_of(report, "unrecorded")
    assert unrecorded[0] == OFFICIAL and "changed since the fetch" in unrecorded[2]
    # its duplicate under 2011 is the fetched text: it wins, and the two texts conflict
    with rl.open(tmp_path / "index") as lib:
        res = lib.resolution(2001)
        assert res.source_path == "unxml-scresolutions/Pre-2020/2011/S_RES_2001_1000001E.xml"
        assert "never" not in lib.paragraph("2001:op1").text
    assert [p[0] for p in problems_of(report, "conflict")] == [OFFICIAL]


def test_without_provenance_the_duplicate_rule_stays_and_the_conflict_is_reported(
    fetched: Path, tmp_path: Path
) -> None:
    """A corpus laid out by hand (no provenance records) keeps today's rule, the file with
    more paragraphs; but two different texts of one resolution are a conflict all the same.
    Fetching again (the records back) reads the files again and the official text wins."""
    plant(fetched)
    records = {p: p.read_bytes() for p in fetched.glob(f"*/{PROVENANCE_FILE}")}
    for path in records:
        path.unlink()
    index = tmp_path / "index"
    report = build(fetched, index, workers=1, vectors=False)
    with rl.open(index) as lib:
        assert lib.resolution(2001).source_path == PLANTED
    # the official file and its copy filed under 2011 both differ from the kept text
    conflicts = {p[0] for p in problems_of(report, "conflict")}
    assert conflicts == {OFFICIAL, OFFICIAL.replace("2010", "2011")}
    assert not problems_of(report, "unrecorded")
    for path, data in records.items():
        path.write_bytes(data)
    report = build(fetched, index, workers=1, vectors=False)
    with rl.open(index) as lib:
        assert lib.resolution(2001).source_path == OFFICIAL
    assert [p[0] for p in problems_of(report, "conflict")] == [PLANTED]


def test_identical_duplicates_and_other_formats_are_no_conflict(
    fetched: Path, tmp_path: Path
) -> None:
    """The mini corpus's own duplicate (the same text filed under two years) is set aside
    without a conflict, as are the different texts that two formats give of one resolution
    (the AKN and the OCR text of S/RES/1445 differ in a few characters)."""
    gold = fetched.parent / "mirror" / "cr-unsc-gold" / "data" / "res_en_gold"
    crunsc_2001 = (
        "Resolution 2001 (2010)\nof 4 May 2010\n\nThe Security Council,\n\n"
        "1. Requests the Secretary-General to report on trafficking in persons ;\n"
    )
    (gold / "S_RES_2001_2010_EN_GOLD.txt").write_text(crunsc_2001, encoding="utf-8")
    fetch(fetched, mirror=fetched.parent / "mirror", sources=mirror_sources())
    report = build(fetched, tmp_path / "index", workers=1, vectors=False)
    assert len(report.duplicates) == 2
    assert not problems_of(report, "conflict")
