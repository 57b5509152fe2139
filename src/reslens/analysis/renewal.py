"""A renewal report: what changed from one resolution to the next, in one object.

:func:`renewal_report` takes the alignment of two whole resolutions
(:func:`reslens.analysis.align_full.align_resolutions`: preambles, operative paragraphs,
paragraphs that changed kind) and reads, for every row, the word-level redline, the change of
leading verb and of its strength (the obligation ladder, ``docs/verbs.md``), the change of
addressees, and the dates and figures that changed. :class:`RenewalReport` gives

* ``.summary`` — a :class:`RenewalSummary`: dates and figures changed (numbers, dates, troop
  ceilings, found by :data:`FIGURE` in the changed pairs, citations of resolutions, documents
  and paragraphs left out), obligations added, dropped, made stronger or weaker (operative
  paragraphs, by the rung of their leading verb), addressees changed;
* ``.to_frame()`` — every paragraph with its status, redline and changes;
* ``.to_html(path)`` — a self-contained page; ``reslens.to_docx(report, path)`` writes Word with
  tracked changes (:mod:`reslens.views.docx`).

Paragraphs are named as a reader cites them (:func:`paragraph_name`): ``2820:op7•2`` is
"para. 7, 2nd bullet", ``2331:pp3`` "pp. 3".

Examples:
    >>> paragraph_name("2820:op7•2"), paragraph_name("2331:op2(b)"), paragraph_name("2331:pp3")
    ('para. 7, 2nd bullet', 'para. 2 (b)', 'pp. 3')
    >>> figures("until 31 March 2017, with 13,000 troops",
    ...         "until 31 March 2018, with 17,000 troops")
    (('31 March 2017', '13,000 troops'), ('31 March 2018', '17,000 troops'))
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reslens.analysis.align import AlignedRow, Alignment
from reslens.analysis.redline import Redline, redline
from reslens.models import OPERATIVE, Paragraph, Resolution

if TYPE_CHECKING:
    import pandas as pd

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
FIGURE = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|(?:{_MONTHS})\s+\d{{4}}"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:\s*(?:per\s*cent|percent|%))?)"
    r"(?:\s+(?:million|billion))?"
    r"(?:\s+(?:troops|military\s+personnel|police(?:\s+personnel)?|personnel|officers|"
    r"observers|months|days|years|members|experts|individual\s+police\s+officers))?",
    re.IGNORECASE,
)
"""A date (``31 March 2018``, ``March 2018``) or a number (``17,000``, ``6``, ``10 per cent``),
with the unit that follows it where it names people or time (``17,000 troops``)."""

_CITATIONS = re.compile(
    r"\bS/(?:RES/|PRST/)?\d+(?:/\d+)*|\b\d{1,4}\s*\(\d{4}\)|\bA/\d+/[\w/.]+"
    r"|\b(?:paragraphs?|paras?\.)\s+\d+(?:\s*(?:\([a-z]+\)|,|and|to|-|–)\s*\d*)*"
    r"|\b(?:annex|resolutions?|meeting)\s+[\dIVX]+(?:\s*\(\d{4}\))?|\(\s*(?:\d{1,2}|[a-z]{1,4})\s*\)",
    re.IGNORECASE,
)
_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}
_MARKS = {"•": "bullet", "–": "dash", "-": "dash", "—": "dash", "*": "bullet"}
_CITE = re.compile(r"^(?P<res>\d+):(?P<kind>op|pp)(?P<number>[^@(•–—*\-]+)(?P<point>.*)$")

FRAME_COLUMNS = [
    "status",
    "kind",
    "a",
    "b",
    "a_name",
    "b_name",
    "score",
    "redline",
    "verb_change",
    "strength_a",
    "strength_b",
    "strength_change",
    "addressee_change",
    "figures",
    "a_text",
    "b_text",
]


def paragraph_name(cite: str | None) -> str:
    """How a reader names a paragraph key: ``para. 7, 2nd bullet``, ``para. 2 (b)``, ``pp. 3``.

    Bullets and dashes carry their position in the key (``2820:op7•2``); an unknown key comes
    back as it is.
    """
    if not cite:
        return ""
    match = _CITE.match(cite.split("@")[0])
    if not match:
        return cite
    head = f"{'pp.' if match.group('kind') == 'pp' else 'para.'} {match.group('number')}"
    point = match.group("point")
    if not point:
        return head
    if point[0] in _MARKS:
        digits = point[1:]
        if digits.isdigit():
            n = int(digits)
            nth = _ORDINALS.get(n if n % 100 not in (11, 12, 13) else 0, f"{n}th")
            return f"{head}, {nth} {_MARKS[point[0]]}"
        return f"{head}, {_MARKS[point[0]]}"
    return f"{head} {point}"


def figures(a: str, b: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The dates and figures of ``a`` missing from ``b`` and those of ``b`` new to it (each
    counted as often as it occurs), citations of resolutions, documents and paragraphs aside."""
    old, new = Counter(_figures(a)), Counter(_figures(b))
    return tuple((old - new).elements()), tuple((new - old).elements())


