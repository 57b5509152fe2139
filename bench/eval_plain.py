"""Recall on plain-language queries (bench/eval/plain_queries.jsonl, made blind: see
bench/eval/plain_queries.md): recall@10 and MRR@10 per mode.

recall@10 of a query is the share of its relevant paragraphs in the top 10, out of at most 10
(``|relevant ∩ top10| / min(10, |relevant|)``): a query with 60 relevant paragraphs that fills
its top 10 with them scores 1. MRR@10 is 1 / the rank of the first relevant hit (0 beyond 10).

"expanded" is expand=True; every query of the set is short, so the default (expand=None)
gives the "expanded" figures for the semantic and hybrid modes and the "as typed" ones for the
lexical mode (which never loads vectors unless asked).

Usage: python bench/eval_plain.py --index index [--expand on|off|both] [--split dev|test|all]
[--show]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

import reslens as rl

QUERIES = Path(__file__).resolve().parent / "eval" / "plain_queries.jsonl"
MODES = ("lexical", "semantic", "hybrid")


def load(path: Path = QUERIES) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def split(queries: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """The dev (odd-numbered ids, used to choose the expansion's constants), test (even) or
    all queries."""
    if name == "all":
        return queries
    parity = 1 if name == "dev" else 0
    return [q for q in queries if int(q["id"][1:]) % 2 == parity]


def score(keys: list[str], relevant: set[str], k: int = 10) -> tuple[float, float]:
    """(recall@k out of at most k, reciprocal rank of the first relevant hit within k)."""
    top = keys[:k]
    found = sum(1 for key in top if key in relevant)
    rank = next((i for i, key in enumerate(top, 1) if key in relevant), None)
    return found / min(k, len(relevant)), (1.0 / rank if rank else 0.0)


def evaluate(
    lib: rl.Library, queries: list[dict[str, Any]], modes: tuple[str, ...] = MODES, **options: Any
) -> dict[str, dict[str, float]]:
    """Mean recall@10 and MRR@10 per mode (and per mode and theme, under ``mode/theme``)."""
    out: dict[str, dict[str, float]] = {}
    for mode in modes:
        per: dict[str, list[tuple[float, float]]] = {}
        for q in queries:
            hits = lib.search(q["query"], 10, mode=mode, **options)
            pair = score(list(hits["key"]), set(q["relevant"]))
            per.setdefault(mode, []).append(pair)
            per.setdefault(f"{mode}/{q['theme']}", []).append(pair)
        for name, pairs in per.items():
            out[name] = {
                "recall@10": statistics.mean(p[0] for p in pairs),
                "mrr@10": statistics.mean(p[1] for p in pairs),
                "n": len(pairs),
            }
    return out


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """A markdown table: one row per (setting, mode)."""
    lines = [
        "| setting | mode | queries | recall@10 | MRR@10 |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for setting, metrics in results.items():
        for mode in MODES:
            if mode in metrics:
                m = metrics[mode]
                lines.append(
                    f"| {setting} | {mode} | {int(m['n'])} | {m['recall@10']:.3f} | "
                    f"{m['mrr@10']:.3f} |"
                )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", default="index")
    parser.add_argument("--expand", choices=("on", "off", "both"), default="both")
    parser.add_argument("--show", action="store_true", help="per-theme figures")
    parser.add_argument(
        "--split", choices=("dev", "test", "all"), default="all", help="dev: odd ids; test: even"
    )
    args = parser.parse_args()
    lib = rl.open(args.index)
    queries = split(load(), args.split)
    settings = {"off": [False], "on": [True], "both": [False, True]}[args.expand]
    results = {}
    for expand in settings:
        name = "expanded" if expand else "as typed"
        results[name] = evaluate(lib, queries, expand=expand)
    print(table(results))
    if args.show:
        for name, metrics in results.items():
            for key in sorted(k for k in metrics if "/" in k):
                m = metrics[key]
                print(f"{name:10} {key:40} r@10 {m['recall@10']:.2f} mrr {m['mrr@10']:.2f}")


if __name__ == "__main__":
    main()
