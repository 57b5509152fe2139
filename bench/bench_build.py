"""Benchmark of the corpus build (issue 2): whole corpus into a fresh store (parsing and the
SQLite store; the vectors are measured by bench_search.py), then a no-op update.

Runs, one after the other on the same machine:
  * ``serial``   — the build with one process (the baseline a plain loop would give);
  * ``parallel`` — the build with one process per core (the default);
  * ``no-op``    — the same build again, every file unchanged (skipped by hash).
Writes a table to bench/RESULTS.md (section "Build") and prints it.

Usage: python bench/bench_build.py --corpus ../shared/corpus
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from reslens.index.build import build

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"


def run(
    corpus: Path, index: Path, workers: int | None, rebuild: bool
) -> tuple[float, dict[str, int], int]:
    started = time.perf_counter()
    report = build(corpus, index, rebuild=rebuild, workers=workers, vectors=False)
    return time.perf_counter() - started, report.counts, report.read


def replace_section(text: str, title: str, body: str) -> str:
    marker = f"## {title}\n"
    if marker not in text:
        return text.rstrip() + "\n\n" + marker + body
    head, rest = text.split(marker, 1)
    tail = rest.split("\n## ", 1)
    return head + marker + body + ("\n## " + tail[1] if len(tail) > 1 else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        t_serial, counts, read = run(args.corpus, index, 1, True)
        rows.append(("serial (1 process, baseline)", t_serial, read))
        t_par, counts, read = run(args.corpus, index, None, True)
        rows.append((f"parallel ({os.cpu_count()} processes)", t_par, read))
        t_noop, _, read = run(args.corpus, index, None, False)
        rows.append(("no-op update (all unchanged)", t_noop, read))
        size = (index / "reslens.db").stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    body = [
        f"Corpus: {counts['resolutions']:,} resolutions (all languages), "
        f"{counts['paragraphs']:,} paragraphs, {counts['verbs']:,} verbs, "
        f"{counts['citations']:,} citations; store {size / 1e6:.1f} MB; "
        f"peak RSS of the main process {peak:.0f} MB. Machine: {os.cpu_count()} cores.\n",
        "| run | files read | seconds | files/s | vs baseline |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, seconds, n in rows:
        rate = n / seconds if seconds and n else 0.0
        body.append(f"| {name} | {n:,} | {seconds:.1f} | {rate:,.0f} | {t_serial / seconds:.2f}x |")
    table = "\n".join(body) + "\n"
    print(table)
    existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    RESULTS.write_text(replace_section(existing, "Build", table), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
