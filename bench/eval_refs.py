"""Precision and recall of the paragraph-reference parser on the hand-labelled set.

The set (``bench/eval/refs_gold.jsonl``, how it was made: ``refs_gold.md``) lists, for 333
sampled paragraphs, every paragraph-level reference they make. It is split by resolution
number: **dev** (even numbers) was read while improving the parser, **test** (odd numbers)
was not, and is the figure to quote.

A reference counts as the tuple (cited resolution, cited paragraph, self); a sub-point is
scored separately (the share of gold sub-point references whose labels the parser gives).
Relations are scored on the references found (accuracy).

The set holds keys and labels only (the corpus stays where it is): each paragraph's text is
read from a built index (``--index``); the few paragraphs an index does not key the same way
(annex items, unnumbered paragraphs of 1951–1974) are skipped and counted.

Usage: ``python bench/eval_refs.py --index index [--split dev|test|all] [--show]``
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

import reslens as rl
from reslens.language.paragraph_refs import find_paragraph_refs
from reslens.language.verbs import detect_verbs

GOLD = Path(__file__).resolve().parent / "eval" / "refs_gold.jsonl"


def with_texts(rows: list[dict[str, Any]], lib: rl.Library) -> list[dict[str, Any]]:
    """The rows whose paragraph the index holds, each with its ``text``."""
    out = []
    for row in rows:
        try:
            para = lib.paragraph(row["key"])
        except rl.ReslensError:
            continue
        out.append({**row, "text": para.text})
    return out


def load(split: str = "all", path: Path = GOLD) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if split == "dev":
        return [r for r in rows if r["resolution"] % 2 == 0]
    if split == "test":
        return [r for r in rows if r["resolution"] % 2 == 1]
    return rows


def _gold_tuples(
    row: dict[str, Any],
) -> tuple[Counter[tuple[int, str, bool]], dict[Any, str], dict[Any, set[str]]]:
    tuples: Counter[tuple[int, str, bool]] = Counter()
    relations: dict[Any, str] = {}
    points: dict[Any, set[str]] = {}
    for ref in row["refs"]:
        for para in ref["cited_paragraphs"]:
            key = (int(ref["cited_resolution"]), str(para), bool(ref["self"]))
            tuples[key] += 1
            relations.setdefault(key, ref["relation"])
            if ref.get("cited_subpoint"):
                labels = {p.split(".")[0] for p in str(ref["cited_subpoint"]).split(",")}
                points.setdefault(key, set()).update(labels)
    return tuples, relations, points


def evaluate(rows: list[dict[str, Any]], show: bool = False) -> dict[str, float]:
    tp = fp = fn = 0
    rel_ok = rel_all = 0
    pt_ok = pt_all = 0
    for row in rows:
        gold, relations, points = _gold_tuples(row)
        kind = "preambular" if row["kind"] == "preambular" else "operative"
        verbs = detect_verbs(row["text"], kind)
        lemma = verbs[0].lemma if verbs else None
        found: Counter[tuple[int, str, bool]] = Counter()
        found_rel: dict[Any, str] = {}
        found_pts: dict[Any, set[str]] = {}
        for ref in find_paragraph_refs(row["text"], resolution=row["resolution"], verb=lemma):
            for para in ref.paragraphs:
                key = (ref.resolution, para, ref.self_ref)
                found[key] += 1
                found_rel.setdefault(key, ref.relation)
                found_pts.setdefault(key, set()).update(ref.points_of(para))
        hit = gold & found
        tp += sum(hit.values())
        fp += sum((found - gold).values())
        fn += sum((gold - found).values())
        for key in hit:
            rel_all += 1
            rel_ok += found_rel.get(key) == relations.get(key)
        for key, labels in points.items():
            pt_all += 1
            pt_ok += labels <= found_pts.get(key, set())
        if show and (found - gold or gold - found):
            print(row["key"], "| missed:", sorted(gold - found), "| extra:", sorted(found - gold))
            print("   ", row["text"][:300])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "paragraphs": len(rows),
        "references": tp + fn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "relation accuracy": round(rel_ok / rel_all, 3) if rel_all else 0.0,
        "sub-point recall": round(pt_ok / pt_all, 3) if pt_all else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", default="index")
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--show", action="store_true", help="print the paragraphs with errors")
    args = parser.parse_args()
    lib = rl.open(args.index)
    for split in ("dev", "test", "all") if args.split == "all" else (args.split,):
        rows = load(split)
        kept = with_texts(rows, lib)
        result = evaluate(kept, show=args.show and split != "test")
        print(split, {**result, "skipped (not keyed in the index)": len(rows) - len(kept)})


if __name__ == "__main__":
    main()
