"""Citations, the citation graph, lineage and evolution over a mini corpus (fake embedder)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("faiss")

import reslens as rl
from reslens.analysis.citations import CITATION_COLUMNS, citation_graph, export_graph
from reslens.analysis.evolution import EVOLUTION_COLUMNS
from reslens.analysis.lineage import LINEAGE_COLUMNS, wording
from reslens.errors import NotFoundError, ReslensError
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from tests.minicorpus import akn, write_corpus
from tests.plotcheck import (
    assert_evolution_figure,
    assert_lineage_figure,
    evolution_bars,
    lineage_points,
)

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"

# 2001 (2010) requests a report, 2002 (2011) decides it (and cites 2001), 2020 (2013) keeps the
# decision (and cites 2002). Nothing in 2012.
RES_2020 = akn(
    2020,
    2013,
    "2013-06-01",
    [
        '<span class="italic">Decides</span> that the Secretary-General shall report on '
        "trafficking in persons, recalling resolution 2002 (2011) and resolution 2001 (2010);",
        '<span class="italic">Welcomes</span> the work of the fishing fleet on the lakes;',
    ],
    ['<span class="italic">Recalling</span> its resolution 2002 (2011),'],
)


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> rl.Library:
    root = tmp_path_factory.mktemp("lineage")
    corpus = write_corpus(root / "corpus")
    unxml = corpus / "unxml-scresolutions"
    (unxml / "Pre-2020" / "2013").mkdir()
    (unxml / "Pre-2020" / "2013" / "S_RES_2020_1300001E.xml").write_text(RES_2020, "utf-8")
    (unxml / "data_extract").mkdir()
    record = {"symbol": "S/RES/2020 (2013)", "agenda_item_name": 'Peace & <security> "now"'}
    (unxml / "data_extract" / "2013.json").write_text(json.dumps(record) + "\n", "utf-8")
    index = root / "index"
    build(corpus, index, workers=1, embedder=FakeEmbedder())
    return rl.open(index, embedder=FakeEmbedder())


# -- citations ------------------------------------------------------------------------------


def test_citations_both_directions(lib: rl.Library) -> None:
    table = lib.citations("S/RES/2002 (2011)")
    assert list(table.columns) == CITATION_COLUMNS
    cites = table[table["direction"] == "cites"]
    assert list(cites["resolution"]) == [2001]
    row = cites.iloc[0]
    assert row["symbol"] == "S/RES/2001 (2010)" and row["date"] == "2010-05-04"
    assert row["paragraphs"] == "2002:pp1, 2002:op1" and row["count"] == 2
    cited_by = table[table["direction"] == "cited by"]
    assert list(cited_by["resolution"]) == [2020]
    assert cited_by.iloc[0]["paragraphs"] == "2020:pp1, 2020:op1"


def test_citations_of_a_resolution_outside_the_store(lib: rl.Library) -> None:
    table = lib.citations(2001)
    outside = table[table["resolution"] == 1325].iloc[0]  # recalled by 2001, not in the store
    assert outside["direction"] == "cites" and pd.isna(outside["symbol"])
    assert set(table[table["direction"] == "cited by"]["resolution"]) == {2002, 2020}
    with pytest.raises(NotFoundError):
        lib.citations(4242)


def test_citation_graph_weights(lib: rl.Library) -> None:
    edges = citation_graph(lib.store)
    assert (2002, 2001, 2) in edges and (2020, 2002, 2) in edges and (2020, 2001, 1) in edges
    assert (2001, 1325, 1) in edges
    assert all(a != b for a, b, _ in edges)


def test_graphml_parses_and_escapes(lib: rl.Library, tmp_path: Path) -> None:
    path = export_graph(lib.store, tmp_path / "g.graphml")
    raw = path.read_text(encoding="utf-8")
    assert "Peace &amp; &lt;security&gt;" in raw
    root = ET.parse(path).getroot()
    graph = root.find(f"{GRAPHML}graph")
    assert graph is not None and graph.get("edgedefault") == "directed"
    nodes = {n.get("id"): n for n in graph.iter(f"{GRAPHML}node")}
    assert {"r2001", "r2002", "r2020", "r1325", "r7"} <= set(nodes)
    data = {d.get("key"): d.text for d in nodes["r2020"]}
    assert data["agenda_item"] == 'Peace & <security> "now"'
    assert data["symbol"] == "S/RES/2020 (2013)" and data["year"] == "2013"
    assert {d.get("key"): d.text for d in nodes["r1325"]}["in_store"] == "false"
    weights = {
        (e.get("source"), e.get("target")): e.find(f"{GRAPHML}data").text  # type: ignore[union-attr]
        for e in graph.iter(f"{GRAPHML}edge")
    }
    assert weights[("r2002", "r2001")] == "2"


def test_csv_edge_list(lib: rl.Library, tmp_path: Path) -> None:
    path = export_graph(lib.store, tmp_path / "g.csv", fmt="csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "citing,cited,weight" and "2002,2001,2" in lines
    with pytest.raises(ReslensError):
        export_graph(lib.store, tmp_path / "g.x", fmt="dot")


# -- lineage --------------------------------------------------------------------------------


def test_lineage_finds_earlier_and_later_versions(lib: rl.Library) -> None:
    df = lib.walk("2002:1", threshold=0.55)
    assert list(df.columns) == LINEAGE_COLUMNS
    assert list(df["key"]) == ["2001:op1", "2002:op1", "2020:op1"]
    assert list(df["step"]) == [-1, 0, 1]
    assert list(df["date"]) == sorted(df["date"])
    assert df.attrs["first_appearance"] == "2001:op1"
    assert list(df["lemma"]) == ["requests", "decides", "decides"]
    # requests (4) -> decides (5): stronger; then the decision is kept
    assert pd.isna(df["change"].iloc[0]) and df["change"].iloc[1] == "stronger"
    assert df["change"].iloc[2] in ("modified", "identical")
    assert df["similarity"].isna().iloc[0] and (df["similarity"].iloc[1:] >= 0.55).all()


def test_lineage_stops_below_the_threshold(lib: rl.Library) -> None:
    alone = lib.walk("2020:op2", threshold=0.95)
    assert list(alone["key"]) == ["2020:op2"]
    assert alone.attrs["first_appearance"] == "2020:op2"
    one_step = lib.walk("2002:1", threshold=0.55, max_steps=0)
    assert list(one_step["key"]) == ["2002:op1"]
    with pytest.raises(ReslensError):
        lib.walk("2002:1", threshold=0)


def test_lineage_from_the_first_version_walks_forwards(lib: rl.Library) -> None:
    df = lib.walk("2001:op1", threshold=0.55)
    assert df.attrs["first_appearance"] == "2001:op1"
    assert list(df["step"]) == [0, 1, 2]
    assert df["key"].iloc[1] == "2002:op1" and df["change"].iloc[1] == "stronger"
    # a lower threshold reaches the 1946 request further back
    assert lib.walk("2001:op1", threshold=0.5).attrs["first_appearance"] == "7:op1"


def test_change_labels() -> None:
    from reslens.analysis.lineage import _change
    from reslens.store.queries import Node as _Node

    def node(text: str, strength: int | None) -> _Node:
        return _Node(
            1, "1:op1", 1, "2000-01-01", 2000, "S", None, "1", "operative", "x", strength, text
        )

    assert _change(node("Decides that", 5), node("Requests that", 4), 0.8) == "weaker"
    assert _change(node("Notes  the “plan”", 1), node('notes the "plan"', 1), 0.9) == "identical"
    assert _change(node("Notes the plan", 1), node("Notes the new plan", 1), 0.9) == "modified"
    assert _change(node("Notes the plan", None), node("Decides", 5), 0.9) == "modified"


def test_wording_is_the_share_of_shared_word_pairs() -> None:
    assert wording("requests the report", "Requests the report, and more") == 1.0
    assert wording("a b c", "x y z") == 0.0
    assert wording("requests the report", "requests the final report") == 0.5


def test_plot_lineage_draws_every_version(lib: rl.Library, tmp_path: Path) -> None:
    from reslens.analysis.plots import plot_lineage

    df = lib.walk("2002:1", threshold=0.55)
    assert list(df["key"]) == ["2001:op1", "2002:op1", "2020:op1"]
    fig = plot_lineage(df)
    assert_lineage_figure(fig, df)
    # requests (4) in 2010, then decides (5) twice: three markers, one labelled shift
    assert [y for _, y in lineage_points(fig)] == [4.0, 5.0, 5.0]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "requests → decides" in texts
    out = tmp_path / "lineage.png"
    fig.savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# -- evolution ------------------------------------------------------------------------------


def test_evolution_marks_years_without_text(lib: rl.Library) -> None:
    ev = lib.evolution("trafficking in persons", threshold=0.3)
    assert list(ev.paragraphs.columns) == EVOLUTION_COLUMNS
    assert {"2001:op1", "2002:op1", "2020:op1"} <= set(ev.paragraphs["key"])
    assert list(ev.table.index) == [2010, 2011, 2012, 2013]
    # the fixture has no text of 2012: unknown (<NA>), never a zero
    assert ev.gaps == (2012,) and ev.table.loc[2012].isna().all()
    assert ev.table.loc[2011, "decision"] >= 1 and ev.table.loc[2010, "request"] >= 1
    assert int(ev.table.sum().sum()) == len(ev.paragraphs)
    by_similarity = ev.paragraphs[ev.paragraphs["matched"] != "phrase"]
    assert (by_similarity["score"] >= 0.3).all()
    assert list(ev.paragraphs["score"]) == sorted(ev.paragraphs["score"], reverse=True)
    assert set(ev.paragraphs_of(2011)["year"]) == {2011}


def test_evolution_key_phrases_and_shares(lib: rl.Library) -> None:
    phrases = lib.evolution("trafficking in persons", threshold=None)
    assert set(phrases.paragraphs["matched"]) == {"phrase"}
    for text in phrases.paragraphs["text"]:
        assert "trafficking in persons" in text.lower()
    own = lib.evolution("x", phrases=["trafficking in persons"], threshold=None)
    assert list(own.paragraphs["key"]) == list(phrases.paragraphs["key"])
    share = lib.evolution("trafficking in persons", threshold=0.3, share=True)
    counts = lib.evolution("trafficking in persons", threshold=0.3)
    totals = lib.store.conn.execute(
        "SELECT r.year, COUNT(*) FROM paragraphs p JOIN resolutions r ON r.id = p.resolution_id "
        "WHERE p.language = 'en' GROUP BY r.year"
    ).fetchall()
    for year, total in totals:
        if year in counts.table.index:
            expected = counts.table.loc[year].astype(float) / total
            assert list(share.table.loc[year].astype(float)) == pytest.approx(list(expected))
    with pytest.raises(rl.ReslensError, match="key phrases or a threshold"):
        lib.evolution("trafficking in persons", threshold=None, phrases=[])
    with pytest.raises(rl.ReslensError, match="by='year'"):
        lib.evolution("trafficking in persons", by="resolution", share=True)


def test_evolution_threshold_is_a_range(lib: rl.Library) -> None:
    wide = lib.evolution("trafficking in persons", threshold=0.1)
    narrow = lib.evolution("trafficking in persons", threshold=0.55)
    assert set(narrow.paragraphs["key"]) < set(wide.paragraphs["key"])


def test_evolution_by_resolution_and_from_a_paragraph(lib: rl.Library) -> None:
    ev = lib.evolution("2002:op1", by="resolution", threshold=0.55)
    assert "2002:op1" in set(ev.paragraphs["key"])
    symbols = list(ev.table.index)
    assert symbols[0] == "S/RES/2001 (2010)" and "S/RES/2002 (2011)" in symbols
    assert len(ev.paragraphs_of("S/RES/2002 (2011)")) >= 1
    with pytest.raises(ReslensError):
        lib.evolution("trafficking", by="decade")


@pytest.mark.parametrize("by", ["year", "resolution"])
def test_evolution_plot_draws_the_counts(lib: rl.Library, tmp_path: Path, by: str) -> None:
    ev = lib.evolution("trafficking in persons", by=by, threshold=0.3)
    fig = ev.plot()
    assert_evolution_figure(
        fig,
        ev.table,
        by=by,
        title="'trafficking in persons' (1 key phrase or similarity ≥ 0.30)",
        gaps=list(ev.gaps),
    )
    bars = evolution_bars(fig)
    if by == "year":
        assert list(bars.index) == ["2010", "2011", "2012", "2013"]
        assert bars.loc["2012"].sum() == 0  # no text: no bar, a hatched band
        assert bars.loc["2011", "decision"] >= 1 and bars.loc["2010", "request"] >= 1
    else:
        assert bars.index[0] == "S/RES/2001 (2010)"
    assert int(bars.to_numpy().sum()) == len(ev.paragraphs)
    out = tmp_path / "evolution.png"
    fig.savefig(out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
