"""Retrieval quality on bench/eval/pairs.jsonl (see bench/make_eval.py for how it was made).

For each pair the query is the later paragraph's text; the search excludes the query's own
resolution and everything adopted after it; a hit is right when it is in the pair's relevant set.
Reports recall@1, recall@10 and MRR@10 per mode and stratum.

Usage: python bench/eval_search.py --index index [--only-indexed]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import reslens as rl

PAIRS = Path(__file__).resolve().parent / "eval" / "pairs.jsonl"
MODES = ("lexical", "semantic", "hybrid")


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate(
    lib: rl.Library, pairs: list[dict[str, Any]], k: int = 10
) -> dict[str, dict[str, float]]:
    """Metrics per mode (and per mode/stratum): recall@1, recall@10, mrr@10, n."""
    out: dict[str, dict[str, float]] = {}
    for mode in MODES:
        sums: dict[str, list[float]] = {}
        for pair in pairs:
            query = lib.paragraph(pair["query_key"]).text
            hits = lib.search(
                query,
                k,
                until=int(pair["year"]),
                mode=mode,
                exclude_resolutions=[int(pair["resolution"])],
            )
            keys = list(hits["key"])
            relevant = set(pair["relevant"])
            rank = next((i for i, key in enumerate(keys, 1) if key in relevant), None)
            values = [float(rank == 1), float(rank is not None), 1.0 / rank if rank else 0.0]
            for group in (mode, f"{mode}/{pair['stratum']}"):
                acc = sums.setdefault(group, [0.0, 0.0, 0.0, 0.0])
                for i, v in enumerate(values):
                    acc[i] += v
                acc[3] += 1
        for group, (r1, r10, mrr, n) in sums.items():
            out[group] = {"recall@1": r1 / n, "recall@10": r10 / n, "mrr@10": mrr / n, "n": n}
    return out


def table(metrics: dict[str, dict[str, float]]) -> str:
    lines = [
        "| mode | pairs | recall@1 | recall@10 | MRR@10 |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for group in sorted(metrics, key=lambda g: (g.split("/")[0], "/" in g, g)):
        m = metrics[group]
        lines.append(
            f"| {group} | {int(m['n'])} | {m['recall@1']:.3f} | {m['recall@10']:.3f} | "
            f"{m['mrr@10']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args()
    lib = rl.open(args.index)
    print(table(evaluate(lib, load_pairs())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
