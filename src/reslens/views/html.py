"""HTML pieces for the notebook views: escaping, marked query words, tables, PNG figures,
and a debouncer for typed input. Everything textual is escaped with :func:`html.escape`.

Examples:
    >>> esc("<script>")
    '&lt;script&gt;'
    >>> marked("data on trafficking", "trafficking")
    'data on <mark>trafficking</mark>'
"""

from __future__ import annotations

import asyncio
import html
import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from reslens.errors import ReslensError
from reslens.search.results import highlight

if TYPE_CHECKING:
    import pandas as pd

    from reslens.models import Paragraph

_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"
_STYLE = """<style>
.reslens-table {border-collapse: collapse; font-size: 0.9em; width: 100%}
.reslens-table th, .reslens-table td {border-bottom: 1px solid #ddd; padding: 3px 6px;
  text-align: left; vertical-align: top}
.reslens-table mark {background: #fff3a3; padding: 0}
.reslens-table details summary {cursor: pointer}
.reslens-error {color: #b00020}
.reslens-muted {color: #777}
</style>"""


def esc(value: object) -> str:
    """``value`` as text, HTML-escaped (quotes included); None and NaN become empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


def marked(text: str, query: str) -> str:
    """``text`` escaped, with the query's words wrapped in ``<mark>``."""
    raw = highlight(text, query, _MARK_OPEN, _MARK_CLOSE) if query else text
    return esc(raw).replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>")


def table_html(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    text: str | None = None,
    query: str = "",
    row_class: str = "reslens-row",
    limit: int = 200,
) -> str:
    """A DataFrame as an escaped HTML table.

    Args:
        frame: the rows.
        columns: the columns shown as cells.
        text: a column shown last as an expandable ``<details>`` (its first 240 characters as
            the summary, query words marked).
        query: words to mark in ``text``.
        row_class: the CSS class of each ``<tr>`` (tests and the browser test find rows by it).
        limit: at most this many rows (the rest are counted, not shown).
    """
    head = "".join(f"<th>{esc(c)}</th>" for c in columns) + ("<th>text</th>" if text else "")
    rows = []
    for record in frame.head(limit).to_dict("records"):
        cells = "".join(f"<td>{_cell(record.get(c))}</td>" for c in columns)
        if text:
            full = str(record.get(text) or "")
            short = full if len(full) <= 240 else full[:240].rsplit(" ", 1)[0] + " …"
            cells += (
                f"<td><details><summary>{marked(short, query)}</summary>"
                f"{marked(full, query)}</details></td>"
            )
        key = esc(record.get("key", ""))
        rows.append(f'<tr class="{esc(row_class)}" data-key="{key}">{cells}</tr>')
    more = len(frame) - limit
    tail = f'<p class="reslens-muted">… and {more} more rows</p>' if more > 0 else ""
    return f'{_STYLE}<table class="reslens-table"><tr>{head}</tr>{"".join(rows)}</table>{tail}'


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e9 else f"{value:.3f}"
    return esc(value)


def figure_png(figure: Any) -> bytes:
    """A matplotlib figure as PNG bytes; the figure is closed."""
    from reslens.analysis.plots import _pyplot

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    _pyplot().close(figure)
    return buffer.getvalue()


def error_html(exc: BaseException) -> str:
    """An escaped one-line error for a status line."""
    name = "" if isinstance(exc, ReslensError) else f"{type(exc).__name__}: "
    return f'<span class="reslens-error">{esc(name + str(exc))}</span>'


class Debouncer:
    """Run ``action`` once typing has paused for ``delay`` seconds.

    In a running kernel the call is scheduled on its asyncio loop; with no loop running (plain
    Python, tests) or ``delay <= 0`` it runs at once.
    """

    def __init__(self, delay: float, action: Callable[[], object]) -> None:
        self.delay = delay
        self.action = action
        self._handle: asyncio.TimerHandle | None = None

    def __call__(self) -> None:
        self.cancel()
        if self.delay <= 0:
            self.action()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.action()
            return
        self._handle = loop.call_later(self.delay, self._fire)

    def _fire(self) -> None:
        self._handle = None
        self.action()

    def cancel(self) -> None:
        """Forget a pending call."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


#: Languages written right to left.
RTL = frozenset({"ar"})


def versions_html(versions: dict[str, Paragraph]) -> str:
    """A paragraph in every language given, each under its language code and key (``lang`` and
    ``dir`` set, so that Arabic reads right to left); every text escaped."""
    if not versions:
        return '<p class="reslens-muted">No version of this paragraph.</p>'
    parts = [f"<p class='reslens-muted'>{len(versions)} languages: {esc(' · '.join(versions))}</p>"]
    for lang, para in versions.items():
        direction = "rtl" if lang in RTL else "ltr"
        parts.append(
            f'<div class="reslens-version"><b>{esc(lang)}</b> '
            f'<span class="reslens-muted">[{esc(para.key)}]</span>'
            f'<p lang="{esc(lang)}" dir="{direction}">{esc(para.text)}</p></div>'
        )
    return "".join(parts)
