"""The search's precomputed arrays: filter masks mean what the SQL filter means, BM25 postings
score as BM25 does, the set is written by the build into the store, recomputed when stale, and
the fp16 scan returns what the exhaustive product returns."""

from __future__ import annotations

import functools
import itertools
import math
import re
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("faiss")

import reslens as rl
from reslens.index import search_arrays
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.language.tokens import stems
from reslens.search.filters import make_filters
from reslens.search.lexical import Bm25
from reslens.search.masks import Masks
from reslens.search.semantic import SCAN_AFTER
from reslens.store.arrays import BLOCK_MARK, arrays_stamp, read_array
from reslens.store.db import DB_NAME, Store
from reslens.store.queries import allowed_paragraphs
from tests.minicorpus import write_corpus


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("arrays")
    corpus = write_corpus(root / "corpus")
    build(corpus, root / "index", workers=1, embedder=FakeEmbedder())
    return root / "index"


@pytest.fixture(scope="module")
def lib(index: Path) -> rl.Library:
    return rl.open(index, embedder=FakeEmbedder())


FILTERS = [
    {"since": 2011},
    {"until": 2010, "kind": "operative"},
    {"kind": "preambular"},
    {"verbs": ["requests"]},
    {"verbs": ["decides", "calls upon"], "min_strength": 4},
    {"min_strength": 5},
    {"subjects": ["peace"]},
    {"resolutions": [2001, "S/RES/2002 (2011)"]},
    {"exclude_resolutions": [2001]},
    {"chapter_vii": True},
    {"chapter_vii": False, "since": 1946, "until": 2011},
    {"exclude": ["2001:op1", "2002:pp1"]},
]


@pytest.mark.parametrize("given", FILTERS, ids=lambda f: ",".join(f))
def test_masks_mean_what_the_sql_means(lib: rl.Library, given: dict[str, object]) -> None:
    masks = Masks(lib.store, search_arrays.load(lib.store))
    filters = make_filters(**given)  # type: ignore[arg-type]
    mask = masks.mask(filters)
    assert mask is not None
    assert {int(p) for p in masks.pid[mask]} == allowed_paragraphs(lib.store, filters)
    assert masks.mask(filters) is mask  # the second ask comes from the cache


def test_no_filter_is_no_mask(lib: rl.Library) -> None:
    masks = Masks(lib.store, search_arrays.load(lib.store))
    assert masks.mask(make_filters()) is None
    with pytest.raises(ValueError, match="English"):
        masks.mask(make_filters(language="fr"))


def test_bm25_scores_are_bm25(lib: rl.Library) -> None:
    """Recompute BM25 by hand from the texts and compare with the postings' scores."""
    rows = lib.store.conn.execute(
        "SELECT id, text FROM paragraphs WHERE language = 'en' ORDER BY id"
    ).fetchall()
    docs = [Counter(stems(text)) for _, text in rows]
    n = len(docs)
    average = sum(sum(d.values()) for d in docs) / n
    query = "Requests the Secretary-General to report on trafficking"
    terms = set(stems(query))
    expected = []
    for doc in docs:
        score = 0.0
        for term in terms:
            df = sum(1 for d in docs if term in d)
            if term not in doc:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = doc[term]
            length = sum(doc.values())
            score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / average))
        expected.append(score)
    bm25 = Bm25(search_arrays.load(lib.store), functools.partial(read_array, lib.store))
    got = bm25.scores(bm25.terms(query))
    assert got is not None
    assert got == pytest.approx(np.asarray(expected), rel=1e-5)
    hits = bm25.search(query, 3, None)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert bm25.search("zzzunknownword", 3, None) == []


