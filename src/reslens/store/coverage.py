"""What the store holds and what it lacks: resolution numbers per source, gaps, duplicates, and
the other documents (presidential statements, drafts not adopted) by kind.

The coverage report is how reslens stays honest: it never invents a missing text, it says
which numbers are absent and why files were set aside.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reslens.models import DOCUMENTS, DRAFT, PRST, RESOLUTION
from reslens.store import graph
from reslens.store.db import Store
from reslens.store.versions import mismatch_counts, version_alignments

_VERSION_TOTALS = ("resolutions", "with_mismatches")

METADATA = "metadata"  # the problem kind of a record that contradicts its document


@dataclass(frozen=True)
class Coverage:
    """Coverage of the store.

    Attributes:
        by_source: English resolution numbers per source format (``akn``, ``crunsc``, ``pdf``).
        languages: number of resolutions stored per language.
        highest: the highest resolution number in the store.
        missing: English resolution numbers from 1 to ``highest`` that are not in the store.
        other_languages_only: missing English numbers present in another language, with those
            languages.
        duplicates: (path, note) of source files set aside because another file gives the same
            resolution.
        problems: (path, kind, message) of files that could not be read.
        ignored: files the build chose not to read, counted by reason.
        graph: counts of the obligation graph (units, references, edges).
        unresolved: references to paragraphs the store lacks: (citing unit, cited resolution,
            cited paragraph, cited sub-point, status, the referring words). Kept, never pointed
            at another paragraph.
        metadata: the ``metadata`` problems (a UN record, or a file's printed symbol, that
            contradicts its document: :mod:`reslens.sources.readers.reconcile`) counted by
            field: ``symbol``, ``title``, ``date``, ``meeting``.
        links: resolutions (all languages) by link: ``digital library`` (the UN Digital
            Library record), ``symbol link`` (``https://undocs.org/S/RES/n(year)``), ``none``.
        untitled: English resolutions without a title, by source format.
        versions: the language versions compared paragraph by paragraph
            (:mod:`reslens.store.versions`): ``resolutions`` held in several languages,
            ``with_mismatches`` among them, and per language how many differ from English.
        documents: kind of document → language → (documents, paragraphs) stored.
    """

    by_source: dict[str, list[int]]
    languages: dict[str, int]
    highest: int
    missing: list[int]
    other_languages_only: dict[int, list[str]] = field(default_factory=dict)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)
    graph: dict[str, int] = field(default_factory=dict)
    unresolved: list[tuple[str, int, str, str | None, str, str]] = field(default_factory=list)
    metadata: dict[str, int] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)
    untitled: dict[str, int] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    documents: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store: Store) -> Coverage:
        """Compute the coverage of a store."""
        rows = store.resolution_numbers()
        by_source: dict[str, list[int]] = {}
        languages: dict[str, int] = {}
        english: set[int] = set()
        others: dict[int, list[str]] = {}
        for number, language, fmt in rows:
            languages[language] = languages.get(language, 0) + 1
            if language == "en":
                by_source.setdefault(fmt, []).append(number)
                english.add(number)
            else:
                others.setdefault(number, []).append(language)
        highest = max((n for n, _, _ in rows), default=0)
        missing = [n for n in range(1, highest + 1) if n not in english]
        duplicates = [
            (str(r[0]), str(r[1]))
            for r in store.conn.execute(
                "SELECT path, note FROM sources WHERE status = 'duplicate' ORDER BY path"
            )
        ]
        ignored_raw = store.get_meta("ignored")
        ignored = json.loads(ignored_raw) if ignored_raw else {}
        problems = store.problems()
        metadata: dict[str, int] = {}
        for _, kind, message in problems:
            if kind == METADATA:
                name = message.split(":", 1)[0]
                metadata[name] = metadata.get(name, 0) + 1
        return cls(
            by_source={k: sorted(v) for k, v in by_source.items()},
            languages=dict(sorted(languages.items())),
            highest=highest,
            missing=missing,
            other_languages_only={n: sorted(others[n]) for n in missing if n in others},
            duplicates=duplicates,
            problems=problems,
            ignored=ignored,
            graph=graph.graph_counts(store),
            unresolved=graph.unresolved_refs(store) if graph.has_graph(store) else [],
            metadata=dict(sorted(metadata.items())),
            links=_links(store),
            untitled={
                str(fmt): int(n)
                for fmt, n in store.conn.execute(
                    "SELECT source_format, COUNT(*) FROM resolutions WHERE language = 'en'"
                    " AND document = 'resolution' AND (title IS NULL OR title = '')"
                    " GROUP BY source_format ORDER BY 1"
                )
            },
            versions=mismatch_counts(version_alignments(store)),
            documents=store.document_counts(),
        )

    def summary(self) -> str:
        """The coverage as readable lines."""
        lines = ["English resolutions by source:"]
        for fmt, numbers in sorted(self.by_source.items()):
            lines.append(f"  {fmt:<7} {len(numbers):>5}  {ranges(numbers)}")
        lines.append("Languages: " + ", ".join(f"{k} {v}" for k, v in self.languages.items()))
        if self.versions.get("resolutions"):
            per = ", ".join(
                f"{k} {v}" for k, v in self.versions.items() if k not in _VERSION_TOTALS
            )
            lines.append(
                f"Language versions: {self.versions['resolutions']} resolutions in several "
                f"languages, {self.versions['with_mismatches']} with paragraphs that differ in "
                f"structure from English ({per or 'none'}; reslens languages RES)"
            )
        lines.append(
            f"Missing in English (1–{self.highest}): {len(self.missing)}  {ranges(self.missing)}"
        )
        for number, langs in sorted(self.other_languages_only.items()):
            lines.append(f"  {number}: no English text; present in {', '.join(langs)}")
        if self.duplicates:
            lines.append(f"Duplicate files set aside: {len(self.duplicates)}")
            lines.extend(f"  {path}: {note}" for path, note in self.duplicates)
        for document in DOCUMENTS:
            by_language = self.documents.get(document, {})
            unread = sum(1 for path, _, _ in self.problems if document_of_path(path) == document)
            if document == RESOLUTION or not (by_language or unread):
                continue
            counts = ", ".join(
                f"{lang} {docs} ({paras:,} paragraphs)"
                for lang, (docs, paras) in by_language.items()
            )
            label = {PRST: "Presidential statements", DRAFT: "Drafts not adopted"}[document]
            lines.append(f"{label}: {counts or 'none'}; unreadable: {unread}")
        others = [p for p in self.problems if p[1] != METADATA]
        lines.append(f"Problems: {len(others)}")
        lines.extend(f"  {path}: {kind}: {message}" for path, kind, message in others)
        if self.metadata:
            fields = ", ".join(f"{k} {v}" for k, v in self.metadata.items())
            lines.append(
                f"Metadata against the documents: {sum(self.metadata.values())} disagreements "
                f"({fields}); the document's value kept, titles corrected "
                "(reslens coverage -f json lists them)"
            )
        if self.links:
            lines.append("Links: " + ", ".join(f"{k} {v}" for k, v in self.links.items()))
        if self.untitled:
            counts = ", ".join(f"{k} {v}" for k, v in self.untitled.items())
            lines.append(f"English resolutions without a title: {counts}")
        if self.ignored:
            lines.append("Not read: " + ", ".join(f"{k} ({v})" for k, v in self.ignored.items()))
        if self.graph:
            lines.append(
                "Obligation graph: " + ", ".join(f"{k} {v:,}" for k, v in self.graph.items())
            )
        if self.unresolved:
            by_status: dict[str, int] = {}
            for row in self.unresolved:
                by_status[row[4]] = by_status.get(row[4], 0) + 1
            counts = ", ".join(f"{k} {v}" for k, v in sorted(by_status.items()))
            lines.append(f"Unresolved paragraph references: {len(self.unresolved)} ({counts})")
            for key, number, para, point, status, span in self.unresolved[:20]:
                target = f"S/RES/{number}, para. {para}" + (f" ({point})" if point else "")
                lines.append(f"  {key} → {target}: {status} ({span!r})")
            if len(self.unresolved) > 20:
                lines.append(f"  … {len(self.unresolved) - 20} more (reslens coverage -f json)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "by_source": {k: ranges(v) for k, v in self.by_source.items()},
            "counts": {k: len(v) for k, v in self.by_source.items()},
            "languages": self.languages,
            "highest": self.highest,
            "missing": ranges(self.missing),
            "missing_count": len(self.missing),
            "other_languages_only": {str(k): v for k, v in self.other_languages_only.items()},
            "duplicates": [{"path": p, "note": n} for p, n in self.duplicates],
            "problems": [{"path": p, "kind": k, "message": m} for p, k, m in self.problems],
            "metadata_problems": self.metadata,
            "links": self.links,
            "untitled": self.untitled,
            "ignored": self.ignored,
            "graph": self.graph,
            "versions": self.versions,
            "documents": {
                kind: {lang: {"documents": d, "paragraphs": n} for lang, (d, n) in langs.items()}
                for kind, langs in self.documents.items()
            },
            "unresolved_references": [
                {
                    "unit": key,
                    "resolution": number,
                    "paragraph": para,
                    "point": point,
                    "status": status,
                    "span": span,
                }
                for key, number, para, point, status, span in self.unresolved
            ],
        }


def document_of_path(path: str) -> str:
    """The kind of document a corpus file holds, by its folder (``PRST/``, ``Not adopted/``)."""
    parts = path.split("/")
    return PRST if "PRST" in parts else DRAFT if "Not adopted" in parts else RESOLUTION


def _links(store: Store) -> dict[str, int]:
    """Resolutions (all languages) by the kind of link they carry."""
    row = store.conn.execute(
        "SELECT SUM(url LIKE 'https://digitallibrary.un.org/%'),"
        " SUM(url LIKE 'https://undocs.org/%'), SUM(url IS NULL OR url = ''),"
        " COUNT(*) FROM resolutions"
    ).fetchone()
    library, symbol, none, total = (int(v or 0) for v in row)
    out = {"digital library": library, "symbol link": symbol, "none": none}
    other = total - library - symbol - none
    return {**out, "other": other} if other else out


def ranges(numbers: Iterable[int]) -> str:
    """Compress numbers into ranges: ``[1, 2, 3, 5]`` → ``"1–3, 5"``."""
    items = sorted(set(numbers))
    parts: list[str] = []
    start = prev = None
    for n in items:
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = n
    if start is not None:
        parts.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(parts)
