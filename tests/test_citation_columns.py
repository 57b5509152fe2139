"""Every table carries a ``citation`` (read back by ``parse_ref``) and a ``url`` from the store;
``-f xlsx`` for the CLI tables; the notebook display options; citations linked in HTML."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

pytest.importorskip("faiss")

import reslens as rl
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.language.refs import parse_ref
from reslens.views.cli import main
from reslens.views.html import table_html
from tests.test_obligations import _corpus

RECORD = "https://digitallibrary.un.org/record/{}"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cite")
    index = root / "index"
    build(_corpus(root / "corpus"), index, workers=1, embedder=FakeEmbedder())
    with sqlite3.connect(index / "reslens.db") as db:  # links as the UN's metadata gives them
        db.execute("UPDATE resolutions SET url = 'https://digitallibrary.un.org/record/' || number")
    return index


@pytest.fixture(scope="module")
def lib(index: Path) -> rl.Library:
    return rl.open(index, embedder=FakeEmbedder())


def _check(frame: pd.DataFrame, key: str = "key", prefix: str = "") -> None:
    """Each row's citation names its key's paragraph, and its url is its resolution's."""
    assert len(frame), "an empty table proves nothing"
    cited, url = f"{prefix}citation", f"{prefix}url"
    assert cited in frame.columns and url in frame.columns
    for row in frame.to_dict("records"):
        if not isinstance(row[key], str) or not row[key]:
            continue
        ref = parse_ref(row[key])
        assert parse_ref(row[cited]).key == (ref.paragraph_key or ref.key).split(".")[0]
        assert row[url] == RECORD.format(ref.resolution)


def test_every_table_has_citation_and_url(lib: rl.Library) -> None:
    _check(lib.search("collection of data on trafficking in persons", k=5))
    _check(lib.similar("2101:op2", k=3))
    _check(lib.paragraphs(2100))
    lineage = lib.lineage("2100:op2")
    _check(lineage.nodes)
    _check(lineage.chain)
    _check(lib.history("2100:op2.2"))
    _check(lib.obligations(2101))
    _check(lineage.edges, "child", "child_")
    _check(lineage.edges, "parent", "parent_")
    _check(lib.walk("2101:op2", threshold=0.3))
    _check(lib.evolution("trafficking in persons", threshold=None).paragraphs)
    _check(lib.precedents("1. Requests the Secretary-General to report;", threshold=0.1).table)
    frame = lib.align(2100, 2101, semantic=False).to_frame()
    _check(frame, "a", "a_")
    _check(frame, "b", "b_")
    cites = lib.citations(2101).set_index("resolution")  # 1000 (1995) is not in the store
    assert cites.loc[2100, "citation"] == "S/RES/2100 (2014)"
    assert cites.loc[2100, "url"] == RECORD.format(2100)
    assert pd.isna(cites.loc[1000, "citation"]) and pd.isna(cites.loc[1000, "url"])
    browse = lib.resolutions()
    assert browse["citation"].tolist() == browse["symbol"].tolist()


def test_a_sub_point_and_a_clause_are_cited_as_people_cite_them(lib: rl.Library) -> None:
    row = lib.obligations(2100).set_index("key").loc["2100:op2.2"]
    assert row["citation"] == "S/RES/2100 (2014), para. 2"  # a clause: its paragraph
    pp = lib.paragraphs(2100).set_index("key").loc["2100:pp1"]
    assert pp["citation"] == "S/RES/2100 (2014), preambular para. 1"


def test_cli_xlsx_for_a_table(index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("openpyxl")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["obligations", "2101", "--index", str(index), "-f", "xlsx"])
    assert result.exit_code == 0, result.output
    assert "wrote reslens-obligations.xlsx" in result.output
    book = pd.read_excel(tmp_path / "reslens-obligations.xlsx")
    assert list(book.columns) == list(rl.open(index).obligations(2101).columns)
    assert book["citation"].iloc[:2].tolist() == [
        "S/RES/2101 (2015), preambular para. 1",
        "S/RES/2101 (2015), para. 1",
    ]
    # commands that write files take -o FILE.xlsx
    draft = tmp_path / "draft.txt"
    draft.write_text("1. Requests the Secretary-General to report;", encoding="utf-8")
    out = tmp_path / "precedents.xlsx"
    args = ["precedents", str(draft), "--index", str(index), "-o", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "citation" in pd.read_excel(out).columns
    # the terminal table keeps the citation, leaves the link to csv, json and xlsx
    table = runner.invoke(main, ["obligations", "2101", "--index", str(index)]).output
    assert "S/RES/2101 (2015), para. 1 " in table and "digitallibrary" not in table
    csv = runner.invoke(main, ["obligations", "2101", "--index", str(index), "-f", "csv"]).output
    assert RECORD.format(2101) in csv


def test_xlsx_without_openpyxl_names_the_extra(
    lib: rl.Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(rl.MissingExtraError, match=r"reslens\[xlsx\]"):
        rl.to_xlsx(lib.paragraphs(2100), tmp_path / "p.xlsx")
    result = CliRunner().invoke(main, ["show", "2100", "--index", str(lib.index_dir), "-f", "xlsx"])
    assert result.exit_code == 1 and "pip install 'reslens[xlsx]'" in result.output


def test_notebook_display_shows_whole_texts() -> None:
    with pd.option_context("display.max_colwidth", 50):
        options = rl.setup_notebook()
        assert pd.get_option("display.max_colwidth") is None
        assert options["display.max_columns"] is None
        text = "word " * 40
        assert text.strip() in pd.DataFrame({"text": [text.strip()]}).to_string()
    pd.reset_option("display.max_columns")
    pd.reset_option("display.width")


def test_html_tables_link_citations_and_escape_them(lib: rl.Library) -> None:
    hits = lib.search("collection of data on trafficking in persons", k=2)
    page = table_html(hits, ["rank", "citation"])
    assert f'<a href="{RECORD.format(hits["key"].iloc[0].split(":")[0])}"' in page
    hostile = pd.DataFrame(
        {"key": ["1:op1"], "citation": ["<script>x</script>"], "url": ['javascript:"x"']}
    )
    page = table_html(hostile, ["citation"])
    assert "<script>" not in page and "javascript" not in page


def test_every_notebook_sets_up_the_display_first() -> None:
    import json

    for path in sorted(Path(__file__).parents[1].glob("notebooks/*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        first = next(c for c in cells if c["cell_type"] == "code")
        assert "rl.setup_notebook()" in "".join(first["source"]), path.name
        assert all(not c.get("outputs") for c in cells if c["cell_type"] == "code"), path.name
