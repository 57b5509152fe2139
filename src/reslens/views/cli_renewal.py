"""CLI command ``renewal``: a renewal report of two resolutions."""

from __future__ import annotations

from pathlib import Path

import click

from reslens.views.cli_common import (
    FORMATS,
    _author_option,
    _domain_errors,
    _emit,
    _file_option,
    _index_option,
    _is_docx,
)

#: The columns the table format shows (the texts and redlines are in csv/json and -o files).
TABLE_COLUMNS = ["status", "a_name", "b_name", "verb_change", "strength_change", "figures"]


@click.command()
@click.argument("a", required=False)
@click.argument("b", required=False)
@_index_option
@click.option(
    "--latest",
    "item",
    default=None,
    help="Instead of A and B: the latest two resolutions of a mission (UNMISS: its mandate "
    "renewals) or an agenda item (words of it).",
)
@click.option("--lexical", is_flag=True, help="Text similarity only (no embeddings).")
@_file_option("-o", "--output", "Also write the report: .docx (Word, tracked changes) or .html.")
@_author_option
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def renewal(
    a: str | None,
    b: str | None,
    index_dir: Path,
    item: str | None,
    lexical: bool,
    output: Path | None,
    author: str,
    fmt: str,
) -> None:
    """What changed from resolution A to B (e.g. two mandate renewals, 2327 2406): a summary
    (dates and figures, obligations added, dropped, strengthened, weakened, addressees), then
    every paragraph, preambular included, with its status and changes."""
    from reslens.library import Library

    if (item is None) == (a is None or b is None) or (item is not None and a is not None):
        raise click.UsageError("give two resolutions A B, or --latest ITEM")
    with Library(index_dir) as lib:
        if item is not None:
            latest = lib.latest(item, n=2)
            if len(latest) < 2:
                raise click.ClickException(f"fewer than two resolutions found for {item!r}")
            b, a = (str(n) for n in latest["resolution"])  # newest first
            click.echo(f"the latest two of {item}: {a} → {b}", err=True)
        assert a is not None and b is not None
        report = lib.renewal_report(a, b, semantic=not lexical)
    if _is_docx(output):
        from reslens.views.docx import write_renewal

        click.echo(f"wrote {write_renewal(report, output, author=author)}")
    elif output is not None:
        report.to_html(output)
        click.echo(f"wrote {output}")
    frame = report.to_frame()
    if fmt == "table":
        click.echo(str(report.summary))
        click.echo("")
        changed = frame[~frame["status"].isin(["identical"])]
        _emit(changed[TABLE_COLUMNS], fmt)
    else:
        _emit(frame, fmt)
