"""Notebook widget benchmarks (issue 5): how long each widget action takes on an index, warm,
beside the bare ``Library`` call it wraps (the widget's own cost is the difference: building the
escaped HTML table, the choice list, the PNG of a plot).

  search   — SearchWidget.run over the short queries of bench_search.py, with and without
             filters, against Library.search with the same arguments;
  open     — choosing a hit: the paragraph and its similar paragraphs;
  lineage  — the Lineage tab: Library.lineage plus its table and plot;
  compare  — CompareWidget on two paragraphs (redline) and on two resolutions (alignment);
  timeline — TimelineWidget: Library.evolution plus its plot.

Usage: python bench/bench_widgets.py --index index
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import reslens as rl
from reslens.views.widgets import CompareWidget, SearchWidget, TimelineWidget

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_build import replace_section  # noqa: E402
from bench_search import QUERIES  # noqa: E402

RESULTS = HERE / "RESULTS.md"
PARAGRAPHS = ["2331:op21", "2331:op23", "2388:op34", "1325:op1", "2331:op2"]
THEMES = [
    "trafficking in persons in armed conflict",
    "sexual violence in conflict",
    "protection of civilians under imminent threat",
]


def timed(action: Callable[[], object], repeat: int = 1) -> list[float]:
    """Milliseconds of each of ``repeat`` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        out.append((time.perf_counter() - start) * 1000)
    return out


def row(name: str, widget: list[float], bare: list[float] | None) -> str:
    def cell(values: list[float] | None) -> str:
        if not values:
            return "—"
        p95 = sorted(values)[max(0, round(0.95 * len(values)) - 1)]
        return f"{statistics.median(values):.0f} / {p95:.0f}"

    return f"| {name} | {len(widget)} | {cell(widget)} | {cell(bare)} |"


def bench(index: Path) -> str:
    lib = rl.open(index)
    search = SearchWidget(lib, debounce=0)
    search.run("warm up")
    lines = [
        "| action | n | widget p50 / p95 ms | Library call alone p50 / p95 ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, setup in (
        ("search, hybrid, no filter", {}),
        ("search, hybrid, since 2010 + operative + strength ≥ 4", {"filtered": True}),
    ):
        search.years.value = (search.years.min, search.years.max)
        search.kind.value = ""
        search.strength.value = 0
        if setup:
            search.years.value = (2010, search.years.max)
            search.kind.value = "operative"
            search.strength.value = 4
        widget_ms = [t for q in QUERIES for t in timed(lambda q=q: search.run(q))]
        filters = search.filters()
        bare_ms = [t for q in QUERIES for t in timed(lambda q=q, f=filters: lib.search(q, **f))]
        lines.append(row(label, widget_ms, bare_ms))
    search.kind.value = ""
    search.strength.value = 0
    open_ms = [t for key in PARAGRAPHS for t in timed(lambda key=key: search.open(key))]
    similar_ms = [
        t
        for key in PARAGRAPHS
        for t in timed(lambda key=key: lib.similar(key, k=8, exclude_own_resolution=True))
    ]
    lines.append(row("choose a hit (paragraph + similar)", open_ms, similar_ms))

    def trace(key: str) -> None:
        search.open(key, lineage=True)

    lineage_ms = [t for key in PARAGRAPHS for t in timed(lambda key=key: trace(key))]
    bare_lineage = [t for key in PARAGRAPHS for t in timed(lambda key=key: lib.lineage(key))]
    lines.append(row("Lineage tab (graph + table + plot)", lineage_ms, bare_lineage))
    compare = CompareWidget(lib)
    lines.append(
        row(
            "compare two paragraphs",
            timed(lambda: compare.run("2331:op21", "2388:op24"), 5),
            timed(lambda: lib.compare("2331:op21", "2388:op24"), 5),
        )
    )
    lines.append(
        row(
            "compare two resolutions (2331, 2388)",
            timed(lambda: compare.run("2331", "2388"), 3),
            timed(lambda: lib.align(2331, 2388), 3),
        )
    )
    timeline = TimelineWidget(lib)
    lines.append(
        row(
            "timeline of a theme",
            [t for theme in THEMES for t in timed(lambda theme=theme: timeline.run(theme))],
            [t for theme in THEMES for t in timed(lambda theme=theme: lib.evolution(theme))],
        )
    )
    counts = lib.store.counts()
    return (
        f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start; index "
        f"{index} ({counts['paragraphs']:,} paragraphs in the store). Warm: one search ran "
        "before timing. Queries: the 20 of bench_search.py; paragraphs: "
        f"{', '.join(PARAGRAPHS)}.\n\n"
        + "\n".join(lines)
        + "\n\nThe two columns run one after the other on the same inputs; for searches their "
        "difference is within run-to-run noise (the widget's own work is an escaped table and a "
        "choice list). The timeline's difference is matplotlib drawing the plot and its PNG; "
        "the first alignment of two long resolutions embeds their clause-sized pieces (p95), "
        "later ones find them in the library's memory.\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    body = bench(args.index)
    print(body)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    RESULTS.write_text(replace_section(text, "Notebook widgets", body), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
