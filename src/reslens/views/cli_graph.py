"""CLI commands over the obligation graph: ``lineage``, ``history``, ``obligations``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from reslens.views.cli_common import FORMATS, _domain_errors, _emit, _file_option, _index_option


@click.command()
@click.argument("ref")
@_index_option
@click.option(
    "--show",
    type=click.Choice(["chain", "nodes", "edges"]),
    default="chain",
    show_default=True,
    help="chain: the main line; nodes / edges: the whole DAG.",
)
@_file_option("--plot", "plot_path", "Save a PNG of the main line over time, with strength.")
@_file_option("--graphml", "graphml_path", "Write the DAG as GraphML.")
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def lineage(
    ref: str,
    index_dir: Path,
    show: str,
    plot_path: Path | None,
    graphml_path: Path | None,
    fmt: str,
) -> None:
    """Where the obligations of REF (a paragraph, sub-point or clause such as 2331:op21.3) came
    from and where they went, from the provenance graph."""
    from reslens.library import Library

    with Library(index_dir) as lib:
        result = lib.lineage(ref)
    if plot_path is not None:
        result.plot().savefig(plot_path, dpi=120, bbox_inches="tight")
        click.echo(f"wrote {plot_path}", err=True)
    if graphml_path is not None:
        click.echo(f"wrote {result.to_graphml(graphml_path)}", err=True)
    frame = {"chain": result.chain, "nodes": result.nodes, "edges": result.edges}[show]
    frame = frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
    if fmt == "table":
        by_ref = int((result.edges["via"] == "reference").sum()) if len(result.edges) else 0
        click.echo(
            f"first appearance: {result.first_appearance} · {len(result.nodes)} units, "
            f"{len(result.edges)} edges ({by_ref} by reference)"
            + (" · leaves its agenda item and citations (off_item)" if result.off_item else "")
        )
        if show == "chain":
            frame = frame[["step", "key", "date", "lemma", "strength", "change", "text"]]
        frame = _short_text(frame)
    _emit(frame, fmt)


def _short_text(frame: Any, width: int = 70) -> Any:
    """A table's ``text`` cut to ``width`` characters for the terminal (json/csv keep it)."""
    if "text" not in frame.columns:
        return frame
    out = frame.copy()
    out["text"] = [t if len(t) <= width else t[: width - 1] + "…" for t in out["text"].astype(str)]
    return out


@click.command()
@click.argument("ref")
@_index_option
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def history(ref: str, index_dir: Path, fmt: str) -> None:
    """The history of an obligation: verb, strength and addressees over time, when it became
    binding, whether it is still in force."""
    from reslens.library import Library

    with Library(index_dir) as lib:
        frame = lib.history(ref)
    if fmt == "table":
        attrs = frame.attrs
        state = {True: "in force", False: "dropped", None: "unknown (no agenda item)"}
        line = f"first appearance: {attrs.get('first_appearance')} · "
        line += f"binding since: {attrs.get('became_binding') or 'never'} · "
        line += state[attrs.get("in_force")]
        if attrs.get("dropped_at"):
            line += f" after {attrs['dropped_after']} (next on its item: {attrs['dropped_at']})"
        click.echo(line)
        frame = frame[["step", "key", "date", "lemma", "strength", "addressees", "change"]]
    _emit(frame, fmt)


@click.command()
@click.argument("resolution")
@_index_option
@click.option(
    "--later",
    type=click.Choice(["stronger later", "weaker later", "kept", "not carried forward"]),
    default=None,
    help="Only the obligations whose later versions went this way.",
)
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def obligations(resolution: str, index_dir: Path, later: str | None, fmt: str) -> None:
    """Every obligation of RESOLUTION: where it came from, and whether it got stronger later."""
    from reslens.library import Library

    with Library(index_dir) as lib:
        frame = lib.obligations(resolution)
    if later:
        frame = frame[frame["later_change"] == later]
    if fmt == "table":
        frame = frame.drop(columns=["text", "addressees"])
    _emit(frame, fmt)
