"""The writer lock of an index directory: one writer at a time, a dead writer's lock taken
over, its leftovers discarded and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reslens.errors import StoreError
from reslens.index.lock import LOCK_NAME, writer_lock


def test_a_second_writer_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    with writer_lock(tmp_path, "ingest"):
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()} ingest\n"
        busy = rf"another ingest is running \(pid {os.getpid()}\)"
        with pytest.raises(StoreError, match=busy), writer_lock(tmp_path, "build"):
            pass
    assert (tmp_path / LOCK_NAME).read_text() == ""  # released cleanly
    with writer_lock(tmp_path, "build"):  # and free again
        pass


def test_the_lock_of_a_dead_writer_is_taken_over(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above the default pid_max: no such process
    (tmp_path / LOCK_NAME).write_text(f"{dead} build\n")
    said: list[str] = []
    with writer_lock(tmp_path, "build", said.append):
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()} build\n"
    assert said == [f"took over the lock of build (pid {dead}), which is no longer running"]


LEFTOVERS = [
    "reslens.db.building",
    "reslens.db.building-journal",
    "reslens.db.building-wal",
    "reslens.db.building-shm",
    "reslens.db.ingesting",
    "reslens.db.ingesting-journal",
    "vectors-flat-0123456789abcdef.faiss.building",
    "vocabulary.tsv.building",
    ".manifest.json.0123456789ab.tmp",
]
KEPT = [
    "reslens.db",
    "embeddings.sqlite",
    "embeddings.sqlite-journal",  # a hot journal of the cache is SQLite's to roll back
    "vectors-flat-0123456789abcdef.faiss",
    "manifest.json",
    "vocabulary.tsv",
    "build.json",
    "notes.tmp",
]


def test_taking_the_lock_discards_what_dead_writers_left_and_nothing_else(
    tmp_path: Path,
) -> None:
    for name in LEFTOVERS + KEPT:
        (tmp_path / name).write_bytes(b"x")
    said: list[str] = []
    with writer_lock(tmp_path, "build", said.append):
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*KEPT, LOCK_NAME])
    assert said == ["discarded what an interrupted writer left: " + ", ".join(sorted(LEFTOVERS))]
