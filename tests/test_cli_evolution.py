"""The CLI commands of issue 4 on a mini index built with the fake embedder."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

pytest.importorskip("faiss")

from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.library import Library
from reslens.views.cli import main
from tests.minicorpus import write_corpus
from tests.plotcheck import assert_evolution_figure, assert_lineage_figure


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli4")
    build(write_corpus(root / "corpus"), root / "index", workers=1, embedder=FakeEmbedder())
    return root / "index"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def test_align(index: Path) -> None:
    out = run("align", "2001", "2002", "--index", str(index))
    assert "2001:op3" in out and "2002:op2" in out  # the closing paragraphs pair up


@pytest.fixture()
def figures(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any, Any]]]:
    """(name, table drawn, figure) of every figure the CLI draws (closed afterwards)."""
    from reslens.analysis import plots

    drawn: list[tuple[str, Any, Any]] = []
    for name in ("plot_lineage", "plot_evolution"):
        original = getattr(plots, name)

        def wrapper(
            table: Any, *args: Any, _name: str = name, _f: Any = original, **kw: Any
        ) -> Any:
            fig = _f(table, *args, **kw)
            drawn.append((_name, table, fig))
            return fig

        monkeypatch.setattr(plots, name, wrapper)
    yield drawn
    if drawn:  # pyplot only once reslens has chosen its backend
        import matplotlib.pyplot as plt

        for _, _, fig in drawn:
            plt.close(fig)


def test_lineage_with_plot(index: Path, tmp_path: Path, figures: list[Any]) -> None:
    png = tmp_path / "lineage.png"
    out = run("lineage", "2002:op2", "--index", str(index), "--plot", str(png))
    assert "first appearance:" in out and png.read_bytes()[:4] == b"\x89PNG"
    [(name, df, fig)] = figures
    assert name == "plot_lineage"
    with Library(index) as lib:
        expected = lib.lineage("2002:op2").chain
    assert list(df["key"]) == list(expected["key"]) and len(df) >= 1
    for key in df["key"]:
        assert key in out  # the printed table and the plot show the same versions
    assert_lineage_figure(fig, df)


def test_evolution_with_plot(index: Path, tmp_path: Path, figures: list[Any]) -> None:
    png = tmp_path / "evolution.png"
    out = run(
        "evolution",
        "remain",
        "seized",
        "--index",
        str(index),
        "--threshold",
        "0.3",
        "--plot",
        str(png),
    )
    assert "year" in out and png.read_bytes()[:4] == b"\x89PNG"
    [(name, table, fig)] = figures
    assert name == "plot_evolution"
    with Library(index) as lib:
        expected = lib.evolution("remain seized", threshold=0.3).table
    pd.testing.assert_frame_equal(table, expected)
    assert list(table.index) == list(range(1946, 2012))  # every year from 1946 to 2011
    assert int(table.loc[2010].sum()) >= 1 and int(table.loc[2011].sum()) >= 1
    # the mini corpus has no text for 1947-2009: unknown (<NA>), never a zero
    assert table.loc[1947:2009].isna().all().all()
    assert "no text in the corpus for 1947–2009" in out
    assert_evolution_figure(
        fig,
        table,
        by="year",
        title="'remain seized' (1 key phrase or similarity ≥ 0.30)",
        gaps=list(range(1947, 2010)),
    )


def test_citations_and_export(index: Path, tmp_path: Path) -> None:
    out = run("citations", "2001", "--index", str(index))
    assert "cited by" in out and "2002" in out
    graph = tmp_path / "g.graphml"
    run("citations", "--export", str(graph), "--index", str(index))
    ET.parse(graph)
    csv = tmp_path / "g.csv"
    run("citations", "--export", str(csv), "--index", str(index))
    assert csv.read_text(encoding="utf-8").startswith("citing,cited,weight")
