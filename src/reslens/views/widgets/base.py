"""What every reslens widget shares: the ipywidgets check, the missing-extra message, error
display, the busy state of a running action, images shown only once they hold a PNG, Enter
handling."""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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

BUSY_CLASS = "reslens-busy"
"""The CSS class of a widget (and of its status text) while one of its actions runs."""

WORKING = "Working…"
"""The status line while an action runs."""


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
        self._busy = 0  # depth of nested busy() blocks

    def _actions(self) -> Iterable[Any]:
        """The controls that start an action (disabled while one runs); each widget says."""
        return ()

    @contextmanager
    def busy(self, *stale: Any, doing: str = "") -> Iterator[None]:
        """The busy state around an action that can take a while.

        On entry: the outputs in ``stale`` are cleared (an HTML widget emptied, an image
        hidden, a box emptied, a dropdown's options removed), the status line says "Working…"
        (and ``doing``) with the ``reslens-busy`` class, which the widget's box carries too,
        and the action controls are disabled. Setting the traits sends them to the browser at
        once, so the page shows all this before the long call starts. On exit, even by an
        exception, the controls and the class are restored; the status line too, unless the
        action wrote its own. Nested blocks only clear their outputs and say what they do.
        """
        for widget in stale:
            clear(widget)
        words = f"{WORKING} {doing}" if doing else WORKING
        status = f'<span class="{BUSY_CLASS}">{esc(words)}</span>'
        before = self.status.value if self.status is not None else ""
        outer = self._busy == 0
        self._busy += 1
        disabled: list[tuple[Any, bool]] = []
        try:
            if self.status is not None:
                self.status.value = status
            if outer:
                if self.view is not None:
                    self.view.add_class(BUSY_CLASS)
                for control in self._actions():
                    disabled.append((control, bool(control.disabled)))
                    control.disabled = True
            yield
        finally:
            self._busy -= 1
            if outer:
                for control, was in disabled:
                    control.disabled = was
                if self.view is not None:
                    self.view.remove_class(BUSY_CLASS)
            if self.status is not None and self.status.value == status:
                self.status.value = before

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


def show_png(image: Any, png: bytes | None) -> None:
    """Put ``png`` in an ``Image`` widget and show it, or (``None``/empty) hide it: an image
    with no value is a broken-image icon in the browser."""
    if png:
        image.value = png
        image.layout.display = None
    else:
        image.layout.display = "none"
        image.value = b""


def clear(widget: Any) -> None:
    """Empty an output widget so that no stale result stays on screen (see ``Widget.busy``)."""
    name = type(widget).__name__
    if name == "Image":
        show_png(widget, None)
    elif hasattr(widget, "children"):
        widget.children = ()
    elif hasattr(widget, "options"):
        widget.options = []
    else:
        widget.value = ""


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
