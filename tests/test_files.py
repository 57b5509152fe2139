"""Tests of reslens.files: atomic writes and file digests."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from reslens.files import atomic_open, atomic_write_bytes, atomic_write_text, sha256_file


def test_atomic_write_replaces_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "data.json"
    atomic_write_text(target, "first\n")
    atomic_write_bytes(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["data.json"]


def test_text_is_utf8_with_newlines_as_given(tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    atomic_write_text(target, "Côte d'Ivoire\r\nend\n")
    assert target.read_bytes() == "Côte d'Ivoire\r\nend\n".encode()


def test_new_file_gets_default_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "a", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o644


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(target) as out:
        out.write(b"half")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("size", [0, 1, (1 << 20) + 7])
def test_sha256_file_matches_hashlib(tmp_path: Path, size: int) -> None:
    data = bytes(i % 251 for i in range(size))
    path = tmp_path / "blob"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()
    assert sha256_file(str(path)) == sha256_file(path)
