"""What every command of the CLI shares: error handling, common options, table output."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeGuard, TypeVar, cast

import click

from reslens.errors import ReslensError

F = TypeVar("F", bound=Callable[..., Any])

#: ``-f`` of every command that prints a table. ``xlsx`` writes ``reslens-<command>.xlsx`` in
#: the current directory (or the ``-o FILE.xlsx`` of commands that have ``-o``).
FORMATS = click.Choice(["table", "csv", "json", "xlsx"])


def _domain_errors(func: F) -> F:
    """Turn any error into a clean message and exit code 1, never a traceback: a ReslensError
    says what is wrong, an OSError names the file, anything else (a bug) says so and how to
    see its traceback (``RESLENS_DEBUG=1`` re-raises it)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except ReslensError as exc:
            raise click.ClickException(str(exc)) from exc
        except sqlite3.DatabaseError as exc:  # met outside the Library's own calls
            from reslens.store.db import is_damage

            if not is_damage(exc):
                raise click.ClickException(f"database error: {exc}") from exc
            raise click.ClickException(
                f"the index is damaged ({exc}); rebuild it with: reslens build"
            ) from exc
        except Exception as exc:
            import os

            if os.environ.get("RESLENS_DEBUG"):
                raise
            if isinstance(exc, OSError):
                raise click.ClickException(str(exc)) from exc
            raise click.ClickException(
                f"unexpected {type(exc).__name__}: {exc} "
                "(set RESLENS_DEBUG=1 to see the traceback, and please report it)"
            ) from exc

    return cast(F, wrapper)


def _index_option(func: F) -> F:
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("index"),
        envvar="RESLENS_INDEX",
        show_default=True,
        help="Index directory (env RESLENS_INDEX).",
    )(func)


def _file_option(*names: str) -> Callable[[F], F]:
    """An optional output-file option: ``_file_option("-o", "--output", "help text")``."""
    *decls, help_text = names
    return click.option(
        *decls, type=click.Path(dir_okay=False, path_type=Path), default=None, help=help_text
    )


def _author_option(func: F) -> F:
    return click.option(
        "--author",
        default="reslens",
        show_default=True,
        envvar="RESLENS_AUTHOR",
        help="Author of the tracked changes and comments in a .docx (env RESLENS_AUTHOR).",
    )(func)


def _is_docx(path: Path | None) -> TypeGuard[Path]:
    """Whether an output file is a Word document (picked by its suffix)."""
    return path is not None and path.suffix.lower() == ".docx"


def _short_label(value: str, width: int = 40) -> str:
    """A reference or a free text as a short name (a title's ``A → B``)."""
    value = " ".join(value.split())
    return value if len(value) <= width else value[: width - 1].rstrip() + "…"


def _is_xlsx(path: Path | None) -> TypeGuard[Path]:
    """Whether an output file is an Excel workbook (picked by its suffix)."""
    return path is not None and path.suffix.lower() == ".xlsx"


def _emit(frame: Any, fmt: str, output: Path | None = None) -> None:
    """Print a table as ``fmt``; ``xlsx`` writes a workbook (``output``, or
    ``reslens-<command>.xlsx``). The terminal table leaves out links (``url``) and a pair's
    ``a_citation`` … columns, which csv, json and xlsx keep."""
    if fmt == "xlsx":
        from reslens.views.xlsx import to_xlsx

        name = click.get_current_context().info_name or "table"
        path = output if _is_xlsx(output) else Path(f"reslens-{name}.xlsx")
        click.echo(f"wrote {to_xlsx(frame, path)} ({len(frame)} rows)")
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        click.echo(frame.to_json(orient="records", force_ascii=False, indent=2))
    else:
        from reslens.views.render import table

        wide = [c for c in frame.columns if c == "url" or str(c).endswith(("_url", "_citation"))]
        click.echo(table(frame.drop(columns=wide)))
