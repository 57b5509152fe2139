"""CLI commands over the obligation graph and themes: ``lineage``, ``history``,
``obligations``, ``evolution``."""

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


@click.command()
@click.argument("query", nargs=-1, required=True)
@_index_option
@click.option("--by", type=click.Choice(["year", "resolution"]), default="year", show_default=True)
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Least passage similarity (default: the theme's own; 0.6 for a query or paragraph).",
)
@click.option("--phrases-only", is_flag=True, help="Key phrases only, no similarity side.")
@click.option(
    "--phrase",
    "phrases",
    multiple=True,
    help="A key phrase (repeatable); default: the theme's own, or the query itself.",
)
@click.option("--share", is_flag=True, help="Count each year as a share of its paragraphs.")
@_file_option("--plot", "plot_path", "Save a PNG (stacked bars by strength family).")
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def evolution(
    query: tuple[str, ...],
    index_dir: Path,
    by: str,
    threshold: float | None,
    phrases_only: bool,
    phrases: tuple[str, ...],
    share: bool,
    plot_path: Path | None,
    fmt: str,
) -> None:
    """How often a theme appears, by year (or resolution) and strength family. QUERY is a
    built-in theme (trafficking, sexual_violence, asset_freeze, children_armed_conflict,
    humanitarian_access), a paragraph reference, or text (its own key phrase)."""
    from reslens.library import Library
    from reslens.library_history import DEFAULT

    with Library(index_dir) as lib:
        result = lib.evolution(
            " ".join(query),
            by=by,
            threshold=None if phrases_only else (DEFAULT if threshold is None else threshold),
            phrases=list(phrases) or None,
            share=share,
        )
    click.echo(
        f"{len(result.paragraphs)} paragraphs: {result.title()}"
        + (f"; no text in the corpus for {_years(result.gaps)}" if result.gaps else ""),
        err=True,
    )
    if plot_path is not None:
        result.plot().savefig(plot_path, dpi=120, bbox_inches="tight")
        click.echo(f"wrote {plot_path}", err=True)
    _emit(result.table.reset_index(), fmt)


def _years(years: tuple[int, ...]) -> str:
    """``1995–1999`` for a run of years, else a comma list."""
    if len(years) > 2 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)
