"""``precedents(prefer="recent")`` against the default on operative paragraphs used as drafts.

Forty operative paragraphs (20–80 words) of randomly drawn resolutions of a number range are
searched as drafts, their own resolution left out; the top-3 precedents at or above the
threshold are compared: their share adopted in 2015 or later, before 2000, and their mean cosine.

    python bench/eval_recency.py [INDEX]
"""

from __future__ import annotations

import random
import sys

import pandas as pd

import reslens as rl
from reslens.analysis.precedents import (
    DEFAULT_THRESHOLD,
    RECENCY_WEIGHT,
    RECENT_POOL,
    RECENT_YEARS,
    _weighted,
)


def drafts(lib: rl.Library, low: int, high: int, n: int = 40) -> dict[str, int]:
    """Draft text → its resolution, drawn with a fixed seed."""
    rng = random.Random(14)
    out: dict[str, int] = {}
    for number in rng.sample(range(low, high), 60):
        try:
            res = lib.resolution(number)
        except rl.NotFoundError:
            continue
        ops = [p for p in res.operative() if 20 <= len(p.text.split()) <= 80]
        if ops:
            out[rng.choice(ops).text] = number
        if len(out) == n:
            break
    return out


def others(hits: pd.DataFrame, own: dict[str, int]) -> pd.DataFrame:
    """``hits`` without those of each draft's own resolution."""
    keys = zip(hits["key"], hits["query"], strict=True)
    return hits[[int(k.split(":")[0]) != own[q] for k, q in keys]]


def main(index: str) -> None:
    lib = rl.open(index)
    first, last = lib.years()
    for low, high in ((1300, 2200), (2200, 2800)):
        own = drafts(lib, low, high)
        texts = list(own)

        pool = others(lib.search(texts, RECENT_POOL + 10, mode="semantic"), own)
        pool = pool.groupby("query", sort=False).head(RECENT_POOL)
        since = last - RECENT_YEARS + 1
        recent = others(lib.search(texts, 13, since=since, mode="semantic"), own)
        recent = recent.groupby("query", sort=False).head(3)
        both = pd.concat([pool, recent]).drop_duplicates(["query", "key"])
        for name, hits, weight in (("similar", pool, 0.0), ("recent", both, RECENCY_WEIGHT)):
            ranked = _weighted(hits, DEFAULT_THRESHOLD, weight, (first, last))
            top = ranked.groupby("query", sort=False).head(3)
            top = top[top["score"] >= DEFAULT_THRESHOLD]
            late, early = (top["year"] >= 2015).mean(), (top["year"] < 2000).mean()
            print(
                f"S/RES/{low}–{high - 1} {name:>7}: {len(top)} precedents, ≥2015 {late:.2f}, "
                f"<2000 {early:.2f}, mean cosine {top['score'].mean():.3f}"
            )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "index")
