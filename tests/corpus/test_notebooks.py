"""Every notebook runs top to bottom against a real index (2016–2017, the real model), and the
notebooks written for researchers and drafters show what their text says they show."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.corpus, pytest.mark.model]

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))

_ALIGNMENT = re.compile(r"<Alignment (S/RES/\d+ \(\d{4}\)) → (S/RES/\d+ \(\d{4}\)): ([^>]*)>")


def _output_text(cell: Any, mime: str = "text/plain") -> str:
    """Stream text and one MIME type of every output of a cell, joined."""
    return "".join(
        str(out.get("text", "")) + str(out.get("data", {}).get(mime, ""))
        for out in cell.get("outputs", [])
    )


def _cell(notebook: Any, marker: str) -> Any:
    """The first code cell whose source contains ``marker``."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and marker in cell.source:
            return cell
    raise AssertionError(f"no code cell contains {marker!r}")


def _mimes(notebook: Any) -> list[str]:
    return [
        mime
        for cell in notebook.cells
        for out in cell.get("outputs", [])
        for mime in out.get("data", {})
    ]


def _alignments(text: str) -> dict[tuple[str, str], dict[str, int]]:
    """The counts printed by ``print(alignment)``, keyed by (a, b) symbol."""
    found = {}
    for a, b, counts in _ALIGNMENT.findall(text):
        pairs = (item.rsplit(" ", 1) for item in counts.split(", ") if item != "empty")
        found[(a, b)] = {status: int(n) for status, n in pairs}
    return found


def _check_evolution(notebook: Any, workdir: Path) -> None:
    data = _output_text(_cell(notebook, 'lib.lineage("S/RES/2331 (2016), para. 21")'))
    assert {"2331:op21.1", "2331:op21.2", "2331:op21.3"} <= set(re.findall(r"2331:op21\.\d", data))
    edges = _output_text(_cell(notebook, "data_lineage.edges["))
    assert re.search(r"2388:op28(\.\d)?\s+2331:op21\.3\s+wording", edges)  # the text says so
    assert "2388:op24" not in edges  # the walk's false link, which the text discusses
    clause = _output_text(_cell(notebook, 'lib.lineage("2331:op21.3")'))
    assert re.search(r"2331:op21\.3 → 2388:op28", clause)
    history = _output_text(_cell(notebook, 'lib.history("2331:op21.3")'))
    assert "'first_appearance': '2331:op21.3'" in history
    obligations = _output_text(_cell(notebook, "lib.obligations(2331)"))
    assert "not carried forward" in obligations
    theme = _output_text(_cell(notebook, 'lib.evolution("trafficking", by="year")'))
    assert "2016" in theme and "2017" in theme and "key phrases" in theme
    cites = _output_text(_cell(notebook, "lib.citations(2331)"))
    assert "cited by" in cites and "S/RES/2388 (2017)" in cites
    assert _mimes(notebook).count("image/png") >= 3  # the clause's line, the theme, its share


def _check_drafting(notebook: Any, workdir: Path) -> None:
    single = _output_text(_cell(notebook, "single = lib.precedents(paragraph)"))
    assert "2331:op21" in single and "invites → requests" in single
    best = _output_text(_cell(notebook, 'drafted.table["rank"] == 1'))
    assert "2388:op34" in best  # paragraph 4, adapted from 2388 para 34
    assert "invites → requests: strength 3 → 4" in best  # paragraph 2, a stronger verb
    flagged = _output_text(_cell(notebook, "drafted.without_precedent"))
    assert "without precedent (best score below 0.8): ['3']" in flagged
    report = workdir / "report.html"
    html = report.read_text(encoding="utf-8")
    assert "3 — no precedent" in html and "2388:op34" in html
    inline = _output_text(_cell(notebook, "# the same report inline"), "text/html")
    assert 'class="reslens-precedents"' in inline and "no precedent" in inline
    assert "<body" not in inline  # a fragment: a page's body style would restyle the notebook
    word = _output_text(_cell(notebook, "rl.to_docx(drafted"))
    assert "report.docx" in word  # read back: the draft's paragraph 2, and its precedent's
    assert "'2. Requests the Secretary-General" in word and "'2. Invites the Secretary" in word
    streams = {out.get("name") for cell in notebook.cells for out in cell.get("outputs", [])}
    assert "stderr" not in streams  # no warnings in the drafter's notebook


