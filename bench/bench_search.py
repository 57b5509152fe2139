"""Search benchmarks (issue 3): build throughput against a naive script, query latency, cold
start, index size, memory, and retrieval quality. Writes sections of bench/RESULTS.md.

  build   — the same passages embedded and indexed twice, one after the other:
            naive: ``SentenceTransformer(model).encode(texts)`` + ``IndexFlatIP`` (the script a
            user would write), and reslens: ONNX fp32, length-sorted batches, each distinct text
            once (cold cache); top-10 agreement of 100 queries between the two indexes.
  queries — warm in-process latency p50/p95 (encoding included) of the hand-written script
            and each reslens mode, with and without filters, interleaved on the same queries;
            a batch of 100 queries.
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
from typing import Any

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


def bench_queries(index: Path, rounds: int = 3) -> str:
    """Warm latency, encoding included, of every path on the same queries, interleaved (one
    query through every path in turn, so load changes hit all paths alike): the hand-written
    script a user would write (sentence-transformers ``encode`` + ``IndexFlatIP.search`` over
    the index's own vectors) beside reslens's modes."""
    from sentence_transformers import SentenceTransformer

    from reslens.index.embedders import default_model_path

    faiss = import_faiss()
    sys.path.insert(0, str(HERE))
    from eval_plain import load as load_plain

    lib = rl.open(index)
    queries = QUERIES + [q["query"] for q in load_plain()]
    manifest = lib.manifest
    assert manifest is not None
    flat = faiss.read_index(str(index / manifest.vectors_file))
    script = faiss.IndexFlatIP(flat.d)
    script.add(flat.reconstruct_n(0, flat.ntotal))
    st = SentenceTransformer(str(default_model_path()), device="cpu")

    def hand_written(query: str) -> None:
        vector = st.encode([query], normalize_embeddings=True)
        script.search(np.asarray(vector, dtype=np.float32), 10)

    filters = {"since": 2010, "kind": "operative", "verbs": ["requests", "decides"]}
    paths: dict[str, Any] = {
        "hand-written script (ST encode + IndexFlatIP.search)": hand_written,
        "reslens semantic": lambda q: lib.search(q, k=10, mode="semantic"),
        "reslens lexical (BM25 postings)": lambda q: lib.search(q, k=10, mode="lexical"),
        "reslens lexical, phrase (FTS5)": lambda q: lib.search(f'"{q}"', k=10, mode="lexical"),
        "**reslens hybrid — the default** (expansion of short queries)": lambda q: lib.search(
            q, k=10
        ),
        "reslens hybrid, no expansion": lambda q: lib.search(q, k=10, expand=False),
        "reslens hybrid + since 2010, operative, requests/decides": lambda q: lib.search(
            q, k=10, **filters
        ),
    }
    for path in paths.values():  # warm: model, FAISS file, arrays, fp16 scan
        path("warm up the caches")
        path("a second warm-up query")
    times: dict[str, list[float]] = {name: [] for name in paths}
    names = list(paths)
    for r in range(rounds):
        for i, query in enumerate(queries):
            shift = (i + r) % len(names)
            for name in names[shift:] + names[:shift]:
                t0 = time.perf_counter()
                paths[name](query)
                times[name].append((time.perf_counter() - t0) * 1000)
    base = pct(times[names[0]], 0.5)
    lines = [
        f"{len(queries)} queries (the 20 above and the 68 of bench/eval/plain_queries.jsonl) x "
        f"{rounds} rounds, interleaved; {flat.ntotal:,} passage vectors; k = 10; encoding "
        "included; the same vectors for every path.",
        "",
        "| path | p50 ms | p95 ms | p95 / p50 | p50 vs script |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in names:
        p50, p95 = pct(times[name], 0.5), pct(times[name], 0.95)
        lines.append(f"| {name} | {p50:.1f} | {p95:.1f} | {p95 / p50:.2f} | {base / p50:.1f}x |")
    batch = QUERIES * 5
    t0 = time.perf_counter()
    lib.search(batch, k=10, mode="semantic")
    t_batch = (time.perf_counter() - t0) * 1000
    lines.append(f"\n100 semantic queries in one batch call: {t_batch:.0f} ms.")
    return "\n".join(lines) + "\n"


def bench_cold(index: Path, runs: int = 9, series: int = 3) -> str:
    """Wall time of new ``reslens search`` processes, in ``series`` series of ``runs`` (the
    machine's speed varies from one minute to the next: each series' median is given, and
    the median of all runs). reslens's bytecode is compiled first, as an installed package
    has it (this machine sets PYTHONDONTWRITEBYTECODE, so an editable install would
    otherwise compile every module on every run), and one run warms the page cache and the
    optimised ONNX graph; the load average is given beside each series."""
    import compileall

    compileall.compile_dir(str(Path(rl.__file__).parent), quiet=1)
    exe = Path(sys.executable).with_name("reslens")
    command = [str(exe), "search", "collection of data on trafficking", "--index", str(index)]
    subprocess.run(command, check=True, capture_output=True)
    every: list[float] = []
    lines = []
    peak = 0.0
    for _ in range(series):
        load = os.getloadavg()[0]
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
            peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        every.extend(times)
        lines.append(
            f"- median {statistics.median(times):.2f} s (runs: "
            f"{', '.join(f'{t:.2f}' for t in sorted(times))}; load average {load:.2f})"
        )
    size = sum(p.stat().st_size for p in index.iterdir() if p.is_file())
    vectors = sum(p.stat().st_size for p in index.glob("vectors-*.faiss"))
    return (
        "Cold `reslens search` (new process, hybrid, k=10, bytecode compiled, one warm-up run): "
        f"median of all {len(every)} runs {statistics.median(every):.2f} s; peak RSS "
        f"{peak:.0f} MB. By series:\n\n" + "\n".join(lines) + "\n\n"
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
    parser.add_argument("--cold-only", action="store_true", help="only the cold start")
    args = parser.parse_args()
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    if args.cold_only:
        body = bench_cold(args.index)
        print(body)
        RESULTS.write_text(replace_section(text, "Search: cold start and size", body), "utf-8")
        return 0
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
    body = plain_recall(args.index)
    print(body)
    text = replace_section(text, "Search: plain-language recall", body)
    body = themes_quality(args.index)
    print(body)
    text = replace_section(text, "Themes: precision and recall of the counts", body)
    RESULTS.write_text(text, encoding="utf-8")
    return 0


def plain_recall(index: Path) -> str:
    """Recall@10 and MRR@10 on the plain-language set, as typed and expanded, by split."""
    import eval_plain

    lib = rl.open(index)
    queries = eval_plain.load()
    parts = [
        "68 queries phrased as a journalist or student would, written blind before their "
        "paragraphs were looked for (bench/eval/plain_queries.md); recall@10 out of at most 10. "
        "The expansion's constants were chosen on the dev split (odd ids); test = even ids.",
    ]
    for split in ("test", "dev", "all"):
        chosen = eval_plain.split(queries, split)
        results = {
            "as typed": eval_plain.evaluate(lib, chosen, expand=False),
            "expanded (default for short queries, semantic and hybrid)": eval_plain.evaluate(
                lib, chosen, expand=True
            ),
        }
        parts.append(f"\n**{split}** ({len(chosen)} queries)\n\n" + eval_plain.table(results))
    return "\n".join(parts) + "\n"


def themes_quality(index: Path) -> str:
    """The built-in themes against the hand labels (bench/eval_themes.py), test split."""
    import eval_themes

    return eval_themes.report(rl.open(index), "test")[0] + "\n"


if __name__ == "__main__":
    sys.exit(main())
