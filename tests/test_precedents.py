"""Drafting support on the mini corpus with the fake embedder: parsing drafts, precedents,
new language flagged, the HTML report escaped, the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("faiss")

import reslens as rl
from reslens.analysis.precedents import parse_draft
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.views.cli import main
from tests.minicorpus import write_corpus

DRAFT = """The Security Council,

Recalling its resolution 1325 (2000),

1. Requests the Secretary-General to report on trafficking in persons in
armed conflict;
2. Decides to establish a working group on <script>alert(1)</script> lunar mining;
"""


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> rl.Library:
    root = tmp_path_factory.mktemp("precedents")
    build(write_corpus(root / "corpus"), root / "index", workers=1, embedder=FakeEmbedder())
    return rl.open(root / "index", embedder=FakeEmbedder())


def test_parse_draft() -> None:
    paras = parse_draft(DRAFT)
    assert [(p.number, p.kind) for p in paras] == [
        ("pp1", "preambular"),
        ("1", "operative"),
        ("2", "operative"),
    ]
    assert paras[1].text.endswith("in armed conflict;")  # lines unwrapped
    assert [p.number for p in parse_draft("First block.\n\nSecond block.")] == ["1", "2"]


def test_precedents_and_new_language(lib: rl.Library) -> None:
    result = lib.precedents(DRAFT, k=2, threshold=0.6)
    best = result.table[result.table["draft"] == "1"].iloc[0]
    assert best["key"] == "2001:op1" and best["score"] > 0.9
    assert (
        best["redline"]
        == "Requests the Secretary-General to report on trafficking in persons in armed conflict;"
    )
    assert result.without_precedent == ["2"]
    html = result.to_html()
    assert "no precedent" in html and "<script>" not in html and "&lt;script&gt;" in html


def test_cli_writes_a_report(lib: rl.Library, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        main,
        [
            "precedents",
            str(draft),
            "--index",
            str(lib.index_dir),
            "-o",
            str(out),
            "--threshold",
            "0.6",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "NO PRECEDENT" in result.output and "2001:op1" in result.output
    assert "no precedent" in out.read_text(encoding="utf-8")
