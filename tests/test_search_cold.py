"""The cold path of ``reslens search``: a new process prints its hits without importing what
the query does not need, and gives the same hits as the API's DataFrame."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("faiss")

import reslens as rl
from reslens.errors import StoreError
from reslens.index.build import build
from reslens.index.embedders import FakeEmbedder
from reslens.search.results import SEARCH_COLUMNS
from reslens.views.render import hits_text
from tests.minicorpus import write_corpus

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def index(tmp_path: Path) -> Path:
    out = tmp_path / "index"
    build(write_corpus(tmp_path / "corpus"), out, workers=1, embedder=FakeEmbedder())
    return out


def cli_in_new_process(index: Path, *args: str) -> tuple[str, list[str]]:
    """The output of ``reslens search ARGS`` run in a new interpreter, and which heavy
    modules it imported."""
    code = (
        "import json, sys\n"
        "from reslens.views.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "heavy = ('pandas', 'faiss', 'matplotlib', 'torch', 'lxml', 'scipy', 'tokenizers')\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "search", *args, "--index", str(index)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    *printed, modules = result.stdout.rstrip("\n").split("\n")
    return "\n".join(printed), json.loads(modules)


@pytest.mark.parametrize("mode", ["hybrid", "semantic", "lexical"])
def test_the_cli_search_prints_its_hits_without_pandas_nor_faiss(index: Path, mode: str) -> None:
    printed, heavy = cli_in_new_process(index, "trafficking in persons", "--mode", mode)
    assert heavy == [], heavy  # neither pandas nor faiss: the flat vectors are read by numpy
    frame = rl.open(index, embedder=FakeEmbedder()).search("trafficking in persons", mode=mode)
    assert printed == hits_text(frame.to_dict("records"))
    assert "[2001:op1]" in printed


@pytest.mark.parametrize("chosen", [None, "2"])
def test_the_cli_search_asks_openblas_for_one_thread_unless_told(
    index: Path, chosen: str | None
) -> None:
    code = (
        "import os, sys\n"
        "from reslens.views.cli import main\n"
        "assert 'numpy' not in sys.modules  # the variable is read when numpy loads OpenBLAS\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if chosen is not None:
        env["OPENBLAS_NUM_THREADS"] = chosen
    result = subprocess.run(
        [sys.executable, "-c", code, "search", "trafficking", "--index", str(index)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    assert result.stdout.rstrip("\n").split("\n")[-1] == (chosen or "1")


def test_csv_output_still_has_every_column(index: Path) -> None:
    printed, _ = cli_in_new_process(index, "trafficking", "-k", "2", "-f", "csv")
    header, *rows = printed.splitlines()
    assert header.split(",") == [c for c in SEARCH_COLUMNS if c != "highlight"]
    assert len(rows) == 2


def test_search_rows_are_the_rows_of_the_search_table(index: Path) -> None:
    """Each from a library of its own: a library's third search scans the fp16 copy, whose
    ties may order otherwise."""
    queries = ["trafficking in persons", "remain seized"]
    rows = rl.open(index, embedder=FakeEmbedder()).search_rows(
        queries, 3, since=2010, kind="operative"
    )
    frame = rl.open(index, embedder=FakeEmbedder()).search(queries, 3, since=2010, kind="operative")
    assert [list(r) for r in rows] == [SEARCH_COLUMNS] * len(frame)
    assert [r["key"] for r in rows] == list(frame["key"])
    assert [r["score"] for r in rows] == list(frame["score"])
    assert hits_text([]) == "no hits"


def test_flat_vectors_are_read_without_faiss_as_faiss_reads_them(index: Path) -> None:
    import faiss

    from reslens.index.vectors import read_flat

    lib = rl.open(index, embedder=FakeEmbedder())
    assert lib.manifest is not None
    path = index / lib.manifest.vectors_file
    matrix = read_flat(path, lib.manifest)
    assert matrix is not None and matrix.flags.aligned and matrix.dtype == np.float32
    stored = faiss.read_index(str(path))
    assert np.array_equal(matrix, stored.reconstruct_n(0, stored.ntotal))


def test_a_vectors_file_whose_head_lies_is_corrupted(index: Path) -> None:
    """Its size and checksum recorded as its own: the head alone gives it away."""
    import dataclasses
    import zlib

    from reslens.index.vectors import read_flat

    manifest = rl.open(index, embedder=FakeEmbedder()).manifest
    assert manifest is not None
    path = index / manifest.vectors_file
    data = bytearray(path.read_bytes())
    data[8] ^= 1  # the number of vectors
    path.write_bytes(bytes(data))
    own = dataclasses.replace(manifest, vectors_crc32=f"{zlib.crc32(bytes(data)):08x}")
    with pytest.raises(ValueError, match="its head says"):
        read_flat(path, own)
    with pytest.raises(StoreError, match=r"corrupted.*reslens build"):
        rl.open(index, embedder=FakeEmbedder()).search("trafficking", mode="semantic")


def test_the_query_model_loads_once_behind_the_search(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model loads in a thread while the search reads its arrays and vectors: once, and
    a failure there is raised by the search itself."""
    import threading

    import reslens.library

    loads: list[str] = []
    real = reslens.library.index_embedder

    def counted(*args: object, **kwargs: object) -> object:
        loads.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reslens.library, "index_embedder", counted)
    lib = rl.open(index)
    first = lib.search("trafficking in persons", k=3)
    again = lib.search("trafficking in persons", k=3, mode="semantic")
    assert len(first) == len(again) == 3
    assert len(loads) == 1, loads

    def broken(*args: object, **kwargs: object) -> object:
        raise StoreError("the query model does not match the index")

    monkeypatch.setattr(reslens.library, "index_embedder", broken)
    with pytest.raises(StoreError, match="does not match"):
        rl.open(index).search("trafficking in persons", k=3)
    assert len(rl.open(index).search("trafficking in persons", k=3, mode="lexical")) > 0


