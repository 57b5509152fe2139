"""Shim: the widgets live in :mod:`reslens.views.widgets` (kept for one release)."""

from reslens.views.widgets import (
    DEBOUNCE_SECONDS,
    MISSING,
    CompareWidget,
    SearchWidget,
    TimelineWidget,
    available,
)

__all__ = [
    "DEBOUNCE_SECONDS",
    "MISSING",
    "CompareWidget",
    "SearchWidget",
    "TimelineWidget",
    "available",
]
