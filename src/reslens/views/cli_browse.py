"""CLI command for browsing resolutions: ``resolutions``."""

from __future__ import annotations

from pathlib import Path

import click

from reslens.views.cli_common import FORMATS, _domain_errors, _emit, _index_option


@click.command()
@click.option("--agenda", help="A part of the agenda item ('South Sudan').")
@click.option("--country", help="A Member State in the title, agenda item or subjects.")
@click.option("--mission", help="A mission's acronym (UNMISS) in the title or a paragraph.")
@click.option("--since", type=int, help="Adopted in or after this year.")
@click.option("--until", type=int, help="Adopted in or before this year.")
@click.option("--chapter-vii/--not-chapter-vii", default=None, help="Chapter VII or not.")
@click.option(
    "--latest",
    "latest",
    type=int,
    default=None,
    help="Only the N latest of --mission (its mandate renewals) or --agenda, newest first.",
)
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@_index_option
@_domain_errors
def resolutions(
    agenda: str | None,
    country: str | None,
    mission: str | None,
    since: int | None,
    until: int | None,
    chapter_vii: bool | None,
    latest: int | None,
    fmt: str,
    index_dir: Path,
) -> None:
    """List resolutions by agenda item, country, mission, years and Chapter VII, with their
    vote, sponsors and link."""
    from reslens.errors import ReslensError
    from reslens.library import Library

    with Library(index_dir) as lib:
        if latest is not None:
            if not (mission or agenda) or (mission and agenda):
                raise ReslensError("--latest needs one of --mission or --agenda")
            table = lib.latest(str(mission or agenda), latest)
        else:
            table = lib.resolutions(
                agenda=agenda,
                country=country,
                mission=mission,
                since=since,
                until=until,
                chapter_vii=chapter_vii,
            )
    if fmt == "table":
        table = table.drop(columns=["url", "sponsors"])
        table["title"] = table["title"].str.slice(0, 60)
    _emit(table, fmt)
