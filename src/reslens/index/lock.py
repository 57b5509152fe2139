"""One writer at a time per index directory.

``reslens build`` and ``reslens ingest`` hold an exclusive lock on ``reslens.lock`` in the index
directory (``fcntl.flock``) while they work; the file holds the writer's pid and command. A
second writer ends at once with "another build is running (pid N)". The kernel drops the lock
when its holder dies, however it dies, so the lock of a killed build is simply taken over (the
pid it left in the file is reported). Readers never take the lock: they read the last committed
store, which a writer replaces by one rename.

Whoever holds the lock is the only writer, so whatever a writer leaves beside the store while
it works (``reslens.db.building`` and its ``-journal``, ``-wal`` and ``-shm``, ``.ingesting``
copies, ``*.building`` vectors and vocabulary, hidden ``.*.tmp`` files of atomic writes) and is
still there when the lock is taken belongs to a writer that died: it is deleted before anything
is copied. (A stale ``reslens.db.building-journal`` is not harmless: SQLite would roll it back
into the next copy of the store and damage it.)

Examples:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with writer_lock(folder, "build"):
    ...     (folder / LOCK_NAME).read_text().split()[1]
    'build'
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from reslens.errors import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: the pid in the file is the lock
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "reslens.lock"

#: File descriptors of the locks this process holds; a forked worker closes its copies
#: (:func:`forget_inherited_locks`) so that it never keeps a lock alive for a dead parent.
_HELD: list[int] = []

_LEFTOVER = re.compile(
    r"""(
        .*\.building(-journal|-wal|-shm)?     # store copy, vectors, vocabulary of a build
      | .*\.ingesting(-journal|-wal|-shm)?    # store copy of an ingest
      | \..+\.[0-9a-f]{12}\.tmp               # an atomic write (reslens.files)
    )""",
    re.VERBOSE,
)


@contextlib.contextmanager
def writer_lock(
    index_dir: Path, what: str, say: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the writer lock of ``index_dir`` (which must exist) for the ``with`` block, after
    discarding the leftovers of writers that died.

    Args:
        index_dir: the index directory.
        what: the writer's command, for the message another writer gets (``build``).
        say: told when a dead writer's lock is taken over or its files discarded.

    Raises:
        StoreError: another live process holds the lock.
    """
    tell = say or (lambda _msg: None)
    path = index_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        previous = _acquire(fd, index_dir)
        if previous and previous[0] != os.getpid():
            pid, command = previous
            tell(f"took over the lock of {command} (pid {pid}), which is no longer running")
        _write(fd, f"{os.getpid()} {what}\n")
        _HELD.append(fd)
        removed = discard_leftovers(index_dir)
        if removed:
            tell("discarded what an interrupted writer left: " + ", ".join(removed))
        yield
    finally:
        if fd in _HELD:
            _HELD.remove(fd)
            with contextlib.suppress(OSError):
                _write(fd, "")  # an empty file: released cleanly
        os.close(fd)  # releases the lock


def _acquire(fd: int, index_dir: Path) -> tuple[int, str] | None:
    """Take the lock on ``fd``; returns the holder recorded in the file before (pid, command),
    or None when it was empty (released cleanly)."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return _holder(fd)
        except BlockingIOError:
            holder = _holder(fd, wait=True)
            raise _busy(index_dir, holder) from None
        except OSError as exc:  # no flock on this file system: fall back on the pid
            if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                raise
    holder = _holder(fd)
    if holder is not None and holder[0] != os.getpid() and _alive(holder[0]):
        raise _busy(index_dir, holder)
    return holder


def _busy(index_dir: Path, holder: tuple[int, str] | None) -> StoreError:
    who = (
        f"another {holder[1]} is running (pid {holder[0]})"
        if holder
        else "another build is running"
    )
    return StoreError(
        f"{who} on {index_dir}; wait for it to finish (its lock is {index_dir / LOCK_NAME}, "
        "released when that process ends)"
    )


def _holder(fd: int, *, wait: bool = False) -> tuple[int, str] | None:
    """(pid, command) written in the lock file, or None. With ``wait``, give a writer that has
    just taken the lock a moment to write its pid."""
    deadline = time.monotonic() + (1.0 if wait else 0.0)
    while True:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
        if len(text) >= 2 and text[0].isdigit():
            return int(text[0]), text[1]
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.02)


def _write(fd: int, text: str) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, text.encode("utf-8"), 0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def discard_leftovers(index_dir: Path) -> list[str]:
    """Delete the files that writers leave only while they work (see the module docstring);
    call it only while holding the lock. Returns the names deleted."""
    removed = []
    for path in sorted(index_dir.iterdir()):
        if _LEFTOVER.fullmatch(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def forget_inherited_locks() -> None:
    """In a forked child: close the copies of this process's lock descriptors (the parent
    keeps the lock; the child must not keep it alive after the parent's death)."""
    while _HELD:
        with contextlib.suppress(OSError):
            os.close(_HELD.pop())


__all__ = ["LOCK_NAME", "discard_leftovers", "forget_inherited_locks", "writer_lock"]
