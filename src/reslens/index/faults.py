"""Named fault points of the writers: where a test stops a build on purpose.

The build calls :func:`fault_point` at a few named stages (``STAGES``). Normally that costs one
look-up of the environment. With ``RESLENS_FAULT=<stage>`` the process SIGKILLs itself when it
reaches that stage (a kill at a known moment, no sleeping and guessing); with
``RESLENS_FAULT=<stage>:wait`` it stops there until a line (or the end) arrives on its standard
input, so that a test can run a second build, a search or a library call against a build that
is half done. Either way the process first says where it is on standard error::

    reslens fault: killing the build at embedding (pid 4242)
    reslens fault: waiting at embedding (pid 4242)

The fault-injection tests in ``tests/faults/`` run ``reslens build`` with these variables.
"""

from __future__ import annotations

import os
import signal
import sys

ENV = "RESLENS_FAULT"

#: The stages of a build, in order, and what has happened when each is reached.
STAGES = {
    "reading": "worker processes are parsing files; the store copy is mid-transaction",
    "store": "every file is placed in the store copy, which is not committed",
    "embedding": "passages are written to the store copy; embedding starts",
    "vectors-write": "half of the new FAISS file is written under its temporary name",
    "vectors-rename": "the new FAISS file is in place; the store copy is not committed",
    "commit": "the store copy is committed and closed, not yet renamed over the store",
    "installed": "the new store is in place; stale vectors and manifest.json not yet tidied",
}


def fault_point(stage: str) -> None:
    """Kill this process (or wait) here when ``RESLENS_FAULT`` names ``stage``."""
    if stage not in STAGES:  # pragma: no cover - a typo in the code, not in the variable
        raise ValueError(f"unknown fault stage {stage!r}")
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, mode = wanted.partition(":")
    if name != stage:
        return
    pid = os.getpid()
    if mode == "wait":
        sys.stderr.write(f"reslens fault: waiting at {stage} (pid {pid})\n")
        sys.stderr.flush()
        sys.stdin.readline()
        return
    sys.stderr.write(f"reslens fault: killing the build at {stage} (pid {pid})\n")
    sys.stderr.flush()
    os.kill(pid, signal.SIGKILL)


__all__ = ["ENV", "STAGES", "fault_point"]
