"""A store of another schema version (newer, older, missing, non-numeric) or no store at all
is a StoreError that says how to rebuild, never a traceback from sqlite3 or int()."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import reslens as rl
from reslens.errors import StoreError
from reslens.index.build import build
from reslens.store.db import DB_NAME, SCHEMA_VERSION, Store
from reslens.views.cli import main
from tests.minicorpus import write_corpus

REBUILD = r"rebuild it with: reslens build --rebuild"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus")


@pytest.fixture()
def index(corpus: Path, tmp_path: Path) -> Path:
    out = tmp_path / "index"
    build(corpus, out, workers=1, vectors=False)
    return out


def set_version(index: Path, value: str | None) -> None:
    """Write ``value`` as the store's schema version (None: delete the row)."""
    conn = sqlite3.connect(index / DB_NAME)
    if value is None:
        conn.execute("DELETE FROM meta WHERE key = 'schema_version'")
    else:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (value,))
        assert conn.total_changes == 1
    conn.commit()
    conn.close()


def open_library(index: Path) -> Any:
    return rl.open(index)


def open_store(index: Path) -> Any:
    return Store.open(index / DB_NAME)


def create_store(index: Path) -> Any:
    return Store.create(index / DB_NAME)


OPENERS: list[Callable[[Path], Any]] = [open_library, open_store, create_store]


def test_the_current_version_opens(index: Path) -> None:
    with open_store(index) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert store.counts()["resolutions"] == 3
    assert rl.open(index).resolution(2001).symbol == "S/RES/2001 (2010)"


@pytest.mark.parametrize("opener", OPENERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("version", [SCHEMA_VERSION + 1, SCHEMA_VERSION - 1, 99])
def test_another_schema_version_is_a_store_error(
    index: Path, opener: Callable[[Path], Any], version: int
) -> None:
    set_version(index, str(version))
    with pytest.raises(StoreError, match=REBUILD) as info:
        opener(index)
    message = str(info.value)
    assert f"schema version {version}" in message and str(SCHEMA_VERSION) in message
    assert DB_NAME in message  # names the file


@pytest.mark.parametrize("opener", [open_library, open_store], ids=lambda f: f.__name__)
def test_a_missing_schema_version_is_a_store_error(
    index: Path, opener: Callable[[Path], Any]
) -> None:
    set_version(index, None)
    with pytest.raises(StoreError, match=REBUILD):
        opener(index)


@pytest.mark.parametrize("opener", OPENERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("version", ["two", "1.0", ""])
def test_a_non_numeric_schema_version_is_a_store_error(
    index: Path, opener: Callable[[Path], Any], version: str
) -> None:
    set_version(index, version)
    with pytest.raises(StoreError, match=REBUILD):
        opener(index)


def test_a_foreign_sqlite_file_is_a_store_error(tmp_path: Path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    conn = sqlite3.connect(index / DB_NAME)
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=REBUILD):
        rl.open(index)


def test_a_file_that_is_not_sqlite_is_a_store_error(tmp_path: Path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    (index / DB_NAME).write_bytes(b"not a database at all " * 100)
    with pytest.raises(StoreError, match=r"not a readable reslens store.*reslens build"):
        rl.open(index)


def test_no_store_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="build one with: reslens build"):
        rl.open(tmp_path / "nowhere")


def test_build_refuses_another_version_until_rebuild(corpus: Path, index: Path) -> None:
    """An update of an old store stops with the advice; ``rebuild=True`` follows it."""
    set_version(index, str(SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match=REBUILD):
        build(corpus, index, workers=1, vectors=False)
    report = build(corpus, index, workers=1, vectors=False, rebuild=True)
    assert report.read == report.files == 7
    with open_store(index) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert [p.number for p in rl.open(index).resolution(2001).operative()] == ["1", "2", "3"]


def test_the_cli_reports_the_version_without_a_traceback(index: Path) -> None:
    set_version(index, str(SCHEMA_VERSION + 1))
    result = CliRunner().invoke(main, ["coverage", "--index", str(index)])
    assert result.exit_code != 0
    assert "reslens build --rebuild" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, (ValueError, sqlite3.Error))
