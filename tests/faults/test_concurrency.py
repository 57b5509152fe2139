"""Writers and readers at the same time (issue 11, defects 2 and 7): a second build or an
ingest while a build runs is refused with the running build's pid; searches during a build
answer from the last commit; a library opened before a rebuild answers from the new index."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import reslens as rl
from reslens.errors import StoreError
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from tests.faults.harness import (
    Paused,
    World,
    answers,
    build_args,
    cli_env,
    integrity,
    leftovers,
    new_tag,
    run_build,
    survivors,
)


def test_a_second_build_is_refused_while_one_runs(world: World, index: Path) -> None:
    paused = Paused(world.new_corpus, index, "embedding")
    try:
        second = run_build(world.new_corpus, index)
        assert second.returncode == 1, second.stderr
        assert f"another build is running (pid {paused.pid})" in second.stderr
        assert "Traceback" not in second.stderr
        with pytest.raises(StoreError, match=rf"another build is running \(pid {paused.pid}\)"):
            build(world.new_corpus, index, workers=1, embedder=FakeEmbedder())
        code, _, err = paused.release()
    finally:
        paused.kill()
    assert code == 0, err
    assert integrity(index) == ["ok"]
    assert answers(index) == world.after
    assert leftovers(index) == []


def test_ingest_is_refused_while_a_build_runs(world: World, index: Path, tmp_path: Path) -> None:
    text = tmp_path / "S_RES_2300.txt"
    text.write_text(
        "S/RES/2300 (2016)\nThe Security Council,\n1. Decides to remain seized of the matter.\n",
        encoding="utf-8",
    )
    paused = Paused(world.new_corpus, index, "embedding")
    try:
        ingest = subprocess.run(
            [sys.executable, "-m", "reslens.views.cli", "ingest", str(text), "--index", str(index)],
            capture_output=True,
            text=True,
            env=cli_env(new_tag()),
            timeout=60,
            check=False,
        )
        assert ingest.returncode == 1, ingest.stderr
        assert f"another build is running (pid {paused.pid})" in ingest.stderr
        assert "Traceback" not in ingest.stderr
        code, _, err = paused.release()
    finally:
        paused.kill()
    assert code == 0, err
    assert answers(index) == world.after


def test_searches_during_a_build_answer_from_the_last_commit(world: World, index: Path) -> None:
    early = rl.open(index)  # opened before the build, used before, during and after it
    assert answers(early) == world.before
    paused = Paused(world.new_corpus, index, "embedding")
    try:
        assert answers(early) == world.before
        assert answers(index) == world.before  # a library opened during the build
        code, _, err = paused.release()
    finally:
        paused.kill()
    assert code == 0, err
    assert answers(early) == world.after
    assert answers(index) == world.after


def test_a_library_follows_the_commit_while_the_build_tidies_up(world: World, index: Path) -> None:
    """Paused after the new store is in place, before the old vectors file is deleted: a
    library opened before answers from the new commit, and still does once the file is gone."""
    early = rl.open(index)
    assert answers(early) == world.before
    paused = Paused(world.new_corpus, index, "installed")
    try:
        assert answers(early) == world.after
        assert answers(index) == world.after
        code, _, err = paused.release()
    finally:
        paused.kill()
    assert code == 0, err
    assert len(list(index.glob("vectors-*.faiss"))) == 1
    assert answers(early) == world.after


def test_a_library_opened_before_a_rebuild_answers_from_the_new_index(
    world: World, index: Path
) -> None:
    """Defect 7: the build deletes the old vectors file; a long-lived library (a notebook)
    whose semantic index was not loaded yet used to fail with advice to rebuild."""
    unloaded = rl.open(index)
    assert len(unloaded.search("ceasefire", k=3, mode="lexical")) == 3  # vectors not loaded
    loaded = rl.open(index)
    assert answers(loaded) == world.before  # vectors loaded
    build(world.new_corpus, index, workers=1, embedder=FakeEmbedder())
    assert answers(unloaded) == world.after
    assert answers(loaded) == world.after


def test_two_builds_started_together_leave_one_sound_index(world: World, index: Path) -> None:
    """Whichever build takes the index first runs; the other ends at once with the message
    (or, when the first has finished, runs after it). Never a traceback or a damaged store."""
    tags = [new_tag(), new_tag()]
    procs = [
        subprocess.Popen(
            build_args(world.new_corpus, index),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(tag),
        )
        for tag in tags
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    results = [(p.returncode, out, err) for p, (out, err) in zip(procs, outputs, strict=True)]
    for code, _, err in results:
        assert "Traceback" not in err
        assert code == 0 or (code == 1 and "another build is running (pid " in err), err
    assert 0 in [code for code, _, _ in results]
    assert all(survivors(tag) == [] for tag in tags)
    assert integrity(index) == ["ok"]
    assert answers(index) == world.after
    assert leftovers(index) == []


def test_a_library_follows_a_commit_that_lands_while_it_loads_the_vectors(
    world: World, index: Path
) -> None:
    """The vectors file named by the store a library checked is deleted by a commit before the
    library reads it: the library follows that commit instead of failing."""
    lib = rl.open(index)
    assert len(lib.search("ceasefire", k=3, mode="lexical")) == 3
    build(world.new_corpus, index, workers=1, embedder=FakeEmbedder())
    old = lib.manifest
    semantic = lib._semantic_index()  # not a public call: nothing looked for the commit first
    assert lib.manifest is not None and old is not None
    assert lib.manifest.vectors_file != old.vectors_file
    assert int(semantic.index.ntotal) == lib.manifest.passages
    assert answers(lib) == world.after


def test_a_library_follows_a_rebuild_with_another_model(world: World, index: Path) -> None:
    lib = rl.open(index)  # its query model comes from the manifest
    assert len(lib.search("ceasefire", k=3, mode="semantic")) == 3
    given = rl.open(index, embedder=FakeEmbedder())  # its query model was given
    build(world.old_corpus, index, workers=1, embedder=FakeEmbedder(32), rebuild_vectors=True)
    hits = lib.search("ceasefire", k=3, mode="semantic")
    assert len(hits) == 3 and lib.embedder.dimension == 32
    with pytest.raises(StoreError, match="built with reslens/fake-32, not reslens/fake-64"):
        given.search("ceasefire", k=3, mode="semantic")
