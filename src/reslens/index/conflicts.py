"""When two files give one resolution in one language: do their texts conflict, and where?

The build keeps one of them by rank (:func:`reslens.index.placing.place_resolution`); a conflict
is reported besides, so that a choice between two different texts is never silent.
"""

from __future__ import annotations

from reslens.models import Resolution
from reslens.sources.source import UNRECORDED
from reslens.store.db import SOURCE_PRIORITY


def texts(res: Resolution) -> list[tuple[str, str]]:
    """(key, text) of every paragraph, in order: what two texts of a resolution compare by."""
    return [(p.key, p.text) for p in res.paragraphs]


def conflicting(a: Resolution, b: Resolution, levels: tuple[int, int]) -> bool:
    """Whether two texts of one resolution conflict: their paragraphs differ, and either the
    two files are of one format (the duplicate rule would pick by year folder, paragraph
    count or name) or one of them is not as fetched (``levels``: their provenance levels).
    Texts of two formats that are both as fetched differ as a matter of course (born-digital
    AKN against hand-corrected OCR) and the format decides: no conflict."""
    if texts(a) == texts(b):
        return False
    same_format = SOURCE_PRIORITY.get(a.source_format) == SOURCE_PRIORITY.get(b.source_format)
    return same_format or UNRECORDED in levels


def difference(a: Resolution, b: Resolution) -> str:
    """Where two texts of one resolution part, e.g. ``"4 and 3 paragraphs, first at op1"``."""
    ta, tb = texts(a), texts(b)
    first = next((x[0] for x, y in zip(ta, tb, strict=False) if x != y), None)
    if first is None:  # one is the other plus paragraphs at the end
        longer = ta if len(ta) > len(tb) else tb
        first = longer[min(len(ta), len(tb))][0]
    return f"{len(ta)} and {len(tb)} paragraphs, first at {first.split(':', 1)[-1]}"


__all__ = ["conflicting", "difference", "texts"]