def _check_comparing(notebook: Any, workdir: Path) -> None:
    text = "".join(_output_text(cell) for cell in notebook.cells if cell.cell_type == "code")
    counts = _alignments(text)
    trafficking = counts[("S/RES/2331 (2016)", "S/RES/2388 (2017)")]
    for status in ("modified", "split", "moved", "new"):  # each is discussed in the text
        assert trafficking.get(status, 0) > 0, (status, trafficking)
    renewal = counts[("S/RES/2338 (2017)", "S/RES/2369 (2017)")]
    assert renewal.get("moved", 0) > 0 and renewal.get("modified", 0) > 0, renewal
    assert "'typography': " in text  # the counts dictionary (every status) is shown
    mandate = _output_text(_cell(notebook, 'lib.compare(mandate_row["a"]'), "text/html")
    assert "<del>" in mandate and "July 2017" in mandate and "January 2018" in mandate
    moved = _output_text(_cell(notebook, 'renewal_frame["status"] == "moved"'))
    assert re.search(r"2338:op\d+\s+2369:op\d+\s+1\.0", moved)  # same text, new place
    assert (workdir / "alignment_2338_2369.csv").exists()
    assert "changes_2338_2369.docx" in _output_text(_cell(notebook, "rl.to_docx(report"))


def _widget_statuses(notebook: Any) -> list[str]:
    """The status lines of the reslens widgets, from the widget state nbclient stores."""
    state = notebook.metadata.get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}
    )
    return [
        str(model["state"].get("value", ""))
        for model in state.get("state", {}).values()
        if "reslens-status" in model["state"].get("_dom_classes", [])
    ]


#: What the status line of each notebook's closing widget says once it ran.
WIDGET_SHOWS = {
    "02_obligation_evolution.ipynb": "paragraphs · &#x27;trafficking&#x27; (14 key phrases)",
    "03_drafting_support.ipynb": "invites → requests: strength 3 → 4",
    "04_comparing_resolutions.ipynb": "S/RES/2331 (2016) → S/RES/2388 (2017)",
}


#: Checks of meaningful output, by notebook file name (other notebooks: the common checks only).
CHECKS: dict[str, Callable[[Any, Path], None]] = {
    "02_obligation_evolution.ipynb": _check_evolution,
    "03_drafting_support.ipynb": _check_drafting,
    "04_comparing_resolutions.ipynb": _check_comparing,
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(path: Path, real_search_index: Path, tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    assert all(
        cell.get("execution_count") is None for cell in notebook.cells if cell.cell_type == "code"
    )
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    os.environ["RESLENS_INDEX"] = str(real_search_index)
    try:
        client = nbclient.NotebookClient(
            notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
        )
        client.execute()
    finally:
        os.environ.pop("RESLENS_INDEX", None)
    errors = [
        out
        for cell in notebook.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    text = "".join(
        str(out.get("text", "")) + str(out.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        for out in cell.get("outputs", [])
    )
    assert "2331" in text
    # every notebook ends with a widget, displayed as a live widget view, whose status line
    # (kept in the notebook's widget state) shows what it did
    widget = _cell(notebook, "from reslens.widgets import")
    assert any(
        "application/vnd.jupyter.widget-view+json" in out.get("data", {})
        for out in widget.get("outputs", [])
    ), path.name
    statuses = _widget_statuses(notebook)
    assert statuses and not any("reslens-error" in status for status in statuses), statuses
    assert WIDGET_SHOWS.get(path.name, "") in " ".join(statuses), statuses
    check = CHECKS.get(path.name)
    if check is not None:
        check(notebook, tmp_path)


def test_alignment_counts_are_parsed() -> None:
    text = "<Alignment S/RES/1 (1946) → S/RES/2 (1946): identical 1, split 2>"
    assert _alignments(text) == {("S/RES/1 (1946)", "S/RES/2 (1946)"): {"identical": 1, "split": 2}}
