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


def numbers_and_texts(text: str) -> list[tuple[str, str]]:
    return [(p.number, p.text) for p in parse_draft(text)]


def test_a_bare_number_line_starts_an_operative_paragraph() -> None:
    draft = (
        "The Security Council,\n\nRecalling its resolution 1325 (2000),\n\n"
        "1.\nRequests the Secretary-General to report;\n"
        "2.   \n  Decides to remain seized of the matter.\n"
    )
    assert numbers_and_texts(draft) == [
        ("pp1", "Recalling its resolution 1325 (2000),"),
        ("1", "Requests the Secretary-General to report;"),
        ("2", "Decides to remain seized of the matter."),
    ]
    # also when the draft starts with one
    assert numbers_and_texts("1.\nDecides to act.\n") == [("1", "Decides to act.")]


@pytest.mark.parametrize(
    "opening",
    [
        "The Security Council,\n",
        "THE SECURITY COUNCIL,\n",
        "  The Security Council ,\n",
        "Draft resolution\n\nThe Security Council,\n",
        "The Security Council, ",
    ],
)
def test_the_enacting_formula_is_no_preambular_paragraph(opening: str) -> None:
    draft = opening + "Recalling its resolution 1325 (2000),\n\nNoting the report,\n\n1. Decides X;"
    assert numbers_and_texts(draft) == [
        ("pp1", "Recalling its resolution 1325 (2000),"),
        ("pp2", "Noting the report,"),
        ("1", "Decides X;"),
    ]
    # a draft without numbers: blank-line blocks, the formula left out as well
    unnumbered = opening + "Recalling its resolution 1325 (2000),\n\nDecides X;"
    assert numbers_and_texts(unnumbered) == [
        ("1", "Recalling its resolution 1325 (2000),"),
        ("2", "Decides X;"),
    ]


def test_the_council_named_inside_a_preambular_paragraph_stays_there() -> None:
    draft = (
        "Recalling the statements of its President and the decisions of\n"
        "the Security Council, including resolution 1325 (2000),\n\n1. Decides X;"
    )
    assert numbers_and_texts(draft)[0] == (
        "pp1",
        "Recalling the statements of its President and the decisions of the Security "
        "Council, including resolution 1325 (2000),",
    )


def test_paragraphs_without_words_are_left_out() -> None:
    draft = "1. Decides X;\n\n* * *\n\n2. —\n3. Requests Y."
    assert [p.number for p in parse_draft(draft)] == ["1", "3"]
    assert [p.text for p in parse_draft("First block.\n\n* * *\n\nSecond.")] == [
        "First block.",
        "Second.",
    ]


def test_a_repeated_paragraph_gets_each_precedent_once(lib: rl.Library) -> None:
    text = "Requests the Secretary-General to report on trafficking in persons in armed conflict;"
    draft = f"1. {text}\n2. {text}\n3. Decides to remain actively seized of the matter.\n"
    result = lib.precedents(draft, k=2, threshold=0.6)
    for number in ("1", "2"):
        rows = result.table[result.table["draft"] == number]
        assert list(rows["rank"]) == [1, 2], rows[["draft", "rank", "key"]]
        assert rows.iloc[0]["key"] == "2001:op1"
    assert len(result.table) == 6


def test_a_paragraph_of_stop_words_has_no_precedent(lib: rl.Library) -> None:
    draft = (
        "1. Requests the Secretary-General to report on trafficking in persons;\n2. and to the\n"
    )
    result = lib.precedents(draft, k=2, threshold=0.6)
    assert result.without_precedent == ["2"]
    row = result.table[result.table["draft"] == "2"].iloc[0]
    assert row["key"] == "" and row["score"] == 0.0