def _figures(text: str) -> list[str]:
    text = _CITATIONS.sub(" ", text)
    found = [" ".join(m.group(0).split()) for m in FIGURE.finditer(text)]
    return [_PER_CENT.sub(" per cent", f) for f in found]


_PER_CENT = re.compile(r"\s*(?:per\s*cent|percent|%)", re.IGNORECASE)


@dataclass(frozen=True)
class _PairChange:
    """Values of one aligned pair, ``before`` (in ``a``) → ``after`` (in ``b``)."""

    a: str
    b: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{paragraph_name(self.b)}: {', '.join(self.before) or '—'} → "
            f"{', '.join(self.after) or '—'}"
        )


class FigureChange(_PairChange):
    """Dates and figures that changed in one aligned pair (``before`` → ``after``)."""


@dataclass(frozen=True)
class ObligationChange:
    """An operative obligation ``added``, ``dropped``, made ``stronger`` or ``weaker``."""

    change: str
    a: str | None
    b: str | None
    lemma_a: str | None
    lemma_b: str | None
    strength_a: int | None
    strength_b: int | None

    def __str__(self) -> str:
        if self.change == "added":
            return f"{paragraph_name(self.b)}: {self.lemma_b} (strength {self.strength_b})"
        if self.change == "dropped":
            return f"{paragraph_name(self.a)}: {self.lemma_a} (strength {self.strength_a})"
        return (
            f"{paragraph_name(self.a)} → {paragraph_name(self.b)}: {self.lemma_a} → "
            f"{self.lemma_b} (strength {self.strength_a} → {self.strength_b})"
        )


class AddresseeChange(_PairChange):
    """A paired paragraph whose addressees changed."""


@dataclass(frozen=True)
class RenewalSummary:
    """The top of a renewal report.

    Attributes:
        a_symbol, b_symbol: the two resolutions; ``a_date``, ``b_date``: their adoption dates.
        counts: rows per alignment status.
        figures: dates and figures changed, per pair.
        obligations: operative obligations added, dropped, stronger or weaker.
        addressees: paired paragraphs whose addressees changed.
    """

    a_symbol: str
    b_symbol: str
    a_date: str | None
    b_date: str | None
    counts: dict[str, int]
    figures: tuple[FigureChange, ...]
    obligations: tuple[ObligationChange, ...]
    addressees: tuple[AddresseeChange, ...]

    def of(self, change: str) -> tuple[ObligationChange, ...]:
        """The obligation changes of one kind (``added``, ``dropped``, ``stronger``,
        ``weaker``)."""
        return tuple(o for o in self.obligations if o.change == change)

    def lines(self) -> list[str]:
        """The summary as plain-text lines."""
        counts = ", ".join(f"{k} {v}" for k, v in self.counts.items() if v)
        out = [
            f"{self.a_symbol} ({self.a_date or 'date unknown'}) → "
            f"{self.b_symbol} ({self.b_date or 'date unknown'})",
            f"paragraphs: {counts or 'none'}",
        ]
        sections: list[tuple[str, tuple[object, ...]]] = [
            ("dates and figures changed", self.figures),
            ("obligations added", self.of("added")),
            ("obligations dropped", self.of("dropped")),
            ("obligations strengthened", self.of("stronger")),
            ("obligations weakened", self.of("weaker")),
            ("addressees changed", self.addressees),
        ]
        for title, items in sections:
            out.append(f"{title}: {len(items) if items else 'none'}")
            out.extend(f"  {item}" for item in items)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


