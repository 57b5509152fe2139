"""The CLI commands of issue 4 on a mini index built with the fake embedder."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("faiss")

from reslens.build import build
from reslens.cli import main
from reslens.embed import FakeEmbedder
from tests.minicorpus import write_corpus


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


def test_lineage_with_plot(index: Path, tmp_path: Path) -> None:
    png = tmp_path / "lineage.png"
    out = run(
        "lineage", "2002:op2", "--index", str(index), "--threshold", "0.5", "--plot", str(png)
    )
    assert "first appearance:" in out and png.read_bytes()[:4] == b"\x89PNG"


def test_evolution_with_plot(index: Path, tmp_path: Path) -> None:
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
    assert "year" in out and png.stat().st_size > 1000


def test_citations_and_export(index: Path, tmp_path: Path) -> None:
    out = run("citations", "2001", "--index", str(index))
    assert "cited by" in out and "2002" in out
    graph = tmp_path / "g.graphml"
    run("citations", "--export", str(graph), "--index", str(index))
    ET.parse(graph)
    csv = tmp_path / "g.csv"
    run("citations", "--export", str(csv), "--index", str(index))
    assert csv.read_text(encoding="utf-8").startswith("citing,cited,weight")
