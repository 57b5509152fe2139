"""Drafting support: for each paragraph of a draft, its closest precedents with redlines, and
the language that has no precedent in the corpus.

A draft is plain text as a drafter pastes it: numbered operative paragraphs (``1. Decides …``),
optionally preceded by preambular paragraphs (blocks ending with a comma); without numbers, every
block separated by a blank line is a paragraph. A draft can also be a Word file (a ``Path`` ending
in ``.docx``): its paragraphs are numbered as Word numbers them and its tracked changes accepted
or rejected (:mod:`reslens.sources.readers.docx`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reslens.errors import ReslensError
from reslens.search.lexical import query_problem
from reslens.text import clean

if TYPE_CHECKING:
    import pandas as pd

    from reslens.sources.readers.docx import Changes


#: Cosine similarity of the best passage below which a draft paragraph has no precedent.
DEFAULT_THRESHOLD = 0.8

PRECEDENT_COLUMNS = [
    "draft",
    "draft_text",
    "rank",
    "key",
    "symbol",
    "date",
    "score",
    "redline_ratio",
    "verb_change",
    "summary",
    "redline",
    "first_appearance",
    "url",
    "text",
    "version_key",
    "version_text",
]

#: An operative paragraph's number at the start of a line, with its text or alone on the line.
_NUMBERED = re.compile(r"^\s*(\d{1,3})\.(?:\s+(?=\S)|\s*$)")
#: The enacting formula on a line of its own: everything up to it is heading, not preamble.
_FORMULA_LINE = re.compile(r"(?im)^[ \t]*the[ \t]+security[ \t]+council[ \t]*,?[ \t]*$")
#: The enacting formula opening the draft's first line, a paragraph following it on that line.
_FORMULA_START = re.compile(r"(?i)\A\s*the\s+security\s+council\s*,\s*")
#: A paragraph needs a letter or a digit.
_WORDY = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class DraftParagraph:
    """One paragraph of a draft: ``number`` is ``"3"`` (operative) or ``"pp2"`` (preambular)."""

    number: str
    text: str
    kind: str


def parse_draft(text: str) -> list[DraftParagraph]:
    """Split a draft into paragraphs (numbered ones, else blank-line blocks).

    A number alone on its line (``1.``) opens the paragraph the next lines hold. Before the
    first number, the enacting formula ("The Security Council,") and any heading above it
    are left out, and the blocks after it are preambular paragraphs. Paragraphs without a
    letter or digit (``* * *``) are left out.

    Examples:
        >>> [p.number for p in parse_draft("Recalling X,\\n\\n1. Decides Y;\\n2. Requests Z.")]
        ['pp1', '1', '2']
        >>> [p.text for p in parse_draft("The Security Council,\\nRecalling X,\\n1.\\nDecides Y;")]
        ['Recalling X,', 'Decides Y;']
    """
    lines = text.replace("\r\n", "\n").split("\n")
    if not any(_NUMBERED.match(line) for line in lines):
        body = _after_formula("\n".join(lines))
        blocks = [clean(b) for b in re.split(r"\n\s*\n", body) if _WORDY.search(b)]
        return [DraftParagraph(str(i), b, "operative") for i, b in enumerate(blocks, 1)]
    out: list[DraftParagraph] = []
    preamble: list[str] = []
    current: list[str] = []
    number: str | None = None
    for line in lines:
        match = _NUMBERED.match(line)
        if match:
            if number is not None:
                out.append(DraftParagraph(number, clean(" ".join(current)), "operative"))
            number, current = match.group(1), [line[match.end() :]]
        elif number is None:
            preamble.append(line)
        else:
            current.append(line)
    if number is not None:
        out.append(DraftParagraph(number, clean(" ".join(current)), "operative"))
    opening = _after_formula("\n".join(preamble))
    pre_blocks = [clean(b) for b in re.split(r"\n\s*\n", opening) if _WORDY.search(b)]
    pre = [DraftParagraph(f"pp{i}", b, "preambular") for i, b in enumerate(pre_blocks, 1)]
    return pre + [p for p in out if _WORDY.search(p.text)]


def _after_formula(text: str) -> str:
    """``text`` after the enacting formula (and the heading above it), if it has one."""
    formula = _FORMULA_LINE.search(text) or _FORMULA_START.match(text)
    return text if formula is None else text[formula.end() :]


@dataclass(frozen=True)
class Precedents:
    """The precedents of a draft.

    Attributes:
        paragraphs: the draft's paragraphs.
        table: one row per (draft paragraph, precedent), columns ``PRECEDENT_COLUMNS``; a draft
            paragraph without precedent has a row with empty ``key``.
        threshold: the similarity below which a paragraph has no precedent.
        language: the language the precedents are shown in besides English (``version_key``,
            ``version_text``; missing where a precedent has no text in it).
    """

    paragraphs: tuple[DraftParagraph, ...]
    table: pd.DataFrame
    threshold: float
    language: str = "en"

    @property
    def without_precedent(self) -> list[str]:
        """Numbers of the draft paragraphs whose best precedent is below the threshold."""
        best = self.table.groupby("draft", sort=False)["score"].max()
        return [str(n) for n, score in best.items() if not score or score < self.threshold]

    def to_html(self, title: str = "Precedents of a draft") -> str:
        """A self-contained HTML page; every piece of corpus or draft text is escaped."""
        return (
            "<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{_PAGE_CSS}</style></head><body>"
            f"{self._fragment(title)}</body></html>"
        )

    def _fragment(self, title: str) -> str:
        """The report as one ``<div class="reslens-precedents">`` with its own scoped style."""
        from reslens.analysis.redline import redline

        parts = [
            f'<div class="reslens-precedents"><style>{_CSS}</style>',
            f"<h1>{html.escape(title)}</h1>",
            f"<p>{len(self.paragraphs)} draft paragraphs; without precedent at similarity "
            f"{self.threshold:.2f}: "
            f"{html.escape(', '.join(self.without_precedent) or 'none')}.</p>",
        ]
        for para in self.paragraphs:
            rows = self.table[self.table["draft"] == para.number]
            flag = para.number in self.without_precedent
            parts.append(
                f"<section class='{'none' if flag else 'ok'}'><h2>{html.escape(para.number)}"
                f"{' — no precedent' if flag else ''}</h2>"
                f"<p class='draft'>{html.escape(para.text)}</p>"
            )
            for row in rows.to_dict("records"):
                if not row["key"]:
                    continue
                red = redline(str(row["text"]), para.text, kind=para.kind)
                parts.append(
                    f"<h3>{html.escape(str(row['symbol']))} [{html.escape(str(row['key']))}] — "
                    f"similarity {float(row['score']):.2f}</h3>"
                    + self._version_html(row)
                    + red.to_html()
                )
            parts.append("</section>")
        parts.append("</div>")
        return "\n".join(parts)

    def _version_html(self, row: dict[Any, Any]) -> str:
        """The precedent in the report's language, or a note that it has no text in it."""
        if self.language == "en":
            return ""
        lang = html.escape(self.language)
        if not isinstance(row.get("version_key"), str):
            return (
                f"<p class='note'>No {lang} text of {html.escape(str(row['symbol']))} in the "
                "index (other languages are held from 2020); the English text follows.</p>"
            )
        direction = " dir='rtl'" if self.language in RTL_LANGUAGES else ""
        return (
            f"<p class='version' lang='{lang}'{direction}>"
            f"<b>[{html.escape(row['version_key'])}]</b> {html.escape(str(row['version_text']))}"
            "</p>"
        )

    def _repr_html_(self) -> str:
        # a fragment: a whole page's <body> style would restyle the notebook around it
        return self._fragment("Precedents of a draft")


