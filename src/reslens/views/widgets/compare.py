"""The compare widget: a redline of two paragraphs or texts, or the alignment of two
resolutions (``Library.compare``, ``Library.align``)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from reslens.analysis.align import Alignment
from reslens.errors import RefError
from reslens.language.refs import parse_ref
from reslens.views.html import esc, table_html
from reslens.views.widgets.base import Widget, timed

if TYPE_CHECKING:
    from reslens.analysis.redline import Redline
    from reslens.library import Library


def _is_resolution(value: str) -> bool:
    """A reference to a whole resolution (``2331``, ``S/RES/2331 (2016)``), not a paragraph."""
    value = value.strip()
    if not value or len(value) > 40:
        return False
    try:
        return parse_ref(value).number is None
    except RefError:
        return False


class CompareWidget(Widget):
    """Two paragraph references, resolutions or free texts, side by side.

    Two paragraphs or texts give a side-by-side redline with the verb/strength change
    (``Library.compare``); two resolutions give the alignment table (``Library.align``) and the
    redline of the changed pair chosen below it.

    Attributes:
        result: the last :class:`~reslens.analysis.redline.Redline` or
            :class:`~reslens.analysis.align.Alignment`.
    """

    def __init__(self, lib: Library, a: str = "", b: str = "") -> None:
        super().__init__(lib)
        self.result: Redline | Alignment | None = None
        if self.w is None:
            return
        w = self.w
        box = w.Layout(width="48%", height="5em")
        self.a = w.Textarea(
            value=a, placeholder="2331:op21, 2331, or a text", layout=box
        ).add_class("reslens-a")
        self.b = w.Textarea(
            value=b, placeholder="2388:op24, 2388, or a text", layout=box
        ).add_class("reslens-b")
        self.go = w.Button(description="Compare", button_style="primary").add_class("reslens-go")
        self.status = w.HTML().add_class("reslens-status")
        self.output = w.HTML().add_class("reslens-compare")
        self.show = w.ToggleButtons(options=["changed", "all"], value="changed")
        self.pair = w.Dropdown(
            options=[], description="redline", layout=w.Layout(width="70%")
        ).add_class("reslens-pair")
        self.pair_html = w.HTML().add_class("reslens-pair-redline")
        self.go.on_click(self._guarded(lambda _: self.run()))
        self.show.observe(self._guarded(lambda _: self._render_alignment()), names="value")
        self.pair.observe(self._guarded(lambda c: self._pair_chosen(c["new"])), names="value")
        self.view = w.VBox(
            [
                w.HBox([self.a, self.b]),
                self.go,
                self.status,
                self.show,
                self.output,
                self.pair,
                self.pair_html,
            ]
        ).add_class("reslens-compare-widget")
        self.show.layout.display = self.pair.layout.display = "none"
        if a.strip() and b.strip():
            self.run()

    def _actions(self) -> Iterable[Any]:
        return (self.go, self.show, self.pair)

    def run(self, a: str | None = None, b: str | None = None) -> Redline | Alignment | None:
        """Compare the two boxes (after putting ``a`` and ``b`` in them when given)."""
        self._require()
        if a is not None:
            self.a.value = a
        if b is not None:
            self.b.value = b
        left, right = self.a.value.strip(), self.b.value.strip()
        if not left or not right:
            self.status.value = '<span class="reslens-muted">Fill both boxes.</span>'
            return None
        start = time.perf_counter()
        self._reset()  # the last result never stays on screen under the new inputs
        if _is_resolution(left) != _is_resolution(right):
            self.status.value = (
                '<span class="reslens-error">Compare two resolutions (2331 and 2388), or two '
                "paragraphs or texts (2331:op21 and 2388:op24) — not one of each.</span>"
            )
            return None
        both = _is_resolution(left) and _is_resolution(right)
        with self.busy(
            doing=f"{'aligning' if both else 'comparing'} {_label(left)} and {_label(right)}"
        ):
            try:
                if both:
                    self.result = self.lib.align(left, right)
                    self.show.layout.display = self.pair.layout.display = None
                    self._render_alignment()
                else:
                    redline = self.lib.compare(left, right)
                    self.result = redline
                    labels = (_label(left), _label(right))
                    self.output.value = redline.side_by_side_html(labels=labels)
            except Exception as exc:
                self._reset()
                self._fail(self.status, exc)
                return None
            self.status.value = f"{esc(_describe(self.result))} · {timed(start)}"
        return self.result

    def _reset(self) -> None:
        """Forget the last result, so that no control shows it under a new message."""
        self.result = None
        self.output.value = self.pair_html.value = ""
        self.pair.options = []
        self.show.layout.display = self.pair.layout.display = "none"

    def _render_alignment(self) -> None:
        alignment = self.result
        if not isinstance(alignment, Alignment):
            return
        frame = alignment.to_frame(redlines=False)
        if self.show.value == "changed":
            frame = frame[~frame["status"].isin(["identical", "typography"])]
        shown = [c for c in ("status", "a_citation", "b_citation", "score") if c in frame.columns]
        # a dropped row has only its a text
        b_text = frame["b_text"].fillna("")
        frame = frame.assign(text=b_text.mask(b_text == "", frame["a_text"]))
        self.output.value = (
            table_html(frame, shown, text="text", row_class="reslens-aligned")
            if len(frame)
            else '<p class="reslens-muted">No changes: every paragraph is identical.</p>'
        )
        self.pair.options = [("— choose a pair —", None)] + [
            (f"{r.status}: {r.a} → {r.b} ({r.similarity or 0:.2f})", i)
            for i, r in enumerate(alignment.rows)
            if r.status not in ("identical", "new", "dropped")
        ]
        self.pair.value = None

    def _pair_chosen(self, index: int | None) -> None:
        if index is None or not isinstance(self.result, Alignment):
            self.pair_html.value = ""
            return
        row = self.result.rows[index]
        with self.busy(self.pair_html, doing=f"redlining {row.a} → {row.b}"):
            try:
                if row.a_point is None and row.b_point is None and row.a and row.b:
                    redline = self.lib.compare(row.a, row.b)
                else:  # a sub-point: compare the texts the row pairs
                    redline = self.lib.compare(row.a_text or "", row.b_text or "")
            except Exception as exc:
                self._fail(self.pair_html, exc)
                return
            self.pair_html.value = redline.side_by_side_html(labels=(row.a or "", row.b or ""))


def _label(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "…"


def _describe(result: Redline | Alignment | None) -> str:
    if isinstance(result, Alignment):
        counts = ", ".join(f"{k} {v}" for k, v in result.counts().items() if v)
        return f"{result.a_label} → {result.b_label}: {counts}"
    if result is None:
        return ""
    return f"{result.summary} · similarity {result.similarity:.2f}"
