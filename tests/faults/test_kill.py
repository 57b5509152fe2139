"""SIGKILL a build at every stage, then build again (issue 11, defects 1 and 8).

After each kill the store passes ``PRAGMA integrity_check``, the index answers what it answered
before (or, once the new store is in place, what a clean build of the new corpus answers), and
no process of the killed build is left. The next ``reslens build`` exits 0, leaves a sound store
that answers exactly like a clean build, and no leftovers.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from reslens.index.faults import STAGES
from tests.faults.harness import (
    Paused,
    World,
    answers,
    integrity,
    leftovers,
    new_tag,
    run_build,
    survivors,
    tagged_processes,
)

#: Stages after which the new store is the live one.
COMMITTED = {"installed"}


@pytest.mark.parametrize("stage", list(STAGES))
def test_kill_at_every_stage_then_build_again(world: World, index: Path, stage: str) -> None:
    tag = new_tag()
    killed = run_build(world.new_corpus, index, fault=stage, tag=tag)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert f"killing the build at {stage}" in killed.stderr
    assert survivors(tag) == []
    assert integrity(index) == ["ok"]
    assert answers(index) == (world.after if stage in COMMITTED else world.before)

    again = run_build(world.new_corpus, index)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert integrity(index) == ["ok"]
    assert answers(index) == world.after
    assert leftovers(index) == []
    assert len(list(index.glob("vectors-*.faiss"))) == 1


def test_killing_a_build_kills_its_workers(world: World, index: Path) -> None:
    """Defect 8: the parsing processes of a killed build die with it (they used to run on,
    then wait for work forever)."""
    paused = Paused(world.new_corpus, index, "reading", "--rebuild")  # every file to read
    try:
        family = tagged_processes(paused.tag)
        assert paused.pid in family and len(family) >= 2, family  # the build and its workers
        paused.kill()
        assert survivors(paused.tag) == []
    finally:
        paused.kill()
    assert integrity(index) == ["ok"]
    assert answers(index) == world.before
