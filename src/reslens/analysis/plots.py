"""Static matplotlib figures: the lineage of a paragraph and the evolution of a theme.

matplotlib is imported only when a figure is drawn. Where no backend has been chosen (no
``MPLBACKEND`` and pyplot not yet imported), the non-interactive ``Agg`` backend is selected,
so figures can be saved from scripts and servers; Jupyter keeps its own backend.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reslens.errors import ReslensError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure


#: Marker colour of each lineage change (the first row, with no change, is grey).
CHANGE_COLORS = {
    "identical": "#4c72b0",
    "typography": "#64b5cd",
    "modified": "#8172b2",
    "stronger": "#c44e52",
    "weaker": "#55a868",
    None: "#999999",
}

#: Bar colour of each verb family, from the strongest rung down.
FAMILY_COLORS = {
    "decision": "#8c2d04",
    "request": "#d94801",
    "encouragement": "#fd8d3c",
    "support": "#fdbe85",
    "acknowledgement": "#c6dbef",
    "condemnation": "#54278f",
    "concern": "#9e9ac8",
    "intention": "#74c476",
    "procedural": "#bdbdbd",
    "other": "#e0e0e0",
}


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - matplotlib is part of the plot extra
        raise ReslensError("plots need matplotlib: pip install 'reslens[plot]'") from exc
    if "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _axes(ax: Any, size: tuple[float, float]) -> tuple[Figure, Any]:
    if ax is not None:
        return ax.figure, ax
    plt = _pyplot()
    fig, new_ax = plt.subplots(figsize=size)
    return fig, new_ax


def plot_lineage(df: pd.DataFrame, ax: Any = None) -> Figure:
    """The lineage of a paragraph: x = adoption date, y = strength of the leading verb.

    Markers are coloured by the change from the version before; each change of strength is
    drawn as an arrow labelled ``old lemma → new lemma``, and each marker is labelled with its
    key. Labels never overlap one another, the markers or the legend: each takes the first free
    place near its marker (below, above, then further out, with a leader line), and one that
    finds none is left out, which the x-axis label counts ("2 of 31 labels left out"; the
    table holds every key). Rows without a strength (verbs off the ladder) sit at 0.

    Args:
        df: the table returned by :func:`reslens.analysis.lineage.lineage`.
        ax: matplotlib axes to draw on (a new figure when None).

    Returns:
        The matplotlib Figure.

    Examples:
        >>> plot_lineage(lineage(lib, "2388:op34")).savefig("lineage.png")  # doctest: +SKIP
    """
    import pandas as pd

    from reslens.language.lexicon import STRENGTH_NAMES

    _pyplot()
    fig, ax = _axes(ax, (min(14.0, max(8.0, 0.3 * len(df))), 3.5))
    if df.empty:
        ax.set_title("no lineage")
        return fig
    dates = pd.to_datetime(df["date"], errors="coerce")
    strengths = [0 if pd.isna(s) else int(s) for s in df["strength"]]
    ax.plot(dates, strengths, color="#cccccc", linewidth=1, zorder=1)
    changes = [None if pd.isna(c) else str(c) for c in df["change"]]
    for change in dict.fromkeys(changes):
        idx = [i for i, c in enumerate(changes) if c == change]
        ax.scatter(
            [dates.iloc[i] for i in idx],
            [strengths[i] for i in idx],
            color=CHANGE_COLORS.get(change, "#999999"),
            label=change or "first",
            zorder=3,
            s=40,
        )
    labels: list[_Label] = []
    for i in range(1, len(df)):
        if changes[i] in ("stronger", "weaker"):
            ax.annotate(
                "",
                xy=(dates.iloc[i], strengths[i]),
                xytext=(dates.iloc[i - 1], strengths[i - 1]),
                arrowprops={"arrowstyle": "->", "color": CHANGE_COLORS[changes[i]]},
                zorder=2,
            )
            text = f"{df['lemma'].iloc[i - 1]} → {df['lemma'].iloc[i]}"
            labels.append(_Label(text, (dates.iloc[i], strengths[i]), SHIFT_OFFSETS, 8, "black"))
    for i in range(len(df)):
        point = (dates.iloc[i], strengths[i])
        labels.append(_Label(str(df["key"].iloc[i]), point, KEY_OFFSETS, 7, "#555555"))
    ax.set_yticks(list(range(0, 6)))
    ax.set_yticklabels(["off ladder"] + [STRENGTH_NAMES[r] for r in range(1, 6)])
    ax.set_ylim(-0.8, 5.8)
    ax.set_xlabel("adoption date")
    ax.set_ylabel("strength of the leading verb")
    start = df.attrs.get("start", "")
    ax.set_title(f"Lineage of {start}" if start else "Lineage")
    # outside the axes, right: inside, it would take the room the labels need
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    left_out = _place_labels(fig, ax, labels)
    if left_out:
        ax.set_xlabel(
            f"adoption date — {left_out} of {len(labels)} labels left out where they would "
            "overlap (the table lists every key)"
        )
    return fig


#: Where a key label may go, as (points right, points up, alignment) from its marker, in order
#: of preference: centred below, above, then further out and to the sides (a leader line joins
#: it to its marker beyond the first two places).
KEY_OFFSETS: tuple[tuple[float, float, str], ...] = tuple(
    (dx, dy, "center")
    for dy in (-12.0, 8.0, -22.0, 18.0, -32.0, 28.0, -42.0, 38.0)
    for dx in (0.0, 28.0, -28.0, 56.0, -56.0)
)

#: Where an ``old → new`` label may go: above right of its marker first, then above left.
SHIFT_OFFSETS: tuple[tuple[float, float, str], ...] = tuple(
    (dx, dy, "left" if dx > 0 else "right")
    for dy in (8.0, 18.0, -24.0, 28.0, -34.0, 38.0)
    for dx in (6.0, -6.0, 40.0, -40.0)
)

#: Half the side of the square around a marker that labels keep clear of, in points.
MARKER_CLEARANCE = 4.0

#: Pixels kept clear around each label.
LABEL_PADDING = 2.0


class _Label:
    """A label to place: its text, the data point it names, where it may go, its style."""

    def __init__(
        self,
        text: str,
        point: tuple[Any, float],
        offsets: Sequence[tuple[float, float, str]],
        size: float,
        color: str,
    ) -> None:
        self.text = text
        self.point = point
        self.offsets = offsets
        self.size = size
        self.color = color


def text_extent(text: Any, renderer: Any = None) -> Any:
    """The window box of a text's characters alone (an annotation's own box also spans its
    arrow, even a hidden one)."""
    from matplotlib.text import Annotation, Text

    if isinstance(text, Annotation):
        text.update_positions(renderer)  # where its offset puts it now
    return Text.get_window_extent(text, renderer)


def _place_labels(fig: Figure, ax: Any, labels: Sequence[_Label]) -> int:
    """Annotate each label at its first offset whose box stays inside the axes and clear of
    the markers, the legend and the labels placed before it; leave out a label that fits
    nowhere. Positions are measured on a drawn canvas, after the layout is final.

    Returns:
        How many labels were left out.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = _extents(ax.get_window_extent(renderer))
    pixels = fig.dpi / 72.0
    clear = MARKER_CLEARANCE * pixels
    taken: list[tuple[float, float, float, float]] = []
    for collection in ax.collections:
        for x, y in ax.transData.transform(collection.get_offsets()):
            taken.append((x - clear, y - clear, x + clear, y + clear))
    legend = ax.get_legend()
    if legend is not None:
        taken.append(_extents(legend.get_window_extent(renderer)))
    left_out = 0
    for label in labels:
        annotation = ax.annotate(
            label.text,
            xy=label.point,
            xytext=label.offsets[0][:2],
            textcoords="offset points",
            fontsize=label.size,
            color=label.color,
            arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.7},
            annotation_clip=False,
        )
        at_marker: dict[str, tuple[float, float, float, float]] = {}  # at (0, 0), by alignment
        for n, (dx, dy, align) in enumerate(label.offsets):
            if align not in at_marker:
                annotation.xyann = (0.0, 0.0)
                annotation.set_horizontalalignment(align)
                at_marker[align] = _extents(text_extent(annotation, renderer), LABEL_PADDING)
            x0, y0, x1, y1 = at_marker[align]
            box = (x0 + dx * pixels, y0 + dy * pixels, x1 + dx * pixels, y1 + dy * pixels)
            inside = frame[0] <= box[0] and box[2] <= frame[2]
            inside = inside and frame[1] <= box[1] and box[3] <= frame[3]
            if inside and not any(_overlap(box, other) for other in taken):
                taken.append(box)
                annotation.xyann = (dx, dy)
                annotation.set_horizontalalignment(align)
                # a leader line says whose label it is only when it is far from its marker
                annotation.arrow_patch.set_visible(n >= 2)
                break
        else:
            annotation.remove()
            left_out += 1
    return left_out