def test_a_model_loaded_ahead_is_taken_by_the_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``load_ahead`` loads the model its manifest names in a thread; ``load_embedder`` with
    the same arguments takes it (once), and loads again after a failure there."""
    import threading

    from reslens.index import embedders

    loads: list[str] = []

    def fake_load(*args: object) -> FakeEmbedder:
        loads.append(threading.current_thread().name)
        return FakeEmbedder()

    monkeypatch.setattr(embedders, "_load", fake_load)
    model = "sentence-transformers/all-MiniLM-L6-v2"
    (tmp_path / "manifest.json").write_text(
        json.dumps({"model": model, "languages": ["en"]}), encoding="utf-8"
    )
    embedders.load_ahead(tmp_path / "nothing")  # no manifest: nothing
    embedders.load_ahead(tmp_path, language="fr")  # no French vectors: nothing
    assert loads == []
    embedders.load_ahead(tmp_path)
    first = embedders.load_embedder(embedders.model_source(model))
    assert loads == ["reslens-model-ahead"]
    again = embedders.load_embedder(embedders.model_source(model))
    assert loads == ["reslens-model-ahead", "MainThread"] and again is not first

    def broken(*args: object) -> FakeEmbedder:
        loads.append("failed")
        raise OSError("no model")

    monkeypatch.setattr(embedders, "_load", broken)
    embedders.load_ahead(tmp_path)
    with pytest.raises(OSError, match="no model"):  # met again by the caller
        embedders.load_embedder(embedders.model_source(model))
    assert loads[-2:] == ["failed", "failed"]


def test_an_optimised_onnx_graph_is_kept_and_loaded_again(tmp_path: Path) -> None:
    """The first session saves its optimised graph beside the model; the next loads it, with
    the same outputs; a damaged copy is made again; an unwritable folder only skips it."""
    ort = pytest.importorskip("onnxruntime")
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper

    from reslens.index.embedders import _session

    values = np.linspace(-1.0, 1.0, 3 * 400, dtype=np.float32)  # 4.8 kB: kept in .weights
    weight = helper.make_tensor("w", TensorProto.FLOAT, [3, 400], values.tolist())
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["m"]), helper.make_node("Relu", ["m"], ["y"])],
        "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 400])],
        [weight],
    )
    path = tmp_path / "model.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)
    x = {"x": np.array([[1.0, -2.0, 3.0]], dtype=np.float32)}
    first = _session(ort, path, 1).run(None, x)[0]
    saved = list(tmp_path.glob("model.optimized-*.onnx"))
    [weights] = list(tmp_path.glob("model.optimized-*.weights"))
    assert len(saved) == 1 and not list(tmp_path.glob("*.building"))
    assert saved[0].stat().st_size < values.nbytes <= weights.stat().st_size  # weights apart
    assert np.array_equal(_session(ort, path, 1).run(None, x)[0], first)
    saved[0].write_bytes(b"not a graph")
    assert np.array_equal(_session(ort, path, 1).run(None, x)[0], first)
    assert saved[0].read_bytes() != b"not a graph"
    [weights] = list(tmp_path.glob("model.optimized-*.weights"))  # made again, the old gone
    weights.write_bytes(b"")  # weights lost: the graph cannot load them, both made again
    assert np.array_equal(_session(ort, path, 1).run(None, x)[0], first)
    assert len(list(tmp_path.glob("model.optimized-*.weights"))) == 1
    saved[0].unlink()
    tmp_path.chmod(0o555)
    try:
        assert np.array_equal(_session(ort, path, 1).run(None, x)[0], first)
    finally:
        tmp_path.chmod(0o755)
