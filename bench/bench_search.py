"""Search benchmarks (issue 3): build throughput against a naive script, query latency, cold
start, index size, memory, and retrieval quality. Writes sections of bench/RESULTS.md.

  build   — the same passages embedded and indexed twice, one after the other:
            naive: ``SentenceTransformer(model).encode(texts)`` + ``IndexFlatIP`` (the script a
            user would write), and reslens: ONNX fp32, length-sorted batches, each distinct text
            once (cold cache); top-10 agreement of 100 queries between the two indexes.
  queries — warm in-process latency p50/p95 of short queries (encoding included) per mode,
            with and without filters, on a built index; a batch of 100 queries.
  cold    — wall time of a new ``reslens search`` process.
  quality — recall@1/@10 and MRR@10 on bench/eval/pairs.jsonl (see bench/make_eval.py).

Usage: python bench/bench_search.py --index index [--n 5000] [--skip-build]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import reslens as rl
from reslens.index.vectors import import_faiss, make_passages
from reslens.store.db import DB_NAME, Store

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_build import replace_section  # noqa: E402
from eval_search import evaluate, load_pairs, table  # noqa: E402

RESULTS = HERE / "RESULTS.md"
QUERIES = [
    "collection of data on trafficking in persons",
    "sexual violence in conflict",
    "extend the mandate of the mission",
    "protection of civilians under imminent threat",
    "children recruited by armed groups",
    "arms embargo on non-state actors",
    "humanitarian access for relief personnel",
    "report to the Council within 90 days",
    "women's full, equal and meaningful participation",
    "asset freeze and travel ban",
    "foreign terrorist fighters returning home",
    "elections that are free, fair and transparent",
    "disarmament, demobilization and reintegration",
    "illicit trade in natural resources",
    "climate change and security risks",
    "accountability for violations of international humanitarian law",
    "ceasefire monitoring mechanism",
    "piracy and armed robbery at sea",
    "cooperation with the International Criminal Court",
    "mine action and explosive remnants of war",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_build(index: Path, n: int | None) -> str:
    from sentence_transformers import SentenceTransformer

    from reslens.index.embedders import default_model_path, load_embedder
    from reslens.index.vectors import embed_passages

    faiss = import_faiss()
    with Store.open(index / DB_NAME) as store:
        passages = [t for _, _, t in make_passages(store, ["en"])]
    rng = random.Random(7)
    if n is not None and n < len(passages):
        passages = rng.sample(passages, n)
    queries = [" ".join(t.split()[:12]) for t in rng.sample(passages, 100)]
    # naive
    t0 = time.perf_counter()
    st = SentenceTransformer(str(default_model_path()), device="cpu")
    load_naive = time.perf_counter() - t0
    vecs = st.encode(passages, batch_size=32, normalize_embeddings=True)
    naive_index = faiss.IndexFlatIP(vecs.shape[1])
    naive_index.add(np.asarray(vecs, dtype=np.float32))
    t_naive = time.perf_counter() - t0
    q_naive = st.encode(queries, normalize_embeddings=True)
    # reslens
    t0 = time.perf_counter()
    embedder = load_embedder(backend="onnx")
    load_ours = time.perf_counter() - t0
    matrix, distinct = embed_passages(passages, embedder, None)
    ours_index = faiss.IndexFlatIP(matrix.shape[1])
    ours_index.add(matrix)
    t_ours = time.perf_counter() - t0
    q_ours = embedder.encode(queries)
    _, a = naive_index.search(np.asarray(q_naive, dtype=np.float32), 10)
    _, b = ours_index.search(q_ours, 10)
    agreement = statistics.mean(len(set(x) & set(y)) / 10 for x, y in zip(a, b, strict=True))
    diff = float(np.abs(matrix - vecs).max())
    rows = [
        "| path | passages | distinct embedded | load s | total s | passages/s | vs naive |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| naive (ST encode + IndexFlatIP) | {len(passages):,} | {len(passages):,} | "
        f"{load_naive:.1f} | {t_naive:.1f} | {len(passages) / t_naive:.1f} | 1.00x |",
        f"| reslens ({getattr(embedder, 'variant', 'onnx')}) | {len(passages):,} | "
        f"{distinct:,} | {load_ours:.1f} | {t_ours:.1f} | {len(passages) / t_ours:.1f} | "
        f"{t_naive / t_ours:.2f}x |",
    ]
    return (
        "\n".join(rows)
        + f"\n\nTop-10 agreement with the naive index over 100 queries: {agreement:.3f}; "
        f"largest difference of a vector component: {diff:.1e}.\n"
    )


def bench_queries(index: Path) -> str:
    lib = rl.open(index)
    lib.search("warm up", k=10)  # loads the model and the FAISS file
    filters = {"since": 2010, "kind": "operative", "verbs": ["requests", "decides"]}
    lines = [
        "| mode | filters | p50 ms | p95 ms |",
        "| --- | --- | ---: | ---: |",
    ]
    for mode in ("semantic", "lexical", "hybrid"):
        for name, extra in (("none", {}), ("since 2010, operative, requests/decides", filters)):
            times = []
            for _ in range(3):
                for query in QUERIES:
                    t0 = time.perf_counter()
                    lib.search(query, k=10, mode=mode, **extra)  # type: ignore[arg-type]
                    times.append((time.perf_counter() - t0) * 1000)
            lines.append(f"| {mode} | {name} | {pct(times, 0.5):.1f} | {pct(times, 0.95):.1f} |")
    batch = QUERIES * 5
    t0 = time.perf_counter()
    lib.search(batch, k=10, mode="semantic")
    t_batch = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    for query in batch:
        lib.search(query, k=10, mode="semantic")
    t_loop = (time.perf_counter() - t0) * 1000
    lines.append(
        f"\n100 semantic queries: one batch call {t_batch:.0f} ms, one call each {t_loop:.0f} ms."
    )
    return "\n".join(lines) + "\n"


def bench_cold(index: Path) -> str:
    exe = Path(sys.executable).with_name("reslens")
    times = []
    peak = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(
            [str(exe), "search", "collection of data on trafficking", "--index", str(index)],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - t0)
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    size = sum(p.stat().st_size for p in index.iterdir() if p.is_file())
    vectors = sum(p.stat().st_size for p in index.glob("vectors-*.faiss"))
    return (
        "Cold `reslens search` (new process, hybrid, k=10): "
        f"median {statistics.median(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}); peak RSS {peak:.0f} MB.\n"
        f"Index directory: {size / 1e6:.0f} MB on disk, of which vectors {vectors / 1e6:.0f} MB.\n"
    )


def bench_hnsw(index: Path) -> str:
    """Recall@10 and latency of the optional HNSW index against the exact flat index."""
    from reslens.index.vectors import new_index

    faiss = import_faiss()
    lib = rl.open(index)
    manifest = lib.manifest
    assert manifest is not None
    flat = faiss.read_index(str(index / manifest.vectors_file))
    vectors = flat.reconstruct_n(0, flat.ntotal)
    t0 = time.perf_counter()
    hnsw = new_index(vectors.shape[1], "hnsw")
    hnsw.add(vectors)
    t_build = time.perf_counter() - t0
    queries = lib.encode(QUERIES * 10)
    rng = np.random.default_rng(3)
    sample = vectors[rng.choice(len(vectors), 200, replace=False)]
    queries = np.vstack([queries[: len(QUERIES)], sample])
    lines = ["| index | efSearch | recall@10 vs exact | ms/query |", "| --- | ---: | ---: | ---: |"]
    t0 = time.perf_counter()
    _, exact = flat.search(queries, 10)
    t_flat = (time.perf_counter() - t0) * 1000 / len(queries)
    lines.append(f"| flat (exact) | – | 1.000 | {t_flat:.2f} |")
    for ef in (32, 64, 128, 256):
        hnsw.hnsw.efSearch = ef
        t0 = time.perf_counter()
        _, approx = hnsw.search(queries, 10)
        t_h = (time.perf_counter() - t0) * 1000 / len(queries)
        recall = statistics.mean(
            len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)
        )
        lines.append(f"| hnsw M=32 | {ef} | {recall:.3f} | {t_h:.2f} |")
    return (
        f"{len(queries)} queries ({len(QUERIES)} short texts, 200 passages of the corpus) over "
        f"{flat.ntotal:,} vectors; HNSW built in {t_build:.1f} s.\n\n" + "\n".join(lines) + "\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--n", type=int, default=None, help="passages for the build comparison")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    machine = f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start.\n\n"
    if not args.skip_build:
        body = bench_build(args.index, args.n)
        print(body)
        text = replace_section(text, "Search: build (embedding + FAISS)", machine + body)
    body = bench_queries(args.index)
    print(body)
    text = replace_section(text, "Search: warm query latency", machine + body)
    body = bench_hnsw(args.index)
    print(body)
    text = replace_section(text, "Search: approximate index (HNSW) against exact", machine + body)
    body = bench_cold(args.index)
    print(body)
    text = replace_section(text, "Search: cold start and size", body)
    quality = table(evaluate(rl.open(args.index), load_pairs()))
    print(quality)
    text = replace_section(
        text,
        "Search: retrieval quality",
        "200 pairs from bench/eval/pairs.jsonl (how they were made: bench/make_eval.py).\n\n"
        + quality,
    )
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
