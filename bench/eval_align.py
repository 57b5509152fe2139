"""Alignment quality on bench/eval/align_pairs.json (hand-read gold alignments).

Each gold pair lists the ``links`` a correct alignment must find (sub-point links written as
``2331:op2(b)``), ``optional`` links that are defensible but not required (a predicted optional
link is neither a hit nor a false link), the ``new`` and ``dropped`` paragraphs, and where the
pair has one, the ``moved`` links. Keys only; the texts come from the index.

Scores, per pair and overall (micro-averaged):

* ``links`` — precision / recall of the predicted links, exact (sub-point labels included);
* ``links@para`` — the same with sub-point labels stripped on both sides (a whole-paragraph
  link for a split counts);
* ``new`` / ``dropped`` — precision / recall of the predicted sets; keys that occur only in
  optional links are left out of both sides;
* ``moved`` — precision / recall of the ``moved`` label on the pairs that give a gold list.

Two scopes (every pair is labelled with its preambles, ``"preambles_labelled": true``):

* ``operative`` — only links between two operative paragraphs, and only operative keys in
  ``new``/``dropped``; an operative key whose gold links all cross to a preambular paragraph is
  left out of ``new``/``dropped`` (it has no counterpart in this scope, nor is it "new");
* ``all`` — every link, preambular and cross-kind (op↔pp) ones included.

``--preambles`` aligns whole resolutions (:func:`reslens.analysis.align_full.align_resolutions`:
preambles, operative paragraphs and cross-kind links); without it only the operative paragraphs
are aligned, as ``Library.align`` did before issue 14.

Usage:
    python bench/eval_align.py --index /tmp/sub/index [--lexical] [--grid] [--show]
        [--containment C] [--preambles] [--pairs tune|test|all]
    python bench/eval_align.py --agreement   # the second reading against the gold
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

import reslens as rl
from reslens.analysis.align import (
    DEFAULT_POINT_THRESHOLD,
    DEFAULT_SEMANTIC_WEIGHT,
    Alignment,
    align,
)
from reslens.analysis.align_full import align_resolutions
from reslens.analysis.similarity import SEMANTIC_CONTAINMENT_WEIGHT

GOLD = Path(__file__).resolve().parent / "eval" / "align_pairs.json"
METRICS = ("links", "links@para", "new", "dropped", "moved")
SCOPES = ("operative", "all")

TUNE = {"2331-2388", "2338-2369", "2304-2327", "839-889", "1325-1889", "2213-2238"}
"""The pairs the preamble alignment was tuned on (issue 14); the other six are held out."""
_POINT = re.compile(r"\([^)]*\)$")

Counts = dict[str, list[int]]  # metric -> [true positives, false positives, false negatives]


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    """The gold pairs."""
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _strip(key: str) -> str:
    return _POINT.sub("", key)


def _links(items: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    out = set()
    for item in items:
        a, b = item
        out.add((a, b))
    return out


def _score(predicted: set[Any], gold: set[Any], ignore: set[Any]) -> list[int]:
    tp = len(predicted & gold)
    fp = len(predicted - gold - ignore)
    fn = len(gold - predicted)
    return [tp, fp, fn]


def _operative(key: str) -> bool:
    return ":op" in key


def restrict(gold: dict[str, Any], scope: str) -> tuple[dict[str, Any], set[str]]:
    """The gold pair seen in ``scope`` and the keys to leave out of ``new``/``dropped`` there."""
    if scope == "all":
        return gold, set()
    both = [link for link in gold["links"] if _operative(link[0]) and _operative(link[1])]
    crossing = {k for link in gold["links"] for k in link if _operative(k)} - {
        k for link in both for k in link
    }
    out = dict(gold)
    out["links"] = both
    out["optional"] = [
        link for link in gold.get("optional", []) if _operative(link[0]) and _operative(link[1])
    ]
    out["new"] = [k for k in gold["new"] if _operative(k)]
    out["dropped"] = [k for k in gold["dropped"] if _operative(k)]
    if "moved" in gold:
        out["moved"] = [m for m in gold["moved"] if _operative(m[0]) and _operative(m[1])]
    return out, {_strip(k) for k in crossing}


def score_pair(alignment: Alignment, gold: dict[str, Any], scope: str = "all") -> Counts:
    """True/false positives and misses of one alignment against its gold pair, in ``scope``."""
    gold, crossing = restrict(gold, scope)
    links = _links(gold["links"])
    optional = _links(gold.get("optional", []))
    predicted = set(alignment.links())
    if scope == "operative":
        predicted = {(a, b) for a, b in predicted if _operative(a) and _operative(b)}
    out: Counts = {"links": _score(predicted, links, optional)}

    def para(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        return {(_strip(a), _strip(b)) for a, b in pairs}

    out["links@para"] = _score(para(predicted), para(links), para(optional))
    req_a = {_strip(a) for a, _ in links}
    req_b = {_strip(b) for _, b in links}
    amb_a = {_strip(a) for a, _ in optional} - req_a
    amb_b = {_strip(b) for _, b in optional} - req_b
    new = {r.b_key for r in alignment.rows if r.status == "new" and r.b_key}
    dropped = {r.a_key for r in alignment.rows if r.status == "dropped" and r.a_key}
    if scope == "operative":
        new = {k for k in new if _operative(k)}
        dropped = {k for k in dropped if _operative(k)}
    out["new"] = _score(new, set(gold["new"]), amb_b | crossing)
    out["dropped"] = _score(dropped, set(gold["dropped"]), amb_a | crossing)
    if "moved" in gold:
        moved = {(r.a, r.b) for r in alignment.rows if r.status == "moved"}
        if scope == "operative":
            moved = {(a, b) for a, b in moved if a and b and _operative(a) and _operative(b)}
        out["moved"] = _score(moved, _links(gold["moved"]), set())
    return out


def prf(counts: list[int]) -> tuple[float, float, float]:
    """Precision, recall, F1 of ``[tp, fp, fn]`` (1.0 where nothing was expected or said)."""
    tp, fp, fn = counts
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def cached_encoder(encode: Callable[[list[str]], np.ndarray]) -> Callable[[list[str]], np.ndarray]:
    """Memoise an encode function per text (a parameter sweep embeds each text once)."""
    memo: dict[str, np.ndarray] = {}

    def run(texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in memo]
        if missing:
            for text, vector in zip(missing, encode(missing), strict=True):
                memo[text] = vector
        return np.vstack([memo[t] for t in texts])

    return run


def run(
    lib: rl.Library,
    gold: list[dict[str, Any]],
    *,
    encode: Callable[[list[str]], np.ndarray] | None,
    preambles: bool = False,
    **options: Any,
) -> list[Alignment]:
    """The alignment of every gold pair (whole resolutions with ``preambles``, else operative
    paragraphs only)."""
    alignments = []
    for pair in gold:
        res_a, res_b = lib.resolution(int(pair["a"])), lib.resolution(int(pair["b"]))
        if preambles:
            result = align_resolutions(res_a, res_b, encode=encode, **options)
        else:
            result = align(
                res_a.operative(),
                res_b.operative(),
                encode=encode,
                a_label=res_a.symbol,
                b_label=res_b.symbol,
                **options,
            )
        alignments.append(result)
    return alignments


def score(
    alignments: list[Alignment], gold: list[dict[str, Any]], scope: str = "all"
) -> dict[str, Counts]:
    """Counts per pair (``"2331-2388"``) and overall (``"all"``) in ``scope``."""
    per: dict[str, Counts] = {}
    total: Counts = {m: [0, 0, 0] for m in METRICS}
    for result, pair in zip(alignments, gold, strict=True):
        counts = score_pair(result, pair, scope)
        per[f"{pair['a']}-{pair['b']}"] = counts
        for metric, values in counts.items():
            total[metric] = [x + y for x, y in zip(total[metric], values, strict=True)]
    per["all"] = total
    return per


def evaluate(
    lib: rl.Library,
    gold: list[dict[str, Any]],
    *,
    encode: Callable[[list[str]], np.ndarray] | None,
    scope: str = "all",
    preambles: bool = False,
    **options: Any,
) -> tuple[dict[str, Counts], list[Alignment]]:
    """Counts per pair and overall in ``scope``, and the alignments."""
    alignments = run(lib, gold, encode=encode, preambles=preambles, **options)
    return score(alignments, gold, scope), alignments


def table(per: dict[str, Counts]) -> str:
    """A Markdown table: precision / recall per pair and metric."""
    lines = [
        "| pair | " + " | ".join(f"{m} P / R" for m in METRICS) + " |",
        "| --- |" + " ---: |" * len(METRICS),
    ]
    for name, counts in per.items():
        cells = []
        for metric in METRICS:
            if metric in counts and any(counts[metric]):
                p, r, _ = prf(counts[metric])
                cells.append(f"{p:.2f} / {r:.2f}")
            else:
                cells.append("–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def objective(per: dict[str, Counts]) -> float:
    """What the sweep maximises: the mean F1 of exact links, new and dropped (overall)."""
    total = per["all"]
    return float(np.mean([prf(total[m])[2] for m in ("links", "new", "dropped")]))


def grid(
    lib: rl.Library, gold: list[dict[str, Any]], encode: Any, preambles: bool = False
) -> list[tuple[float, ...]]:
    """Sweep semantic weight × threshold × point threshold (scope ``all``); best first."""
    rows: list[tuple[float, ...]] = []
    weights = (0.0, 0.25, 0.5, 0.75, 1.0) if encode is not None else (0.0,)
    for weight in weights:
        for threshold in np.arange(0.30, 0.71, 0.05):
            for point_threshold in (0.35, 0.45, 0.55):
                per, _ = evaluate(
                    lib,
                    gold,
                    encode=encode,
                    semantic_weight=weight,
                    threshold=float(threshold),
                    point_threshold=point_threshold,
                    preambles=preambles,
                )
                total = per["all"]
                rows.append(
                    (
                        objective(per),
                        weight,
                        float(threshold),
                        point_threshold,
                        *prf(total["links"])[:2],
                        prf(total["new"])[2],
                        prf(total["dropped"])[2],
                    )
                )
    rows.sort(reverse=True)
    return rows


SECOND = Path(__file__).resolve().parent / "eval" / "align_second_reading.json"


def agreement(gold: list[dict[str, Any]], second: list[dict[str, Any]]) -> str:
    """How a second, blind reading of some pairs agrees with the gold: required links both
    readers give, and those only one gives (with what the other called them)."""
    first = {(g["a"], g["b"]): g for g in gold}
    lines = [
        "| pair | links (1st / 2nd) | required by both | agreement F1 | only the 2nd requires "
        "| of which the 1st calls optional | only the 1st requires |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for other in second:
        mine = first[(other["a"], other["b"])]
        one, two = _links(mine["links"]), _links(other["links"])
        both = one & two
        f1 = 2 * len(both) / (len(one) + len(two)) if one or two else 1.0
        lines.append(
            f"| {other['a']} → {other['b']} | {len(one)} / {len(two)} | {len(both)} | {f1:.2f} "
            f"| {len(two - one)} | {len((two - one) & _links(mine['optional']))} "
            f"| {len(one - two)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--lexical", action="store_true", help="no embeddings")
    parser.add_argument("--grid", action="store_true", help="sweep the parameters")
    parser.add_argument("--show", action="store_true", help="print every alignment")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--point-threshold", type=float, default=DEFAULT_POINT_THRESHOLD)
    parser.add_argument("--weight", type=float, default=DEFAULT_SEMANTIC_WEIGHT)
    parser.add_argument(
        "--containment",
        type=float,
        default=SEMANTIC_CONTAINMENT_WEIGHT,
        help="damping of the semantic containment term (0 = cosine of the means only)",
    )
    parser.add_argument(
        "--preambles", action="store_true", help="align whole resolutions (issue 14)"
    )
    parser.add_argument(
        "--pairs",
        choices=("all", "tune", "test"),
        default="all",
        help="the pairs tuned on (TUNE), the others, or all",
    )
    parser.add_argument(
        "--agreement",
        action="store_true",
        help="how the second reading (eval/align_second_reading.json) agrees with the gold",
    )
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    if args.agreement:
        print(agreement(gold, load_gold(SECOND)))
        return 0
    lib = rl.open(args.index)
    if args.pairs != "all":
        gold = [g for g in gold if (f"{g['a']}-{g['b']}" in TUNE) == (args.pairs == "tune")]
    encode = None if args.lexical or lib.manifest is None else cached_encoder(lib.cached_encode)
    if args.grid:
        print(
            "| objective | weight | threshold | point thr. | links P | links R | new F1 | "
            "dropped F1 |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )
        for values in grid(lib, gold, encode, args.preambles)[:15]:
            print(
                "| "
                + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in values)
                + " |"
            )
        return 0
    alignments = run(
        lib,
        gold,
        encode=encode,
        preambles=args.preambles,
        threshold=args.threshold,
        point_threshold=args.point_threshold,
        semantic_weight=args.weight,
        semantic_containment=args.containment,
    )
    if args.show:
        for result in alignments:
            print(repr(result))
            for row in result.rows:
                sim = "" if row.similarity is None else f"{row.similarity:.2f}"
                print(f"  {row.status:9} {row.a or '':14} {row.b or '':14} {sim}")
    mode = (
        "lexical"
        if encode is None
        else f"semantic weight {args.weight}, containment {args.containment}"
    )
    aligned = "whole resolutions" if args.preambles else "operative paragraphs only"
    print(
        f"{mode}, threshold {args.threshold}, point threshold {args.point_threshold}; "
        f"aligned: {aligned}; pairs: {args.pairs}\n"
    )
    for scope in SCOPES:
        per = score(alignments, gold, scope)
        print(f"scope: {scope}\n")
        print(table(per))
        print(f"objective (mean F1 of links, new, dropped): {objective(per):.3f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
