"""The figures of reslens.analysis.plots on hand-made tables: what is drawn, not just that a
PNG is written (no index, no model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from reslens.analysis.plots import FAMILY_COLORS, plot_evolution, plot_lineage
from tests.plotcheck import (
    assert_evolution_figure,
    assert_labels_apart,
    assert_lineage_figure,
    evolution_bars,
    lineage_points,
)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def counts(index: list[int] | list[str], **families: list[int]) -> pd.DataFrame:
    table = pd.DataFrame(families, index=index)
    table.columns.name = "family"
    return table


def test_evolution_bars_are_the_counts(tmp_path: Path) -> None:
    table = counts([2014, 2015, 2016, 2017], decision=[3, 0, 1, 0], request=[1, 2, 0, 0])
    fig = plot_evolution(table, by="year", title="theme (similarity ≥ 0.6)")
    assert_evolution_figure(fig, table, by="year", title="theme (similarity ≥ 0.6)")
    bars = evolution_bars(fig)
    assert bars.to_dict() == {
        "decision": {"2014": 3.0, "2015": 0.0, "2016": 1.0, "2017": 0.0},
        "request": {"2014": 1.0, "2015": 2.0, "2016": 0.0, "2017": 0.0},
    }
    ax = fig.axes[0]
    # request bars sit on top of the decision bars: 2014's request starts at 3
    assert [p.get_y() for p in ax.containers[1].patches] == [3.0, 0.0, 1.0, 0.0]
    colours = [c.patches[0].get_facecolor() for c in ax.containers]
    assert colours[0] != colours[1]
    from matplotlib.colors import to_rgba

    assert colours[0] == to_rgba(FAMILY_COLORS["decision"])
    fig.savefig(tmp_path / "e.png")
    assert (tmp_path / "e.png").read_bytes()[:4] == b"\x89PNG"


def test_evolution_by_resolution_labels_the_symbols() -> None:
    symbols = ["S/RES/2331 (2016)", "S/RES/2388 (2017)"]
    table = counts(symbols, decision=[0, 2], concern=[1, 1], other=[4, 0])
    fig = plot_evolution(table, by="resolution", title="t")
    assert_evolution_figure(fig, table, by="resolution", title="t")
    assert list(evolution_bars(fig).index) == symbols


def test_evolution_with_many_years_turns_the_labels() -> None:
    years = list(range(2000, 2012))
    table = counts(years, request=list(range(12)))
    fig = plot_evolution(table, title="")
    assert_evolution_figure(fig, table, by="year", title="evolution")  # default title
    assert all(t.get_rotation() == 90 for t in fig.axes[0].get_xticklabels())


def test_evolution_without_paragraphs_draws_no_bars() -> None:
    table = pd.DataFrame(columns=[], dtype=int)
    fig = plot_evolution(table, title="nothing")
    assert fig.axes[0].containers == [] and fig.axes[0].get_legend() is None


LINEAGE = pd.DataFrame(
    {
        "step": [-2, -1, 0, 1],
        "key": ["7:op1", "2001:op1", "2002:op1", "2020:op1"],
        "date": ["1946-06-26", "2010-05-04", "2011-01-20", "2013-06-01"],
        "lemma": ["notes", "requests", "decides", "requests"],
        "strength": [None, 4, 5, 4],
        "change": [None, "modified", "stronger", "weaker"],
    }
)


def test_lineage_points_are_the_rows(tmp_path: Path) -> None:
    fig = plot_lineage(LINEAGE)
    assert_lineage_figure(fig, LINEAGE)
    # one marker per row, at strength 0 for the verb off the ladder
    assert [y for _, y in lineage_points(fig)] == [0.0, 4.0, 5.0, 4.0]
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert [t for t in texts if "→" in t] == ["requests → decides", "decides → requests"]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["first", "modified", "stronger", "weaker"]
    fig.savefig(tmp_path / "l.png")
    assert (tmp_path / "l.png").read_bytes()[:4] == b"\x89PNG"


def test_one_version_is_one_point() -> None:
    one = LINEAGE.iloc[[2]].reset_index(drop=True).assign(change=[None])
    fig = plot_lineage(one)
    assert_lineage_figure(fig, one)
    assert [y for _, y in lineage_points(fig)] == [5.0]


def test_lineage_labels_never_overlap() -> None:
    """A crowded lineage: 36 renewals a few months apart, strength going up and down, so that
    key labels and ``old → new`` labels compete for the same corner."""
    n = 36
    lemmas = ["decides", "requests", "encourages", "decides"]
    strengths = [5, 4, 3, 5]
    crowded = pd.DataFrame(
        {
            "step": list(range(-n + 1, 1)),
            "key": [f"{2200 + 3 * i}:op{1 + i % 4}" for i in range(n)],
            "date": [f"{2014 + i // 4}-{1 + 3 * (i % 4):02d}-15" for i in range(n)],
            "lemma": [lemmas[i % 4] for i in range(n)],
            "strength": [strengths[i % 4] for i in range(n)],
            "change": [None] + ["stronger" if i % 4 in (0, 3) else "weaker" for i in range(1, n)],
        }
    )
    fig = plot_lineage(crowded)
    assert_lineage_figure(fig, crowded)
    assert_labels_apart(fig)
    ax = fig.axes[0]
    drawn = [t for t in ax.texts if t.get_text() in set(crowded["key"])]
    assert len(drawn) >= n // 2, "most keys still labelled"
    moved = [t for t in drawn if tuple(t.xyann) != (0.0, -12.0)]
    assert moved, "crowded enough that labels had to move"


def test_an_empty_lineage_says_so() -> None:
    fig = plot_lineage(LINEAGE.iloc[0:0])
    assert fig.axes[0].get_title() == "no lineage"
    assert lineage_points(fig) == []
