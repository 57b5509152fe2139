"""Presidential statements and drafts not adopted, on hand-written AKN fixtures: the reader,
their keys, the build (a malformed statement is a problem, the rest goes in), search by
``document=``, show, align, coverage, and a statement's sentence as a resolution's first
appearance in the obligation graph."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import reslens as rl
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.language.units import resolution_units
from reslens.language.verbs import annotate
from reslens.models import DRAFT, PRST, RESOLUTION
from reslens.sources.readers.akn import read_akn
from reslens.views.cli import main
from tests.minicorpus import akn, write_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "akn"
STATEMENT = FIXTURES / "S_PRST_2013_4.xml"
BROKEN = FIXTURES / "S_PRST_2013_5-broken.xml"
DRAFT_FILE = FIXTURES / "S_2024_302-draft.xml"
ITEM = "The situation in Examplestan"

#: A resolution after the statement that takes up its request word for word.
RES_2100 = akn(
    2100,
    2014,
    "2014-03-01",
    [
        '<span class="italic">Requests</span> the Secretary-General to report every six months '
        "on the situation of the displaced population in the northern provinces;",
        '<span class="italic">Decides</span> to remain actively seized of the matter.',
    ],
    ['<span class="italic">Recalling</span> the statement of its President of 1 June 2013,'],
)


def test_a_statement_is_read_with_its_paragraphs_in_order() -> None:
    res = annotate(read_akn(STATEMENT))
    assert (res.symbol, res.document, res.number, res.date) == (
        "S/PRST/2013/4",
        PRST,
        120130004,
        "2013-06-01",
    )
    assert (res.meeting, res.agenda_item) == ("9999th meeting", ITEM)  # from the introduction
    assert res.title == "Statement [on Examplestan]"
    keys = [p.key for p in res.paragraphs]
    assert keys == ["S/PRST/2013/4:op1", "S/PRST/2013/4:op2", "S/PRST/2013/4:op3"]
    first, second, third = res.paragraphs
    assert first.text.startswith("The Security Council recalls")  # no opening quotation mark
    assert third.heading == "Humanitarian situation"
    assert [p.label for p in third.points] == ["(a)", "(b)"]
    assert third.text.endswith("humanitarian access.")  # no closing quotation mark
    # verbs follow the subject; the italic name is no verb
    assert [v.lemma for v in first.verbs] == ["recalls", "reaffirms"]
    assert [v.lemma for v in second.verbs] == ["requests", "encourages"]
    assert second.addressees == ("Secretary-General", "Member States")
    units = resolution_units(res.paragraphs)
    two = [u for u in units if u.paragraph == "S/PRST/2013/4:op2"]
    assert [(u.key, u.lemma) for u in two] == [
        ("S/PRST/2013/4:op2.1", "requests"),
        ("S/PRST/2013/4:op2.2", "encourages"),
    ]
    assert two[0].text == (
        "requests the Secretary-General to report every six months on the situation of the "
        "displaced population in the northern provinces."
    )
    assert two[1].text.startswith("encourages Member States")  # no "The Council further"


def test_a_draft_is_read_like_a_resolution_under_its_own_symbol() -> None:
    res = annotate(read_akn(DRAFT_FILE))
    assert (res.symbol, res.document, res.date, res.meeting) == (
        "S/2024/302",
        DRAFT,
        "2024-04-24",
        "9616th meeting",
    )
    assert res.agenda_item == ITEM and res.vote_counts == (13, 1, 1)
    assert res.sponsors == ("Atlantis", "Utopia")
    assert [p.key for p in res.paragraphs] == ["S/2024/302:pp1", "S/2024/302:op1", "S/2024/302:op2"]
    assert [c.number for c in res.paragraphs[0].citations] == [2001]


def _corpus(root: Path) -> Path:
    corpus = write_corpus(root)
    unxml = corpus / "unxml-scresolutions"
    (unxml / "PRST" / "2013").mkdir(parents=True)
    shutil.copy(STATEMENT, unxml / "PRST" / "2013" / STATEMENT.name)
    shutil.copy(BROKEN, unxml / "PRST" / "2013" / BROKEN.name)
    (unxml / "Not adopted" / "English").mkdir(parents=True)
    shutil.copy(DRAFT_FILE, unxml / "Not adopted" / "English" / DRAFT_FILE.name)
    (unxml / "Pre-2020" / "2014").mkdir(parents=True)
    (unxml / "Pre-2020" / "2014" / "S_RES_2100_1400001E.xml").write_text(RES_2100, "utf-8")
    (unxml / "data_extract").mkdir()
    record = {"symbol": "S/RES/2100 (2014)", "agenda_item_name": ITEM}
    (unxml / "data_extract" / "2014.json").write_text(json.dumps(record) + "\n", "utf-8")
    return corpus


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("documents")
    index = root / "index"
    build(_corpus(root / "corpus"), index, workers=1, embedder=FakeEmbedder())
    return index


@pytest.fixture(scope="module")
def lib(index: Path) -> rl.Library:
    return rl.open(index, embedder=FakeEmbedder())


def test_a_malformed_statement_is_a_problem_and_the_rest_goes_in(lib: rl.Library) -> None:
    problems = lib.problems()
    broken = problems[problems["path"].str.endswith(BROKEN.name)]
    assert list(broken["kind"]) == ["unreadable"]
    assert "not well-formed XML" in broken["message"].iloc[0]
    cov = lib.coverage()
    assert cov.documents[PRST] == {"en": (1, 3)}
    assert cov.documents[DRAFT] == {"en": (1, 3)}
    # resolutions are counted as before: the other documents are no resolution numbers
    assert cov.by_source == {"akn": [2001, 2002, 2100], "crunsc": [7]}
    assert cov.highest == 2100
    summary = cov.summary()
    assert "Presidential statements: en 1 (3 paragraphs); unreadable: 1" in summary
    assert "Draft not adopteds" not in summary and "Drafts not adopted: en 1" in summary


def test_statements_are_shown_and_referred_to_by_their_symbols(lib: rl.Library) -> None:
    para = lib.paragraph("S/PRST/2013/4 para. 2")
    assert para.key == "S/PRST/2013/4:op2" and lib.paragraph("PRST/2013/4:2") == para
    assert lib.resolution("S/PRST/2013/4").document == PRST
    with pytest.raises(rl.NotFoundError, match="S/PRST/2013/9 "):
        lib.resolution("S/PRST/2013/9")
    index = str(lib.index_dir)
    result = CliRunner().invoke(main, ["show", "S/PRST/2013/4 para. 2", "--index", index])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("S/PRST/2013/4, para. 2 — presidential statement of 2013-06-01")
    assert "\nThe Security Council requests the Secretary-General" in result.output  # no "2. "


@pytest.mark.parametrize("mode", ["lexical", "semantic", "hybrid"])
def test_search_returns_resolutions_unless_asked(lib: rl.Library, mode: str) -> None:
    query = "report every six months on the displaced population"
    default = lib.search(query, k=20, mode=mode)
    assert set(default["document"]) == {RESOLUTION}
    assert "2100:op1" in set(default["key"])
    statements = lib.search(query, k=20, mode=mode, document="prst")
    assert set(statements["document"]) == {PRST}
    assert statements.iloc[0]["key"] == "S/PRST/2013/4:op2"
    assert statements.iloc[0]["symbol"] == "S/PRST/2013/4"
    every = lib.search(query, k=20, mode=mode, document="all")
    assert set(every["document"]) == {RESOLUTION, PRST, DRAFT}
    both = lib.search(query, k=20, mode=mode, document=["draft", "presidential statement"])
    assert set(both["document"]) == {PRST, DRAFT}


def test_a_bad_document_name_is_an_error(lib: rl.Library) -> None:
    with pytest.raises(rl.ReslensError, match="document must be"):
        lib.search("report", document="memo")


def test_the_cli_searches_by_document(lib: rl.Library) -> None:
    args = ["search", "displaced population", "--mode", "lexical", "-f", "csv"]
    result = CliRunner().invoke(main, [*args, "--document", "draft", "--document", "prst",
                                       "--index", str(lib.index_dir)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "S/PRST/2013/4:op2" in result.output and "2100:op1" not in result.output
    result = CliRunner().invoke(main, [*args, "--index", str(lib.index_dir)])
    assert "2100:op1" in result.output and "S/PRST" not in result.output


def test_a_draft_is_aligned_with_a_resolution(lib: rl.Library) -> None:
    table = lib.align("S/2024/302", "S/RES/2001 (2010)", semantic=False).to_frame()
    pairs = table.dropna(subset=["a", "b"])
    assert ("S/2024/302:op2", "2001:op3") in set(zip(pairs["a"], pairs["b"], strict=True))


def test_a_statement_is_the_first_appearance_of_a_resolution_obligation(lib: rl.Library) -> None:
    lineage = lib.lineage("2100:op1")
    assert lineage.first_appearance == "S/PRST/2013/4:op2.1"
    edge = lineage.edges[lineage.edges["child"] == "2100:op1"].iloc[0]
    assert (edge["parent"], edge["via"]) == ("S/PRST/2013/4:op2.1", "wording")
    assert set(lineage.nodes["symbol"]) == {"S/RES/2100 (2014)", "S/PRST/2013/4"}
    # a draft is no part of the graph
    with pytest.raises(rl.NotFoundError):
        lib.lineage("S/2024/302:op1")
