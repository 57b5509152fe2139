"""reslens: paragraph-level search, lineage and redlines for UN Security Council resolutions.

Examples:
    >>> import reslens as rl
    >>> lib = rl.open("index/")  # doctest: +SKIP
    >>> lib.paragraph("S/RES/2331 (2016), para. 21").text[:40]  # doctest: +SKIP
    'Invites the Secretary-General to integra'

Heavy modules load lazily: ``import reslens`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reslens.version import __version__

if TYPE_CHECKING:
    from reslens.analysis.align import AlignedRow, Alignment
    from reslens.analysis.evolution import Evolution
    from reslens.analysis.precedents import DraftParagraph, Precedents
    from reslens.analysis.redline import Redline, redline
    from reslens.analysis.renewal import RenewalReport
    from reslens.analysis.themes import Theme, builtin_themes
    from reslens.errors import (
        FetchError,
        MissingExtraError,
        NotFoundError,
        RefError,
        ReslensError,
        SourceError,
        StoreError,
    )
    from reslens.index.build import build
    from reslens.index.ingest import IngestReport, ingest_files
    from reslens.index.report import BuildReport
    from reslens.language.refs import Ref, citation, parse_ref
    from reslens.library import Library, open
    from reslens.models import Citation, Paragraph, Resolution, SubPoint, Verb
    from reslens.search.hybrid import Searcher
    from reslens.sources.readers.docx import WordParagraph, read_docx
    from reslens.store.coverage import Coverage
    from reslens.store.queries import Filters
    from reslens.views.docx import to_docx
    from reslens.views.notebook import setup_notebook
    from reslens.views.xlsx import to_xlsx

_LAZY = {
    "AlignedRow": "reslens.analysis.align",
    "Alignment": "reslens.analysis.align",
    "Evolution": "reslens.analysis.evolution",
    "DraftParagraph": "reslens.analysis.precedents",
    "Precedents": "reslens.analysis.precedents",
    "Redline": "reslens.analysis.redline",
    "redline": "reslens.analysis.redline",
    "RenewalReport": "reslens.analysis.renewal",
    "Theme": "reslens.analysis.themes",
    "builtin_themes": "reslens.analysis.themes",
    "BuildReport": "reslens.index.report",
    "build": "reslens.index.build",
    "IngestReport": "reslens.index.ingest",
    "ingest_files": "reslens.index.ingest",
    "Coverage": "reslens.store.coverage",
    "FetchError": "reslens.errors",
    "MissingExtraError": "reslens.errors",
    "NotFoundError": "reslens.errors",
    "RefError": "reslens.errors",
    "ReslensError": "reslens.errors",
    "SourceError": "reslens.errors",
    "StoreError": "reslens.errors",
    "Library": "reslens.library",
    "open": "reslens.library",
    "Citation": "reslens.models",
    "Paragraph": "reslens.models",
    "Resolution": "reslens.models",
    "SubPoint": "reslens.models",
    "Verb": "reslens.models",
    "Ref": "reslens.language.refs",
    "parse_ref": "reslens.language.refs",
    "citation": "reslens.language.refs",
    "Searcher": "reslens.search.hybrid",
    "Filters": "reslens.store.queries",
    "WordParagraph": "reslens.sources.readers.docx",
    "read_docx": "reslens.sources.readers.docx",
    "to_docx": "reslens.views.docx",
    "setup_notebook": "reslens.views.notebook",
    "to_xlsx": "reslens.views.xlsx",
}

__all__ = [
    "AlignedRow",
    "Alignment",
    "BuildReport",
    "Citation",
    "Coverage",
    "DraftParagraph",
    "Evolution",
    "FetchError",
    "Filters",
    "IngestReport",
    "Library",
    "MissingExtraError",
    "NotFoundError",
    "Paragraph",
    "Precedents",
    "Redline",
    "Ref",
    "RefError",
    "RenewalReport",
    "ReslensError",
    "Resolution",
    "Searcher",
    "SourceError",
    "StoreError",
    "SubPoint",
    "Theme",
    "Verb",
    "WordParagraph",
    "__version__",
    "build",
    "builtin_themes",
    "citation",
    "ingest_files",
    "open",
    "parse_ref",
    "read_docx",
    "redline",
    "setup_notebook",
    "to_docx",
    "to_xlsx",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reslens' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
