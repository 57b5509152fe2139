"""The language commands: ``reslens languages`` (how the language versions of a resolution line
up) and ``reslens show REF --lang all`` (a paragraph in every language)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reslens.views.cli_common import FORMATS, _domain_errors, _emit, _index_option

if TYPE_CHECKING:
    from reslens.language.refs import Ref
    from reslens.library import Library


def show_all_languages(lib: Library, parsed: Ref, fmt: str) -> None:
    """``reslens show REF --lang all``: the paragraph in every language the index holds, English
    first; for a whole resolution, how its language versions line up."""
    if parsed.number is None:
        _show_alignment(lib, parsed.resolution, fmt, "mismatches")
        return
    versions = lib.versions(parsed)
    if fmt == "table":
        from reslens.views.render import versions_text

        first = next(iter(versions.values()))
        res = lib.resolution(first.resolution, first.language)
        click.echo(versions_text(res, versions))
        return
    import pandas as pd

    from reslens.language.refs import citation

    links = {lang: lib.resolution(p.resolution, lang) for lang, p in versions.items()}
    frame = pd.DataFrame(
        [
            (
                lang,
                p.key,
                citation(links[lang].symbol, p.key),
                p.kind,
                p.number,
                p.text,
                links[lang].url,
            )
            for lang, p in versions.items()
        ],
        columns=["language", "key", "citation", "kind", "number", "text", "url"],
    )
    _emit(frame, fmt)


def _show_alignment(lib: Library, number: int, fmt: str, show: str) -> None:
    alignment = lib.language_alignment(number)
    frame = alignment.mismatch_frame() if show == "mismatches" else alignment.to_frame()
    if fmt == "table":
        click.echo(alignment.summary())
        if not frame.empty:
            _emit(frame, fmt)
    else:
        _emit(frame, fmt)


@click.command()
@click.argument("resolution", required=False)
@_index_option
@click.option(
    "--show",
    type=click.Choice(["mismatches", "paragraphs"]),
    default="mismatches",
    show_default=True,
    help="The differences, or every paragraph with its sub-points per language.",
)
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def languages(resolution: str | None, index_dir: Path, show: str, fmt: str) -> None:
    """How the language versions of RESOLUTION line up, paragraph by paragraph (kind and
    number): paragraphs missing or extra in a language, another order, other sub-points.
    Without RESOLUTION: the count over the index, and the resolutions that differ."""
    from reslens.language.refs import parse_ref
    from reslens.library import Library

    with Library(index_dir) as lib:
        if resolution is not None:
            _show_alignment(lib, parse_ref(resolution).resolution, fmt, show)
            return
        table = lib.language_mismatches()
        counts = lib.coverage().versions
    if fmt == "json" and show == "mismatches":
        click.echo(json.dumps(counts, indent=2))
        return
    if fmt != "table":
        _emit(table, fmt)
        return
    click.echo(
        f"{counts.get('resolutions', 0)} resolutions in several languages, "
        f"{counts.get('with_mismatches', 0)} with differences in structure"
    )
    if table.empty:
        return
    from reslens.store.versions import ISSUES, language_sort_key

    pivot = table.groupby(["language", "issue"]).size().unstack(fill_value=0).astype(int)
    pivot = pivot.reindex(
        index=sorted(pivot.index, key=language_sort_key),
        columns=[i for i in ISSUES if i in pivot.columns],
    )
    click.echo(pivot.to_string())
    worst = table.groupby("resolution").size().sort_values(ascending=False).head(10)
    click.echo("most differences: " + ", ".join(f"{n} ({c})" for n, c in worst.items()))
