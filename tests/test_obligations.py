"""The obligation graph on a hand-written corpus: units, paragraph references, edges by
reference and by wording, lineage as a DAG, history, a resolution's obligations, the CLI, and
an incremental update."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

import reslens as rl
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.store import graph as g
from reslens.views.cli import main
from tests.minicorpus import akn

ITEM = "The situation in Examplestan"
OTHER = "Threats to peace in Otherland"


def _i(verb: str) -> str:
    return f'<span class="italic">{verb}</span>'


RES_2100 = akn(
    2100,
    2014,
    "2014-03-01",
    [
        f"{_i('Decides')} that all States shall freeze without delay the funds and economic "
        "resources of the individuals and entities designated by the Committee;",
        f"{_i('Requests')} the Secretary-General to report every six months on the situation of "
        f"the displaced population in the northern provinces; {_i('invites')} the "
        "Secretary-General to improve the collection of data on trafficking in persons in armed "
        "conflict and its analysis, in order to better identify and prevent its incidence;",
        f"{_i('Decides')} that the measures imposed by paragraph 1 above shall not apply to "
        "funds necessary for basic expenses, including foodstuffs, rent and medicines;",
        f"{_i('Decides')} to remain actively seized of the matter.",
    ],
    [f"{_i('Recalling')} its previous resolutions on the situation in Examplestan,"],
)

RES_2101 = akn(
    2101,
    2015,
    "2015-03-01",
    [
        f"{_i('Decides')} to renew until 1 March 2016 the measures as set out in paragraphs 1 "
        "and 3 of resolution 2100 (2014);",
        f"{_i('Requests')} the Secretary-General to improve the collection of data on "
        "trafficking in persons in armed conflict and its analysis, in order to better identify "
        "and prevent its incidence;",
        f"{_i('Recalls')} paragraph 27 of resolution 2100 (2014) and paragraph 5 of resolution "
        "1000 (1995);",
        f"{_i('Decides')} to remain actively seized of the matter.",
    ],
    [f"{_i('Recalling')} its resolution 2100 (2014),"],
)

RES_2102 = akn(
    2102,
    2015,
    "2015-06-01",
    [
        f"{_i('Welcomes')} the elections held in Otherland in a peaceful atmosphere;",
        f"{_i('Decides')} to remain actively seized of the matter.",
    ],
    [f"{_i('Noting')} the progress made in Otherland,"],
)

RES_2103 = akn(
    2103,
    2016,
    "2016-03-01",
    [
        f"{_i('Decides')} to renew until 1 March 2017 the measures as set out in paragraph 1 "
        "of resolution 2101 (2015);",
        f"{_i('Decides')} that the Secretary-General shall improve the collection of data on "
        "trafficking in persons in armed conflict and its analysis, in order to better identify "
        "and prevent its incidence;",
    ],
    [f"{_i('Recalling')} its resolutions 2100 (2014) and 2101 (2015),"],
)


def _corpus(root: Path, with_2103: bool = False) -> Path:
    unxml = root / "unxml-scresolutions"
    files = {
        ("2014", "S_RES_2100_1400001E.xml"): RES_2100,
        ("2015", "S_RES_2101_1500001E.xml"): RES_2101,
        ("2015", "S_RES_2102_1500002E.xml"): RES_2102,
    }
    if with_2103:
        files[("2016", "S_RES_2103_1600001E.xml")] = RES_2103
    for (year, name), text in files.items():
        folder = unxml / "Pre-2020" / year
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    extract = unxml / "data_extract"
    extract.mkdir(exist_ok=True)
    items = {2100: ITEM, 2101: ITEM, 2102: OTHER, 2103: ITEM}
    for year in ("2014", "2015", "2016"):
        lines = [
            json.dumps({"symbol": f"S/RES/{n} ({year})", "agenda_item_name": item})
            for n, item in items.items()
            if (year == "2014") == (n == 2100) and (year == "2016") == (n == 2103)
        ]
        (extract / f"{year}.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("graph")
    corpus = _corpus(root / "corpus")
    index = root / "index"
    build(corpus, index, workers=1, embedder=FakeEmbedder())
    return index


@pytest.fixture(scope="module")
def lib(index: Path) -> rl.Library:
    return rl.open(index, embedder=FakeEmbedder())


def test_units_split_clauses_and_keep_single_paragraphs(lib: rl.Library) -> None:
    keys = [u.key for u in g.all_units(lib.store) if u.resolution == 2100]
    assert keys == ["2100:pp1", "2100:op1", "2100:op2.1", "2100:op2.2", "2100:op3", "2100:op4"]
    invites = g.units_matching(lib.store, "2100:op2.2")
    assert [(u.lemma, u.strength) for u in invites] == [("invites", 3)]
    assert invites[0].text.startswith("invites the Secretary-General to improve")
    assert [u.key for u in g.units_matching(lib.store, "2100:op2")] == ["2100:op2.1", "2100:op2.2"]


def test_references_become_edges_and_unresolved_ones_are_kept(lib: rl.Library) -> None:
    edges = lib.lineage("2101:op1").edges
    by_ref = edges[(edges["child"] == "2101:op1") & (edges["via"] == "reference")]
    assert set(by_ref["parent"]) == {"2100:op1", "2100:op3"}
    assert set(by_ref["relation"]) == {"renews"} and set(by_ref["type"]) == {"reference"}
    coverage = lib.coverage()
    unresolved = {(u[0], u[1], u[2], u[4]) for u in coverage.unresolved}
    assert ("2101:op3", 2100, "27", "missing-paragraph") in unresolved
    assert ("2101:op3", 1000, "5", "missing-resolution") in unresolved
    assert "Unresolved paragraph references: 2" in coverage.summary()
    # "paragraph 1 above" is a reference inside 2100, not an edge across time
    assert lib.lineage("2100:op3").edges.query("child == '2100:op3'").empty


def test_a_clause_carried_forward_is_found_with_its_change(lib: rl.Library) -> None:
    lineage = lib.lineage("2101:op2")
    parents = lineage.edges[lineage.edges["child"] == "2101:op2"]
    row = parents[parents["parent"] == "2100:op2.2"].iloc[0]
    assert row["via"] == "wording" and row["type"] == "stronger"  # invites → requests
    assert lineage.first_appearance == "2100:op2.2"
    # the clause asked for by its own key, forwards
    later = lib.lineage("2100:op2.2")
    assert "2101:op2" in set(later.nodes["key"])
    assert later.nodes.set_index("key").loc["2101:op2", "step"] == 1


def test_a_formula_is_not_linked_across_agenda_items(lib: rl.Library) -> None:
    own = lib.lineage("2101:op4").edges
    assert list(own[own["child"] == "2101:op4"]["parent"]) == ["2100:op4"]
    other = lib.lineage("2102:op2").edges
    assert other[other["child"] == "2102:op2"].empty


def test_history_and_a_resolutions_obligations(lib: rl.Library) -> None:
    history = lib.history("2100:op2.2")
    assert list(history["key"]) == ["2100:op2.2", "2101:op2"]
    assert history.attrs["in_force"] is True and history.attrs["became_binding"] is None
    table = lib.obligations(2100)
    row = table.set_index("key").loc["2100:op2.2"]
    assert row["later_change"] == "stronger later" and row["later_strength"] == 4
    assert table.set_index("key").loc["2100:op2.1", "later_change"] == "not carried forward"
    mine = lib.obligations("S/RES/2101 (2015)").set_index("key")
    assert mine.loc["2101:op1", "came_by"] == "reference"
    assert mine.loc["2101:op2", "parents"] == "2100:op2.2"


def test_errors_are_clear(lib: rl.Library) -> None:
    with pytest.raises(rl.NotFoundError):
        lib.lineage("2100:op9")
    with pytest.raises(rl.RefError):
        lib.lineage("2100")
    with pytest.raises(rl.NotFoundError):
        lib.lineage("2100:op2.7")


def test_graphml_and_plot(lib: rl.Library, tmp_path: Path) -> None:
    lineage = lib.lineage("2101:op2")
    root = ET.parse(lineage.to_graphml(tmp_path / "l.graphml")).getroot()
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    nodes = {n.get("id") for n in root.iter(f"{ns}node")}
    assert {"2101:op2", "2100:op2.2"} <= nodes
    edges = {(e.get("source"), e.get("target")) for e in root.iter(f"{ns}edge")}
    assert ("2101:op2", "2100:op2.2") in edges
    fig = lineage.plot()
    assert len(fig.axes[0].get_lines()) >= 1


def test_cli_lineage_history_obligations(index: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["lineage", "2101:op2", "--index", str(index), "--show", "edges"])
    assert out.exit_code == 0, out.output
    assert "first appearance: 2100:op2.2" in out.output and "stronger" in out.output
    out = runner.invoke(main, ["history", "2100:op2.2", "--index", str(index)])
    assert out.exit_code == 0 and "in force" in out.output, out.output
    out = runner.invoke(
        main,
        ["obligations", "2100", "--index", str(index), "--later", "stronger later", "-f", "json"],
    )
    assert out.exit_code == 0, out.output
    assert [r["key"] for r in json.loads(out.output)] == ["2100:op2.2"]
    out = runner.invoke(main, ["lineage", "2100:op9", "--index", str(index)])
    assert out.exit_code == 1 and "Traceback" not in out.output


def test_adding_a_resolution_updates_the_graph_incrementally(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus")
    index = tmp_path / "index"
    build(corpus, index, workers=1, embedder=FakeEmbedder())
    with rl.open(index) as lib:
        before = g.graph_counts(lib.store)
        ids = {u.key: u.id for u in g.all_units(lib.store)}
    _corpus(corpus, with_2103=True)
    report = build(corpus, index, workers=1, embedder=FakeEmbedder())
    assert "graph: 1 resolutions updated" in report.graph
    with rl.open(index) as lib:
        after = {u.key: u.id for u in g.all_units(lib.store)}
        assert all(after[k] == v for k, v in ids.items())  # the others were left alone
        assert g.graph_counts(lib.store)["units"] == before["units"] + 3
        lineage = lib.lineage("2103:op2")
        parents = lineage.edges[lineage.edges["child"] == "2103:op2"]
        assert "2101:op2" in set(parents["parent"])  # the previous renewal, not the first
        assert set(parents["type"]) <= {"stronger", "modified"}
        ref = lib.lineage("2103:op1").edges
        assert "2101:op1" in set(ref[ref["via"] == "reference"]["parent"])
