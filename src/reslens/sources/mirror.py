"""Copy one pinned source from a local mirror (``<mirror>/<source.folder>``) into the corpus.

File by file: a file whose size and sha256 already match is skipped, any other is written
through a temporary file and a rename. A symlink is followed only when it stays inside the
mirror; symlinked folders and special files are skipped with a warning. Files in the target
that the mirror lacks are left in place (and counted in a warning).

The copy ends by writing the source's provenance record into the target: the sha256 of every
file copied. A mirror that has its own record (one laid out by ``reslens fetch``) is trusted
only as far as that record: a file it lacks, or whose digest differs, is copied but not
recorded (with a warning), so the build treats it as the planted or changed file it is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from reslens.errors import FetchError
from reslens.files import sha256_file
from reslens.sources.source import (
    PROVENANCE_FILE,
    Progress,
    Source,
    SourceReport,
    copy_hashed,
    recorded_files,
    tree_sha256,
    write_provenance,
)


def copy_mirror(source: Source, mirror: Path, dest: Path, say: Progress) -> SourceReport:
    """Copy ``mirror/<source.folder>`` into ``dest/<source.folder>``.

    Raises:
        FetchError: the mirror folder is missing, points outside the mirror or is the target,
            or a file changed while it was being copied.
    """
    root = _real_folder(mirror, source)
    src = mirror / source.folder
    if not src.is_dir():
        raise FetchError(
            f"{source.name}: mirror folder {src} not found "
            f"(a mirror holds one folder per source: {source.folder}/)"
        )
    src_real = _real_folder(src, source)
    if not _within(src_real, root):
        raise FetchError(f"{source.name}: mirror folder {src} points outside the mirror")
    target = dest / source.folder
    target_real = _real_folder(target, source)
    if _within(target_real, src_real) or _within(src_real, target_real):
        raise FetchError(f"{source.name}: mirror and destination are the same folder: {src}")
    warnings = _mirror_commit_warnings(source, src_real)
    say(f"{source.name}: copying from {src}")
    target.mkdir(parents=True, exist_ok=True)
    target_real = _real_folder(target, source)
    entries: dict[str, tuple[str, int]] = {}
    copied = skipped = 0
    vouched = _mirror_record(src_real)
    for path, rel in _walk_mirror(src_real, root, warnings):
        size = path.stat().st_size
        out = target / rel
        if not _within(_real_folder(out.parent, source), target_real):
            raise FetchError(f"{source.name}: {out.parent} in the target points outside it")
        digest = sha256_file(path)
        if (
            out.is_file()
            and not out.is_symlink()
            and out.stat().st_size == size
            and sha256_file(out) == digest
        ):
            skipped += 1
        else:
            with path.open("rb") as fin:
                written, nbytes = copy_hashed(fin, out)
            if (written, nbytes) != (digest, size):
                raise FetchError(f"{source.name}: {path} changed while it was being copied")
            copied += 1
        entries[rel] = (digest, size)
        if (copied + skipped) % 1000 == 0:
            say(f"{source.name}: {copied + skipped} files ({copied} copied)")
    extra = sum(
        1
        for dirpath, _dirs, names in os.walk(target)
        for n in names
        if _rel(Path(dirpath) / n, target) not in entries
        and _rel(Path(dirpath) / n, target) != PROVENANCE_FILE
    )
    if extra:
        warnings.append(f"{extra} file(s) in {target} are not in the mirror (left in place)")
    recorded = entries
    if vouched is not None:
        recorded = {rel: e for rel, e in entries.items() if vouched.get(rel) == e[0]}
        if len(recorded) < len(entries):
            warnings.append(
                f"{len(entries) - len(recorded)} file(s) of the mirror are not in its own "
                f"{PROVENANCE_FILE} (or differ from it): copied, but not recorded as fetched"
            )
    write_provenance(target, source, "mirror", recorded, mirror=str(src_real))
    say(f"{source.name}: {len(entries)} files, {copied} copied, {skipped} already up to date")
    return SourceReport(
        name=source.name,
        mode="mirror",
        target=target,
        files=len(entries),
        bytes=sum(size for _, size in entries.values()),
        copied=copied,
        skipped=skipped,
        sha256=None,
        tree_sha256=tree_sha256(entries),
        warnings=tuple(warnings),
    )


def _walk_mirror(root: Path, boundary: Path, warnings: list[str]) -> Iterator[tuple[Path, str]]:
    """Yield (file, path relative to ``root``); follow symlinks only within ``boundary``."""
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        for d in sorted(dirnames):
            if (base / d).is_symlink():
                warnings.append(f"skipped symlinked folder {_rel(base / d, root)}")
                dirnames.remove(d)
        dirnames.sort()
        for f in sorted(filenames):
            path = base / f
            rel = _rel(path, root)
            if rel == PROVENANCE_FILE:
                continue  # the mirror's own record: the copy writes the target's
            if path.is_symlink():
                real = _resolve(path)
                if real is None:
                    warnings.append(f"skipped symlink {rel} (a symlink loop)")
                    continue
                if not (_within(real, boundary) and real.is_file()):
                    warnings.append(f"skipped symlink {rel} (points outside the mirror)")
                    continue
                path = real
            elif not path.is_file():
                warnings.append(f"skipped {rel} (not a regular file)")
                continue
            yield path, rel


def _mirror_record(folder: Path) -> dict[str, str] | None:
    """The files (path → sha256) the mirror's own provenance record vouches for, or None."""
    path = folder / PROVENANCE_FILE
    if not path.is_file():
        return None
    try:
        return recorded_files(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _mirror_commit_warnings(source: Source, folder: Path) -> list[str]:
    for note in ("README.txt", PROVENANCE_FILE):
        path = folder / note
        if path.is_file():
            if source.commit in path.read_text(encoding="utf-8", errors="replace"):
                return []
            return [f"mirror {note} does not mention the pinned commit {source.commit}"]
    return [f"mirror has no README.txt naming its commit; cannot confirm {source.commit[:12]}"]


def _resolve(path: Path) -> Path | None:
    """``path`` with every symlink resolved, or None when a symlink loop makes that impossible
    (Python 3.11 raises RuntimeError there, later versions OSError)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


def _real_folder(path: Path, source: Source) -> Path:
    """:func:`_resolve` for a folder the copy cannot do without: a loop is a FetchError."""
    real = _resolve(path)
    if real is None:
        raise FetchError(f"{source.name}: {path} is a symlink loop")
    return real


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


__all__ = ["copy_mirror"]
