"""Plain-text and JSON renderings of records for the terminal (the CLI's formatting layer)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from reslens.models import DRAFT, PRST, SubPoint, Verb

if TYPE_CHECKING:
    import pandas as pd

    from reslens.models import Paragraph, Resolution

WIDTH = 88


def verb_label(verb: Verb) -> str:
    """``requests further (requests: request, 4)``."""
    if not verb.lemma:
        return verb.text
    rung = f"{verb.family}, {verb.strength}" if verb.strength is not None else verb.family or "?"
    return f"{verb.text} ({verb.lemma}: {rung})"


def _points(points: tuple[SubPoint, ...], indent: str) -> list[str]:
    lines: list[str] = []
    for point in points:
        lines.extend(
            textwrap.wrap(
                f"{point.label} {point.text}",
                WIDTH,
                initial_indent=indent,
                subsequent_indent=indent + "    ",
            )
        )
        lines.extend(_points(point.children, indent + "    "))
    return lines


def _dated(res: Resolution) -> str:
    """`` — adopted 2016-12-20`` (a statement: made; a draft: put to the vote, not adopted)."""
    if res.document == DRAFT:
        return f" — draft not adopted, put to the vote {res.date or '(date unknown)'}"
    if not res.date:
        return " — presidential statement" if res.document == PRST else ""
    return f" — presidential statement of {res.date}" if res.document == PRST else (
        f" — adopted {res.date}"
    )  # fmt: skip


def resolution_header(res: Resolution) -> list[str]:
    """Lines of metadata that head a resolution or one of its paragraphs."""
    lines = [f"{res.symbol}{_dated(res)}"]
    if res.title:
        lines.append(f"Title: {res.title}")
    if res.agenda_item:
        lines.append(f"Agenda item: {res.agenda_item}")
    facts = []
    if res.chapter_vii is not None:
        facts.append(f"Chapter VII: {'yes' if res.chapter_vii else 'no'}")
    if res.vote_counts:
        facts.append("vote {}-{}-{}".format(*res.vote_counts))
    if res.meeting:
        facts.append(res.meeting)
    if res.draft_symbol:
        facts.append(f"draft {res.draft_symbol}")
    if facts:
        lines.append(" · ".join(facts))
    if res.subjects:
        lines.append("Subjects: " + "; ".join(res.subjects[:8]))
    lines.append(f"Source: {res.source_path} ({res.source_format}, {res.language})")
    if res.url:  # the UN Digital Library record, else the official symbol link
        label = "Record" if "digitallibrary.un.org" in res.url else "Link"
        lines.append(f"{label}: {res.url}")
    return lines


def paragraph_text(res: Resolution, para: Paragraph) -> str:
    """A paragraph with its verbs, strength, addressees, citations and its resolution's metadata."""
    label = "para." if para.kind == "operative" else "preambular para."
    lines = [f"{res.symbol}, {label} {para.number}{_dated(res)}   [{para.key}]"]
    lines.extend(resolution_header(res)[1:])
    if para.section or para.heading:
        lines.append("Part: " + " · ".join(x for x in (para.section, para.heading) if x))
    lines.append("")
    # a statement numbers nothing: its paragraph numbers are positions, not printed
    prefix = f"{para.number}. " if para.kind == "operative" and res.document != PRST else ""
    lines.extend(textwrap.wrap(prefix + (para.intro or para.text), WIDTH))
    lines.extend(_points(para.points, "    "))
    lines.append("")
    lines.append("Verbs: " + (" · ".join(verb_label(v) for v in para.verbs) or "none found"))
    lead = para.leading_verb
    if lead is not None and lead.strength is not None:
        lines.append(f"Strength: {lead.strength} ({lead.family}) — leading verb '{lead.lemma}'")
    if para.addressees:
        lines.append("Addressees: " + "; ".join(para.addressees))
    if para.citations:
        lines.append("Cites: " + "; ".join(c.text for c in para.citations))
    return "\n".join(lines)


#: Scripts whose characters take two terminal columns: wrapped at half the width.
_WIDE = frozenset({"zh", "ja", "ko"})


def versions_text(res: Resolution, versions: dict[str, Paragraph]) -> str:
    """A paragraph in every language given (English first), each under its language and key;
    sub-points indented as in :func:`paragraph_text`."""
    first = next(iter(versions.values()))
    label = "para." if first.kind == "operative" else "preambular para."
    adopted = f" — adopted {res.date}" if res.date else ""
    lines = [
        f"{res.symbol}, {label} {first.number}{adopted} · {len(versions)} languages: "
        + " ".join(versions)
    ]
    for lang, para in versions.items():
        width = WIDTH // 2 if lang in _WIDE else WIDTH
        lines.append("")
        lines.append(f"[{lang}] {para.key}")
        lines.extend(
            textwrap.wrap(
                para.intro or para.text, width, initial_indent="    ", subsequent_indent="    "
            )
        )
        lines.extend(_points(para.points, "        "))
    return "\n".join(lines)


def resolution_text(res: Resolution) -> str:
    """A resolution's metadata and the first words of each paragraph."""
    lines = resolution_header(res)
    lines.append(
        f"{len(res.preambular())} preambular and {len(res.operative())} operative paragraphs"
    )
    lines.append("")
    for para in res.paragraphs:
        tag = f"op{para.number}" if para.kind == "operative" else f"pp{para.number}"
        lines.append(f"{tag:>6}  {textwrap.shorten(para.text, WIDTH - 8, placeholder=' …')}")
    return "\n".join(lines)


def to_jsonable(res: Resolution, para: Paragraph) -> dict[str, Any]:
    """A paragraph and its resolution's metadata as plain JSON-ready data."""
    meta = asdict(res)
    meta.pop("paragraphs")
    meta["symbol"] = res.symbol
    meta["document"] = res.document
    return {"resolution": meta, "paragraph": asdict(para)}


def table(frame: pd.DataFrame, text_width: int = 70) -> str:
    """A DataFrame as a terminal table, long text shortened."""
    shown = frame.copy()
    for column in shown.columns:
        if shown[column].dtype == object:
            shown[column] = shown[column].map(
                lambda v: (
                    textwrap.shorten(str(v), text_width, placeholder=" …")
                    if isinstance(v, str)
                    else v
                )
            )
    return str(shown.to_string(index=False))


def hits_text(hits: Sequence[Mapping[str, Any]]) -> str:
    """Search hits (rows of the search table) for a terminal: rank, score, reference, verbs,
    the matching passage."""
    if not hits:
        return "no hits"
    lines: list[str] = []
    for row in hits:
        kind = "para." if row["kind"] == "operative" else "pp."
        head = f"{row['rank']:>2}. {row['score']:.3f}  {row['symbol']}, {kind} {row['number']}"
        lines.append(f"{head}  [{row['key']}]  {row['date'] or ''}  {row['verbs']}")
        body = snippet(str(row["highlight"]), 400)
        lines.extend(textwrap.wrap(body, WIDTH, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines)


def snippet(marked: str, width: int) -> str:
    """The stretch of ``marked`` text (query words in ``[brackets]``) of about ``width``
    characters that holds the most marks, with ``…`` where text was cut."""
    text = " ".join(marked.split())
    if len(text) <= width:
        return text
    marks = [i for i, c in enumerate(text) if c == "["]
    best = 0
    if marks:
        best = max(marks, key=lambda m: sum(1 for x in marks if m <= x < m + width - 60))
    start = max(0, min(best - 60, len(text) - width))
    start = text.rfind(" ", 0, start) + 1 if start else 0
    piece = textwrap.shorten(text[start:], width, placeholder=" …")
    return ("… " if start else "") + piece
