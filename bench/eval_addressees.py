"""Precision and recall of the addressee extractor on the hand-labelled clauses.

The set (``bench/eval/addressees_gold.jsonl``; how it was made: ``addressees_gold.md``) gives,
for 330 operative units sampled across decades and strata, every actor the clause asks,
requires or authorizes to act, as ``{name, category}``. It is split by resolution number:
**dev** (even numbers) was read while improving the extractor, **test** (odd numbers) was not,
and is the figure to quote.

Two levels are scored, each as sets per clause summed over clauses (micro precision and
recall; a clause with no addressee and none found adds nothing to either):

* **category**: the set of categories (``member_states``, ``mission``, …) the clause's
  addressees fall in; the extractor's names are sorted by
  :func:`reslens.language.addressees.category`;
* **name**: the set of names, both sides normalised by :func:`norm` (case, a leading "the",
  "all", "relevant", a possessive) and mapped through :data:`ALIASES` — spellings of one actor
  the gold set and the extractor write differently ("all States" → "Member States", "DRC" →
  "Democratic Republic of the Congo", "Government of the DRC" ↔ "Democratic Republic of the
  Congo government").

The units are read from a built index (``--index``): their text and, by default, the
addressees the build stored; ``--recompute`` runs the current extractor on the stored
paragraphs instead (what a rebuild would store; for quick iteration).

Usage: ``python bench/eval_addressees.py --index index [--split dev|test|all] [--recompute]
[--show]``
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import reslens as rl
from reslens.language.addressees import category
from reslens.language.units import resolution_units

GOLD = Path(__file__).resolve().parent / "eval" / "addressees_gold.jsonl"

#: Spellings of one actor (normalised, see :func:`norm`) → the name both sides are scored by.
ALIASES: dict[str, str] = {
    "states": "member states",
    "all member states": "member states",
    "states members of the united nations": "member states",
    "member states of the united nations": "member states",
    "all parties": "parties",
    "parties concerned": "parties",
    "all parties concerned": "parties",
    "both parties": "parties",
    "parties to armed conflicts": "parties to armed conflict",
    "drc": "democratic republic of the congo",
    "car": "central african republic",
    "ecowas": "economic community of west african states",
    "eccas": "economic community of central african states",
    "au": "african union",
    "oau": "organization of african unity",
    "eu": "european union",
    "sadc": "southern african development community",
    "government of the drc": "government of the democratic republic of the congo",
    "democratic republic of the congo government": (
        "government of the democratic republic of the congo"
    ),
    "congolese government": "government of the democratic republic of the congo",
    "government of the car": "government of the central african republic",
    "central african republic authorities": "authorities of the central african republic",
    "car authorities": "authorities of the central african republic",
    "drc authorities": "authorities of the democratic republic of the congo",
    "congolese authorities": "authorities of the democratic republic of the congo",
    "goss": "government of south sudan",
    "fgs": "federal government of somalia",
    "dprk": "democratic people's republic of korea",
    "cted": "counter-terrorism committee executive directorate",
    "ohchr": "office of the united nations high commissioner for human rights",
    "srsg": "special representative of the secretary-general",
    "united nations country team": "united nations country team",
    "unct": "united nations country team",
    "peacekeeping operations": "united nations peacekeeping operations",
    "entire international community": "international community",
    "international donors": "donors",
}


def norm(name: str) -> str:
    """A name as scored: lower case, inner spaces single, no leading "the", "all",
    "relevant" or trailing possessive, then through :data:`ALIASES`."""
    text = re.sub(r"\s+", " ", name.replace("’", "'")).strip(" ,.;").lower()
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"^(?:the|relevant) ", "", text)
    if text in ALIASES:
        return ALIASES[text]
    bare = re.sub(r"^all (?:the )?", "", text)
    return ALIASES.get(bare, bare)


def load(split: str = "all", path: Path = GOLD) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        row["resolution"] = int(row["key"].split(":")[0])
    if split == "dev":
        return [r for r in rows if r["resolution"] % 2 == 0]
    if split == "test":
        return [r for r in rows if r["resolution"] % 2 == 1]
    return rows


def extracted(lib: rl.Library, rows: list[dict[str, Any]], recompute: bool) -> None:
    """Fill each row's ``text`` and ``found`` (the extractor's names) from the index."""
    keys = [r["key"] for r in rows]
    marks = ",".join("?" * len(keys))
    stored = {
        k: (t, a)
        for k, t, a in lib.store.conn.execute(
            f"SELECT key, text, addressees FROM units WHERE key IN ({marks})", keys
        )
    }
    fresh: dict[str, tuple[str, tuple[str, ...]]] = {}
    if recompute:
        for number in sorted({r["resolution"] for r in rows}):
            res = lib.store.resolution(number, "en")
            if res is not None:
                for unit in resolution_units(res.paragraphs):
                    fresh[unit.key] = (unit.text, unit.addressees)
    for row in rows:
        if recompute:
            text, names = fresh.get(row["key"], ("", ()))
            row["found"] = list(names)
        else:
            text, joined = stored.get(row["key"], ("", ""))
            row["found"] = [n for n in joined.split(", ") if n] if joined else []
        row["text"] = text
        row["missing"] = not text


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "gold": tp + fn}


def score(rows: list[dict[str, Any]], by: str | None = None) -> dict[str, dict[str, Any]]:
    """{group: {level: precision/recall/f1}} for the rows grouped by ``by`` (None: all)."""
    counts: dict[str, dict[str, list[int]]] = defaultdict(
        lambda: {"category": [0, 0, 0], "name": [0, 0, 0]}
    )
    per_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        if row["missing"]:
            continue
        group = "all" if by is None else str(row[by])
        gold_cats = {a["category"] for a in row["addressees"]}
        found_cats = {category(n) for n in row["found"]}
        gold_names = {norm(a["name"]) for a in row["addressees"]}
        found_names = {norm(n) for n in row["found"]}
        for level, gold, found in (
            ("category", gold_cats, found_cats),
            ("name", gold_names, found_names),
        ):
            c = counts[group][level]
            c[0] += len(gold & found)
            c[1] += len(found - gold)
            c[2] += len(gold - found)
        for cat in gold_cats | found_cats:
            pc = per_category[cat]
            pc[0] += cat in gold_cats and cat in found_cats
            pc[1] += cat in found_cats and cat not in gold_cats
            pc[2] += cat in gold_cats and cat not in found_cats
    out: dict[str, dict[str, Any]] = {
        g: {level: _prf(*c) for level, c in levels.items()} for g, levels in counts.items()
    }
    if by is None:
        out["per_category"] = {cat: _prf(*c) for cat, c in sorted(per_category.items())}
    return out


def report(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "clauses": sum(not r["missing"] for r in rows),
        "missing": [r["key"] for r in rows if r["missing"]],
        "overall": score(rows)["all"],
        "per_category": score(rows)["per_category"],
        "per_decade": score(rows, "decade"),
        "per_stratum": score(rows, "stratum"),
    }


def _show(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        gold = {norm(a["name"]) for a in row["addressees"]}
        found = {norm(n) for n in row["found"]}
        gcat = {a["category"] for a in row["addressees"]}
        fcat = {category(n) for n in row["found"]}
        if gold != found or gcat != fcat:
            print(f"{row['key']} [{row['stratum']}]")
            print("  gold :", [a["name"] for a in row["addressees"]], sorted(gcat))
            print("  found:", row["found"], sorted(fcat))
            print("  text :", row["text"][:300].replace("\n", " "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", default="index")
    parser.add_argument("--split", choices=["dev", "test", "all"], default="test")
    parser.add_argument("--recompute", action="store_true")
    parser.add_argument("--show", action="store_true", help="print the clauses scored wrong")
    parser.add_argument("--json", action="store_true", help="the whole report as JSON")
    args = parser.parse_args()
    rows = load(args.split)
    with rl.open(args.index) as lib:
        extracted(lib, rows, args.recompute)
    if args.show:
        _show(rows)
    result = report(rows)
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"split {args.split}: {result['clauses']} clauses")
    for level, prf in result["overall"].items():
        print(f"  {level:9s} P {prf['precision']:.3f}  R {prf['recall']:.3f}  F1 {prf['f1']:.3f}")
    for name in ("per_category", "per_decade", "per_stratum"):
        print(name)
        for group, value in result[name].items():
            prf = value.get("category", value)
            print(
                f"  {group:22s} P {prf['precision']:.3f}  R {prf['recall']:.3f}  (n={prf['gold']})"
            )


if __name__ == "__main__":
    main()
