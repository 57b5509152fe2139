"""Search over a mini corpus with the deterministic fake embedder: modes, filters, batches,
similar, persistence, atomicity, corruption and model mismatch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("faiss")

import reslens as rl
from reslens.errors import ReslensError, StoreError
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.index.vectors import MANIFEST
from reslens.search.lexical import fts_query
from reslens.search.results import SEARCH_COLUMNS, highlight
from tests.minicorpus import akn, write_corpus

LONG = (
    '<span class="italic">Decides</span> that the mission shall have the following mandate: '
    + " ".join(
        f"to support the parties in sector {i} with logistics and liaison;" for i in range(40)
    )
    + " and to monitor the release of detained fishermen on the northern lakes;"
)


@pytest.fixture()
def index(tmp_path: Path) -> Path:
    corpus = write_corpus(tmp_path / "corpus")
    extra = corpus / "unxml-scresolutions" / "Pre-2020" / "2012"
    extra.mkdir()
    (extra / "S_RES_2010_1200001E.xml").write_text(
        akn(2010, 2012, "2012-03-01", [LONG, "Requests the Secretary-General to report."], []),
        encoding="utf-8",
    )
    out = tmp_path / "index"
    build(corpus, out, workers=1, embedder=FakeEmbedder())
    return out


@pytest.fixture()
def lib(index: Path) -> rl.Library:
    return rl.open(index, embedder=FakeEmbedder())


def test_index_directory_is_readable(index: Path) -> None:
    manifest = (index / MANIFEST).read_text(encoding="utf-8")
    assert '"model": "reslens/fake-64"' in manifest and '"dimension": 64' in manifest
    assert len(list(index.glob("vectors-flat-*.faiss"))) == 1
    assert not list(index.glob("*.pkl")) and not list(index.glob("*.building"))


@pytest.mark.parametrize("mode", ["semantic", "lexical", "hybrid"])
def test_modes_find_the_paragraph(lib: rl.Library, mode: str) -> None:
    hits = lib.search("report on trafficking in persons in armed conflict", k=3, mode=mode)
    assert list(hits.columns) == SEARCH_COLUMNS
    assert hits.iloc[0]["key"] == "2001:op1"
    assert list(hits["rank"]) == list(range(1, len(hits) + 1))


def test_filters_apply_inside_the_search(lib: rl.Library) -> None:
    every = lib.search("remain seized of the matter", k=50, mode="semantic")
    assert len(every) > 6
    only_2011 = lib.search("remain seized of the matter", k=2, since=2011, until=2011)
    assert len(only_2011) == 2 and set(only_2011["year"]) == {2011}
    requests = lib.search("report", k=5, verbs=["requests"], mode="semantic")
    assert len(requests) >= 1 and all("requests" in v for v in requests["verbs"])
    strong = lib.search("report", k=20, min_strength=5, mode="hybrid")
    assert set(strong["strength"]) == {5}
    pre = lib.search("resolution", k=20, kind="preambular", mode="lexical")
    assert set(pre["kind"]) == {"preambular"}
    assert (
        lib.search("report", k=5, resolutions=["S/RES/2002 (2011)"])["key"]
        .str.startswith("2002:")
        .all()
    )


def test_batch_queries(lib: rl.Library) -> None:
    hits = lib.search(["trafficking in persons", "remain seized"], k=2, mode="semantic")
    assert list(hits["query"]) == ["trafficking in persons"] * 2 + ["remain seized"] * 2
    one = lib.search("trafficking in persons", k=2, mode="semantic")
    assert list(one["key"]) == list(hits["key"][:2])


def test_precomputed_embeddings_skip_the_model(
    lib: rl.Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The semantic side follows the embeddings passed in, not the query text, and never
    runs the model: the vectors of query B with the text of query A give B's hits."""
    text_a = "remain seized of the matter"
    text_b = "release of detained fishermen on the northern lakes"
    hits_a = lib.search(text_a, k=3, mode="semantic")
    hits_b = lib.search(text_b, k=3, mode="semantic")
    all_a = lib.search(text_a, k=50, mode="semantic").set_index("key")["semantic_score"]
    all_b = lib.search(text_b, k=50, mode="semantic").set_index("key")["semantic_score"]
    assert hits_b.iloc[0]["key"] == "2010:op1"
    assert not set(hits_a["key"]) & set(hits_b["key"])  # the two queries find other things
    vectors_b = FakeEmbedder().encode([text_b])

    def no_model(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the model was asked to embed a query")

    monkeypatch.setattr(lib, "encode", no_model)
    monkeypatch.setattr(lib, "cached_encode", no_model)
    monkeypatch.setattr(FakeEmbedder, "encode", no_model)
    got = lib.search(text_a, k=3, mode="semantic", embeddings=vectors_b)
    assert list(got["key"]) == list(hits_b["key"])
    assert list(got["semantic_score"]) == list(hits_b["semantic_score"])
    assert set(got["query"]) == {text_a}  # the table still names the query asked
    # a batch: one row of embeddings per query, in order
    batch = lib.search(
        [text_a, text_b], k=3, mode="semantic", embeddings=np.vstack([vectors_b, vectors_b])
    )
    assert list(batch["key"]) == list(hits_b["key"]) * 2
    with pytest.raises(ReslensError, match="1 embeddings for 2 queries"):
        lib.search([text_a, text_b], k=3, mode="semantic", embeddings=vectors_b)
    # hybrid: the semantic side scores with the embeddings (the lexical side reads the text)
    hybrid = lib.search(text_a, k=3, mode="hybrid", embeddings=vectors_b)
    assert len(hybrid) == 3
    for key, score in zip(hybrid["key"], hybrid["semantic_score"], strict=True):
        assert score == all_b[key] and score != all_a[key], key


def test_long_paragraph_found_by_a_deep_phrase(lib: rl.Library) -> None:
    assert len(lib.paragraph("2010:1").text.split()) > 400
    hits = lib.search("release of detained fishermen on the northern lakes", k=1, mode="semantic")
    assert hits.iloc[0]["key"] == "2010:op1"
    assert "fishermen" in hits.iloc[0]["passage"] and len(hits.iloc[0]["passage"].split()) <= 150


def test_lexical_hits_are_highlighted(lib: rl.Library) -> None:
    hits = lib.search("trafficking", k=1, mode="lexical")
    assert "[trafficking]" in hits.iloc[0]["highlight"]
    assert highlight("Requests the reports", "report") == "Requests the [reports]"
    assert fts_query('"armed conflict" of the data') == '"armed conflict" OR "data"'


def test_similar_excludes_itself_and_optionally_its_resolution(lib: rl.Library) -> None:
    hits = lib.similar("2001:3", k=5)
    assert "2001:op3" not in set(hits["key"])
    assert hits.iloc[0]["key"] == "2002:op2"  # the same closing paragraph
    other = lib.similar("2001:3", k=5, exclude_own_resolution=True)
    assert not other["key"].str.startswith("2001:").any()


def test_errors(lib: rl.Library, index: Path) -> None:
    with pytest.raises(ReslensError, match="mode"):
        lib.search("x", mode="fuzzy")
    with pytest.raises(ReslensError, match="empty"):
        lib.search("  ")
    with pytest.raises(ReslensError, match="no vectors for language"):
        lib.search("x", language="fr", mode="semantic")
    with pytest.raises(StoreError, match="built with reslens/fake-64"):
        rl.open(index, model="sentence-transformers/all-MiniLM-L6-v2")


def test_corrupted_vectors_file_is_a_clear_error(index: Path) -> None:
    vectors = next(index.glob("vectors-*.faiss"))
    vectors.write_bytes(vectors.read_bytes()[:100])
    with pytest.raises(StoreError, match=r"corrupted.*reslens build"):
        rl.open(index, embedder=FakeEmbedder()).search("x", mode="semantic")
    vectors.unlink()
    with pytest.raises(StoreError, match="missing"):
        rl.open(index, embedder=FakeEmbedder()).search("x", mode="semantic")


def test_adding_a_resolution_embeds_only_its_text(index: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    new = corpus / "unxml-scresolutions" / "Pre-2020" / "2012" / "S_RES_2011_1200002E.xml"
    new.write_text(
        akn(2011, 2012, "2012-04-01", ["Urges the parties to protect fishing villages."], []),
        encoding="utf-8",
    )
    said: list[str] = []
    report = build(corpus, index, workers=1, embedder=FakeEmbedder(), progress=said.append)
    assert report.read == 1
    assert any(line.endswith("1 to embed with reslens/fake-64") for line in said), said
    lib = rl.open(index, embedder=FakeEmbedder())
    assert lib.search("protect fishing villages", k=1, mode="semantic").iloc[0]["key"] == (
        "2011:op1"
    )
    assert len(list(index.glob("vectors-*.faiss"))) == 1  # the old file was removed


KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from reslens.index.build import build
    from reslens.index.embedders import FakeEmbedder

    class Slow(FakeEmbedder):
        def _encode_batch(self, texts):
            print("embedding", flush=True)
            time.sleep(30)
            return super()._encode_batch(texts)

    # another dimension: nothing is in the embedding cache, so the build must embed
    build(sys.argv[1], sys.argv[2], workers=1, embedder=Slow(32))
    """
)


def test_a_killed_build_leaves_the_previous_index_usable(index: Path, tmp_path: Path) -> None:
    before = rl.open(index, embedder=FakeEmbedder()).search("trafficking", k=3, mode="hybrid")
    assert len(before) == 3 and before.iloc[0]["key"].startswith("200")  # not two empty tables
    corpus = tmp_path / "corpus"
    # change the corpus so that the killed build has real work to throw away
    (corpus / "unxml-scresolutions/Pre-2020/2011/S_RES_2002_1100002E.xml").unlink()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(corpus), str(index)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "embedding"  # mid-build, store copy half written
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = rl.open(index, embedder=FakeEmbedder())
    assert after.resolution(2002)  # the deletion never reached the live store
    again = after.search("trafficking", k=3, mode="hybrid")
    assert list(again["key"]) == list(before["key"])
    # and the next build cleans up and succeeds
    build(corpus, index, workers=1, embedder=FakeEmbedder())
    assert not list(index.glob("*.building"))
    with pytest.raises(rl.NotFoundError):
        rl.open(index, embedder=FakeEmbedder()).resolution(2002)


@pytest.mark.parametrize("mode", ["semantic", "lexical", "hybrid"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("...", "has no words"),
        ("¿—!? ___", "has no words"),
        ("the of and", "only stop words"),
        ('"of the" to', "only stop words"),
    ],
)
def test_a_query_without_words_is_an_error_that_says_so(
    lib: rl.Library, mode: str, query: str, message: str
) -> None:
    with pytest.raises(ReslensError, match=message):
        lib.search(query, k=3, mode=mode)
    with pytest.raises(ReslensError, match=message):  # also one query of a batch
        lib.search(["trafficking", query], k=3, mode=mode)


def test_a_query_without_words_on_the_command_line(index: Path) -> None:
    from click.testing import CliRunner

    from reslens.views.cli import main

    for query, message in (("!!!", "has no words"), ("of the", "only stop words")):
        result = CliRunner().invoke(main, ["search", query, "--index", str(index)])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        assert message in result.output
    with pytest.raises(ReslensError, match="only stop words"):
        rl.open(index, embedder=FakeEmbedder()).evolution("for the")


def test_stop_words_beside_a_phrase_are_not_search_terms() -> None:
    """Before, a query whose loose words were all stop words OR-ed them in: ``"armed
    conflict" and`` then matched every paragraph with 'and'."""
    assert fts_query('"armed conflict" and the') == '"armed conflict"'
    assert fts_query("peace and security") == '"peace" OR "security"'
