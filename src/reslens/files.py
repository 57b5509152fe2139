"""Small file helpers shared by every layer: atomic writes and file digests.

An atomic write goes to a new temporary file beside the target (same folder, so the same file
system) and is renamed over the target with :func:`os.replace` only once it is complete: a
reader sees the old file or the new one, never half of one, and a killed writer leaves the
old file in place (plus, at worst, a hidden ``.<name>.<random>.tmp`` file).

Examples:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> atomic_write_text(folder / "a.txt", "hello\\n")
    >>> (folder / "a.txt").read_text(encoding="utf-8")
    'hello\\n'
    >>> sha256_file(folder / "a.txt")[:12]
    '5891b5b522d5'
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
"""Bytes read at a time when hashing or copying a file."""

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _create_temp(folder: Path, name: str) -> tuple[int, Path]:
    """Create a new empty file in ``folder`` with the default permissions (umask applies)."""
    while True:
        tmp = folder / f".{name}.{os.urandom(6).hex()}.tmp"
        try:
            fd = os.open(tmp, _NEW_FILE, 0o666)
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
        return fd, tmp


@contextmanager
def atomic_open(path: str | os.PathLike[str], *, durable: bool = True) -> Iterator[BinaryIO]:
    """Open a binary handle whose content replaces ``path`` when the ``with`` block ends.

    The parent folder is created when missing. If the block raises, ``path`` is left as it
    was and the temporary file is removed.

    Args:
        path: the file to write (replaced if it exists).
        durable: ``fsync`` the data before the rename, so that the new content survives a
            crash of the machine; turn off for bulk copies that a later step commits.

    Examples:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "sub" / "b.bin"
        >>> with atomic_open(target) as out:
        ...     _ = out.write(b"abc")
        >>> target.read_bytes()
        b'abc'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(target.parent, target.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, ``fsync``, rename)."""
    with atomic_open(path) as out:
        out.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically; newlines are written as given."""
    atomic_write_bytes(path, text.encode("utf-8"))


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The sha256 of a file's bytes, as 64 lowercase hex digits (read in 1 MiB chunks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = ["CHUNK", "atomic_open", "atomic_write_bytes", "atomic_write_text", "sha256_file"]