_PAGE_CSS = "body{font-family:sans-serif;max-width:60em;margin:auto}"
#: Languages written right to left.
RTL_LANGUAGES = frozenset({"ar"})

_CSS = (
    ".reslens-precedents section{border-top:1px solid #ccc;margin-top:1em}"
    ".reslens-precedents .version{border-left:3px solid #36c;padding-left:.5em}"
    ".reslens-precedents .note{color:#666;font-style:italic}"
    ".reslens-precedents section.none h2{color:#a40000}"
    ".reslens-precedents .draft{background:#f6f6f6;padding:.5em}"
)


#: ``search(texts, k, since, until)`` → a search result table (semantic scores).
SearchFn = Callable[[list[str], int, int | None, int | None], "pd.DataFrame"]


def precedents(
    search: SearchFn,
    draft: str | Path,
    *,
    k: int = 3,
    threshold: float = DEFAULT_THRESHOLD,
    since: int | None = None,
    until: int | None = None,
    origin: Callable[[str], str | None] | None = None,
    changes: Changes = "accept",
    language: str = "en",
    version: Callable[[str], tuple[str, str] | None] | None = None,
) -> Precedents:
    """The closest precedents of every paragraph of ``draft`` (text or a file path: plain text,
    or a Word .docx file whose tracked ``changes`` are accepted or rejected).

    ``origin`` gives a precedent's first appearance (from the obligation graph): where the
    agreed language was first used, in the ``first_appearance`` column. ``version`` gives a
    precedent's (key, text) in ``language``, or None where it has none: the columns
    ``version_key`` and ``version_text``. The draft is English either way: the search and the
    redlines are.

    All draft paragraphs are embedded in one batch and searched semantically (the score is the
    cosine similarity of the best passage); each precedent comes with a redline from the
    precedent to the draft and the change of operative verb.
    """
    from reslens.analysis.redline import redline

    text = _read(draft, changes)
    paragraphs = parse_draft(text)
    if not paragraphs:
        raise ReslensError("the draft has no paragraphs")
    # each distinct searchable text once: a repeated paragraph must not get its hits twice,
    # and one of only stop words has no precedent rather than an error or arbitrary hits
    texts = list(dict.fromkeys(p.text for p in paragraphs if query_problem(p.text) is None))
    hits = search(texts, k, since, until) if texts else None
    rows: list[dict[str, Any]] = []
    for para in paragraphs:
        mine = hits[hits["query"] == para.text] if hits is not None else None
        if mine is None or mine.empty:
            rows.append(
                {"draft": para.number, "draft_text": para.text, "rank": 0, "key": "", "score": 0.0}
            )
            continue
        for hit in mine.to_dict("records"):
            red = redline(str(hit["text"]), para.text, kind=para.kind)
            other = version(str(hit["key"])) if version and language != "en" else None
            rows.append(
                {
                    "draft": para.number,
                    "draft_text": para.text,
                    "rank": hit["rank"],
                    "key": hit["key"],
                    "symbol": hit["symbol"],
                    "date": hit["date"],
                    "score": hit["score"],
                    "redline_ratio": round(red.similarity, 4),
                    "verb_change": red.verb_change,
                    "summary": red.summary,
                    "redline": red.to_text(),
                    "first_appearance": origin(str(hit["key"])) if origin else None,
                    "url": hit.get("url"),
                    "text": hit["text"],
                    "version_key": other[0] if other else None,
                    "version_text": other[1] if other else None,
                }
            )
    import pandas as pd

    table = pd.DataFrame(rows, columns=PRECEDENT_COLUMNS)
    return Precedents(tuple(paragraphs), table, threshold, language)


def _read(draft: str | Path, changes: Changes = "accept") -> str:
    if isinstance(draft, Path) and draft.suffix.lower() == ".docx":
        from reslens.sources.readers.docx import draft_text, read_docx

        return draft_text(read_docx(draft, changes=changes))
    if isinstance(draft, Path):
        try:
            return draft.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ReslensError(f"{draft}: cannot read the draft ({exc})") from exc
    return draft
