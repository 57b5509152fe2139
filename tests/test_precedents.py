"""Drafting support on the mini corpus with the fake embedder: parsing drafts, precedents,
new language flagged, the HTML report escaped, the CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
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


def _candidates(texts: list[str], k: int, since: int | None, until: int | None) -> pd.DataFrame:
    """A fake semantic search: for each text, an old close precedent, a recent slightly less
    close one and a recent one below the threshold, best first, ``k`` of them."""
    rows = []
    for text in texts:
        found = [
            ("1001:op1", "S/RES/1001 (1990)", 1990, 0.90),
            ("2501:op4", "S/RES/2501 (2020)", 2020, 0.88),
            ("2601:op2", "S/RES/2601 (2025)", 2025, 0.70),
            ("1010:op1", "S/RES/1010 (1991)", 1991, 0.60),
        ][:k]
        for rank, (key, symbol, year, score) in enumerate(found, 1):
            rows.append(
                {"query": text, "rank": rank, "key": key, "symbol": symbol, "year": year,
                 "date": f"{year}-01-01", "score": score, "text": text, "url": None}
            )  # fmt: skip
    return pd.DataFrame(rows)


def test_prefer_recent_ranks_recent_language_first() -> None:
    from reslens.analysis.precedents import precedents

    draft = "1. Requests the Secretary-General to report;"
    similar = precedents(_candidates, draft, k=2, threshold=0.8)
    assert list(similar.table["key"]) == ["1001:op1", "2501:op4"]
    assert list(similar.table["weighted_score"]) == [0.90, 0.88]
    recent = precedents(_candidates, draft, k=2, threshold=0.8, prefer="recent", years=(1946, 2025))
    # 2020: 0.88 + 0.1 · 74/79 = 0.9737 > 1990: 0.90 + 0.1 · 44/79 = 0.9557
    assert list(recent.table["key"]) == ["2501:op4", "1001:op1"]
    assert list(recent.table["rank"]) == [1, 2]
    assert recent.table["weighted_score"].iloc[0] == pytest.approx(0.88 + 0.1 * 74 / 79, abs=1e-6)
    # a candidate below the threshold gets no weight: 2025 at 0.70 never outranks them
    assert "2601:op2" not in set(recent.table["key"])
    assert recent.without_precedent == similar.without_precedent == []
    assert recent.table["citation"].iloc[0] == "S/RES/2501 (2020), para. 4"


def test_the_summary_counts_and_names_the_paragraphs_without_precedent(lib: rl.Library) -> None:
    result = lib.precedents(DRAFT, k=2, threshold=0.6)
    line = "3 draft paragraphs; 1 without precedent at similarity ≥ 0.60: paragraph 2."
    assert result.summary() == line
    page = result.to_html()
    assert line in page
    best = result.table[result.table["draft"] == "1"].iloc[0]
    assert best["citation"] == "S/RES/2001 (2010), para. 1"
    if isinstance(best["url"], str):
        assert f'<a href="{best["url"]}"' in page
