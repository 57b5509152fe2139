"""Themes a researcher can cite: a theme is a query, key phrases and a calibrated semantic
threshold, and a paragraph is about the theme when

- it contains one of the key phrases (SQLite FTS5 phrase match: case, inflection and
  punctuation between the words do not matter — "sexual violence" finds "Sexual violences,"),
  or
- one of its passages is at least ``threshold`` similar to the query (cosine), when the theme
  has a threshold.

A short query at a fixed threshold cannot define a theme (it finds 6 of the ~800 paragraphs
on sexual violence at 0.7): the key phrases carry recall and precision, the threshold adds
paraphrases. The built-in themes (``reslens/data/themes.json``) were labelled by hand, 100
paragraphs each; ``bench/eval_themes.py`` chose their thresholds on half of the labels and
reports precision and recall on the other half (README, bench/RESULTS.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from reslens.errors import ReslensError
from reslens.language.tokens import WORD
from reslens.store.db import Store
from reslens.store.queries import phrase_paragraphs


@dataclass(frozen=True)
class Theme:
    """What makes a paragraph part of a theme.

    Attributes:
        name: a short name (``"trafficking"``), shown in titles.
        query: the text embedded for the semantic side.
        phrases: key phrases; a paragraph containing any is in.
        threshold: the least passage similarity to ``query`` for a paragraph without a key
            phrase to be in; None: key phrases only.
    """

    name: str
    query: str
    phrases: tuple[str, ...] = field(default=())
    threshold: float | None = None

    def __post_init__(self) -> None:
        if self.threshold is not None and not 0.0 < self.threshold <= 1.0:
            raise ReslensError(f"threshold must be in (0, 1], not {self.threshold}")
        if not self.phrases and self.threshold is None:
            raise ReslensError(f"theme {self.name!r} needs key phrases or a threshold")
        for phrase in self.phrases:
            if not WORD.search(phrase):
                raise ReslensError(f"key phrase {phrase!r} of theme {self.name!r} has no words")

    def describe(self) -> str:
        """One line: the phrases and the threshold."""
        parts = []
        if self.phrases:
            shown = ", ".join(repr(p) for p in self.phrases[:4])
            more = f" +{len(self.phrases) - 4}" if len(self.phrases) > 4 else ""
            parts.append(f"phrases {shown}{more}")
        if self.threshold is not None:
            parts.append(f"similarity ≥ {self.threshold:.2f} to {self.query!r}")
        return " or ".join(parts)


@lru_cache(maxsize=1)
def builtin_themes() -> dict[str, Theme]:
    """The calibrated themes shipped with reslens, by name."""
    text = resources.files("reslens").joinpath("data/themes.json").read_text("utf-8")
    out = {}
    for name, spec in json.loads(text).items():
        out[name] = Theme(
            name=name,
            query=str(spec["query"]),
            phrases=tuple(spec.get("phrases", ())),
            threshold=None if spec.get("threshold") is None else float(spec["threshold"]),
        )
    return out


def theme(name: str) -> Theme:
    """A built-in theme by name (see :func:`builtin_themes`)."""
    themes = builtin_themes()
    if name not in themes:
        raise ReslensError(f"no built-in theme {name!r}; there are: {', '.join(sorted(themes))}")
    return themes[name]


def fts_phrase(phrase: str) -> str:
    """An FTS5 phrase query for ``phrase`` (its words, quoted together).

    Examples:
        >>> fts_phrase("gender-based violence")
        '"gender based violence"'
    """
    return '"' + " ".join(WORD.findall(phrase)) + '"'


def phrase_hits(store: Store, phrases: tuple[str, ...], language: str = "en") -> set[int]:
    """Ids of the paragraphs of ``language`` that contain any of ``phrases``."""
    if not phrases:
        return set()
    return phrase_paragraphs(store, " OR ".join(fts_phrase(p) for p in phrases), language)


__all__ = ["Theme", "builtin_themes", "fts_phrase", "phrase_hits", "theme"]
