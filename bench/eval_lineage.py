"""Lineage quality on the hand-read cases (``bench/eval/lineage_gold.json``; how they were made:
``lineage_gold.md``): today's graph (``Library.lineage``) against the earlier greedy walk
(``Library.walk``, kept for comparison).

For each case:
- **ancestor found**: each true parent is in the returned lineage (a unit of the parent, or the
  parent's paragraph when the gold names a clause the units number differently);
- **parent-edge precision**: of the parents the method gives the starting unit(s), the share
  that are true parents or verified ancestors (paragraph level);
- the walk is paragraph-level: its step −1 is its parent.

Usage: ``python bench/eval_lineage.py --index index [--show] [--write bench/RESULTS.md]``
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from pathlib import Path
from typing import Any

import reslens as rl

GOLD = Path(__file__).resolve().parent / "eval" / "lineage_gold.json"


def load(split: str = "all") -> list[dict[str, Any]]:
    """The cases; ``dev`` (odd case numbers) was read while tuning the graph, ``test`` (even)
    was not."""
    cases: list[dict[str, Any]] = json.loads(GOLD.read_text(encoding="utf-8"))
    if split == "all":
        return cases
    odd = [c for c in cases if int(c["id"].lstrip("c")) % 2 == 1]
    return odd if split == "dev" else [c for c in cases if c not in odd]


def paragraph_of(key: str) -> str:
    """``2331:op23.1`` / ``2331:op2(c)`` → ``2331:op23`` / ``2331:op2``."""
    return re.sub(r"(\(.*|\.\d+)$", "", key.split("(")[0].split(".")[0]) if ":" in key else key


def _matches(found: set[str], found_paragraphs: set[str], wanted: str) -> bool:
    return wanted in found or paragraph_of(wanted) in found_paragraphs


def evaluate_graph(lib: rl.Library, cases: list[dict[str, Any]], show: bool) -> dict[str, Any]:
    found_parents = total_parents = cases_all = 0
    edge_ok = edge_all = 0
    off_flags = 0
    times: list[float] = []
    for case in cases:
        key = case["unit"]
        try:
            started = time.perf_counter()
            lin = lib.lineage(key)
            times.append(time.perf_counter() - started)
        except rl.ReslensError:
            lin = lib.lineage(paragraph_of(key))
        keys = set(lin.nodes["key"])
        paragraphs = {paragraph_of(k) for k in keys}
        hits = [_matches(keys, paragraphs, p) for p in case["true_parents"]]
        found_parents += sum(hits)
        total_parents += len(hits)
        cases_all += all(hits)
        good = {paragraph_of(p) for p in case["true_parents"] + case.get("ancestors", [])}
        edges = lin.edges[lin.edges["via"] != "citation"]
        direct = edges[edges["child"].isin(set(lin.start))]
        for parent in direct["parent"]:
            edge_all += 1
            edge_ok += paragraph_of(parent) in good
            if show and paragraph_of(parent) not in good:
                print(case["id"], key, case["category"], "wrong parent", parent)
        off_flags += bool(lin.off_item)
        if show and not all(hits):
            print(
                case["id"],
                key,
                case["category"],
                "missing",
                [p for p, h in zip(case["true_parents"], hits, strict=True) if not h],
            )
            print("   direct parents:", list(direct["parent"])[:8])
    return {
        "parents found": round(found_parents / total_parents, 3),
        "cases with every parent found": round(cases_all / len(cases), 3),
        "parent-edge precision": round(edge_ok / edge_all, 3) if edge_all else None,
        "parent edges": edge_all,
        "lineages flagged off item": off_flags,
        "p50 ms": round(1000 * statistics.median(times), 1) if times else None,
        "max ms": round(1000 * max(times), 1) if times else None,
    }


def evaluate_walk(lib: rl.Library, cases: list[dict[str, Any]]) -> dict[str, Any]:
    found_parents = total_parents = cases_all = 0
    edge_ok = edge_all = 0
    times: list[float] = []
    for case in cases:
        key = paragraph_of(case["unit"])
        started = time.perf_counter()
        df = lib.walk(key)
        times.append(time.perf_counter() - started)
        keys = set(df["key"])
        hits = [paragraph_of(p) in keys for p in case["true_parents"]]
        found_parents += sum(hits)
        total_parents += len(hits)
        cases_all += all(hits)
        good = {paragraph_of(p) for p in case["true_parents"] + case.get("ancestors", [])}
        earlier = df[df["step"] == -1]
        for parent in earlier["key"]:
            edge_all += 1
            edge_ok += parent in good
    return {
        "parents found": round(found_parents / total_parents, 3),
        "cases with every parent found": round(cases_all / len(cases), 3),
        "parent-edge precision": round(edge_ok / edge_all, 3) if edge_all else None,
        "parent edges": edge_all,
        "p50 ms": round(1000 * statistics.median(times), 1),
        "max ms": round(1000 * max(times), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", default="index")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--no-walk", action="store_true", help="skip the (slow) old walk")
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    args = parser.parse_args()
    cases = load(args.split)
    lib = rl.open(args.index)
    graph = evaluate_graph(lib, cases, args.show)
    print("graph", json.dumps(graph))
    by: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        by.setdefault(case["category"], []).append(case)
    for category, group in sorted(by.items()):
        print(f"  {category:10} n={len(group):2}", json.dumps(evaluate_graph(lib, group, False)))
    if not args.no_walk:
        print("walk", json.dumps(evaluate_walk(lib, cases)))


if __name__ == "__main__":
    main()