@dataclass(frozen=True)
class ReportRow:
    """One row of a renewal report: an alignment row and what changed in it."""

    row: AlignedRow
    kind: str
    redline: Redline | None
    addressees_a: tuple[str, ...] | None
    addressees_b: tuple[str, ...] | None
    figures: tuple[tuple[str, ...], tuple[str, ...]]

    @property
    def strength_change(self) -> int | None:
        return None if self.redline is None else self.redline.strength_change

    @property
    def addressee_change(self) -> str | None:
        before, after = self.addressees_a, self.addressees_b
        if before is None or after is None or set(before) == set(after):
            return None
        return f"{', '.join(before) or '—'} → {', '.join(after) or '—'}"


@dataclass(frozen=True)
class RenewalReport:
    """Every paragraph of two resolutions, aligned, with what changed (see the module notes).

    Attributes:
        alignment: the underlying :class:`~reslens.analysis.align.Alignment`.
        rows: one :class:`ReportRow` per alignment row, in the reading order of ``b``.
        summary: the :class:`RenewalSummary`.
    """

    alignment: Alignment
    rows: tuple[ReportRow, ...]
    summary: RenewalSummary

    def to_frame(self) -> pd.DataFrame:
        """Every paragraph: ``status``, ``kind``, ``a``, ``b``, ``a_name``, ``b_name``,
        ``score``, ``redline``, ``verb_change``, ``strength_a``, ``strength_b``,
        ``strength_change`` (b − a), ``addressee_change``, ``figures``, ``a_text``, ``b_text``
        (``docs/columns.md``)."""
        import pandas as pd

        records = []
        for item in self.rows:
            row, red = item.row, item.redline
            before, after = item.figures
            records.append(
                {
                    "status": row.status,
                    "kind": item.kind,
                    "a": row.a,
                    "b": row.b,
                    "a_name": paragraph_name(row.a) or None,
                    "b_name": paragraph_name(row.b) or None,
                    "score": row.similarity,
                    "redline": red.to_text() if red is not None and row.changed else None,
                    "verb_change": red.verb_change if red is not None and row.a and row.b else None,
                    "strength_a": red.strength_a if red is not None else None,
                    "strength_b": red.strength_b if red is not None else None,
                    "strength_change": item.strength_change,
                    "addressee_change": item.addressee_change,
                    "figures": (
                        f"{', '.join(before) or '—'} → {', '.join(after) or '—'}"
                        if before or after
                        else None
                    ),
                    "a_text": row.a_text or None,
                    "b_text": row.b_text or None,
                }
            )
        frame = pd.DataFrame(records, columns=FRAME_COLUMNS)
        for column in ("strength_a", "strength_b", "strength_change"):
            frame[column] = frame[column].astype("Int64")
        return frame

    def to_html(self, path: str | Path | None = None) -> str:
        """A self-contained HTML page (every corpus text escaped); written to ``path`` if given."""
        esc = html.escape
        s = self.summary
        title = f"Renewal report: {s.a_symbol} → {s.b_symbol}"
        parts = [
            "<!doctype html><html><head><meta charset='utf-8'>",
            f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
            f"<h1>{esc(title)}</h1><pre class='summary'>{esc(str(s))}</pre>",
            "<table><tr><th>status</th><th>was</th><th>now</th><th>changes</th>"
            "<th>text (redline)</th></tr>",
        ]
        for item in self.rows:
            row, red = item.row, item.redline
            notes = [
                x
                for x in (
                    red.verb_change if red is not None else None,
                    _signed(item.strength_change),
                    f"addressees: {item.addressee_change}" if item.addressee_change else None,
                )
                if x
            ]
            if red is not None and row.changed:
                body = red.to_html(summary=False)
            elif row.b is None:
                body = f"<del>{esc(row.a_text)}</del>"
            elif row.a is None:
                body = f"<ins>{esc(row.b_text)}</ins>"
            else:
                body = esc(row.b_text)
            parts.append(
                f"<tr class='{esc(row.status)}'><td>{esc(row.status)}</td>"
                f"<td>{esc(paragraph_name(row.a))}</td><td>{esc(paragraph_name(row.b))}</td>"
                f"<td>{esc('; '.join(notes))}</td><td>{body}</td></tr>"
            )
        parts.append("</table></body></html>")
        page = "".join(parts)
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def __repr__(self) -> str:
        return f"<RenewalReport {self.summary.a_symbol} → {self.summary.b_symbol}>"

    def _repr_html_(self) -> str:
        return self.to_html()


