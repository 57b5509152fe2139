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

__version__ = "0.1.0"

if TYPE_CHECKING:
    from reslens.build import BuildReport, build
    from reslens.coverage import Coverage
    from reslens.errors import (
        FetchError,
        MissingExtraError,
        NotFoundError,
        RefError,
        ReslensError,
        SourceError,
        StoreError,
    )
    from reslens.library import Library, open
    from reslens.models import Citation, Paragraph, Resolution, SubPoint, Verb
    from reslens.redline import Redline, redline
    from reslens.refs import Ref, parse_ref

_LAZY = {
    "build": "reslens.build",
    "BuildReport": "reslens.build",
    "Coverage": "reslens.coverage",
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
    "Redline": "reslens.redline",
    "redline": "reslens.redline",
    "Ref": "reslens.refs",
    "parse_ref": "reslens.refs",
}

__all__ = [
    "BuildReport",
    "Citation",
    "Coverage",
    "FetchError",
    "Library",
    "MissingExtraError",
    "NotFoundError",
    "Paragraph",
    "Redline",
    "Ref",
    "RefError",
    "ReslensError",
    "Resolution",
    "SourceError",
    "StoreError",
    "SubPoint",
    "Verb",
    "__version__",
    "build",
    "open",
    "parse_ref",
    "redline",
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
