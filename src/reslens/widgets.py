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

import re
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reslens.errors import MissingExtraError, RefError, ReslensError
from reslens.htmlview import Debouncer, error_html, esc, figure_png, table_html
from reslens.lexicon import STRENGTH_NAMES
from reslens.refs import parse_ref

if TYPE_CHECKING:
    import pandas as pd

    from reslens.align import Alignment
    from reslens.library import Library
    from reslens.lineage import Evolution
    from reslens.redline import Redline

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


class _Widget:
    """Shared plumbing: the ipywidgets module, the view, the missing-extra message."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.w = _ipywidgets()
        self.view: Any = None

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

    def _status(self, widget: Any, message: str, error: BaseException | None = None) -> None:
        widget.value = error_html(error) if error is not None else message


def _on_enter(text: Any, action: Callable[[], object]) -> None:
    """Run ``action`` when Enter is pressed in ``text``, at once (typing is debounced).

    ``Text.on_submit`` is the only Enter event ipywidgets 8 has; it is marked deprecated in
    favour of ``continuous_update=False``, which would give up searching while typing.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        text.on_submit(lambda _: action())


def _timed(start: float) -> str:
    return f"{(time.perf_counter() - start) * 1000:.0f} ms"


def _items(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


HIT_COLUMNS = ["rank", "symbol", "number", "kind", "verbs", "strength", "score"]
"""Columns of the search results table (the passage follows, expandable)."""

LINEAGE_SHOWN = ["step", "symbol", "date", "number", "verbs", "strength", "similarity", "change"]
SIMILAR_SHOWN = ["rank", "symbol", "number", "verbs", "strength", "score"]
LINEAGE_TAB = 2


class SearchWidget(_Widget):
    """A query box with filters and a results table; choosing a hit opens the paragraph, its
    similar paragraphs and its lineage.

    Attributes:
        hits: the last result table (``Library.search``'s DataFrame).
        view: the ipywidgets box (displayed when the widget is the value of a cell).

    Args:
        lib: the library.
        query: an initial query (searched at once when given).
        k: hits per search.
        mode: ``hybrid``, ``semantic`` or ``lexical``.
        debounce: seconds of pause in typing before a search runs.
    """

    def __init__(
        self,
        lib: Library,
        query: str = "",
        *,
        k: int = 10,
        mode: str = "hybrid",
        debounce: float = DEBOUNCE_SECONDS,
    ) -> None:
        super().__init__(lib)
        import pandas as pd

        self.hits: pd.DataFrame = pd.DataFrame()
        self.opened: str | None = None
        self._traced: str | None = None
        self._quiet = False
        if self.w is None:
            return
        w = self.w
        first, last = lib.years()
        modes = ["hybrid", "semantic", "lexical"] if lib.manifest is not None else ["lexical"]
        self.query = w.Text(
            value=query,
            placeholder="words, a phrase, or a paragraph you are drafting",
            continuous_update=True,
            layout=w.Layout(width="60%"),
        ).add_class("reslens-query")
        self.go = w.Button(description="Search", button_style="primary").add_class("reslens-go")
        self.mode = w.Dropdown(
            options=modes, value=mode if mode in modes else modes[0], description="mode"
        )
        self.k = w.BoundedIntText(value=k, min=1, max=200, description="hits")
        self.years = w.IntRangeSlider(
            value=(first, last),
            min=first,
            max=last,
            description="years",
            continuous_update=False,
            readout=False,  # the slider's own readout is cut short in JupyterLab
        )
        self.years_label = w.Label(f"{first}–{last}").add_class("reslens-years")
        self.kind = w.Dropdown(
            options=[("any", ""), ("operative", "operative"), ("preambular", "preambular")],
            description="kind",
        )
        self.strength = w.Dropdown(
            options=[("any", 0)]
            + [(f"≥ {n} {name}", n) for n, name in sorted(STRENGTH_NAMES.items())],
            description="strength",
        )
        self.verbs = w.Text(placeholder="requests, decides", description="verbs")
        self.subjects = w.Text(placeholder="trafficking", description="subjects")
        self.resolutions = w.Text(placeholder="2331, 2388", description="resolutions")
        self.status = w.HTML().add_class("reslens-status")
        self.results = w.HTML().add_class("reslens-results")
        self.choice = w.Dropdown(
            options=[], description="open", layout=w.Layout(width="60%")
        ).add_class("reslens-choice")
        self.paragraph_html = w.HTML().add_class("reslens-paragraph")
        self.similar_html = w.HTML().add_class("reslens-similar")
        self.lineage_html = w.HTML().add_class("reslens-lineage")
        self.lineage_plot = w.Image(format="png", layout=w.Layout(max_width="900px"))
        self.detail = w.Tab(
            children=[
                self.paragraph_html,
                self.similar_html,
                w.VBox([self.lineage_html, self.lineage_plot]),
            ]
        )
        for i, title in enumerate(["Paragraph", "Similar", "Lineage"]):
            self.detail.set_title(i, title)
        self._debounced = Debouncer(debounce, self.run)
        self.query.observe(lambda _: self._typed(), names="value")
        self.go.on_click(lambda _: self.run())
        _on_enter(self.query, self.run)
        self.years.observe(
            lambda change: setattr(self.years_label, "value", "{}–{}".format(*change["new"])),
            names="value",
        )
        for control in (self.mode, self.k, self.years, self.kind, self.strength):
            control.observe(lambda _: self._rerun(), names="value")
        for control in (self.verbs, self.subjects, self.resolutions):
            control.continuous_update = False
            control.observe(lambda _: self._rerun(), names="value")
        self.choice.observe(lambda change: self._chosen(change["new"]), names="value")
        self.detail.observe(self._tab_chosen, names="selected_index")
        self.view = w.VBox(
            [
                w.HBox([self.query, self.go, self.mode, self.k]),
                w.HBox([self.years, self.years_label, self.kind, self.strength]),
                w.HBox([self.verbs, self.subjects, self.resolutions]),
                self.status,
                self.results,
                self.choice,
                self.detail,
            ]
        ).add_class("reslens-search")
        if query:
            self.run()

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of ``Library.search`` that the controls stand for."""
        self._require()
        first, last = self.years.min, self.years.max
        since, until = self.years.value
        return {
            "k": int(self.k.value),
            "mode": self.mode.value,
            "since": since if since > first else None,
            "until": until if until < last else None,
            "kind": self.kind.value or None,
            "min_strength": self.strength.value or None,
            "verbs": _items(self.verbs.value) or None,
            "subjects": _items(self.subjects.value) or None,
            "resolutions": _items(self.resolutions.value) or None,
        }

    def _typed(self) -> None:
        if not self._quiet:
            self._debounced()

    def _rerun(self) -> None:
        if self.query.value.strip():
            self.run()

    def run(self, query: str | None = None) -> pd.DataFrame:
        """Search (``Library.search`` with the controls' filters) and show the hits.

        Args:
            query: a query to put in the box first (default: the box's text).

        Returns:
            The hits (also kept as :attr:`hits`).
        """
        self._require()
        self._debounced.cancel()
        if query is not None and query != self.query.value:
            self._quiet = True  # set by the program, not typed: no second search
            try:
                self.query.value = query
            finally:
                self._quiet = False
        text = self.query.value.strip()
        if not text:
            self.status.value = '<span class="reslens-muted">Type a query.</span>'
            return self.hits
        self.status.value = f'<span class="reslens-muted">Searching “{esc(text)}” …</span>'
        start = time.perf_counter()
        try:
            hits = self.lib.search(text, **self.filters())
        except Exception as exc:  # shown to the user; the widget stays usable
            self._status(self.status, "", exc)
            return self.hits
        self.hits = hits
        self.status.value = (
            f"{len(hits)} hit{'s' if len(hits) != 1 else ''} for “{esc(text)}” · "
            f"{esc(self.mode.value)} · {_timed(start)}"
        )
        self.results.value = (
            table_html(hits, HIT_COLUMNS, text="passage", query=text, row_class="reslens-hit")
            if len(hits)
            else '<p class="reslens-muted">No paragraph matches; loosen the filters.</p>'
        )
        kinds = {"operative": "op", "preambular": "pp"}
        options = [
            (f"{rank} · {symbol} · {kinds.get(kind, kind)} {number}", key)
            for rank, symbol, kind, number, key in zip(
                hits["rank"], hits["symbol"], hits["kind"], hits["number"], hits["key"], strict=True
            )
        ]
        self.choice.options = [("— choose a hit —", None), *options]
        self.choice.value = None
        return hits

    def _chosen(self, key: str | None) -> None:
        if key is not None:
            self.open(key)

    def _tab_chosen(self, change: dict[str, Any]) -> None:
        if change["new"] == LINEAGE_TAB:
            self.trace()

    def open(self, key: str, *, lineage: bool | None = None) -> None:
        """Show a paragraph (``Library.paragraph``) and its similar paragraphs (``similar``) in
        the tabs under the results; its lineage (``lineage``, table and plot) is traced when
        the Lineage tab is open (or ``lineage=True``), as it takes seconds on a whole corpus."""
        self._require()
        self.opened = key
        self._traced = None
        self.paragraph_html.value = self.similar_html.value = self.lineage_html.value = ""
        self.lineage_plot.value = b""
        try:
            para = self.lib.paragraph(key)
        except Exception as exc:
            self._status(self.paragraph_html, "", exc)
            return
        verbs = ", ".join(f"{v.text} ({v.family} {v.strength or '–'})" for v in para.verbs)
        res = self.lib.resolution(para.resolution, para.language)
        self.paragraph_html.value = (
            f"<p><b>{esc(res.symbol)}</b>, {esc(para.kind)} paragraph {esc(para.number)} · "
            f"{esc(res.date)}</p><p>{esc(para.text)}</p>"
            f'<p class="reslens-muted">verbs: {esc(verbs or "none")}</p>'
        )
        try:
            similar = self.lib.similar(key, k=8, exclude_own_resolution=True)
            self.similar_html.value = table_html(
                similar, SIMILAR_SHOWN, text="passage", row_class="reslens-similar-row"
            )
        except Exception as exc:
            self._status(self.similar_html, "", exc)
        if lineage or (lineage is None and self.detail.selected_index == LINEAGE_TAB):
            self.trace()
        else:
            self.lineage_html.value = (
                '<p class="reslens-muted">Open this tab to trace the lineage.</p>'
            )

    def trace(self) -> None:
        """Trace the lineage of the opened paragraph into the Lineage tab."""
        self._require()
        from reslens.plots import plot_lineage

        key = self.opened
        if key is None or self._traced == key:
            return
        self._traced = key
        self.lineage_html.value = f'<p class="reslens-muted">Tracing {esc(key)} …</p>'
        start = time.perf_counter()
        try:
            lineage = self.lib.lineage(key)
            first = lineage.attrs.get("first_appearance", "")
            self.lineage_html.value = (
                f"<p>First appearance found: <b>{esc(first)}</b> · {_timed(start)}</p>"
                + table_html(lineage, LINEAGE_SHOWN, text="text", row_class="reslens-step")
            )
            self.lineage_plot.value = figure_png(plot_lineage(lineage))
        except Exception as exc:
            self._status(self.lineage_html, "", exc)


def _is_resolution(value: str) -> bool:
    """A reference to a whole resolution (``2331``, ``S/RES/2331 (2016)``), not a paragraph."""
    value = value.strip()
    if not value or len(value) > 40:
        return False
    try:
        return parse_ref(value).number is None
    except RefError:
        return False


class CompareWidget(_Widget):
    """Two paragraph references, resolutions or free texts, side by side.

    Two paragraphs or texts give a side-by-side redline with the verb/strength change
    (``Library.compare``); two resolutions give the alignment table (``Library.align``) and the
    redline of the changed pair chosen below it.

    Attributes:
        result: the last :class:`~reslens.redline.Redline` or
            :class:`~reslens.align.Alignment`.
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
        self.go.on_click(lambda _: self.run())
        self.show.observe(lambda _: self._render_alignment(), names="value")
        self.pair.observe(lambda change: self._pair_chosen(change["new"]), names="value")
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
        self.pair_html.value = ""
        try:
            if _is_resolution(left) and _is_resolution(right):
                self.result = self.lib.align(left, right)
                self.show.layout.display = self.pair.layout.display = None
                self._render_alignment()
            else:
                redline = self.lib.compare(left, right)
                self.result = redline
                self.show.layout.display = self.pair.layout.display = "none"
                labels = (_label(left), _label(right))
                self.output.value = redline.side_by_side_html(labels=labels)
        except Exception as exc:
            self._status(self.status, "", exc)
            self.output.value = ""
            return None
        self.status.value = f"{esc(_describe(self.result))} · {_timed(start)}"
        return self.result

    def _render_alignment(self) -> None:
        from reslens.align import Alignment

        alignment = self.result
        if not isinstance(alignment, Alignment):
            return
        frame = alignment.to_frame(redlines=False)
        if self.show.value == "changed":
            frame = frame[frame["status"] != "identical"]
        shown = [c for c in ("status", "a", "b", "similarity") if c in frame.columns]
        frame = frame.assign(text=frame["b_text"].fillna(frame["a_text"]))
        self.output.value = table_html(frame, shown, text="text", row_class="reslens-aligned")
        self.pair.options = [("— choose a pair —", None)] + [
            (f"{r.status}: {r.a} → {r.b} ({r.similarity or 0:.2f})", i)
            for i, r in enumerate(alignment.rows)
            if r.status not in ("identical", "new", "dropped")
        ]
        self.pair.value = None

    def _pair_chosen(self, index: int | None) -> None:
        from reslens.align import Alignment

        if index is None or not isinstance(self.result, Alignment):
            self.pair_html.value = ""
            return
        row = self.result.rows[index]
        try:
            if row.a_point is None and row.b_point is None and row.a and row.b:
                redline = self.lib.compare(row.a, row.b)
            else:  # a sub-point: compare the texts the row pairs
                redline = self.lib.compare(row.a_text or "", row.b_text or "")
        except Exception as exc:
            self._status(self.pair_html, "", exc)
            return
        self.pair_html.value = redline.side_by_side_html(labels=(row.a or "", row.b or ""))


def _label(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "…"


def _describe(result: Redline | Alignment | None) -> str:
    from reslens.align import Alignment

    if isinstance(result, Alignment):
        counts = ", ".join(f"{k} {v}" for k, v in result.counts().items() if v)
        return f"{result.a_label} → {result.b_label}: {counts}"
    if result is None:
        return ""
    return f"{result.summary} · similarity {result.similarity:.2f}"


EVOLUTION_SHOWN = ["symbol", "year", "kind", "lemma", "family", "strength", "score"]


class TimelineWidget(_Widget):
    """The evolution of a theme (a query or a paragraph reference) over the years
    (``Library.evolution``): a stacked-bar plot by strength family, and the paragraphs behind
    the period chosen below it.

    Attributes:
        evolution: the last :class:`~reslens.lineage.Evolution`.
    """

    def __init__(
        self, lib: Library, query: str = "", *, threshold: float = 0.6, by: str = "year"
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
            value=threshold,
            min=0.3,
            max=0.95,
            step=0.05,
            description="threshold",
            continuous_update=False,
        )
        self.by = w.Dropdown(options=["year", "resolution"], value=by, description="by")
        self.go = w.Button(description="Draw", button_style="primary").add_class("reslens-go")
        self.status = w.HTML().add_class("reslens-status")
        self.plot = w.Image(format="png", layout=w.Layout(max_width="900px")).add_class(
            "reslens-plot"
        )
        self.period = w.Dropdown(options=[], description="open").add_class("reslens-period")
        self.paragraphs_html = w.HTML().add_class("reslens-paragraphs")
        self.go.on_click(lambda _: self.run())
        _on_enter(self.query, self.run)
        self.period.observe(lambda change: self._period_chosen(change["new"]), names="value")
        self.view = w.VBox(
            [
                w.HBox([self.query, self.threshold, self.by, self.go]),
                self.status,
                self.plot,
                self.period,
                self.paragraphs_html,
            ]
        ).add_class("reslens-timeline")
        if query.strip():
            self.run()

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
        try:
            evolution = self.lib.evolution(
                text, by=self.by.value, threshold=float(self.threshold.value)
            )
            png = figure_png(evolution.plot())
        except Exception as exc:
            self._status(self.status, "", exc)
            return None
        self.evolution = evolution
        self.plot.value = png
        totals = {period: int(total) for period, total in evolution.table.sum(axis=1).items()}
        periods = [p for p, total in totals.items() if total > 0]
        self.period.options = [("— choose a bar —", None)] + [
            (f"{p} ({totals[p]})", p) for p in periods
        ]
        self.period.value = None
        self.paragraphs_html.value = ""
        self.status.value = (
            f"{len(evolution.paragraphs)} paragraphs above {evolution.threshold:.2f} "
            f"in {len(periods)} {esc(evolution.by)}s · {_timed(start)}"
        )
        return evolution

    def _period_chosen(self, period: int | str | None) -> None:
        if period is not None:
            self.open(period)

    def open(self, period: int | str) -> pd.DataFrame:
        """Show the paragraphs of one bar (``Evolution.paragraphs_of``)."""
        self._require()
        if self.evolution is None:
            raise ReslensError("draw a timeline first (run)")
        frame = self.evolution.paragraphs_of(period)
        shown = [c for c in EVOLUTION_SHOWN if c in frame.columns]
        self.paragraphs_html.value = table_html(
            frame, shown, text="text", row_class="reslens-period-row"
        )
        return frame


__all__ = [
    "DEBOUNCE_SECONDS",
    "MISSING",
    "CompareWidget",
    "Debouncer",
    "SearchWidget",
    "TimelineWidget",
    "available",
]
