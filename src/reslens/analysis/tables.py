"""Paragraph tables: one row per paragraph, the columns of ``docs/columns.md``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reslens.language.refs import citation
from reslens.models import Paragraph, Resolution, document_symbol

if TYPE_CHECKING:
    import pandas as pd

PARAGRAPH_COLUMNS = [
    "key",
    "symbol",
    "citation",
    "date",
    "kind",
    "number",
    "section",
    "verbs",
    "strength",
    "max_strength",
    "addressees",
    "citations",
    "text",
    "url",
]


def paragraph_record(res: Resolution | None, para: Paragraph) -> dict[str, Any]:
    """One paragraph as a flat dictionary (the row shape of every paragraph table)."""
    lead = para.leading_verb
    symbol = res.symbol if res else document_symbol(para.resolution)
    return {
        "key": para.key,
        "symbol": symbol,
        "citation": citation(symbol, para.key),
        "date": res.date if res else None,
        "kind": para.kind,
        "number": para.number,
        "section": para.section,
        "verbs": ", ".join(v.lemma or v.text for v in para.verbs),
        "strength": lead.strength if lead else None,
        "max_strength": max((v.strength for v in para.verbs if v.strength), default=None),
        "addressees": ", ".join(para.addressees),
        "citations": ", ".join(str(c.number) for c in para.citations),
        "text": para.text,
        "url": res.url if res else None,
    }


def paragraphs_frame(res: Resolution | None, paras: Sequence[Paragraph]) -> pd.DataFrame:
    """A DataFrame of paragraphs with the columns ``PARAGRAPH_COLUMNS``."""
    import pandas as pd

    return pd.DataFrame([paragraph_record(res, p) for p in paras], columns=PARAGRAPH_COLUMNS)
