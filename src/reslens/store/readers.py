"""Long-lived readers of the store: they follow new commits and never see a half-built one.

A writer (build, ingest) never changes ``reslens.db`` in place: it renames a finished copy
over it. A reader that holds the old file open keeps reading the old commit, consistently,
until it looks again. :func:`commit_id` is that look (one ``os.stat``), and
:func:`follows_commits` makes each public call of a reader object (the ``Library``) look first
and re-open what it reads when a new commit is there.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from reslens.errors import StoreError
from reslens.store.db import Store, is_damage

F = TypeVar("F", bound=Callable[..., Any])


def commit_id(path: Path) -> tuple[int, int, int, int] | None:
    """What changes when a new store is committed at ``path`` (a rename gives a new inode, a
    write in place a new mtime): (device, inode, mtime in ns, size); None when there is none."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


class Follower(Protocol):
    """What :func:`follows_commits` needs of the object whose methods it wraps."""

    store: Store
    _calls: Any  # a threading.local

    def _follow_commits(self) -> None: ...


def follows_commits(method: F) -> F:
    """A public call of a reader: the outermost call (per thread) first follows a new commit
    (``self._follow_commits()``); the calls it makes itself see the same commit throughout.
    A damaged store met on the way is a :class:`StoreError` that says how to repair it."""

    @wraps(method)
    def call(self: Follower, *args: Any, **kwargs: Any) -> Any:
        depth = getattr(self._calls, "depth", 0)
        if depth == 0:
            self._follow_commits()
        self._calls.depth = depth + 1
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            raise damage_error(self.store.path, exc) from exc
        finally:
            self._calls.depth = depth

    return cast(F, call)


def damage_error(path: Path, exc: Exception) -> StoreError:
    """The error of a damaged store: what SQLite said, and the repair."""
    return StoreError(f"{path} is damaged ({exc}); rebuild it with: reslens build")


__all__ = ["Follower", "commit_id", "damage_error", "follows_commits"]


def load_behind(lock: Any, load: Callable[[], object]) -> None:
    """Run ``load()`` in a new thread that holds ``lock`` (a reader's query model or vectors,
    loaded while the reader reads the rest), unless another thread holds it (and loads the
    same). An error there is left for the reader's own ``load()`` under ``lock`` to raise."""

    def run() -> None:
        if lock.acquire(blocking=False):
            try:
                load()
            except Exception:  # met again, and raised, by the reader
                pass
            finally:
                lock.release()

    threading.Thread(target=run, name="reslens-load").start()
