"""The renewal report (issue 14) on two made-up renewals: summary, frame, HTML, Word, CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("faiss")

import reslens as rl
from reslens.analysis.renewal import figures, paragraph_name
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.views.cli import main
from tests.docxcheck import docx_comments, docx_paragraph_texts
from tests.minicorpus import write_renewal_corpus


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("renewal")
    build(write_renewal_corpus(root / "corpus"), root / "index", workers=1, embedder=FakeEmbedder())
    return root / "index"


@pytest.fixture(scope="module")
def report(index: Path) -> rl.RenewalReport:
    return rl.open(index).renewal_report(3001, 3002, semantic=False)


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("2820:op7•2", "para. 7, 2nd bullet"),
        ("2820:op7•1", "para. 7, 1st bullet"),
        ("2820:op7•11", "para. 7, 11th bullet"),
        ("2820:op7–3", "para. 7, 3rd dash"),
        ("2331:op2(b)", "para. 2 (b)"),
        ("2331:pp3", "pp. 3"),
        ("2331:op21", "para. 21"),
    ],
)
def test_paragraph_names(key: str, name: str) -> None:
    assert paragraph_name(key) == name


def test_figures_leave_citations_out() -> None:
    before = (
        "until 31 March 2016 (resolution 2001 (2010), S/2015/12, paragraph 3), (a) 13,000 troops"
    )
    after = (
        "until 31 March 2017 (resolution 2002 (2011), S/2016/40, paragraph 4), (b) 13,000 troops"
    )
    assert figures(before, after) == (("31 March 2016",), ("31 March 2017",))


def test_summary_has_dates_figures_and_obligations(report: rl.RenewalReport) -> None:
    s = report.summary
    assert (s.a_symbol, s.b_symbol) == ("S/RES/3001 (2015)", "S/RES/3002 (2016)")
    assert (s.a_date, s.b_date) == ("2015-03-30", "2016-03-29")
    changed = {(f.a, f.b): (f.before, f.after) for f in s.figures}
    assert changed == {
        ("3001:op1", "3002:op1"): (("31 March 2016",), ("31 March 2017",)),
        ("3001:op2", "3002:op2"): (("13,000 troops",), ("17,000 troops",)),
    }
    assert [(o.a, o.b, o.lemma_a, o.lemma_b) for o in s.of("stronger")] == [
        ("3001:op3", "3002:op3", "encourages", "requests")
    ]
    assert [o.a for o in s.of("dropped")] == ["3001:op4"]
    assert [o.b for o in s.of("added")] == ["3002:op4"]
    assert not s.of("weaker")
    text = str(s)
    assert "para. 1: 31 March 2016 → 31 March 2017" in text
    assert "obligations strengthened: 1" in text


def test_frame_has_every_paragraph_preamble_included(report: rl.RenewalReport) -> None:
    frame = report.to_frame()
    assert list(frame["status"]) == [
        "identical", "typography", "modified", "modified", "modified", "dropped", "new",
        "identical",
    ]  # fmt: skip
    assert frame.loc[1, "b_name"] == "pp. 2"
    row = frame[frame["a"] == "3001:op3"].iloc[0]
    assert row["verb_change"] == "encourages → requests" and row["strength_change"] == 1
    assert "{+Requests+}" in row["redline"]


def test_html_and_word_outputs(report: rl.RenewalReport, tmp_path: Path) -> None:
    page = report.to_html(tmp_path / "r.html")
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == page
    assert "Renewal report: S/RES/3001 (2015) → S/RES/3002 (2016)" in page
    assert "13,000 troops → 17,000 troops" in page
    out = rl.to_docx(report, tmp_path / "r.docx")
    texts = docx_paragraph_texts(out, "accept")
    assert texts[0] == "S/RES/3001 (2015) → S/RES/3002 (2016)"
    assert any("obligations added: 1" in t for t in texts)
    comments = docx_comments(out)
    assert len(comments) == len(report.rows)
    assert any("verb: encourages → requests" in text for _, text in comments)
    assert any("para. 3 → para. 3" in text for _, text in comments)


def test_cli_renewal(index: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["renewal", "3001", "3002", "--lexical", "--index", str(index)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "dates and figures changed: 2" in result.output
    assert "typography" in result.output
    for suffix in ("html", "docx"):
        out = tmp_path / f"report.{suffix}"
        result = runner.invoke(main, [*args, "-o", str(out)])
        assert result.exit_code == 0 and f"wrote {out}" in result.output
        assert out.stat().st_size > 0
    result = runner.invoke(main, ["renewal", "3001", "9999", "--index", str(index)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert runner.invoke(main, ["renewal", "--help"]).exit_code == 0
