"""What every reslens widget shares: the ipywidgets check, the missing-extra message, error
display, Enter handling."""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reslens.errors import MissingExtraError
from reslens.views.html import error_html, esc

if TYPE_CHECKING:
    from reslens.library import Library

MISSING = (
    "reslens widgets need ipywidgets, which is not installed here: "
    "pip install 'reslens[notebook]' (then restart the kernel). "
    "Everything they show is also available from the Library: lib.search(...), "
    "lib.compare(...), lib.align(...), lib.evolution(...)."
)
"""What a widget displays when ipywidgets is missing."""

DEBOUNCE_SECONDS = 0.4
"""Typing pauses this long before a search runs (Enter or the button runs it at once)."""


def available() -> bool:
    """True when ipywidgets can be imported (the widgets can be shown)."""
    return _ipywidgets() is not None


def _ipywidgets() -> Any:
    try:
        import ipywidgets
    except ImportError:
        return None
    return ipywidgets


class Widget:
    """Shared plumbing: the ipywidgets module, the view, the missing-extra message."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.w = _ipywidgets()
        self.view: Any = None
        self.status: Any = None  # the status line (an HTML widget), set by each widget

    def _require(self) -> Any:
        if self.w is None:
            raise MissingExtraError("ipywidgets", "notebook")
        return self.w

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        if self.view is None:
            return {
                "text/plain": MISSING,
                "text/html": f'<div class="reslens-missing"><b>reslens</b>: {esc(MISSING)}</div>',
            }
        return self.view._repr_mimebundle_(**kwargs)

    def _fail(self, widget: Any, error: BaseException) -> None:
        """Show ``error`` (escaped) in ``widget``, an HTML widget."""
        widget.value = error_html(error)

    def _guarded(self, action: Callable[..., object]) -> Callable[..., None]:
        """A callback that shows any exception in the status line instead of losing it to
        JupyterLab's log console."""

        def callback(*args: Any) -> None:
            try:
                action(*args)
            except Exception as exc:
                self._fail(self.status, exc)

        return callback


def on_enter(text: Any, action: Callable[[], object]) -> None:
    """Run ``action`` when Enter is pressed in ``text``, at once (typing is debounced).

    ``Text.on_submit`` is the only Enter event ipywidgets 8 has; it is marked deprecated in
    favour of ``continuous_update=False``, which would give up searching while typing.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        text.on_submit(lambda _: action())


def timed(start: float) -> str:
    return f"{(time.perf_counter() - start) * 1000:.0f} ms"


def items(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]
