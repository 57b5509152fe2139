"""Shared fixtures. The real corpus is found at $RESLENS_CORPUS or ../shared/corpus.

Tests marked ``corpus`` skip when no corpus is present, unless RESLENS_REQUIRE_CORPUS=1 (CI sets
it), in which case a missing corpus is an error: CI must never pass by skipping the real data.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _find_corpus() -> Path | None:
    env = os.environ.get("RESLENS_CORPUS")
    candidates = [Path(env)] if env else []
    candidates += [ROOT.parent / "shared" / "corpus", ROOT / "corpus"]
    for path in candidates:
        if (path / "unxml-scresolutions").is_dir():
            return path
    return None


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The root of the real corpus (holding unxml-scresolutions/ and cr-unsc-gold/)."""
    found = _find_corpus()
    if found is None:
        if os.environ.get("RESLENS_REQUIRE_CORPUS") == "1":
            pytest.fail("the real corpus is required (RESLENS_REQUIRE_CORPUS=1) but was not found")
        pytest.skip("no corpus: set RESLENS_CORPUS or place it at ../shared/corpus")
    return found


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """../shared/seed (the PDF-extracted page of S/RES/2331)."""
    env = os.environ.get("RESLENS_SEED")
    path = Path(env) if env else ROOT.parent / "shared" / "seed"
    if not path.is_dir():
        if os.environ.get("RESLENS_REQUIRE_CORPUS") == "1":
            pytest.fail("the seed directory is required but was not found")
        pytest.skip("no seed directory")
    return path


@pytest.fixture(scope="session")
def real_build(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """(index directory, build report) of the whole real corpus, built once per session."""
    from reslens.index.build import build

    index = tmp_path_factory.mktemp("real-index")
    report = build(corpus_dir, index, vectors=False)
    return index, report


SEARCH_YEARS = ("2016", "2017")


@pytest.fixture(scope="session")
def real_search_index(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real (partial) index: the English resolutions of 2016–2017 (S/RES/2260–2398, with
    2331 and 2388) and CR-UNSC 1946, embedded with the real default model."""
    pytest.importorskip("faiss")
    from reslens.index.build import build

    root = tmp_path_factory.mktemp("real-search")
    corpus = root / "corpus"
    for year in SEARCH_YEARS:
        target = corpus / "unxml-scresolutions" / "Pre-2020" / year
        target.mkdir(parents=True)
        for path in (corpus_dir / "unxml-scresolutions" / "Pre-2020" / year).glob("*.xml"):
            (target / path.name).symlink_to(path.resolve())
    (corpus / "unxml-scresolutions" / "data_extract").symlink_to(
        (corpus_dir / "unxml-scresolutions" / "data_extract").resolve()
    )
    gold = corpus / "cr-unsc-gold" / "data" / "res_en_gold"
    gold.mkdir(parents=True)
    for path in (corpus_dir / "cr-unsc-gold" / "data" / "res_en_gold").glob("*_1946_*.txt"):
        (gold / path.name).symlink_to(path.resolve())
    index = root / "index"
    build(corpus, index, vectors=True)
    return index
