"""The world of the fault-injection tests, built once per session: two corpora, a clean index
of each, and what each index answers."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("faiss")

from tests.faults.harness import World, make_world


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path_factory.mktemp("fault-world"))


@pytest.fixture()
def index(world: World, tmp_path: Path) -> Path:
    """A copy of the clean index of the old corpus, for one test to damage or rebuild."""
    return world.fresh_index(tmp_path / "index")
