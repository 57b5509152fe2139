"""Word (.docx) documents of redlines, alignments and precedents, with real tracked changes.

Every change is a Word revision — ``w:ins`` / ``w:del`` with an author and a date — so Word and
LibreOffice list it under *Review*, and *Accept all* gives the new text, *Reject all* the old:

* :func:`write_redline` — one paragraph redlined from ``a`` to ``b``
  (``reslens compare A B -o redline.docx``);
* :func:`write_alignment` — every aligned pair of two resolutions as one redlined paragraph,
  paragraph numbers included; new paragraphs inserted, dropped ones deleted, the status and keys
  of each row in a comment (``reslens align A B -o changes.docx``);
* :func:`write_precedents` — the draft, each paragraph redlined from its closest precedent, the
  precedents cited in a comment with their symbol, paragraph, date, similarity and UN Digital
  Library link; a paragraph without precedent is highlighted
  (``reslens precedents DRAFT -o report.docx``).

:func:`to_docx` picks the right one for a result. The files are plain OOXML written with lxml
(:mod:`reslens.views.docx_package`); a test opens them in LibreOffice and compares the revisions
it lists with the ones written.

Examples:
    >>> import tempfile, zipfile
    >>> from reslens.analysis.redline import redline
    >>> path = Path(tempfile.mkdtemp()) / "redline.docx"
    >>> _ = to_docx(redline("Encourages States", "Requests States"), path, author="Me")
    >>> xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    >>> '<w:del w:id="1" w:author="Me"' in xml and "<w:delText" in xml
    True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reslens.errors import ReslensError
from reslens.language.refs import citation as cite
from reslens.views.docx_package import Format, Paragraph, WordDocument, revision_date

if TYPE_CHECKING:
    from reslens.analysis.align import AlignedRow, Alignment
    from reslens.analysis.precedents import Precedents
    from reslens.analysis.redline import Op, Redline
    from reslens.analysis.renewal import RenewalReport

#: The author of the revisions and comments unless one is given.
DEFAULT_AUTHOR = "reslens"

_KEY = re.compile(r"^(?P<res>\d+):(?P<kind>op|pp)(?P<number>[^@(]+)(?P<point>\(.*\))?(?:@\w+)?$")
_NO_PRECEDENT = Format(highlight="yellow")


def redline_pieces(ops: Sequence[Op]) -> list[tuple[str, str]]:
    """The ops of a redline as ``(tag, text)`` pieces to write: neighbouring changes grouped
    into one deletion then one insertion, and the whitespace a change starts with moved before
    it, as plain text (``to [-act-]{+do it+}``, not ``to[- act-]{+ do it+}``): for a
    replacement when both sides start with it, for an insertion or deletion when the text after
    it starts with it too (``share {+timely +}data``).

    The ``equal`` and ``delete`` pieces rebuild the old text, ``equal`` and ``insert`` the new.

    Examples:
        >>> from reslens.analysis.redline import diff_ops
        >>> redline_pieces(diff_ops("to act", "to do it")[0])
        [('equal', 'to'), ('equal', ' '), ('delete', 'act'), ('insert', 'do it')]
    """
    groups: list[list[str]] = []  # ["equal", text, ""] or ["change", old, new]
    for op in ops:
        if op.tag == "equal":
            groups.append(["equal", op.text, ""])
            continue
        if not groups or groups[-1][0] != "change":
            groups.append(["change", "", ""])
        groups[-1][1 if op.tag == "delete" else 2] += op.text
    pieces: list[tuple[str, str]] = []
    for n, (kind, old, new) in enumerate(groups):
        if kind == "equal":
            if old:
                pieces.append(("equal", old))
            continue
        sides = [s for s in (old, new) if s]
        leads = [s[: len(s) - len(s.lstrip())] for s in sides]
        lead = leads[0] if leads and all(x == leads[0] for x in leads) else ""
        after = groups[n + 1] if n + 1 < len(groups) else None
        if lead and len(sides) == 1:  # one side only: rotate its lead to its end
            if after is None or not after[1].startswith(lead) or sides[0].strip() == "":
                lead = ""
            else:
                after[1] = after[1][len(lead) :]
                old, new = (
                    (old[len(lead) :] + lead if old else ""),
                    (new[len(lead) :] + lead if new else ""),
                )
                pieces.append(("equal", lead))
                lead = ""
        if lead:
            pieces.append(("equal", lead))
        if old[len(lead) :]:
            pieces.append(("delete", old[len(lead) :]))
        if new[len(lead) :]:
            pieces.append(("insert", new[len(lead) :]))
    return pieces


def _write_ops(para: Paragraph, ops: Sequence[Op]) -> None:
    for tag, text in redline_pieces(ops):
        if tag == "equal":
            para.text(text)
        elif tag == "delete":
            para.delete(text)
        else:
            para.insert(text)


def _document(title: str, author: str, date: datetime | str | None) -> WordDocument:
    doc = WordDocument(author=author, date=revision_date(date), title=title)
    doc.paragraph("Title").text(title)
    return doc


def write_redline(
    red: Redline,
    path: str | Path,
    *,
    labels: tuple[str, str] = ("a", "b"),
    author: str = DEFAULT_AUTHOR,
    date: datetime | str | None = None,
) -> Path:
    """Write a redline as a .docx file: a title, the verb summary, and the text as tracked
    changes from ``a`` to ``b``.

    Args:
        red: the redline (:meth:`reslens.Library.compare`, :func:`reslens.redline`).
        path: the file to write.
        labels: names of the old and new texts for the title (``("2331:op21", "2388:op33")``).
        author: the author of the revisions.
        date: the revisions' date (default now, UTC).

    Returns:
        The path written.
    """
    doc = _document(f"Redline: {labels[0]} → {labels[1]}", author, date)
    doc.paragraph("Note").text(
        f"{red.summary} · redline ratio {red.similarity:.2f}. Accept all changes for the text "
        f"of {labels[1]}, reject all for that of {labels[0]}."
    )
    _write_ops(doc.paragraph(), red.ops)
    return doc.save(path)


def _label(key: str | None, point: str | None) -> str:
    """How a row's side starts in the document: ``21. `` for a paragraph, ``(c) `` for a
    sub-point, nothing for a preambular paragraph or an unknown key."""
    if point:
        return f"{point} "
    match = _KEY.match(key or "")
    if not match or match.group("kind") == "pp":
        return ""
    return f"{match.group('number')}. "


def _row_comment(row: AlignedRow, red: Redline | None) -> list[tuple[str, str | None]]:
    sides = " → ".join(x for x in (row.a, row.b) if x)
    score = "" if row.similarity is None else f", score {row.similarity:.2f}"
    lines: list[tuple[str, str | None]] = [(f"{row.status}: {sides}{score}", None)]
    if red is not None and row.a and row.b:
        lines.append((red.summary, None))
    return lines


def write_alignment(
    alignment: Alignment,
    path: str | Path,
    *,
    author: str = DEFAULT_AUTHOR,
    date: datetime | str | None = None,
    summary: Sequence[str] = (),
    notes: Sequence[Sequence[str]] = (),
) -> Path:
    """Write an alignment as a .docx file: the operative paragraphs of ``b`` in order, each
    redlined from its counterpart in ``a`` (its number too), ``new`` paragraphs inserted whole,
    ``dropped`` ones deleted whole, and a comment on each with its status, keys and score.

    Accepting every change gives the rows' ``b`` texts, rejecting every change their ``a``
    texts.

    Args:
        alignment: the alignment (:meth:`reslens.Library.align`).
        path: the file to write.
        author: the author of the revisions and comments.
        date: their date (default now, UTC).
        summary: lines written after the title (a renewal report's summary).
        notes: per row, more lines for its comment (verb, strength, addressee changes).

    Returns:
        The path written.
    """
    from reslens.analysis.redline import redline

    doc = _document(f"{alignment.a_label} → {alignment.b_label}", author, date)
    for line in summary:
        doc.paragraph("Note").text(line)
    counts = ", ".join(f"{k} {v}" for k, v in alignment.counts().items() if v)
    doc.paragraph("Note").text(
        f"{counts or 'no paragraphs'}. Accept all changes for the paragraphs of "
        f"{alignment.b_label}, reject all for those of {alignment.a_label}; each comment gives "
        "the row's status."
    )
    for index, row in enumerate(alignment.rows):
        para = doc.paragraph()
        old = _label(row.a_key, row.a_point) + row.a_text if row.a_key else ""
        new = _label(row.b_key, row.b_point) + row.b_text if row.b_key else ""
        red = redline(old, new) if old and new else None
        if red is not None:
            _write_ops(para, red.ops)
        elif old:
            para.delete(old)
        else:
            para.insert(new)
        extra: list[tuple[str, str | None]] = [
            (line, None) for line in (notes[index] if index < len(notes) else ())
        ]
        para.comment(_row_comment(row, red) + extra)
    return doc.save(path)


def write_renewal(
    report: RenewalReport,
    path: str | Path,
    *,
    author: str = DEFAULT_AUTHOR,
    date: datetime | str | None = None,
) -> Path:
    """Write a renewal report as a .docx file: its summary, then every paragraph of the later
    resolution redlined from the earlier one as tracked changes (:func:`write_alignment`), each
    with a comment naming its status, its paragraphs ("para. 7, 2nd bullet") and its change of
    verb, strength and addressees.

    Args:
        report: the report (:meth:`reslens.Library.renewal_report`).
        path: the file to write.
        author: the author of the revisions and comments.
        date: their date (default now, UTC).

    Returns:
        The path written.
    """
    from reslens.analysis.renewal import paragraph_name

    notes = []
    for item in report.rows:
        row, red = item.row, item.redline
        names = " → ".join(paragraph_name(x) for x in (row.a, row.b) if x)
        lines = [names]
        if red is not None and row.a is not None and row.b is not None and red.verb_change:
            lines.append(f"verb: {red.verb_change}")
        if item.strength_change:
            lines.append(
                f"strength {red.strength_a if red else ''} → {red.strength_b if red else ''}"
            )
        if item.addressee_change:
            lines.append(f"addressees: {item.addressee_change}")
        notes.append(lines)
    return write_alignment(
        report.alignment,
        path,
        author=author,
        date=date,
        summary=report.summary.lines(),
        notes=notes,
    )


def citation(key: str, symbol: object) -> str:
    """``S/RES/2388 (2017), para. 28`` or ``…, preambular para. 1`` for a paragraph key.

    Examples:
        >>> citation("2319:pp1", "S/RES/2319 (2016)")
        'S/RES/2319 (2016), preambular para. 1'
    """
    name = str(symbol) if symbol else f"S/RES/{key.split(':')[0]}"
    return cite(name, key) or f"{name} [{key}]"


def _text(value: Any) -> str:
    """A table cell as text: missing values (None, NaN) become empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _precedent_line(row: dict[Any, Any]) -> tuple[str, str | None]:
    key = _text(row.get("key"))
    date = _text(row.get("date"))
    parts = [f"{int(row['rank'])}. {citation(key, row.get('symbol'))} [{key}]"]
    if date:
        parts.append(f"adopted {date}")
    parts.append(f"similarity {float(row['score']):.2f}")
    if _text(row.get("summary")):
        parts.append(_text(row.get("summary")))
    origin = _text(row.get("first_appearance"))
    if origin and origin.split(".")[0] != key:
        parts.append(f"first used in {origin}")
    return " · ".join(parts), _text(row.get("url")) or None


def write_precedents(
    result: Precedents,
    path: str | Path,
    *,
    title: str = "Precedents of a draft",
    author: str = DEFAULT_AUTHOR,
    date: datetime | str | None = None,
) -> Path:
    """Write the precedents of a draft as a .docx file: the draft's paragraphs, each redlined
    from its closest precedent (accept all: the draft; reject all: the precedents' wording),
    with a comment citing its precedents — symbol, paragraph, date, similarity, verb change and
    the UN Digital Library link. A paragraph whose best precedent is below the threshold is
    written as drafted, highlighted, and its comment says so and lists the nearest paragraphs.

    Args:
        result: the precedents (:meth:`reslens.Library.precedents`).
        path: the file to write.
        title: the document's title.
        author: the author of the revisions and comments.
        date: their date (default now, UTC).

    Returns:
        The path written.
    """
    from reslens.analysis.redline import redline

    doc = _document(title, author, date)
    flagged = result.without_precedent
    doc.paragraph("Note").text(
        f"{len(result.paragraphs)} draft paragraphs; without precedent at similarity "
        f"{result.threshold:.2f}: {', '.join(flagged) or 'none'}. Tracked changes run from each "
        "paragraph's closest precedent to the draft: accept all for the draft, reject all for "
        "the precedents' wording. The comments cite the precedents."
    )
    table = result.table
    for draft in result.paragraphs:
        rows = [r for r in table[table["draft"] == draft.number].to_dict("records") if r["key"]]
        para = doc.paragraph()
        para.text(f"{draft.number}. " if draft.kind == "operative" else "")
        if draft.number in flagged or not rows:
            para.text(draft.text, _NO_PRECEDENT)
            head = f"No precedent at similarity {result.threshold:.2f}" + (
                "; the nearest paragraphs:" if rows else "."
            )
            lines: list[tuple[str, str | None]] = [(head, None)]
            para.comment(lines + [_precedent_line(r) for r in rows])
            continue
        best = rows[0]
        _write_ops(para, redline(_text(best["text"]), draft.text, kind=draft.kind).ops)
        lines = [("Precedents (tracked changes from the first):", None)]
        para.comment(lines + [_precedent_line(r) for r in rows])
    return doc.save(path)


def to_docx(
    result: Redline | Alignment | Precedents | RenewalReport,
    path: str | Path,
    *,
    author: str = DEFAULT_AUTHOR,
    date: datetime | str | None = None,
    **options: Any,
) -> Path:
    """Write a redline, an alignment, the precedents of a draft or a renewal report as a Word
    file with tracked changes (:func:`write_redline`, :func:`write_alignment`,
    :func:`write_precedents`, :func:`write_renewal`).

    Args:
        result: what :meth:`~reslens.Library.compare`, :meth:`~reslens.Library.align`,
            :meth:`~reslens.Library.precedents` or :meth:`~reslens.Library.renewal_report`
            returned.
        path: the .docx file to write.
        author: the author of the revisions and comments.
        date: their date (default now, UTC).
        **options: passed on (``labels=`` for a redline, ``title=`` for precedents).

    Returns:
        The path written.

    Examples:
        >>> rl.to_docx(lib.compare("2331:op21", "2388:op33"), "redline.docx")  # doctest: +SKIP
    """
    from reslens.analysis.align import Alignment
    from reslens.analysis.precedents import Precedents
    from reslens.analysis.redline import Redline
    from reslens.analysis.renewal import RenewalReport

    if isinstance(result, RenewalReport):
        return write_renewal(result, path, author=author, date=date)
    if isinstance(result, Redline):
        return write_redline(result, path, author=author, date=date, **options)
    if isinstance(result, Alignment):
        return write_alignment(result, path, author=author, date=date, **options)
    if isinstance(result, Precedents):
        return write_precedents(result, path, author=author, date=date, **options)
    raise ReslensError(
        f"cannot write a {type(result).__name__} as .docx "
        "(a Redline, Alignment, Precedents or RenewalReport)"
    )


__all__ = [
    "DEFAULT_AUTHOR",
    "citation",
    "redline_pieces",
    "to_docx",
    "write_alignment",
    "write_precedents",
    "write_redline",
    "write_renewal",
]
