"""Themes against hand labels (bench/eval/themes_gold.*: 5 themes x 100 paragraphs, drawn
from a lexical net (L), semantic neighbours outside it (S) and the rest (R), labelled blind;
see bench/eval/themes_gold.md).

For each theme: the old definition (one query, passages at cosine >= 0.6) and the new one
(key phrases, or a passage above the theme's threshold; ``reslens.analysis.themes``), each as
precision and recall on the labelled paragraphs — raw, and weighted by stratum (each labelled
paragraph stands for its stratum's size / its stratum's sample) to estimate the corpus counts.
Thresholds are chosen on the dev split (odd resolution numbers) and reported on test (even).

Usage: python bench/eval_themes.py --index index [--write] [--split test|dev|all]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

import reslens as rl
from reslens.analysis.themes import builtin_themes, phrase_hits

HERE = Path(__file__).resolve().parent
GOLD = HERE / "eval" / "themes_gold.jsonl"
SPEC = HERE / "eval" / "themes_gold.json"
THEMES = HERE.parent / "src" / "reslens" / "data" / "themes.json"
OLD_THRESHOLD = 0.6
#: The least precision a threshold must keep on dev.
MIN_PRECISION = 0.9


def load() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    labels = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x]
    return labels, json.loads(SPEC.read_text(encoding="utf-8"))


def in_split(key: str, split: str) -> bool:
    if split == "all":
        return True
    odd = int(key.split(":")[0]) % 2 == 1
    return odd if split == "dev" else not odd


def paragraph_scores(lib: rl.Library, query: str, keys: list[str]) -> dict[str, float]:
    """Each paragraph's best passage cosine to the query."""
    semantic = lib._semantic_index()
    vector = lib.encode([query])[0]
    out = {}
    for key in keys:
        vids = semantic.vids_of({lib.store.paragraph_id(key)})
        vectors = semantic.passage_vectors([int(v) for v in vids])
        out[key] = float((vectors @ vector).max()) if len(vectors) else -1.0
    return out


def metrics(
    rows: list[dict[str, Any]], predicted: dict[str, bool], sizes: dict[str, int]
) -> dict[str, float]:
    """Raw and stratum-weighted precision and recall."""
    per_stratum: dict[str, int] = {}
    for r in rows:
        per_stratum[r["stratum"]] = per_stratum.get(r["stratum"], 0) + 1
    tp = fp = fn = wtp = wfp = wfn = 0.0
    for r in rows:
        weight = sizes[r["stratum"]] / per_stratum[r["stratum"]]
        guess, truth = predicted[r["key"]], r["label"] == 1
        tp += guess and truth
        fp += guess and not truth
        fn += truth and not guess
        wtp += weight * (guess and truth)
        wfp += weight * (guess and not truth)
        wfn += weight * (truth and not guess)
    return {
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tp / (tp + fn) if tp + fn else float("nan"),
        "w_precision": wtp / (wtp + wfp) if wtp + wfp else float("nan"),
        "w_recall": wtp / (wtp + wfn) if wtp + wfn else float("nan"),
        "positives": tp + fn,
        "n": len(rows),
    }


def choose_threshold(
    rows: list[dict[str, Any]],
    phrase: dict[str, bool],
    score: dict[str, float],
    sizes: dict[str, int],
) -> float | None:
    """The threshold with the best weighted recall at weighted precision >= MIN_PRECISION on
    ``rows`` (ties: the highest threshold); None when no threshold adds recall to the phrases."""
    base = metrics(rows, phrase, sizes)
    best: tuple[float, float] | None = None
    for t in np.arange(0.95, 0.39, -0.01):
        pred = {k: phrase[k] or score[k] >= t for k in phrase}
        m = metrics(rows, pred, sizes)
        gains = m["w_recall"] > base["w_recall"] + 1e-9
        better = best is None or m["w_recall"] > best[1] + 1e-9
        if m["w_precision"] >= MIN_PRECISION and gains and better:
            best = (round(float(t), 2), m["w_recall"])
    return None if best is None else best[0]


def report(lib: rl.Library, split: str = "test") -> tuple[str, dict[str, float | None]]:
    """The markdown table of every theme's definitions on ``split``, and the thresholds chosen
    on dev."""
    labels, spec = load()
    chosen: dict[str, float | None] = {}
    lines = [
        "| theme | definition | labelled (in) | precision | recall | weighted precision "
        "| weighted recall |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    pooled: dict[str, list[tuple[bool, bool]]] = {"before": [], "after": []}
    for name, theme in builtin_themes().items():
        rows = [r for r in labels if r["theme"] == name]
        sizes = spec[name]["strata_sizes"]
        keys = [r["key"] for r in rows]
        hits = phrase_hits(lib.store, theme.phrases)
        phrase = {k: lib.store.paragraph_id(k) in hits for k in keys}
        score = paragraph_scores(lib, theme.query, keys)
        old_score = paragraph_scores(lib, spec[name]["description"], keys)
        dev = [r for r in rows if in_split(r["key"], "dev")]
        chosen[name] = choose_threshold(dev, phrase, score, sizes)
        evaluated = [r for r in rows if in_split(r["key"], split)]
        t = chosen[name]
        old = {k: old_score[k] >= OLD_THRESHOLD for k in keys}
        new = {k: phrase[k] or (t is not None and score[k] >= t) for k in keys}
        definitions = {
            f"before: one query, cosine ≥ {OLD_THRESHOLD}": old,
            "key phrases only": phrase,
            "**the theme**: key phrases" + (f" or cosine ≥ {t:.2f}" if t is not None else ""): new,
        }
        for label, pred in definitions.items():
            m = metrics(evaluated, pred, sizes)
            lines.append(
                f"| {name} | {label} | {m['n']} ({int(m['positives'])}) | {m['precision']:.2f} | "
                f"{m['recall']:.2f} | {m['w_precision']:.2f} | {m['w_recall']:.2f} |"
            )
        for r in evaluated:
            pooled["before"].append((old[r["key"]], r["label"] == 1))
            pooled["after"].append((new[r["key"]], r["label"] == 1))
    for label, pairs in pooled.items():
        tp = sum(1 for g, t in pairs if g and t)
        precision = tp / max(1, sum(1 for g, _ in pairs if g))
        recall = tp / max(1, sum(1 for _, t in pairs if t))
        lines.append(
            f"| all five, pooled | {label} | {len(pairs)} | {precision:.2f} | {recall:.2f} | | |"
        )
    head = (
        f"Split: {split} (even resolution numbers; thresholds chosen on the odd ones: "
        f"{chosen}). Labels: bench/eval/themes_gold.md. Weighted figures count each labelled "
        "paragraph for its stratum (lexical net, semantic neighbours, the rest), estimating "
        "the corpus counts.\n\n"
    )
    return head + "\n".join(lines), chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", default="index")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    parser.add_argument(
        "--write", action="store_true", help="store the dev thresholds in themes.json"
    )
    args = parser.parse_args()
    text, chosen = report(rl.open(args.index), args.split)
    print(text)
    if args.write:
        data = json.loads(THEMES.read_text(encoding="utf-8"))
        for name, value in chosen.items():
            data[name]["threshold"] = value
        THEMES.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote thresholds to {THEMES}")


if __name__ == "__main__":
    main()