def _signed(change: int | None) -> str | None:
    if not change:
        return None
    return f"strength {'+' if change > 0 else ''}{change}"


_CSS = """body{font-family:sans-serif;max-width:70em;margin:1em auto}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px;
vertical-align:top;text-align:left}ins{color:#1a7f37}del{color:#b00020}
tr.typography td:first-child{color:#777}pre.summary{white-space:pre-wrap;background:#f6f6f6;
padding:.5em}"""


def renewal_report(res_a: Resolution, res_b: Resolution, alignment: Alignment) -> RenewalReport:
    """The report of ``alignment`` (of ``res_a`` → ``res_b``, whole resolutions).

    Args:
        res_a: the earlier resolution (its paragraphs give verbs and addressees).
        res_b: the later one.
        alignment: their alignment (:func:`reslens.analysis.align_full.align_resolutions`).

    Returns:
        A :class:`RenewalReport`.
    """
    paras_a = {p.key: p for p in res_a.paragraphs}
    paras_b = {p.key: p for p in res_b.paragraphs}
    rows: list[ReportRow] = []
    found: list[FigureChange] = []
    obligations: list[ObligationChange] = []
    addressees: list[AddresseeChange] = []
    for row in alignment.rows:
        pa = paras_a.get(row.a_key or "")
        pb = paras_b.get(row.b_key or "")
        kind = (pb or pa).kind if (pb or pa) is not None else OPERATIVE  # type: ignore[union-attr]
        red = _redline(row, pa, pb)
        before = _addressees(pa, row.a_point)
        after = _addressees(pb, row.b_point)
        figs: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        if row.a and row.b and row.changed:
            figs = figures(row.a_text, row.b_text)
            if figs[0] or figs[1]:
                found.append(FigureChange(row.a, row.b, *figs))
        item = ReportRow(row, kind, red, before, after, figs)
        rows.append(item)
        if item.addressee_change and row.a and row.b:
            addressees.append(AddresseeChange(row.a, row.b, before or (), after or ()))
        obligations.extend(_obligation(row, red, pa, pb))
    summary = RenewalSummary(
        res_a.symbol,
        res_b.symbol,
        res_a.date,
        res_b.date,
        alignment.counts(),
        tuple(found),
        tuple(obligations),
        tuple(addressees),
    )
    return RenewalReport(alignment, tuple(rows), summary)


def _redline(row: AlignedRow, pa: Paragraph | None, pb: Paragraph | None) -> Redline | None:
    """The redline of a link, or of a lone side against nothing (for its verb)."""
    if row.a is None and row.b is None:
        return None
    kind = (pb or pa).kind if (pb or pa) is not None else OPERATIVE  # type: ignore[union-attr]
    verbs_a = pa.verbs if pa is not None and not row.a_point else None
    verbs_b = pb.verbs if pb is not None and not row.b_point else None
    if row.a is None:
        return redline("", row.b_text, kind=kind, verbs_a=(), verbs_b=verbs_b)
    if row.b is None:
        return redline(row.a_text, "", kind=kind, verbs_a=verbs_a, verbs_b=())
    return redline(row.a_text, row.b_text, kind=kind, verbs_a=verbs_a, verbs_b=verbs_b)


def _addressees(para: Paragraph | None, point: str | None) -> tuple[str, ...] | None:
    return None if para is None or point else para.addressees


def _obligation(
    row: AlignedRow, red: Redline | None, pa: Paragraph | None, pb: Paragraph | None
) -> list[ObligationChange]:
    if red is None:
        return []
    lemma_a = red.verb_a.lemma if red.verb_a else None
    lemma_b = red.verb_b.lemma if red.verb_b else None
    if row.status == "new" and pb is not None and pb.kind == OPERATIVE:
        if red.strength_b is not None:
            return [ObligationChange("added", None, row.b, None, lemma_b, None, red.strength_b)]
    elif row.status == "dropped" and pa is not None and pa.kind == OPERATIVE:
        if red.strength_a is not None:
            return [ObligationChange("dropped", row.a, None, lemma_a, None, red.strength_a, None)]
    elif row.a and row.b and red.strength_change and pb is not None and pb.kind == OPERATIVE:
        change = "stronger" if red.strength_change > 0 else "weaker"
        return [
            ObligationChange(change, row.a, row.b, lemma_a, lemma_b, red.strength_a, red.strength_b)
        ]
    return []
