"""Jupyter widgets over a :class:`~reslens.library.Library`: search, compare, timeline.

Each widget is a thin view: every answer comes from one public ``Library`` call
(``search``, ``similar``, ``lineage``, ``paragraph``, ``compare``, ``align``, ``evolution``),
and the widget only gathers its arguments and renders the result. Everything a widget shows
that comes from the corpus or from the user is escaped with :func:`html.escape` before it
reaches an ``HTML`` widget; plots are PNG images.

The widgets need the ``notebook`` extra (``ipywidgets``). Without it, importing this module
still works and a widget displays a message saying what to install; calling its methods
raises :class:`~reslens.errors.MissingExtraError`.

Examples:
    >>> import reslens as rl  # doctest: +SKIP
    >>> from reslens.widgets import SearchWidget, CompareWidget, TimelineWidget  # doctest: +SKIP
    >>> lib = rl.open("index")  # doctest: +SKIP
    >>> SearchWidget(lib, "collection of data on trafficking in persons")  # doctest: +SKIP
    >>> CompareWidget(lib, "2331", "2388")  # doctest: +SKIP
    >>> TimelineWidget(lib, "2331:op21")  # doctest: +SKIP
"""

from __future__ import annotations

from reslens.views.widgets.base import DEBOUNCE_SECONDS, MISSING, available
from reslens.views.widgets.compare import CompareWidget
from reslens.views.widgets.search import SearchWidget
from reslens.views.widgets.timeline import TimelineWidget

__all__ = [
    "DEBOUNCE_SECONDS",
    "MISSING",
    "CompareWidget",
    "SearchWidget",
    "TimelineWidget",
    "available",
]
