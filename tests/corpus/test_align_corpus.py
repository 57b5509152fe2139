"""Alignment on the real 2016–2017 index against the hand-read gold (bench/eval/align_pairs.json).

The index holds six of the twelve gold pairs (2331→2388, 2338→2369, 2293→2360, 2304→2327,
2305→2373, 2278→2362). Measured with the defaults, whole resolutions aligned (preambles and
cross-kind links, issue 14), every link scored: links precision 0.995 / recall 0.972, new F1
0.975, dropped F1 0.973; lexical only: links 0.990 / 0.957. The floors below leave room for a few
more misses or false links, not for a broken pass. Per-pair figures on all twelve pairs (the full
index) are in bench/RESULTS.md, "Alignment quality"."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import reslens as rl
from reslens.analysis.align import Alignment

pytestmark = [pytest.mark.corpus, pytest.mark.model]

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_align", BENCH / "eval_align.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _load_bench()


@pytest.fixture(scope="module")
def lib(real_search_index: Path) -> rl.Library:
    return rl.open(real_search_index)


def _gold(bench: ModuleType) -> list[dict[str, Any]]:
    """The gold pairs whose two resolutions the 2016–2017 index holds."""
    gold: list[dict[str, Any]] = bench.load_gold()
    return [g for g in gold if all(2260 <= int(g[side]) <= 2398 for side in ("a", "b"))]


@pytest.fixture(scope="module")
def semantic(lib: rl.Library, bench: ModuleType) -> tuple[dict[str, Any], list[Alignment]]:
    result: tuple[dict[str, Any], list[Alignment]] = bench.evaluate(
        lib, _gold(bench), encode=bench.cached_encoder(lib.cached_encode), preambles=True
    )
    return result


def test_semantic_alignment_meets_its_floor(
    semantic: tuple[dict[str, Any], list[Alignment]], bench: ModuleType
) -> None:
    per, _ = semantic
    links_p, links_r, _ = bench.prf(per["all"]["links"])
    assert links_p >= 0.95 and links_r >= 0.90, bench.table(per)
    assert bench.prf(per["all"]["new"])[2] >= 0.90, bench.table(per)
    assert bench.prf(per["all"]["dropped"])[2] >= 0.90, bench.table(per)
    assert bench.prf(per["all"]["moved"])[2] == 1.0, bench.table(per)


def test_lexical_alignment_meets_its_floor(lib: rl.Library, bench: ModuleType) -> None:
    per, _ = bench.evaluate(lib, _gold(bench), encode=None, preambles=True)
    links_p, links_r, _ = bench.prf(per["all"]["links"])
    assert links_p >= 0.95 and links_r >= 0.90, bench.table(per)


def test_landmark_links(semantic: tuple[dict[str, Any], list[Alignment]]) -> None:
    _, alignments = semantic
    rows = {(r.a, r.b): r.status for result in alignments for r in result.rows}
    assert rows[("2331:op24", "2388:op35")] == "identical"  # "Decides to remain actively seized"
    assert rows[("2331:op2(a)", "2388:op2")] == "split"
    assert rows[("2293:op7(i)", "2360:op3")] == "split"  # a designation criterion lifted out
    assert rows[("2338:op7", "2369:op3")] == "moved"
    assert rows[("2293:op20", "2360:op17")] == "modified"
    assert rows[("2293:op21", "2360:op18")] == "identical"


def test_reporting_request_found_inside_a_long_paragraph(lib: rl.Library) -> None:
    # 2388:op34 (26 words) restates the opening clause of 2331:op23 (162 words); only the
    # semantic containment term lifts the pair over the threshold, and it must not cost
    # op21 -> op33 (the cosine of the means alone) its link.
    links = set(lib.align(2331, 2388).links())
    assert ("2331:op23", "2388:op34") in links
    assert ("2331:op24", "2388:op35") in links
    assert ("2331:op21", "2388:op33") in links
    assert ("2331:op23", "2388:op32") not in links


def test_library_alignment_frame(lib: rl.Library) -> None:
    result = lib.align("S/RES/2338 (2017)", 2369, preambles=False)
    assert result.a_label == "S/RES/2338 (2017)"
    frame = result.to_frame()
    assert len(frame) == 15
    row = frame[(frame["a"] == "2338:op8") & (frame["b"] == "2369:op8")].iloc[0]
    assert row["status"] == "modified"
    assert "2018" in row["redline"]


def test_renewal_report_of_unficyp(lib: rl.Library, tmp_path: Path) -> None:
    # UNFICYP 2338 (January 2017) -> 2369 (July 2017): a six-monthly renewal
    report = lib.renewal_report(2338, 2369)
    summary = report.summary
    changed = {f.b: (f.before, f.after) for f in summary.figures}
    assert changed["2369:op8"] == (("31 July 2017",), ("31 January 2018",))  # the mandate
    assert summary.counts["typography"] >= 1 and summary.counts["dropped"] == 0
    frame = report.to_frame()
    assert frame["kind"].eq("preambular").sum() >= 10  # the preamble is part of the report
    assert set(frame["status"]) <= {"identical", "typography", "modified", "moved", "merged", "new"}
    assert "Renewal report" in report.to_html(tmp_path / "unficyp.html")
    assert rl.to_docx(report, tmp_path / "unficyp.docx").stat().st_size > 0


def test_cli_renewal_of_the_latest_two_renewals(real_search_index: Path) -> None:
    """``reslens renewal --latest UNMISS``: the last two mandate renewals the index holds (its
    2016–2017 resolutions), in date order, with the report's summary."""
    from click.testing import CliRunner

    from reslens.views.cli import main

    with rl.open(real_search_index) as lib:
        newest, before = (int(n) for n in lib.latest("UNMISS", n=2)["resolution"])
    result = CliRunner().invoke(
        main, ["renewal", "--latest", "UNMISS", "--lexical", "--index", str(real_search_index)]
    )
    assert result.exit_code == 0, result.output
    assert f"the latest two of UNMISS: {before} → {newest}" in result.output
    assert f"S/RES/{before} " in result.output and f"S/RES/{newest} " in result.output
    usage = CliRunner().invoke(main, ["renewal", "2304", "--index", str(real_search_index)])
    assert usage.exit_code == 2 and "--latest" in usage.output
