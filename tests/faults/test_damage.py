"""Damaged files in the index directory (issue 11, defects 5 and 11): a truncated or altered
vectors file, garbage in the store's manifest, damaged store pages. Each is a clear error that
names the repair, and that repair (a plain ``reslens build``) works."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import reslens as rl
from reslens.errors import StoreError
from reslens.store.db import DB_NAME
from tests.faults.harness import World, answers, cli_env, integrity, new_tag, run_build


def vectors_file(index: Path) -> Path:
    (path,) = index.glob("vectors-*.faiss")
    return path


def cli(index: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reslens.views.cli", *args, "--index", str(index)],
        capture_output=True,
        text=True,
        env=cli_env(new_tag()),
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("flags", [(), ("--rebuild-vectors",), ("--rebuild",)])
def test_a_truncated_vectors_file_is_an_error_that_a_build_repairs(
    world: World, index: Path, flags: tuple[str, ...]
) -> None:
    path = vectors_file(index)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(StoreError, match=r"corrupted.*reslens build"):
        rl.open(index).search("ceasefire", mode="semantic")
    result = run_build(world.old_corpus, index, *flags)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == good
    assert answers(index) == world.before


def test_flipped_bytes_in_the_vectors_file_are_detected_and_repaired(
    world: World, index: Path
) -> None:
    path = vectors_file(index)
    good = path.read_bytes()
    damaged = bytearray(good)
    damaged[len(good) - 200] ^= 0xFF  # one float of one vector: FAISS still reads the file
    path.write_bytes(bytes(damaged))
    with pytest.raises(StoreError, match=r"corrupted.*reslens build"):
        rl.open(index).search("ceasefire", mode="semantic")
    result = cli(index, "search", "ceasefire", "--mode", "semantic")
    assert result.returncode == 1 and "corrupted" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_build(world.old_corpus, index)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == good
    assert answers(index) == world.before


def set_manifest(index: Path, value: str) -> None:
    conn = sqlite3.connect(index / DB_NAME)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'manifest'", (value,))
    assert conn.total_changes == 1
    conn.commit()
    conn.close()


def manifest_of(index: Path) -> dict[str, object]:
    conn = sqlite3.connect(index / DB_NAME)
    try:
        data = json.loads(
            conn.execute("SELECT value FROM meta WHERE key = 'manifest'").fetchone()[0]
        )
    finally:
        conn.close()
    assert isinstance(data, dict)
    return data


GARBAGE = {
    "not json": lambda good: "{not json",
    "a list": lambda good: "[]",
    "a field missing": lambda good: json.dumps({k: v for k, v in good.items() if k != "model"}),
    "a field of the wrong type": lambda good: json.dumps({**good, "dimension": "64"}),
    "a vectors file outside the index": lambda good: json.dumps(
        {**good, "vectors_file": "../../elsewhere.faiss"}
    ),
}


@pytest.mark.parametrize("garbage", list(GARBAGE))
def test_garbage_in_the_manifest_is_a_clear_error_that_a_build_repairs(
    world: World, index: Path, garbage: str
) -> None:
    set_manifest(index, GARBAGE[garbage](manifest_of(index)))
    with pytest.raises(StoreError, match=r"unreadable index manifest.*reslens build"):
        answers(index)
    result = cli(index, "search", "ceasefire")
    assert result.returncode == 1, result.stderr
    assert "unreadable index manifest" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_build(world.old_corpus, index)
    assert result.returncode == 0, result.stderr
    assert answers(index) == world.before


DAMAGE = {  # where the store is overwritten, as fractions of its length
    "early pages": (0.1, 0.2),
    "middle pages": (0.4, 0.6),
    "late pages": (0.8, 0.95),
    "every byte": (0.0, 1.0),
}


def damage(index: Path, where: str) -> None:
    """Overwrite a stretch of the store with a byte pattern (as a failing disk might)."""
    path = index / DB_NAME
    data = bytearray(path.read_bytes())
    start, end = (int(len(data) * f) for f in DAMAGE[where])
    data[start:end] = (bytes(range(256)) * (1 + (end - start) // 256))[: end - start]
    path.write_bytes(bytes(data))


COMMANDS = [
    ("show", "2130"),
    ("show", "2001:1"),
    ("search", "ceasefire monitoring troops", "--mode", "lexical"),
    ("search", "ceasefire monitoring troops"),
    ("similar", "2001:1"),
    ("lineage", "2001:1"),
    ("obligations", "2001"),
    ("coverage",),
]
CALLS = {
    "resolution": lambda lib: lib.resolution(2130),
    "paragraph": lambda lib: lib.paragraph("2001:1"),
    "lexical": lambda lib: lib.search("ceasefire monitoring troops", mode="lexical"),
    "hybrid": lambda lib: lib.search("ceasefire monitoring troops"),
    "lineage": lambda lib: lib.lineage("2001:1"),
    "coverage": lambda lib: lib.coverage(),
}
TOLD = r"(is damaged|is not a readable reslens store) \(.*\); rebuild it with: reslens build"


@pytest.mark.parametrize("where", list(DAMAGE))
def test_a_damaged_store_is_a_message_that_a_build_repairs(
    world: World, index: Path, where: str
) -> None:
    """Defect 11: damaged pages used to end in a traceback (DatabaseError, OperationalError);
    now every command and call that meets them says so, and ``reslens build`` (which checks
    the store first) reads every file again."""
    damage(index, where)
    assert integrity(index) != ["ok"]
    failed = 0
    for command in COMMANDS:
        result = cli(index, *command)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        if result.returncode:
            assert re.search(TOLD, result.stderr), result.stderr
            failed += 1
    assert failed  # the damage was met
    for name, call in CALLS.items():
        try:
            call(rl.open(index))
        except StoreError as exc:
            assert re.search(TOLD, str(exc)), (name, exc)
    result = run_build(world.old_corpus, index)
    assert result.returncode == 0, result.stderr
    assert "is damaged" in result.stderr and "every file is read again" in result.stderr
    assert integrity(index) == ["ok"]
    assert answers(index) == world.before


def test_a_sound_vectors_file_is_kept_and_rebuild_vectors_writes_it_again(
    world: World, index: Path
) -> None:
    path = vectors_file(index)
    inode = path.stat().st_ino
    assert run_build(world.old_corpus, index).returncode == 0
    assert path.stat().st_ino == inode  # checked, not written
    assert run_build(world.old_corpus, index, "--rebuild-vectors").returncode == 0
    assert path.stat().st_ino != inode  # written again, same content
    assert answers(index) == world.before


def test_an_index_without_recorded_checksums_opens_and_the_next_build_records_them(
    world: World, index: Path
) -> None:
    """Manifests written before the checksum was recorded: read as before, then completed."""
    older = {
        k: v
        for k, v in manifest_of(index).items()
        if not k.startswith("vectors_") or k == "vectors_file"
    }
    set_manifest(index, json.dumps(older))
    assert answers(index) == world.before
    assert run_build(world.old_corpus, index).returncode == 0
    manifest = manifest_of(index)
    assert manifest["vectors_bytes"] == vectors_file(index).stat().st_size
    assert isinstance(manifest["vectors_crc32"], str) and len(manifest["vectors_crc32"]) == 8
    assert answers(index) == world.before
