"""The search widget: a query box with filters over ``Library.search``; a chosen hit opens its
paragraph, its similar paragraphs, its lineage and its versions in other languages."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from reslens.language.lexicon import STRENGTH_NAMES
from reslens.views.html import Debouncer, esc, figure_png, table_html, versions_html
from reslens.views.widgets.base import DEBOUNCE_SECONDS, Widget, items, on_enter, timed

if TYPE_CHECKING:
    import pandas as pd

    from reslens.library import Library

HIT_COLUMNS = ["rank", "symbol", "number", "kind", "verbs", "strength", "score"]
"""Columns of the search results table (the passage follows, expandable)."""

LINEAGE_SHOWN = ["step", "symbol", "date", "number", "verbs", "strength", "similarity", "change"]
SIMILAR_SHOWN = ["rank", "symbol", "number", "verbs", "strength", "score"]
LINEAGE_TAB = 2
VERSIONS_TAB = 3


class SearchWidget(Widget):
    """A query box with filters and a results table; choosing a hit opens the paragraph, its
    similar paragraphs, its lineage and its versions (the paragraph in every language held).

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
        self.addressees = w.Text(placeholder="Member States, mission", description="addressees")
        self.status = w.HTML().add_class("reslens-status")
        self.results = w.HTML().add_class("reslens-results")
        self.choice = w.Dropdown(
            options=[], description="open", layout=w.Layout(width="60%")
        ).add_class("reslens-choice")
        self.paragraph_html = w.HTML().add_class("reslens-paragraph")
        self.similar_html = w.HTML().add_class("reslens-similar")
        self.lineage_html = w.HTML().add_class("reslens-lineage")
        self.lineage_plot = w.Image(format="png", layout=w.Layout(max_width="900px"))
        self.versions_html = w.HTML().add_class("reslens-versions")
        self.detail = w.Tab(
            children=[
                self.paragraph_html,
                self.similar_html,
                w.VBox([self.lineage_html, self.lineage_plot]),
                self.versions_html,
            ]
        )
        for i, title in enumerate(["Paragraph", "Similar", "Lineage", "Versions"]):
            self.detail.set_title(i, title)
        self._debounced = Debouncer(debounce, self._guarded(self.run))
        self.query.observe(lambda _: self._typed(), names="value")
        self.go.on_click(self._guarded(lambda _: self.run()))
        on_enter(self.query, self._guarded(self.run))
        self.years.observe(
            lambda change: setattr(self.years_label, "value", "{}–{}".format(*change["new"])),
            names="value",
        )
        for control in (self.mode, self.k, self.years, self.kind, self.strength):
            control.observe(self._guarded(lambda _: self._rerun()), names="value")
        for control in (self.verbs, self.subjects, self.resolutions, self.addressees):
            control.continuous_update = False
            control.observe(self._guarded(lambda _: self._rerun()), names="value")
        self.choice.observe(self._guarded(lambda c: self._chosen(c["new"])), names="value")
        self.detail.observe(self._guarded(self._tab_chosen), names="selected_index")
        self.view = w.VBox(
            [
                w.HBox([self.query, self.go, self.mode, self.k]),
                w.HBox([self.years, self.years_label, self.kind, self.strength]),
                w.HBox([self.verbs, self.subjects, self.resolutions, self.addressees]),
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
            "verbs": items(self.verbs.value) or None,
            "subjects": items(self.subjects.value) or None,
            "resolutions": items(self.resolutions.value) or None,
            "addressees": items(self.addressees.value) or None,
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
            self.hits = self.hits.iloc[0:0]
            self.results.value = ""
            self.choice.options = []
            self._fail(self.status, exc)
            return self.hits
        self.hits = hits
        self.status.value = (
            f"{len(hits)} hit{'s' if len(hits) != 1 else ''} for “{esc(text)}” · "
            f"{esc(self.mode.value)} · {timed(start)}"
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
        """Show a paragraph (``Library.paragraph``), its similar paragraphs (``similar``) and its
        versions in other languages (``versions``) in the tabs under the results; its lineage
        (``lineage``, table and plot) is traced when
        the Lineage tab is open (or ``lineage=True``), as it takes seconds on a whole corpus."""
        self._require()
        self.opened = key
        self._traced = None
        self.paragraph_html.value = self.similar_html.value = self.lineage_html.value = ""
        self.versions_html.value = ""
        self.lineage_plot.value = b""
        try:
            para = self.lib.paragraph(key)
            res = self.lib.resolution(para.resolution, para.language)
        except Exception as exc:
            self._fail(self.paragraph_html, exc)
            return
        verbs = ", ".join(f"{v.text} ({v.family} {v.strength or '–'})" for v in para.verbs)
        counts = res.vote_counts
        vote = "-".join(map(str, counts)) if counts else "unknown"
        self.paragraph_html.value = (
            f"<p><b>{esc(res.symbol)}</b>, {esc(para.kind)} paragraph {esc(para.number)} · "
            f"{esc(res.date)}</p><p>{esc(para.text)}</p>"
            f'<p class="reslens-muted">verbs: {esc(verbs or "none")} · addressees: '
            f"{esc(', '.join(para.addressees) or 'none')}</p>"
            f'<p class="reslens-muted">agenda item: {esc(res.agenda_item or "unknown")} · '
            f"vote: {esc(vote)} · sponsors: {esc('; '.join(res.sponsors) or 'none listed')}</p>"
        )
        try:
            self.versions_html.value = versions_html(self.lib.versions(key))
        except Exception as exc:
            self._fail(self.versions_html, exc)
        try:
            similar = self.lib.similar(key, k=8, exclude_own_resolution=True)
            self.similar_html.value = table_html(
                similar, SIMILAR_SHOWN, text="passage", row_class="reslens-similar-row"
            )
        except Exception as exc:
            self._fail(self.similar_html, exc)
        if lineage or (lineage is None and self.detail.selected_index == LINEAGE_TAB):
            self.trace()
        else:
            self.lineage_html.value = (
                '<p class="reslens-muted">Open this tab to trace the lineage.</p>'
            )

    def trace(self) -> None:
        """Trace the lineage of the opened paragraph into the Lineage tab."""
        self._require()
        from reslens.analysis.plots import plot_lineage

        key = self.opened
        if key is None or self._traced == key:
            return
        self._traced = key
        self.lineage_html.value = f'<p class="reslens-muted">Tracing {esc(key)} …</p>'
        start = time.perf_counter()
        try:
            lineage = self.lib.lineage(key)
            first = lineage.first_appearance
            flag = " · leaves its agenda item" if lineage.off_item else ""
            self.lineage_html.value = (
                f"<p>First appearance: <b>{esc(first)}</b> · {len(lineage.nodes)} units, "
                f"{len(lineage.edges)} edges{flag} · {timed(start)}</p>"
                + table_html(lineage.chain, LINEAGE_SHOWN, text="text", row_class="reslens-step")
            )
            self.lineage_plot.value = figure_png(plot_lineage(lineage.chain))
        except Exception as exc:
            self._fail(self.lineage_html, exc)
