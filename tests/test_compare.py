"""Library.compare and `reslens compare`: references or free text, every output format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import reslens as rl
from reslens.index.build import build
from reslens.views.cli import main
from tests.minicorpus import write_corpus


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("compare")
    build(write_corpus(root / "corpus"), root / "index", workers=1, vectors=False)
    return root / "index"


def test_compare_two_paragraphs(index: Path) -> None:
    red = rl.open(index).compare("2001:op1", "S/RES/2002 (2011), para. 1")
    assert red.verb_change == "requests → decides"
    assert red.strength_a == 4 and red.strength_b == 5
    assert "[-Requests-]{+Decides that+}" in red.to_text()


def test_compare_a_draft_with_a_paragraph(index: Path) -> None:
    draft = (
        "Encourages the Secretary-General to report on trafficking in persons in armed conflict;"
    )
    red = rl.open(index).compare(draft, "2001:1")
    assert red.summary.startswith("encourages → requests: strength 3 → 4")
    assert red.similarity > 0.7


def test_cli_compare_formats(index: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["compare", "2001:op1", "2002:op1", "--index", str(index)]
    text = runner.invoke(main, [*args, "-f", "text"])
    assert text.exit_code == 0 and "requests → decides" in text.output and "{+" in text.output
    data = json.loads(runner.invoke(main, [*args, "-f", "json"]).output)
    assert {op["tag"] for op in data["ops"]} == {"equal", "delete", "insert"}
    out = tmp_path / "r.html"
    runner.invoke(
        main,
        [
            "compare",
            "<script>alert(1)</script> Decides",
            "2002:op1",
            "--index",
            str(index),
            "-f",
            "html",
            "-o",
            str(out),
        ],
    )
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_compare_unknown_paragraph_is_a_message(index: Path) -> None:
    result = CliRunner().invoke(main, ["compare", "2001:op9", "x", "--index", str(index)])
    assert result.exit_code == 1 and "has no paragraph" in result.output
