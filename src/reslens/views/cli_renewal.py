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
@click.argument("a")
@click.argument("b")
@_index_option
@click.option("--lexical", is_flag=True, help="Text similarity only (no embeddings).")
@_file_option("-o", "--output", "Also write the report: .docx (Word, tracked changes) or .html.")
@_author_option
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_domain_errors
def renewal(
    a: str, b: str, index_dir: Path, lexical: bool, output: Path | None, author: str, fmt: str
) -> None:
    """What changed from resolution A to B (e.g. two mandate renewals, 2327 2406): a summary
    (dates and figures, obligations added, dropped, strengthened, weakened, addressees), then
    every paragraph, preambular included, with its status and changes."""
    from reslens.library import Library

    with Library(index_dir) as lib:
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
