"""One pinned public source, what fetching it did, and the file steps every way in shares.

:mod:`reslens.sources.fetch` reads the pins and runs a fetch; :mod:`reslens.sources.archive`
(download) and :mod:`reslens.sources.mirror` (local copy) bring the files in. Both write each
file with :func:`copy_hashed` and sum a tree up with :func:`tree_sha256`, so the two ways in
report the same digests for the same files.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from reslens.files import CHUNK, atomic_open

PROVENANCE_FILE = ".reslens-source.json"
DEFAULT_MAX_BYTES = 1 << 30  # download cap per archive when its size is not pinned
HEX40 = re.compile(r"[0-9a-f]{40}")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Source:
    """One pinned public source.

    Attributes:
        name: short identifier, e.g. ``"cr-unsc-gold"``.
        repository: GitHub ``owner/name``.
        commit: the pinned commit (40 hex digits).
        url: where the ``.tar.gz`` archive of that commit is downloaded from.
        folder: the folder under the corpus directory that receives the files.
        keep: repository paths to keep (``"data/"`` keeps a folder, ``"LICENSE"`` one file);
            empty keeps everything.
        sha256: expected archive digest, or ``None`` while unknown (trust on first use).
        size: expected archive size in bytes, or ``None`` while unknown.
        max_bytes: download cap when ``size`` is unknown.
        license: licence and attribution note.
    """

    name: str
    repository: str
    commit: str
    url: str
    folder: str
    keep: tuple[str, ...] = ()
    sha256: str | None = None
    size: int | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    license: str = ""


@dataclass(frozen=True)
class SourceReport:
    """What fetching one source did.

    Attributes:
        name: the source name.
        mode: ``"mirror"`` or ``"download"``.
        target: the folder that now holds the files.
        files: number of files in the fetched tree.
        bytes: their total size.
        copied: files written by this run.
        skipped: files already present with the same size and sha256 (mirror mode).
        sha256: digest of the downloaded archive (``None`` in mirror mode).
        tree_sha256: digest over the sorted (path, file sha256) pairs of the fetched tree.
        warnings: anything the user should know (unconfirmed commit, skipped symlinks, ...).
    """

    name: str
    mode: Literal["mirror", "download"]
    target: Path
    files: int
    bytes: int
    copied: int
    skipped: int
    sha256: str | None
    tree_sha256: str
    warnings: tuple[str, ...] = ()


def copy_hashed(fin: IO[bytes], out: Path) -> tuple[str, int]:
    """Copy ``fin`` to ``out`` through a temp file and a rename; return (sha256, size).

    No ``fsync``: the files land in a tree that a later step commits (or that a re-run
    checks file by file).
    """
    digest = hashlib.sha256()
    size = 0
    with atomic_open(out, durable=False) as handle:
        while chunk := fin.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    return digest.hexdigest(), size


def tree_sha256(entries: dict[str, tuple[str, int]]) -> str:
    """A digest over the sorted ``(path, file sha256)`` pairs of a tree."""
    digest = hashlib.sha256()
    for rel in sorted(entries):
        digest.update(f"{rel}\0{entries[rel][0]}\n".encode())
    return digest.hexdigest()


__all__ = [
    "DEFAULT_MAX_BYTES",
    "HEX40",
    "PROVENANCE_FILE",
    "Progress",
    "Source",
    "SourceReport",
    "copy_hashed",
    "tree_sha256",
]