def test_postings_in_small_blocks_score_as_in_one(
    lib: rl.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = search_arrays.compute(lib.store)
    monkeypatch.setattr(search_arrays, "BLOCK", 7)
    small = search_arrays.compute(lib.store)
    assert len(small["term_blocks"]) > 5 and len(one["term_blocks"]) == 1
    whole, cut = Bm25(one), Bm25(small)
    for term in range(len(search_arrays.strings(one["term_vocab"]))):
        rows, weights = cut.postings(term)
        assert np.array_equal(rows, whole.postings(term)[0])
        assert np.array_equal(weights, whole.postings(term)[1])
        assert list(rows) == sorted(rows)


def test_a_weight_computed_from_a_text_is_the_stored_one(lib: rl.Library) -> None:
    """What query expansion computes from its feedback texts, without reading postings."""
    bm25 = Bm25(search_arrays.load(lib.store), functools.partial(read_array, lib.store))
    row_of = {int(p): i for i, p in enumerate(bm25.pid)}
    checked = 0
    for pid, text in lib.store.conn.execute(
        "SELECT id, text FROM paragraphs WHERE language = 'en'"
    ):
        counts = Counter(stems(text))
        for word, tf in counts.items():
            term = bm25.term(word)
            assert term is not None
            rows, weights = bm25.postings(term)
            at = int(np.searchsorted(rows, row_of[pid]))
            assert bm25.weight(term, tf, sum(counts.values())) == float(weights[at])
            checked += 1
    assert checked >= 60  # every posting of the mini corpus


def test_the_build_stores_the_arrays_and_a_stale_set_is_not_read(
    index: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "index"
    shutil.copytree(index, copy)
    with Store.open(copy / DB_NAME) as store:
        stamp = search_arrays.stamp(store)
        assert arrays_stamp(store) == stamp  # written by the build
        stored = search_arrays.load(store)
        fresh = search_arrays.compute(store)
        blocks = {name for name in fresh if BLOCK_MARK in name}  # left in the store
        assert blocks and stored.keys() == fresh.keys() - blocks
        for name in fresh:
            value = stored[name] if name in stored else read_array(store, name)
            assert np.array_equal(value, fresh[name]), name
    with Store.create(copy / DB_NAME) as store:  # an ingest-like change of the paragraphs
        store.conn.execute("DELETE FROM paragraphs WHERE key = '2001:op1'")
        store.conn.commit()
        assert search_arrays.stamp(store) != arrays_stamp(store)
        loaded = search_arrays.load(store)  # computed again, not read
        assert len(loaded["pid"]) == len(stored["pid"]) - 1
        assert search_arrays.refresh(store) is True
        assert search_arrays.refresh(store) is False


def test_the_fp16_scan_returns_the_exhaustive_hits(lib: rl.Library) -> None:
    semantic = lib._semantic_index()
    queries = lib.encode(["trafficking in persons", "remain seized", "report within days"])
    for query, k in itertools.product(queries, (1, 3, 10)):
        exhaustive = semantic._search_matrix(query[None, :], k, None)
        semantic._searches = SCAN_AFTER  # the next search builds and uses the scan
        scanned = semantic.search(query[None, :], k, None)
        assert semantic._scan is not None
        assert [p for p, _, _ in scanned[0]] == [p for p, _, _ in exhaustive[0]]
        assert [s for _, s, _ in scanned[0]] == pytest.approx([s for _, s, _ in exhaustive[0]])


def test_expansion_adds_feedback_stems_and_keeps_the_query(lib: rl.Library) -> None:
    plain = lib.search("trafficking", k=5, mode="lexical")
    expanded = lib.search("trafficking", k=5, mode="lexical", expand=True)
    assert len(expanded) >= len(plain) > 0
    assert set(plain["key"][:1]) <= set(expanded["key"])
    bm25 = Bm25(search_arrays.load(lib.store), functools.partial(read_array, lib.store))
    texts = dict(
        lib.store.conn.execute(
            "SELECT id, text FROM paragraphs WHERE language = 'en' ORDER BY id"
        ).fetchall()
    )
    rows = {bm25.rows([pid])[0]: text for pid, text in texts.items()}  # every paragraph
    extra = bm25.feedback_terms(rows, bm25.terms("trafficking"), 3, 0.5)
    assert 0 < len(extra) <= 3 and max(extra.values()) == pytest.approx(0.5)
    assert not set(extra) & set(bm25.terms("trafficking"))
    # the weights summed are the stored postings': one stem by hand
    term = next(iter(extra))
    total = float(bm25.postings(term)[1].sum())  # every row is a feedback row here
    strongest = max(extra, key=lambda t: extra[t])
    top = float(bm25.postings(strongest)[1].sum())
    assert extra[term] == pytest.approx(0.5 * total / top)


def test_stop_word_queries_are_refused_in_every_mode(lib: rl.Library) -> None:
    for mode in ("semantic", "lexical", "hybrid"):
        with pytest.raises(rl.ReslensError, match=re.escape("only stop words")):
            lib.search("of the and", mode=mode)


def test_the_cli_takes_expand_flags(index: Path) -> None:
    from click.testing import CliRunner

    from reslens.views.cli import main

    for flag in ("--expand", "--no-expand"):
        result = CliRunner().invoke(
            main,
            ["search", "trafficking", "-k", "2", "--mode", "lexical", flag, "--index", str(index)],
        )
        assert result.exit_code == 0, result.output
        assert " 1. " in result.output
