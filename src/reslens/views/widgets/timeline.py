"""The timeline widget: the evolution of a theme over the years (``Library.evolution``)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from reslens.errors import ReslensError
from reslens.library_history import DEFAULT
from reslens.views.html import esc, figure_png, table_html
from reslens.views.widgets.base import Widget, on_enter, show_png, timed

if TYPE_CHECKING:
    import pandas as pd

    from reslens.analysis.evolution import Evolution
    from reslens.library import Library

EVOLUTION_SHOWN = ["citation", "year", "lemma", "family", "strength", "score"]


class TimelineWidget(Widget):
    """The evolution of a theme (a query or a paragraph reference) over the years
    (``Library.evolution``): a stacked-bar plot by strength family, and the paragraphs behind
    the period chosen below it.

    Attributes:
        evolution: the last :class:`~reslens.analysis.lineage.Evolution`.
    """

    def __init__(
        self,
        lib: Library,
        query: str = "",
        *,
        threshold: float | None = None,
        by: str = "year",
        share: bool = False,
    ) -> None:
        super().__init__(lib)
        self.evolution: Evolution | None = None
        if self.w is None:
            return
        w = self.w
        self.query = w.Text(
            value=query,
            placeholder="a theme, or a paragraph such as 2331:op21",
            layout=w.Layout(width="50%"),
        ).add_class("reslens-query")
        self.threshold = w.FloatSlider(
            value=0.6 if threshold is None else threshold,
            min=0.3,
            max=0.95,
            step=0.05,
            description="threshold",
            continuous_update=False,
        )
        self.own = w.Checkbox(
            value=threshold is None,
            description="theme's own threshold",
            indent=False,
            layout=w.Layout(width="auto"),
        )
        self.share = w.Checkbox(
            value=share,
            description="share of the year",
            indent=False,
            layout=w.Layout(width="auto"),
        )
        self.by = w.Dropdown(options=["year", "resolution"], value=by, description="by")
        self.bars = w.HBox(layout=w.Layout(align_items="flex-end", overflow="auto")).add_class(
            "reslens-bars"
        )
        self.go = w.Button(description="Draw", button_style="primary").add_class("reslens-go")
        self.status = w.HTML().add_class("reslens-status")
        self.plot = w.Image(format="png", layout=w.Layout(max_width="900px")).add_class(
            "reslens-plot"
        )
        show_png(self.plot, None)  # hidden until it holds a plot: no broken image
        self.period = w.Dropdown(options=[], description="open").add_class("reslens-period")
        self.paragraphs_html = w.HTML().add_class("reslens-paragraphs")
        self.go.on_click(self._guarded(lambda _: self.run()))
        on_enter(self.query, self._guarded(self.run))
        self.threshold.observe(self._guarded(lambda _: self._threshold_moved()), names="value")
        for control in (self.by, self.own, self.share):
            control.observe(self._guarded(lambda _: self._redraw()), names="value")
        self.period.observe(self._guarded(lambda c: self._period_chosen(c["new"])), names="value")
        self.view = w.VBox(
            [
                w.HBox([self.query, self.by, self.go]),
                w.HBox([self.threshold, self.own, self.share]),
                self.status,
                self.plot,
                self.bars,
                self.period,
                self.paragraphs_html,
            ]
        ).add_class("reslens-timeline")
        if query.strip():
            self.run()

    def _actions(self) -> Iterable[Any]:
        return (self.go, self.period, *self.bars.children)

    def run(self, query: str | None = None) -> Evolution | None:
        """Gather and plot the theme (after putting ``query`` in the box when given)."""
        self._require()
        if query is not None:
            self.query.value = query
        text = self.query.value.strip()
        if not text:
            self.status.value = '<span class="reslens-muted">Type a theme or a paragraph.</span>'
            return None
        start = time.perf_counter()
        stale = (self.plot, self.bars, self.period, self.paragraphs_html)
        with self.busy(*stale, doing=f"drawing “{text}”"):
            try:
                evolution = self.lib.evolution(
                    text,
                    by=self.by.value,
                    threshold=DEFAULT if self.own.value else float(self.threshold.value),
                    share=bool(self.share.value) and self.by.value == "year",
                )
                png = figure_png(evolution.plot())
            except Exception as exc:
                self.evolution = None
                self._fail(self.status, exc)
                return None
            self._show(evolution, png, start)
        return evolution

    def _show(self, evolution: Evolution, png: bytes, start: float) -> None:
        self.evolution = evolution
        show_png(self.plot, png)
        column = "year" if evolution.by == "year" else "symbol"
        totals = evolution.paragraphs[column].value_counts().to_dict()
        periods = [p for p in evolution.table.index if totals.get(p, 0) > 0]
        self.period.options = [("— choose a bar —", None)] + [
            (f"{p} ({totals[p]})", p) for p in periods
        ]
        self.period.value = None
        self._draw_bars(evolution, totals)
        self.paragraphs_html.value = ""
        gaps = f" · no text in the corpus for {len(evolution.gaps)} years" if evolution.gaps else ""
        self.status.value = (
            f"{len(evolution.paragraphs)} paragraphs · {esc(evolution.title())} "
            f"in {len(periods)} {esc(evolution.by)}s{gaps} · {timed(start)}"
        )

    def _draw_bars(self, evolution: Evolution, totals: dict[Any, int]) -> None:
        """A strip of clickable bars, one per period (its height the period's count): a click
        opens the period's paragraphs. Gap years are grey and inert."""
        assert self.w is not None
        w = self.w
        tallest = max(totals.values(), default=1)
        bars = []
        for period in evolution.table.index:
            count = totals.get(period, 0)
            gap = period in evolution.gaps
            bar = w.Button(
                tooltip=f"{period}: no text in the corpus" if gap else f"{period}: {count} — open",
                disabled=gap or count == 0,
                layout=w.Layout(
                    width="14px",
                    min_width="14px",
                    height=f"{4 + int(56 * count / tallest)}px",
                    padding="0",
                    margin="0 1px",
                ),
            ).add_class("reslens-bar")
            bar.style.button_color = "#dddddd" if gap else "#c0392b"
            bar.on_click(self._guarded(lambda _b, p=period: self.open(p)))
            bars.append(bar)
        self.bars.children = tuple(bars)

    def _threshold_moved(self) -> None:
        if self.own.value:
            self.own.value = False  # a threshold chosen by hand replaces the theme's own
        else:
            self._redraw()

    def _redraw(self) -> None:
        if self.query.value.strip():
            self.run()

    def _period_chosen(self, period: int | str | None) -> None:
        if period is not None:
            self.open(period)

    def open(self, period: int | str) -> pd.DataFrame:
        """Show the paragraphs of one bar (``Evolution.paragraphs_of``)."""
        self._require()
        if self.evolution is None:
            raise ReslensError("draw a timeline first (run)")
        with self.busy(self.paragraphs_html, doing=f"opening {period}"):
            frame = self.evolution.paragraphs_of(period)
            shown = [c for c in EVOLUTION_SHOWN if c in frame.columns]
            self.paragraphs_html.value = table_html(
                frame, shown, text="text", row_class="reslens-period-row"
            )
        return frame
