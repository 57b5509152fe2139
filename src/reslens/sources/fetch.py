"""Bring the pinned public sources into the corpus folder: verified download or local mirror.

Two ways in, one layout out (``<dest>/<source.folder>/...``):

* **Download**: stream the pinned GitHub archive (``urllib``, size-capped) to a temporary file,
  check its sha256 and size against ``sources.json`` (or, while the hash is unknown, against
  ``sources.lock.json``, trust on first use), extract only the kept members into a temporary
  folder beside the target, refusing anything hostile, then swap it into place. A failed fetch
  leaves the previous copy untouched.
* **Mirror**: copy ``<mirror>/<source.folder>`` file by file, skipping files whose size and
  sha256 already match, never following a symlink out of the mirror.

This module reads the pins and runs the fetch; the archive checks live in
:mod:`reslens.sources.archive`, the mirror copy in :mod:`reslens.sources.mirror`, and
:class:`Source` / :class:`SourceReport` in :mod:`reslens.sources.source`.

Examples:
    >>> from pathlib import Path
    >>> report = fetch(Path("corpus"), mirror=Path("../shared/corpus"))  # doctest: +SKIP
    >>> print(report.summary())  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import tempfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from reslens.errors import FetchError
from reslens.files import CHUNK, atomic_write_bytes
from reslens.sources.archive import extract_archive
from reslens.sources.mirror import copy_mirror
from reslens.sources.source import (
    DEFAULT_MAX_BYTES,
    HEX40,
    PROVENANCE_FILE,
    Progress,
    Source,
    SourceReport,
    tree_sha256,
    write_provenance,
)

SOURCES_FILE = "sources.json"
LOCK_FILE = "sources.lock.json"
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_REPO = re.compile(r"[A-Za-z0-9._-]+/[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class FetchReport:
    """The result of :func:`fetch`: one :class:`SourceReport` per source."""

    dest: Path
    sources: tuple[SourceReport, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        """All warnings, each prefixed with its source name."""
        return tuple(f"{s.name}: {w}" for s in self.sources for w in s.warnings)

    def summary(self) -> str:
        """A few human-readable lines, one per source plus its warnings."""
        lines = []
        for s in self.sources:
            digest = s.sha256 or s.tree_sha256
            lines.append(
                f"{s.name:<22} {s.mode:<8} {s.files:>6} files {s.bytes / 1e6:>8.1f} MB  "
                f"copied {s.copied}, skipped {s.skipped}  sha256 {digest[:12]}"
            )
            lines.extend(f"  warning: {w}" for w in s.warnings)
        lines.append(f"into {self.dest}")
        return "\n".join(lines)


def default_corpus_dir() -> Path:
    """The corpus folder: ``$RESLENS_CORPUS_DIR`` if set, else ``corpus`` in the cwd."""
    return Path(os.environ.get("RESLENS_CORPUS_DIR") or "corpus")


def load_sources(path: Path | None = None) -> list[Source]:
    """Read and validate the pinned sources.

    Args:
        path: a ``sources.json`` file; by default ``<default_corpus_dir()>/sources.json``.

    Returns:
        The sources, in file order.

    Raises:
        FetchError: the file is unreadable or a field is missing or malformed.
    """
    path = path or default_corpus_dir() / SOURCES_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FetchError(f"cannot read {path}: {exc}") from exc
    return _parse_sources(data, str(path))


def fetch(
    dest: Path,
    *,
    mirror: Path | None = None,
    sources: Sequence[Source] | None = None,
    timeout: float = 60.0,
    progress: Progress | None = None,
) -> FetchReport:
    """Fetch every source into ``dest/<source.folder>``.

    Args:
        dest: the corpus folder (created if missing); ``sources.lock.json`` lives here.
        mirror: a local folder holding ``<source.folder>`` copies; when given, nothing is
            downloaded.
        sources: which sources; by default ``dest/sources.json`` or :func:`load_sources`.
        timeout: network timeout in seconds (per socket operation).
        progress: called with short status lines.

    Returns:
        A :class:`FetchReport`.

    Raises:
        FetchError: a source could not be fetched, verified or extracted safely; sources
            fetched before the failing one stay fetched, the failing one is left as it was.
    """
    say = progress or (lambda _msg: None)
    if sources is None:
        local = dest / SOURCES_FILE
        sources = load_sources(local if local.is_file() else None)
    dest.mkdir(parents=True, exist_ok=True)
    reports = (
        copy_mirror(s, mirror, dest, say) if mirror else _download_source(s, dest, timeout, say)
        for s in sources
    )
    return FetchReport(dest=dest, sources=tuple(reports))


def _parse_sources(data: object, where: str) -> list[Source]:
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise FetchError(f"{where}: expected an object with a 'sources' list")
    out = [
        _parse_source(item, f"{where}, source {i + 1}") for i, item in enumerate(data["sources"])
    ]
    for attr in ("name", "folder"):
        values = [getattr(s, attr) for s in out]
        if len(set(values)) != len(values):
            raise FetchError(f"{where}: duplicate source {attr}")
    return out


def _parse_source(item: object, where: str) -> Source:
    if not isinstance(item, dict):
        raise FetchError(f"{where}: expected an object")
    known = {"name", "repository", "commit", "url", "folder", "keep", "sha256", "size"}
    known |= {"max_bytes", "license"}
    unknown = [k for k in item if k not in known and not k.endswith("comment")]
    if unknown:
        raise FetchError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")

    def text(key: str, pattern: re.Pattern[str] | None = None) -> str:
        value = item.get(key)
        if not isinstance(value, str) or not value:
            raise FetchError(f"{where}: '{key}' must be a non-empty string")
        if pattern is not None and not pattern.fullmatch(value):
            raise FetchError(f"{where}: '{key}' is malformed: {value!r}")
        return value

    def count(key: str) -> int | None:
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise FetchError(f"{where}: '{key}' must be a positive integer or null")
        return value

    name = text("name", _SLUG)
    sha = item.get("sha256")
    if sha is not None and not (isinstance(sha, str) and _HEX64.fullmatch(sha)):
        raise FetchError(f"{where}: 'sha256' must be 64 lowercase hex digits or null")
    keep = item.get("keep", [])
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        raise FetchError(f"{where}: 'keep' must be a list of paths")
    for k in keep:
        parts = PurePosixPath(k).parts
        if not k or k.startswith("/") or ".." in parts or "." in k.split("/"):
            raise FetchError(f"{where}: unsafe 'keep' path {k!r}")
    url = text("url")
    _check_url(url, where)
    folder = text("folder", _SLUG)  # one plain path component: never "..", never absolute
    license_ = item.get("license", "")
    if not isinstance(license_, str):
        raise FetchError(f"{where}: 'license' must be a string")
    return Source(
        name=name,
        repository=text("repository", _REPO),
        commit=text("commit", HEX40),
        url=url,
        folder=folder,
        keep=tuple(keep),
        sha256=sha,
        size=count("size"),
        max_bytes=count("max_bytes") or DEFAULT_MAX_BYTES,
        license=license_,
    )


def _check_url(url: str, what: str) -> None:
    """Allow https anywhere, plain http only to this machine (local test servers)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return
    raise FetchError(f"{what}: only https URLs may be fetched (http only from localhost): {url}")