def _extents(box: Any, pad: float = 0.0) -> tuple[float, float, float, float]:
    return (box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


#: The most resolutions drawn one bar each (the busiest); the axis label counts the rest.
TOP_RESOLUTIONS = 40


def plot_evolution(
    table: pd.DataFrame,
    *,
    by: str = "year",
    title: str = "",
    ax: Any = None,
    gaps: Sequence[int] = (),
    share: bool = False,
    top: int = TOP_RESOLUTIONS,
) -> Figure:
    """Stacked bars: paragraphs about a theme per year (or resolution), by verb family.

    Args:
        table: counts by year (or resolution) and family (``Evolution.table``).
        by: ``"year"`` or ``"resolution"``: the index of ``table``.
        title: the figure's title (the theme and how it was defined).
        ax: matplotlib axes to draw on (a new figure when None).
        gaps: years without text in the corpus: drawn as a hatched "no text" band, never as
            a zero bar.
        share: the table holds shares of each year's paragraphs (a percent axis).
        top: by resolution, the most resolutions drawn (the busiest, in date order; the
            axis label says how many others there are and what they hold), so 200+
            resolutions stay legible.

    Returns:
        The matplotlib Figure.
    """
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    _pyplot()
    note = ""
    if by != "year" and len(table) > top:
        table, note = _top_resolutions(table, top)
    fig, ax = _axes(ax, (min(18.0, max(6.0, 0.32 * len(table) + 3)), 4.2))
    labels = [str(i) for i in table.index]
    filled = table.fillna(0)
    bottom = [0.0] * len(table)
    for family in table.columns:
        values = [float(v) for v in filled[family]]
        ax.bar(
            labels,
            values,
            bottom=bottom,
            label=str(family),
            color=FAMILY_COLORS.get(str(family), "#888888"),
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    handles, names = ax.get_legend_handles_labels()
    missing = [labels.index(str(y)) for y in gaps if str(y) in labels]
    if missing:
        top_value = max(bottom) if any(bottom) else 1.0
        for position in missing:  # patches, not bars: the bar containers stay the families
            ax.add_patch(
                Rectangle(
                    (position - 0.45, 0.0),
                    0.9,
                    top_value,
                    facecolor="none",
                    edgecolor="#bbbbbb",
                    hatch="///",
                )
            )
        handles.append(Patch(facecolor="none", edgecolor="#bbbbbb", hatch="///"))
        names.append("no text in the corpus")
    if share:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
        ax.set_ylabel("share of the year's paragraphs")
    else:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("paragraphs")
    ax.set_xlabel(by if not note else f"{by} — {note}")
    ax.set_title(title or "evolution", fontsize=10)
    if len(labels) > 8:
        ax.tick_params(axis="x", labelrotation=90, labelsize=8 if len(labels) > 30 else 9)
    if handles:
        # outside the axes, right: inside, it hides the bars of the busiest years
        ax.legend(
            handles,
            names,
            fontsize=8,
            title="leading verb",
            title_fontsize=8,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
        )
    fig.tight_layout()
    return fig


def _top_resolutions(table: pd.DataFrame, top: int) -> tuple[pd.DataFrame, str]:
    """The ``top`` resolutions with most paragraphs, in their date order, and a note on the
    rest (a bar for the rest would dwarf every other bar)."""
    totals = table.sum(axis=1)
    keep = set(totals.sort_values(ascending=False, kind="stable").index[:top])
    rest = [i for i in table.index if i not in keep]
    note = (
        f"the {top} resolutions with most paragraphs; {len(rest)} others hold "
        f"{int(totals[rest].sum()):,}"
    )
    return table.loc[[i for i in table.index if i in keep]], note


__all__ = [
    "CHANGE_COLORS",
    "FAMILY_COLORS",
    "TOP_RESOLUTIONS",
    "plot_evolution",
    "plot_lineage",
    "text_extent",
]
