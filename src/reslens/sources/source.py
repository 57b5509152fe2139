"""One pinned public source, what fetching it did, and the file steps every way in shares.

:mod:`reslens.sources.fetch` reads the pins and runs a fetch; :mod:`reslens.sources.archive`
(download) and :mod:`reslens.sources.mirror` (local copy) bring the files in. Both write each
file with :func:`copy_hashed`, sum a tree up with :func:`tree_sha256` and leave a provenance
record (:data:`PROVENANCE_FILE`) in the source's folder with the sha256 of every file they
brought, so the two ways in report the same digests for the same files and the build can
tell the fetched files from any other (:func:`read_provenance`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from reslens.files import CHUNK, atomic_open, atomic_write_text

PROVENANCE_FILE = ".reslens-source.json"
DEFAULT_MAX_BYTES = 1 << 30  # download cap per archive when its size is not pinned
HEX40 = re.compile(r"[0-9a-f]{40}")
HEX64 = re.compile(r"[0-9a-f]{64}")

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


def write_provenance(
    folder: Path, source: Source, mode: str, entries: dict[str, tuple[str, int]], **extra: Any
) -> dict[str, Any]:
    """Write the provenance record of a fetched source into ``folder`` and return it.

    The record names the source and its pinned commit, how it was fetched, when, and the
    sha256 of every file the fetch brought (``files``: path inside the folder → sha256).

    Args:
        folder: the source's folder (``<corpus>/<source.folder>``, or its staging copy).
        source: the pinned source.
        mode: ``"download"`` or ``"mirror"``.
        entries: ``{path: (sha256, size)}`` of the files brought.
        **extra: more fields (the archive's ``sha256`` and ``size``, the ``mirror`` path).
    """
    record: dict[str, Any] = {
        "name": source.name,
        "repository": source.repository,
        "commit": source.commit,
        "url": source.url,
        "mode": mode,
        **extra,
        "fetched": datetime.now(UTC).isoformat(timespec="seconds"),
        "tree_sha256": tree_sha256(entries),
        "files": {rel: entries[rel][0] for rel in sorted(entries)},
    }
    atomic_write_text(folder / PROVENANCE_FILE, json.dumps(record, indent=2) + "\n")
    return record


def recorded_files(record: object) -> dict[str, str] | None:
    """The ``files`` of a provenance record (path → sha256), or None when it has none or
    they are malformed (a record written before fetch recorded files has none)."""
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, dict):
        return None
    if not all(
        isinstance(k, str) and isinstance(v, str) and HEX64.fullmatch(v) for k, v in files.items()
    ):
        return None
    return dict(files)


#: What a provenance record says of a file: the file fetched, no record to tell, not fetched.
RECORDED, UNKNOWN, UNRECORDED = 1, 0, -1


@dataclass(frozen=True)
class Provenance:
    """The files ``reslens fetch`` brought into a corpus, from the sources' provenance records.

    Attributes:
        files: corpus-relative path (``unxml-scresolutions/Pre-2020/2016/x.xml``) → sha256.
        folders: the source folders that have a record of their files.
        warnings: records that could not be read (their folders count as without a record).
    """

    files: Mapping[str, str] = field(default_factory=dict)
    folders: frozenset[str] = frozenset()
    warnings: tuple[str, ...] = ()

    def level(self, relpath: str, sha256: str) -> int:
        """:data:`RECORDED` when ``relpath`` is a fetched file with this content,
        :data:`UNRECORDED` when its folder has a record that lacks it or has another digest
        (a file added or changed after the fetch), :data:`UNKNOWN` when its folder has no
        record (a corpus laid out by hand, a PDF added with ``reslens ingest``).

        Examples:
            >>> prov = Provenance({"src/a.xml": "ab" * 32}, frozenset({"src"}))
            >>> prov.level("src/a.xml", "ab" * 32), prov.level("src/b.xml", "cd" * 32)
            (1, -1)
            >>> prov.level("other/a.xml", "ab" * 32)
            0
        """
        if relpath.split("/", 1)[0] not in self.folders:
            return UNKNOWN
        return RECORDED if self.files.get(relpath) == sha256 else UNRECORDED

    def describe(self, relpath: str, sha256: str) -> str:
        """Why :meth:`level` says what it says, for messages."""
        folder = relpath.split("/", 1)[0]
        if folder not in self.folders:
            return f"{folder}/ has no provenance record"
        recorded = self.files.get(relpath)
        if recorded == sha256:
            return f"fetched into {folder}/ (listed in its provenance record)"
        if recorded is None:
            return f"not fetched: {folder}/{PROVENANCE_FILE} does not list it"
        return f"changed since the fetch: its sha256 differs from {folder}/{PROVENANCE_FILE}"

    @property
    def fingerprint(self) -> str:
        """A digest of the records (``""`` when there is none): equal records, equal prints."""
        if not self.folders:
            return ""
        digest = hashlib.sha256()
        for folder in sorted(self.folders):
            digest.update(f"folder\0{folder}\n".encode())
        for rel in sorted(self.files):
            digest.update(f"{rel}\0{self.files[rel]}\n".encode())
        return digest.hexdigest()[:16]


def read_provenance(corpus: Path) -> Provenance:
    """The provenance records of the source folders directly under ``corpus``.

    Examples:
        >>> read_provenance(Path("no-such-corpus")).folders
        frozenset()
    """
    files: dict[str, str] = {}
    folders: set[str] = set()
    warnings: list[str] = []
    if not corpus.is_dir():
        return Provenance()
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        path = folder / PROVENANCE_FILE
        if not path.is_file():
            continue
        try:
            recorded = recorded_files(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            warnings.append(f"{path}: unreadable provenance record ({exc}); fetch again")
            continue
        if recorded is None:
            continue  # written before fetch recorded its files: no record to tell
        folders.add(folder.name)
        files.update({f"{folder.name}/{rel}": sha for rel, sha in recorded.items()})
    return Provenance(files, frozenset(folders), tuple(warnings))


__all__ = [
    "DEFAULT_MAX_BYTES",
    "HEX40",
    "HEX64",
    "PROVENANCE_FILE",
    "RECORDED",
    "UNKNOWN",
    "UNRECORDED",
    "Progress",
    "Provenance",
    "Source",
    "SourceReport",
    "copy_hashed",
    "read_provenance",
    "recorded_files",
    "tree_sha256",
    "write_provenance",
]