def _download_source(source: Source, dest: Path, timeout: float, say: Progress) -> SourceReport:
    _check_url(source.url, source.name)
    lock_path = dest / LOCK_FILE
    lock = _read_lock(lock_path)
    warnings: list[str] = []
    expected_sha, expected_size, pinned_by = source.sha256, source.size, "sources.json"
    entry = lock.get(source.name)
    if expected_sha is None and isinstance(entry, dict) and entry.get("url") != source.url:
        warnings.append(f"the pin changed since {LOCK_FILE} was written; re-recording")
    elif expected_sha is None and isinstance(entry, dict):
        expected_sha, size_, pinned_by = entry.get("sha256"), entry.get("size"), LOCK_FILE
        if not (isinstance(expected_sha, str) and _HEX64.fullmatch(expected_sha)):
            raise FetchError(f"{lock_path}: malformed entry for {source.name}; delete it")
        expected_size = size_ if isinstance(size_, int) else None
    target = dest / source.folder
    with tempfile.TemporaryDirectory(dir=dest, prefix=f".{source.folder}.fetch-") as work_name:
        work = Path(work_name)
        archive = work / "archive.tar.gz"
        cap, cap_note = source.max_bytes, f"the cap of {source.max_bytes} bytes"
        if expected_size is not None:
            cap, cap_note = expected_size, f"the size {expected_size} from {pinned_by}"
        say(f"{source.name}: downloading {source.url}")
        sha, size = _download(source.url, archive, (cap, cap_note), timeout, source.name)
        if expected_sha is not None and sha != expected_sha:
            raise FetchError(
                f"{source.name}: archive sha256 {sha} does not match {expected_sha} "
                f"(from {pinned_by}); nothing was written"
            )
        if expected_size is not None and size != expected_size:
            raise FetchError(
                f"{source.name}: archive size {size} does not match {expected_size} "
                f"(from {pinned_by}); nothing was written"
            )
        say(f"{source.name}: extracting {size / 1e6:.1f} MB")
        staging = work / "tree"
        entries = extract_archive(archive, staging, source, warnings)
        provenance = write_provenance(staging, source, "download", entries, sha256=sha, size=size)
        _swap_into_place(staging, target, work / "previous")
    if expected_sha is None:
        lock[source.name] = {k: provenance[k] for k in ("url", "commit", "sha256", "size")}
        lock[source.name]["recorded"] = provenance["fetched"]
        _write_lock(lock_path, lock)
        warnings.append(f"sha256 not pinned: recorded {sha[:12]}... in {LOCK_FILE} (TOFU)")
    say(f"{source.name}: {len(entries)} files into {target}")
    return SourceReport(
        name=source.name,
        mode="download",
        target=target,
        files=len(entries),
        bytes=sum(n for _, n in entries.values()),
        copied=len(entries),
        skipped=0,
        sha256=sha,
        tree_sha256=tree_sha256(entries),
        warnings=tuple(warnings),
    )


