"""Worker processes that die with the build that started them.

A ``ProcessPoolExecutor`` worker whose parent is killed does not notice: it finishes the work
it holds and then waits for more, forever. :func:`worker_pool` gives each worker an
initializer that asks the kernel to SIGKILL it when its parent dies
(``prctl(PR_SET_PDEATHSIG)``, Linux) or, where that is not available, starts a thread that
ends the worker once its parent has gone. The initializer also closes the worker's inherited
copy of the writer lock (:mod:`reslens.index.lock`), so that a worker never holds an index
directory's lock for a dead build.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from reslens.index.lock import forget_inherited_locks

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.5


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process."""
    context = multiprocessing.get_context()
    # Forked workers are children of this process; spawned ones may be children of a fork
    # server, and then their parent is whoever they find at start.
    parent = os.getpid() if context.get_start_method() == "fork" else 0
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(parent,)
    )


def _start_worker(parent: int) -> None:
    forget_inherited_locks()
    die_with_parent(parent or os.getppid())


def die_with_parent(parent: int) -> None:
    """End this process when its parent ``parent`` dies (now, if it already has)."""
    if not _parent_death_signal(signal.SIGKILL):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the kernel was asked to tell us
        os._exit(1)


def _parent_death_signal(signum: int) -> bool:
    """Ask the kernel for ``signum`` when the parent dies; False where it cannot be asked."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)


__all__ = ["die_with_parent", "worker_pool"]
