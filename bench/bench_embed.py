"""Benchmark the embedding backends on real paragraphs of the English AKN files.

Usage::

    python bench/bench_embed.py [--n 2000] [--rounds 2] [--corpus ../shared/corpus]

Variants: ``naive`` (``SentenceTransformer(path).encode(texts, batch_size=32)`` in the given
order), ``st-sorted`` (:class:`reslens.index.embedders.SentenceTransformerEmbedder`: dedupe + length
sort), ``onnx-fp32``, ``onnx-fp32-opt`` (onnxruntime's transformer optimizer applied to the
export), ``onnx-int8``. Reports load time, paragraphs/s (best of the rounds, wall clock), CPU
ms per paragraph, top-10 neighbour agreement with ``naive`` (faiss IndexFlatIP, self
excluded) and the largest absolute vector difference. Prints a markdown table and writes it to
``bench/out/embed.md``. The ONNX export is made in a temporary folder if the cache has none.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from lxml import etree

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reslens.index import embedders as embed  # noqa: E402
from reslens.index.onnx_export import export_onnx  # noqa: E402

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


def load_paragraphs(corpus: Path, n: int) -> list[str]:
    """``n`` preambular/operative paragraph texts, sampled evenly across the English files."""
    root = corpus / "unxml-scresolutions"
    files = sorted(
        p
        for p in root.rglob("*.xml")
        if p.name.startswith("S_RES")
        and ("English" in p.parts or "Pre-2020" in p.parts)
        and "Not adopted" not in p.parts
    )
    texts: list[str] = []
    for path in files:
        tree = etree.parse(str(path))
        for el in tree.iter(f"{AKN}container", f"{AKN}paragraph"):
            parent = el.getparent()
            if parent is None:
                continue
            if (el.tag == f"{AKN}container" and parent.tag == f"{AKN}preamble") or (
                el.tag == f"{AKN}paragraph" and parent.tag == f"{AKN}mainBody"
            ):
                text = " ".join("".join(el.itertext()).split())
                if len(text.split()) >= 3:
                    texts.append(text)
    step = max(1, len(texts) // n)
    return texts[::step][:n]


def top10_agreement(ref: np.ndarray, got: np.ndarray) -> float:
    """Mean overlap of the 10 nearest neighbours (self excluded) under ``ref`` and ``got``."""
    import faiss

    def neighbours(v: np.ndarray) -> np.ndarray:
        index = faiss.IndexFlatIP(v.shape[1])
        index.add(np.ascontiguousarray(v))
        _, ids = index.search(np.ascontiguousarray(v), 11)
        return np.asarray(ids)

    a, b = neighbours(ref), neighbours(got)
    scores = []
    for i in range(len(ref)):
        sa = [j for j in a[i] if j != i][:10]
        sb = [j for j in b[i] if j != i][:10]
        scores.append(len(set(sa) & set(sb)) / 10)
    return float(np.mean(scores))


def timed(fn: Callable[[], np.ndarray]) -> tuple[np.ndarray, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def cold_load(code: str) -> float:
    """Seconds to run ``code`` (imports + model construction) in a fresh interpreter."""
    timer = "import time; _t = time.perf_counter(); " + code + "; print(time.perf_counter() - _t)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", timer], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout.strip().splitlines()[-1])


def optimise(src: Path, dst: Path) -> None:
    """Apply onnxruntime's BERT graph fusions (fp32) to ``src``."""
    from onnxruntime.transformers.optimizer import optimize_model

    model = optimize_model(
        str(src), model_type="bert", num_heads=12, hidden_size=384, opt_level=1, use_gpu=False
    )
    model.save_model_to_file(str(dst))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()

    texts = load_paragraphs(args.corpus, args.n)
    words = np.array([len(t.split()) for t in texts])
    print(
        f"{len(texts)} paragraphs ({len(set(texts))} distinct), words mean {words.mean():.1f}, "
        f"median {np.median(words):.0f}, max {words.max()}",
        flush=True,
    )
    folder = embed.onnx_dir(None)
    scratch = Path(tempfile.mkdtemp(prefix="reslens-bench-"))
    if not (folder / "model_int8.onnx").is_file():
        report = export_onnx(None, scratch / "export", int8=True)
        print(f"exported in {report.seconds:.1f} s, max abs diff {report.max_abs_diff:.2e}")
        folder = report.folder
    opt = scratch / "opt"
    opt.mkdir()
    for name in ("tokenizer.json", embed.ONNX_META):
        (opt / name).write_bytes((folder / name).read_bytes())
    optimise(folder / "model.onnx", opt / "model.onnx")

    loads = {
        "naive": cold_load(
            "import torch; from sentence_transformers import SentenceTransformer;"
            "from reslens.index.embedders import default_model_path;"
            "SentenceTransformer(str(default_model_path()), device='cpu')"
        ),
        "st-sorted": cold_load(
            "from reslens.index.embedders import load_embedder; load_embedder(backend='torch')"
        ),
        "onnx-fp32": cold_load(
            f"from reslens.index.embedders import OnnxEmbedder; OnnxEmbedder({str(folder)!r})"
        ),
        "onnx-fp32-opt": cold_load(
            f"from reslens.index.embedders import OnnxEmbedder; OnnxEmbedder({str(opt)!r})"
        ),
        "onnx-int8": cold_load(
            "from reslens.index.embedders import OnnxEmbedder;"
            f"OnnxEmbedder({str(folder)!r}, int8=True)"
        ),
    }
    runners: dict[str, Callable[[], np.ndarray]] = {}
    fp32 = embed.OnnxEmbedder(folder, threads=args.threads)
    fp32opt = embed.OnnxEmbedder(opt, threads=args.threads)
    int8 = embed.OnnxEmbedder(folder, int8=True, threads=args.threads)
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(args.threads)
    naive = SentenceTransformer(str(embed.default_model_path()), device="cpu")
    st = embed.SentenceTransformerEmbedder(threads=args.threads)

    runners["naive"] = lambda: np.asarray(naive.encode(texts, batch_size=32), dtype=np.float32)
    runners["st-sorted"] = lambda: st.encode(texts)
    runners["onnx-fp32"] = lambda: fp32.encode(texts)
    runners["onnx-fp32-opt"] = lambda: fp32opt.encode(texts)
    runners["onnx-int8"] = lambda: int8.encode(texts)

    best: dict[str, tuple[float, float]] = {}
    vectors: dict[str, np.ndarray] = {}
    for rnd in range(args.rounds):
        for name, run in runners.items():
            out, wall, cpu = timed(run)
            vectors[name] = out
            print(f"round {rnd} {name}: {len(texts) / wall:.1f}/s", flush=True)
            if name not in best or wall < best[name][0]:
                best[name] = (wall, cpu)

    ref = vectors["naive"]
    base = len(texts) / best["naive"][0]
    lines = [
        f"Embedding {len(texts)} AKN paragraphs ({len(set(texts))} distinct; mean "
        f"{words.mean():.0f} words), {args.threads} threads, best of {args.rounds} rounds, "
        f"load average {os.getloadavg()[0]:.1f}.",
        "",
        "| variant | cold load s | paragraphs/s | × naive | CPU ms/para | top-10 vs naive "
        "| max abs diff |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in runners:
        wall, cpu = best[name]
        rate = len(texts) / wall
        agree = top10_agreement(ref, vectors[name])
        diff = float(np.abs(vectors[name] - ref).max())
        lines.append(
            f"| {name} | {loads[name]:.2f} | {rate:.1f} | {rate / base:.2f} | "
            f"{1000 * cpu / len(texts):.1f} | {agree:.3f} | {diff:.1e} |"
        )
    table = "\n".join(lines)
    print(table)
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "embed.md").write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
