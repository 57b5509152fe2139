"""Citations, lineage and evolution on the real (partial) index: 2016–2017, real model."""

from __future__ import annotations

from pathlib import Path

import pytest

import reslens as rl
from reslens.analysis.citations import citation_graph

pytestmark = [pytest.mark.corpus, pytest.mark.model]


@pytest.fixture(scope="module")
def lib(real_search_index: Path) -> rl.Library:
    return rl.open(real_search_index)


def test_2388_cites_2331_and_2331_is_cited_by_2388(lib: rl.Library) -> None:
    cites = lib.citations(2388)
    row = cites[(cites["direction"] == "cites") & (cites["resolution"] == 2331)]
    assert len(row) == 1 and row.iloc[0]["symbol"] == "S/RES/2331 (2016)"
    assert "2388:pp1" in row.iloc[0]["paragraphs"].split(", ")
    cited_by = lib.citations("S/RES/2331 (2016)")
    by = cited_by[cited_by["direction"] == "cited by"]
    assert 2388 in set(by["resolution"])
    assert (2388, 2331, int(row.iloc[0]["count"])) in citation_graph(lib.store)


def test_lineage_of_2388_op34_reaches_back_to_2331(lib: rl.Library) -> None:
    """Hand-read case c31 (bench/eval/lineage_gold.json): 2388 op34 repeats 2331 op23's
    reporting request, shortened."""
    lineage = lib.lineage("2388:op34")
    parents = lineage.edges[lineage.edges["child"] == "2388:op34"]
    assert any(key.startswith("2331:op23") for key in parents["parent"]), parents
    assert lineage.first_appearance.startswith("2331:")
    assert not lineage.off_item
    chain = lineage.chain
    assert list(chain["date"]) == sorted(chain["date"])


def test_a_clause_is_traced_by_its_own_key(lib: rl.Library) -> None:
    table = lib.obligations(2331)
    assert {"2331:op21.1", "2331:op21.2", "2331:op21.3"} <= set(table["key"])
    assert set(table["later_change"]) <= {
        "stronger later",
        "weaker later",
        "kept",
        "not carried forward",
    }
    history = lib.history("2331:op21.3")
    assert history.iloc[0]["key"].startswith("2331:op21") or history["step"].min() < 0


def test_evolution_of_trafficking_spans_both_years(lib: rl.Library) -> None:
    ev = lib.evolution("trafficking in persons", threshold=0.6)
    assert {2016, 2017} <= set(ev.paragraphs["year"])
    assert {2016, 2017} <= set(ev.table.index)
    totals = ev.table.sum(axis=1).to_dict()
    assert totals[2016] > 0 and totals[2017] > 0
    assert {"2331:op1", "2388:op1"} & set(ev.paragraphs["key"])
