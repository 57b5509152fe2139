"""The HNSW index path (``build(index_type="hnsw")``): search with and without filters,
``similar`` and ``evolution`` give what the exact flat index gives on a mini corpus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("faiss")

import faiss

import reslens as rl
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.index.vectors import MANIFEST, Manifest
from tests.minicorpus import akn, write_corpus

RES_2020 = akn(
    2020,
    2013,
    "2013-06-01",
    [
        '<span class="italic">Decides</span> that the Secretary-General shall report on '
        "trafficking in persons, recalling resolution 2002 (2011);",
        '<span class="italic">Welcomes</span> the work of the fishing fleet on the lakes;',
        '<span class="italic">Decides</span> to remain seized of the matter.',
    ],
    ['<span class="italic">Recalling</span> its resolution 2002 (2011),'],
)

QUERIES = [
    "report on trafficking in persons in armed conflict",
    "remain seized of the matter",
    "fishing fleet on the lakes",
    "Member States to collect data",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_corpus(tmp_path_factory.mktemp("hnsw") / "corpus")
    folder = root / "unxml-scresolutions" / "Pre-2020" / "2013"
    folder.mkdir()
    (folder / "S_RES_2020_1300001E.xml").write_text(RES_2020, encoding="utf-8")
    return root


def _library(corpus: Path, index_type: str) -> rl.Library:
    index = corpus.parent / index_type
    build(corpus, index, workers=1, embedder=FakeEmbedder(), index_type=index_type)
    return rl.open(index, embedder=FakeEmbedder())


@pytest.fixture(scope="module")
def hnsw(corpus: Path) -> rl.Library:
    return _library(corpus, "hnsw")


@pytest.fixture(scope="module")
def flat(corpus: Path) -> rl.Library:
    return _library(corpus, "flat")


def keys(hits: pd.DataFrame) -> list[str]:
    return list(hits["key"])


def ranked(hits: pd.DataFrame) -> list[str]:
    """The keys best first, runs of equal scores in key order: paragraphs of the same text
    (the closing "remain seized" paragraphs) tie, and two indexes may order ties differently."""
    out: list[str] = []
    run: list[str] = []
    last = None
    for score, key in zip(hits["score"], hits["key"], strict=True):
        if last is not None and abs(float(score) - last) > 1e-4:
            out.extend(sorted(run))
            run = []
        run.append(str(key))
        last = float(score)
    return out + sorted(run)


def same_hits(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """The same paragraphs in the same order (up to ties) with the same scores."""
    assert ranked(got) == ranked(want)
    np.testing.assert_allclose(got["score"], want["score"], atol=1e-5)


def test_the_index_is_hnsw(hnsw: rl.Library) -> None:
    manifest = Manifest.from_json((hnsw.index_dir / MANIFEST).read_text(encoding="utf-8"))
    assert manifest.index_type == "hnsw" and manifest.passages > 10
    files = list(hnsw.index_dir.glob("vectors-*.faiss"))
    assert [f.name for f in files] == [manifest.vectors_file]
    assert manifest.vectors_file.startswith("vectors-hnsw-")
    semantic = hnsw._semantic_index()
    assert isinstance(semantic.index, faiss.IndexHNSW)
    assert semantic._matrix is None  # the FAISS search path, not the flat matrix product
    assert int(semantic.index.ntotal) == manifest.passages


def test_rebuilding_as_flat_replaces_the_hnsw_file(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(corpus, index, workers=1, embedder=FakeEmbedder(), index_type="hnsw")
    build(corpus, index, workers=1, embedder=FakeEmbedder(), index_type="flat")
    assert [p.name.split("-")[1] for p in index.glob("vectors-*.faiss")] == ["flat"]


@pytest.mark.parametrize("query", QUERIES)
def test_semantic_search_matches_the_flat_index(
    hnsw: rl.Library, flat: rl.Library, query: str
) -> None:
    got = hnsw.search(query, k=5, mode="semantic")
    want = flat.search(query, k=5, mode="semantic")
    assert len(got) == 5
    same_hits(got, want)


def test_semantic_search_finds_the_paragraph(hnsw: rl.Library) -> None:
    hits = hnsw.search("report on trafficking in persons in armed conflict", k=3, mode="semantic")
    assert hits.iloc[0]["key"] == "2001:op1"
    hits = hnsw.search("fishing fleet on the lakes", k=1, mode="semantic")
    assert keys(hits) == ["2020:op2"]


@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
@pytest.mark.parametrize(
    "filters",
    [
        {"since": 2011, "until": 2011},
        {"resolutions": [2020]},
        {"exclude_resolutions": [2001, 2002]},
        {"verbs": ["decides"]},
        {"kind": "preambular"},
    ],
    ids=["year", "resolutions", "exclude", "verbs", "kind"],
)
def test_filtered_search_matches_the_flat_index(
    hnsw: rl.Library, flat: rl.Library, mode: str, filters: dict[str, Any]
) -> None:
    query = "the Secretary-General shall report on trafficking in persons"
    got = hnsw.search(query, k=50, mode=mode, **filters)
    want = flat.search(query, k=50, mode=mode, **filters)
    everything = flat.search(query, k=50, mode=mode)
    assert 0 < len(got) < len(everything)
    if mode == "semantic":
        same_hits(got, want)
    else:  # fused ranks: the same paragraphs, ties broken by either side
        assert sorted(keys(got)) == sorted(keys(want))


def test_a_filter_keeps_k_hits_when_the_best_are_excluded(
    hnsw: rl.Library, flat: rl.Library
) -> None:
    query = "report on trafficking in persons in armed conflict"
    best = flat.search(query, k=3, mode="semantic")
    excluded = sorted({int(k.split(":")[0]) for k in best["key"]})
    got = hnsw.search(query, k=3, mode="semantic", exclude_resolutions=excluded)
    assert len(got) == 3
    assert not {int(k.split(":")[0]) for k in got["key"]} & set(excluded)
    same_hits(got, flat.search(query, k=3, mode="semantic", exclude_resolutions=excluded))
    assert hnsw.search(query, k=3, mode="semantic", resolutions=[4242]).empty


def test_similar(hnsw: rl.Library, flat: rl.Library) -> None:
    hits = hnsw.similar("2001:3", k=5)
    assert "2001:op3" not in set(hits["key"])
    assert set(hits["key"][:2]) == {"2002:op2", "2020:op3"}  # the same closing paragraph
    same_hits(hits, flat.similar("2001:3", k=5))
    other = hnsw.similar("2001:3", k=5, exclude_own_resolution=True)
    assert len(other) == 5 and not other["key"].str.startswith("2001:").any()
    same_hits(other, flat.similar("2001:3", k=5, exclude_own_resolution=True))


def test_evolution_matches_the_flat_index(hnsw: rl.Library, flat: rl.Library) -> None:
    got = hnsw.evolution("trafficking in persons", threshold=0.3)
    want = flat.evolution("trafficking in persons", threshold=0.3)
    assert {"2001:op1", "2002:op1", "2020:op1"} <= set(got.paragraphs["key"])
    same_hits(got.paragraphs, want.paragraphs)
    pd.testing.assert_frame_equal(got.table, want.table)
    assert list(got.table.index) == [2010, 2011, 2012, 2013]


class _NoRangeSearch:
    """An index without range search (as HNSW was in older FAISS): the rest is delegated."""

    def __init__(self, index: Any) -> None:
        self._index = index

    def range_search(self, *_args: Any) -> Any:
        raise RuntimeError("range search not implemented for this type of index")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._index, name)


@pytest.mark.parametrize("query", ["trafficking in persons", "2001:op3"])
@pytest.mark.parametrize("threshold", [0.1, 0.3, 0.4])
def test_evolution_falls_back_to_a_widened_top_k(
    hnsw: rl.Library,
    flat: rl.Library,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    threshold: float,
) -> None:
    """Where the index has no range search, evolution widens a top-k search instead and
    finds the same paragraphs as the exact range search of the flat index."""
    semantic = hnsw._semantic_index()
    monkeypatch.setattr(semantic, "index", _NoRangeSearch(semantic.index))
    with pytest.raises(RuntimeError):
        semantic.index.range_search(np.zeros((1, 64), np.float32), 0.5)
    got = hnsw.evolution(query, threshold=threshold)
    want = flat.evolution(query, threshold=threshold)
    assert len(got.paragraphs) >= 2
    same_hits(got.paragraphs, want.paragraphs)
    pd.testing.assert_frame_equal(got.table, want.table)
