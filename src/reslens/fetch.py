"""Bring the pinned public sources into the corpus folder: verified download or local mirror.

Two ways in, one layout out (``<dest>/<source.folder>/...``):

* **Download**: stream the pinned GitHub archive (``urllib``, size-capped) to a temporary file,
  check its sha256 and size against ``sources.json`` (or, while the hash is unknown, against
  ``sources.lock.json``, trust on first use), extract only the kept members into a temporary
  folder beside the target, refusing anything hostile, then swap it into place. A failed fetch
  leaves the previous copy untouched.
* **Mirror**: copy ``<mirror>/<source.folder>`` file by file, skipping files whose size and
  sha256 already match, never following a symlink out of the mirror.

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
import tarfile
import tempfile
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any, Literal
from urllib.parse import urlsplit

from reslens.errors import FetchError

SOURCES_FILE = "sources.json"
LOCK_FILE = "sources.lock.json"
PROVENANCE_FILE = ".reslens-source.json"
DEFAULT_MAX_BYTES = 1 << 30  # download cap per archive when its size is not pinned
MAX_EXTRACTED_BYTES = 4 << 30  # guard against decompression bombs
_CHUNK = 1 << 20
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_HEX40 = re.compile(r"[0-9a-f]{40}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_REPO = re.compile(r"[A-Za-z0-9._-]+/[A-Za-z0-9._-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

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
        _copy_mirror(s, mirror, dest, say) if mirror else _download_source(s, dest, timeout, say)
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
        commit=text("commit", _HEX40),
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


def _copy_mirror(source: Source, mirror: Path, dest: Path, say: Progress) -> SourceReport:
    root = mirror.resolve()
    src = mirror / source.folder
    if not src.is_dir():
        raise FetchError(
            f"{source.name}: mirror folder {src} not found "
            f"(a mirror holds one folder per source: {source.folder}/)"
        )
    src_real = src.resolve()
    if not _within(src_real, root):
        raise FetchError(f"{source.name}: mirror folder {src} points outside the mirror")
    target = dest / source.folder
    if _within(target.resolve(), src_real) or _within(src_real, target.resolve()):
        raise FetchError(f"{source.name}: mirror and destination are the same folder: {src}")
    warnings = _mirror_commit_warnings(source, src_real)
    say(f"{source.name}: copying from {src}")
    target.mkdir(parents=True, exist_ok=True)
    target_real = target.resolve()
    entries: dict[str, tuple[str, int]] = {}
    copied = skipped = 0
    for path, rel in _walk_mirror(src_real, root, warnings):
        size = path.stat().st_size
        out = target / rel
        if not _within(out.parent.resolve(), target_real):
            raise FetchError(f"{source.name}: {out.parent} in the target points outside it")
        digest = _file_sha256(path)
        if (
            out.is_file()
            and not out.is_symlink()
            and out.stat().st_size == size
            and _file_sha256(out) == digest
        ):
            skipped += 1
        else:
            with path.open("rb") as fin:
                written, nbytes = _atomic_write(fin, out)
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
    )
    if extra:
        warnings.append(f"{extra} file(s) in {target} are not in the mirror (left in place)")
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
        tree_sha256=_tree_sha256(entries),
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
            if path.is_symlink():
                real = path.resolve()
                if not (_within(real, boundary) and real.is_file()):
                    warnings.append(f"skipped symlink {rel} (points outside the mirror)")
                    continue
                path = real
            elif not path.is_file():
                warnings.append(f"skipped {rel} (not a regular file)")
                continue
            yield path, rel


def _mirror_commit_warnings(source: Source, folder: Path) -> list[str]:
    for note in ("README.txt", PROVENANCE_FILE):
        path = folder / note
        if path.is_file():
            if source.commit in path.read_text(encoding="utf-8", errors="replace"):
                return []
            return [f"mirror {note} does not mention the pinned commit {source.commit}"]
    return [f"mirror has no README.txt naming its commit; cannot confirm {source.commit[:12]}"]


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
        entries = _extract(archive, staging, source, warnings)
        provenance = {
            "name": source.name,
            "repository": source.repository,
            "commit": source.commit,
            "url": source.url,
            "sha256": sha,
            "size": size,
            "fetched": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        (staging / PROVENANCE_FILE).write_text(json.dumps(provenance, indent=2) + "\n", "utf-8")
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
        tree_sha256=_tree_sha256(entries),
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
                while chunk := response.read(_CHUNK):
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


def _extract(
    archive: Path, staging: Path, source: Source, warnings: list[str]
) -> dict[str, tuple[str, int]]:
    """Extract the kept regular files of a GitHub archive into ``staging``, refusing hostility."""
    staging.mkdir()
    entries: dict[str, tuple[str, int]] = {}
    top: str | None = None
    total = outside = 0
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            comment = tar.pax_headers.get("comment", "")
            if _HEX40.fullmatch(comment) and comment != source.commit:
                raise FetchError(
                    f"{source.name}: archive is of commit {comment}, not {source.commit}"
                )
            for member in tar:
                parts = _member_parts(member.name, source.name)
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
                if not _kept(rel, source.keep):
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
                    entries[rel] = _atomic_write(fin, staging / rel)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise FetchError(f"{source.name}: cannot extract the archive: {exc}") from exc
    if not entries:
        raise FetchError(f"{source.name}: the archive holds no files under {list(source.keep)}")
    if top is not None and top != f"{source.repository.split('/')[1]}-{source.commit}":
        warnings.append(f"unexpected top folder {top!r} in the archive")
    for k in source.keep:
        if not any(_kept(rel, (k,)) for rel in entries):
            warnings.append(f"nothing in the archive matched keep path {k!r}")
    if outside:
        warnings.append(f"{outside} archive file(s) outside the kept paths were skipped")
    return entries


def _member_parts(name: str, source_name: str) -> list[str]:
    """Split a member name, refusing absolute paths, ``..`` and control characters."""
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


def _kept(rel: str, keep: Sequence[str]) -> bool:
    if not keep:
        return True
    for k in keep:
        if k.endswith("/"):
            if rel.startswith(k) or rel == k.rstrip("/"):
                return True
        elif rel == k or rel.startswith(k + "/"):
            return True
    return False


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
    payload = (json.dumps(data, indent=2) + "\n").encode("utf-8")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(payload)
    os.replace(tmp, path)


def _atomic_write(fin: IO[bytes], out: Path) -> tuple[str, int]:
    """Copy ``fin`` to ``out`` through a temp file and a rename; return (sha256, size)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            while chunk := fin.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fin:
        while chunk := fin.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _tree_sha256(entries: dict[str, tuple[str, int]]) -> str:
    digest = hashlib.sha256()
    for rel in sorted(entries):
        digest.update(f"{rel}\0{entries[rel][0]}\n".encode())
    return digest.hexdigest()


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


__all__ = [
    "FetchReport",
    "Source",
    "SourceReport",
    "default_corpus_dir",
    "fetch",
    "load_sources",
]
