"""Safe extraction of a downloaded GitHub archive (``.tar.gz``) of one pinned source.

Only the kept regular files are written, each through a temporary file and a rename, into a
staging folder that :func:`reslens.sources.fetch.fetch` swaps into place afterwards. Anything
hostile stops the extraction with a :class:`~reslens.errors.FetchError`: absolute paths,
``..``, control characters, members outside the archive's single top folder, symlinks,
hardlinks, devices and fifos, duplicates, an archive of another commit, and more than
:data:`MAX_EXTRACTED_BYTES` of content (a decompression bomb).
"""

from __future__ import annotations

import re
import tarfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from reslens.errors import FetchError
from reslens.sources.source import HEX40, Source, copy_hashed

MAX_EXTRACTED_BYTES = 4 << 30  # guard against decompression bombs
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def extract_archive(
    archive: Path, staging: Path, source: Source, warnings: list[str]
) -> dict[str, tuple[str, int]]:
    """Extract the kept regular files of a GitHub archive into ``staging``, refusing hostility.

    Args:
        archive: the downloaded ``.tar.gz``.
        staging: the folder to create and fill (must not exist).
        source: the source the archive is of (its commit, repository and ``keep`` paths).
        warnings: receives notes that do not stop the extraction.

    Returns:
        ``{path inside the repository: (sha256, size)}`` of every file written.

    Raises:
        FetchError: the archive is unreadable, hostile, of another commit, or holds no kept
            file.
    """
    staging.mkdir()
    entries: dict[str, tuple[str, int]] = {}
    top: str | None = None
    total = outside = 0
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            comment = tar.pax_headers.get("comment", "")
            if HEX40.fullmatch(comment) and comment != source.commit:
                raise FetchError(
                    f"{source.name}: archive is of commit {comment}, not {source.commit}"
                )
            for member in tar:
                parts = member_parts(member.name, source.name)
                if top is None:
                    top = parts[0]
                elif parts[0] != top:
                    raise FetchError(
                        f"{source.name}: member {member.name!r} is outside the top folder {top!r}"
                    )
                rel = "/".join(parts[1:])
                if not rel:
                    if not member.isdir():
                        raise FetchError(f"{source.name}: member {member.name!r} has no top folder")
                    continue
                if not kept(rel, source.keep):
                    outside += not member.isdir()
                    continue
                if member.issym() or member.islnk():
                    kind = "symlink" if member.issym() else "hardlink"
                    raise FetchError(
                        f"{source.name}: refused {kind} member {member.name!r} -> "
                        f"{member.linkname!r}; nothing was written"
                    )
                if member.isdir():
                    continue
                if not member.isfile():
                    raise FetchError(
                        f"{source.name}: refused special member {member.name!r} "
                        "(device, fifo or unknown type); nothing was written"
                    )
                if rel in entries:
                    raise FetchError(f"{source.name}: duplicate member {member.name!r}")
                total += member.size
                if total > MAX_EXTRACTED_BYTES:
                    raise FetchError(f"{source.name}: archive expands beyond {MAX_EXTRACTED_BYTES}")
                fin = tar.extractfile(member)
                if fin is None:  # pragma: no cover - isfile() members always have data
                    raise FetchError(f"{source.name}: cannot read member {member.name!r}")
                with fin:
                    entries[rel] = copy_hashed(fin, staging / rel)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise FetchError(f"{source.name}: cannot extract the archive: {exc}") from exc
    if not entries:
        raise FetchError(f"{source.name}: the archive holds no files under {list(source.keep)}")
    if top is not None and top != f"{source.repository.split('/')[1]}-{source.commit}":
        warnings.append(f"unexpected top folder {top!r} in the archive")
    for k in source.keep:
        if not any(kept(rel, (k,)) for rel in entries):
            warnings.append(f"nothing in the archive matched keep path {k!r}")
    if outside:
        warnings.append(f"{outside} archive file(s) outside the kept paths were skipped")
    return entries


def member_parts(name: str, source_name: str) -> list[str]:
    """Split a member name, refusing absolute paths, ``..`` and control characters.

    Examples:
        >>> member_parts("repo-abc/./data//a.xml", "demo")
        ['repo-abc', 'data', 'a.xml']
    """
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        raise FetchError(f"{source_name}: refused member with absolute path {name!r}")
    if _CONTROL.search(name):
        raise FetchError(f"{source_name}: refused member with control characters {name!r}")
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise FetchError(f"{source_name}: refused member with '..' in its path {name!r}")
    if not parts:
        raise FetchError(f"{source_name}: refused member with empty path {name!r}")
    return parts


def kept(rel: str, keep: Sequence[str]) -> bool:
    """Whether repository path ``rel`` is under one of the ``keep`` paths (all, when empty).

    Examples:
        >>> kept("data/a.xml", ["data/"]), kept("database", ["data/"]), kept("LICENSE", [])
        (True, False, True)
    """
    if not keep:
        return True
    for k in keep:
        if k.endswith("/"):
            if rel.startswith(k) or rel == k.rstrip("/"):
                return True
        elif rel == k or rel.startswith(k + "/"):
            return True
    return False


__all__ = ["MAX_EXTRACTED_BYTES", "extract_archive", "kept", "member_parts"]