def _download(
    url: str, path: Path, limit: tuple[int, str], timeout: float, name: str
) -> tuple[str, int]:
    """Stream ``url`` into ``path``; return (sha256, size); refuse more than ``limit[0]`` bytes."""
    cap, cap_note = limit
    handlers: list[urllib.request.BaseHandler] = []
    if urlsplit(url).hostname in _LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))  # never send loopback via a proxy
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"User-Agent": "reslens-fetch"})
    digest = hashlib.sha256()
    total = 0
    try:
        with opener.open(request, timeout=timeout) as response:
            _check_url(response.geturl(), f"{name}: redirect target")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > cap:
                raise FetchError(f"{name}: archive is {length} bytes, more than {cap_note}")
            with path.open("wb") as out:
                while chunk := response.read(CHUNK):
                    total += len(chunk)
                    if total > cap:
                        raise FetchError(f"{name}: archive is larger than {cap_note}")
                    digest.update(chunk)
                    out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{name}: HTTP {exc.code} {exc.reason} for {url}") from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise FetchError(f"{name}: download of {url} failed: {exc}") from exc
    return digest.hexdigest(), total


def _swap_into_place(staging: Path, target: Path, previous: Path) -> None:
    """Replace ``target`` by ``staging``; the old tree moves to ``previous`` (then discarded)."""
    had_target = target.exists() or target.is_symlink()
    if had_target:
        os.replace(target, previous)
    try:
        os.replace(staging, target)
    except OSError as exc:
        if had_target:
            os.replace(previous, target)
        raise FetchError(f"cannot move the fetched files into {target}: {exc}") from exc


def _read_lock(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FetchError(f"cannot read {path}: {exc}; fix or delete it") from exc
    sources = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(sources, dict):
        raise FetchError(f"{path}: expected an object with a 'sources' object; fix or delete it")
    return dict(sources)


def _write_lock(path: Path, sources: dict[str, Any]) -> None:
    data = {
        "comment": "archive digests observed on first download (trust on first use); "
        "later downloads must match. Delete an entry to re-record it.",
        "sources": dict(sorted(sources.items())),
    }
    atomic_write_bytes(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))


__all__ = [
    "DEFAULT_MAX_BYTES",
    "LOCK_FILE",
    "PROVENANCE_FILE",
    "SOURCES_FILE",
    "FetchReport",
    "Source",
    "SourceReport",
    "default_corpus_dir",
    "fetch",
    "load_sources",
]
