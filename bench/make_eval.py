"""Build the retrieval evaluation set from the corpus itself (deterministic; committed as JSONL).

How the set is made:
  1. Resolutions on the same agenda item (English, AKN) are ordered by number; each one is
     paired with the previous one on that item (typically a mandate renewal and the renewal
     before it).
  2. For every operative paragraph of the later resolution (25+ words) the most similar
     operative paragraph of the earlier one is found (difflib ratio over words); pairs that are
     each other's best match, and neither identical nor unrelated, are kept:
       near     — ratio 0.80–0.97: the paragraph carried forward with edits;
       modified — ratio 0.50–0.80: the same obligation substantially redrafted.
  3. 100 pairs per stratum are drawn with a fixed seed.
  4. The query is the text of the later paragraph (looked up in the store: the file keeps keys
     only, no corpus text); the relevant set is the earlier paragraph plus every
     other paragraph adopted before the later resolution whose text is a near-copy of it
     (ratio >= 0.9; candidates from FTS5), since an older identical version is also a right
     answer to "where was this language used before?".
The search excludes the query's own resolution and anything adopted after it.

Usage: python bench/make_eval.py --index index  (writes bench/eval/pairs.jsonl)
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from reslens.search.lexical import fts_query
from reslens.store.db import DB_NAME, Store

OUT = Path(__file__).resolve().parent / "eval" / "pairs.jsonl"
PER_STRATUM = 100
SEED = 2331


def ratio(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args()
    store = Store.open(args.index / DB_NAME)
    conn = store.conn
    by_item: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for number, year, item in conn.execute(
        "SELECT number, year, agenda_item FROM resolutions WHERE language = 'en' "
        "AND source_format = 'akn' AND agenda_item IS NOT NULL ORDER BY number"
    ):
        by_item[item].append((number, year))
    ops: dict[int, list[tuple[str, list[str], str]]] = defaultdict(list)
    for resolution, key, text in conn.execute(
        "SELECT resolution, key, text FROM paragraphs WHERE language = 'en' AND kind = 'operative'"
    ):
        ops[resolution].append((key, text.split(), text))
    strata: dict[str, list[dict[str, object]]] = {"near": [], "modified": []}
    for item, numbers in by_item.items():
        for (r1, _y1), (r2, y2) in itertools.pairwise(numbers):
            earlier, later = ops.get(r1, []), ops.get(r2, [])
            for key2, words2, _text2 in later:
                if len(words2) < 25:
                    continue
                scored = [
                    (ratio(words2, w1), key1, w1)
                    for key1, w1, _ in earlier
                    if difflib.SequenceMatcher(None, words2, w1).real_quick_ratio() >= 0.5
                ]
                if not scored:
                    continue
                best, key1, words1 = max(scored)
                if not 0.5 <= best < 0.97:
                    continue
                back = max(ratio(words1, w) for _, w, _ in later)
                if back > best:
                    continue  # not mutual
                stratum = "near" if best >= 0.8 else "modified"
                strata[stratum].append(
                    {
                        "query_key": key2,
                        "year": y2,
                        "resolution": r2,
                        "gold": key1,
                        "ratio": round(best, 3),
                        "stratum": stratum,
                        "item": item,
                    }
                )
    rng = random.Random(SEED)
    chosen: list[dict[str, object]] = []
    for name, pairs in sorted(strata.items()):
        pairs.sort(key=lambda p: str(p["query_key"]))
        chosen.extend(rng.sample(pairs, min(PER_STRATUM, len(pairs))))
        print(f"{name}: {len(pairs)} candidate pairs, {min(PER_STRATUM, len(pairs))} drawn")
    for pair in chosen:
        gold_text = conn.execute(
            "SELECT text FROM paragraphs WHERE key = ?", (pair["gold"],)
        ).fetchone()[0]
        gold_words = gold_text.split()
        relevant = {str(pair["gold"])}
        rows = conn.execute(
            "SELECT p.key, p.text FROM paragraphs_fts f JOIN paragraphs p ON p.id = f.rowid "
            "WHERE paragraphs_fts MATCH ? AND p.language = 'en' AND p.resolution < ? "
            "ORDER BY bm25(paragraphs_fts) LIMIT 60",
            (fts_query(gold_text), pair["resolution"]),
        )
        for key, text in rows:
            if ratio(gold_words, text.split()) >= 0.9:
                relevant.add(key)
        pair["relevant"] = sorted(relevant)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as handle:
        for pair in sorted(chosen, key=lambda p: str(p["query_key"])):
            handle.write(json.dumps(pair, ensure_ascii=False) + "\n")
    print(f"wrote {len(chosen)} pairs to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
