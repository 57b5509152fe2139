"""Worker processes die with their parent (issue 11, defect 8), by the kernel's parent-death
signal or, where there is none, by a watching thread; and never keep the writer lock alive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reslens.index.lock import forget_inherited_locks, writer_lock
from tests.faults.harness import cli_env, new_tag, survivors, tagged_processes

FAMILY = textwrap.dedent(
    """
    import os, sys, time
    from reslens.index import workers
    if sys.argv[1] == "fallback":
        workers._parent_death_signal = lambda signum: False
    pid = os.fork()
    if pid == 0:
        workers.die_with_parent(os.getppid())
        print(os.getpid(), flush=True)
        time.sleep(60)
        os._exit(0)
    time.sleep(60)
    """
)


@pytest.mark.parametrize("how", ["prctl", "fallback"])
def test_a_worker_dies_with_its_parent(how: str) -> None:
    tag = new_tag()
    parent = subprocess.Popen(
        [sys.executable, "-c", FAMILY, how],
        stdout=subprocess.PIPE,
        text=True,
        env=cli_env(tag),
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert sorted(tagged_processes(tag)) == sorted([parent.pid, child])
        parent.kill()
        parent.wait(timeout=10)
        started = time.monotonic()
        assert survivors(tag) == []
        assert time.monotonic() - started < 5
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.wait(timeout=10)
        if parent.stdout is not None:
            parent.stdout.close()


def test_a_forked_worker_does_not_keep_the_lock(tmp_path: Path) -> None:
    ready, told = os.pipe()
    with writer_lock(tmp_path, "build"):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            forget_inherited_locks()
            os.write(told, b"x")
            time.sleep(30)
            os._exit(0)
        os.read(ready, 1)
    try:
        with writer_lock(tmp_path, "build"):  # the child's copy of the lock is closed
            pass
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(ready)
        os.close(told)
