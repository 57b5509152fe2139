"""What a figure of :mod:`reslens.analysis.plots` shows, read back from its matplotlib artists,
so plot tests check the drawing against the table it was drawn from (not just a PNG's size)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd


def _drawn(fig: Any) -> Any:
    """The figure's one axes, after a draw (tick labels are only set when drawn)."""
    fig.canvas.draw()
    assert len(fig.axes) == 1
    return fig.axes[0]


def evolution_bars(fig: Any) -> pd.DataFrame:
    """The stacked bars of an evolution figure as a table: x tick label → family → height."""
    ax = _drawn(fig)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    columns = {}
    for container in ax.containers:
        heights = [patch.get_height() for patch in container.patches]
        assert len(heights) == len(labels)
        columns[container.get_label()] = heights
    return pd.DataFrame(columns, index=labels)


def assert_evolution_figure(
    fig: Any, table: pd.DataFrame, *, by: str, title: str, gaps: list[int] | None = None
) -> None:
    """The figure draws ``table`` (``Evolution.table``): one stack per row, labelled with the
    row's year or symbol, one bar series per family column, heights = the counts (a year
    without text: no bar, a hatched "no text" band instead), each series stacked on the ones
    before, the families in the legend."""
    table = table.astype(float).fillna(0.0)
    assert not table.empty and float(table.to_numpy().sum()) > 0, "nothing to check against"
    ax = _drawn(fig)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [str(i) for i in table.index]
    assert [c.get_label() for c in ax.containers] == [str(c) for c in table.columns]
    bottom = [0.0] * len(table)
    for container, family in zip(ax.containers, table.columns, strict=True):
        patches = list(container.patches)
        assert [p.get_height() for p in patches] == [float(v) for v in table[family]], family
        assert [p.get_y() for p in patches] == bottom, family  # stacked on the families before
        # bar i of every series sits over tick i
        centres = [p.get_x() + p.get_width() / 2 for p in patches]
        assert centres == [float(t) for t in ax.get_xticks()]
        bottom = [b + float(v) for b, v in zip(bottom, table[family], strict=True)]
    assert bottom == [float(v) for v in table.sum(axis=1)]
    legend = ax.get_legend()
    assert legend is not None
    extra = ["no text in the corpus"] if gaps else []
    assert [t.get_text() for t in legend.get_texts()] == [str(c) for c in table.columns] + extra
    hatched = [p for p in ax.patches if p.get_hatch() == "///"]
    assert len(hatched) == len(gaps or [])
    labels_at = {round(float(t), 3): lab for t, lab in zip(ax.get_xticks(), labels, strict=True)}
    assert sorted(labels_at[round(p.get_x() + p.get_width() / 2, 3)] for p in hatched) == sorted(
        str(g) for g in gaps or []
    )
    assert ax.get_xlabel() == by
    assert ax.get_title() == title


def lineage_points(fig: Any) -> list[tuple[float, float]]:
    """(x, y) of every scatter marker of a lineage figure, sorted."""
    ax = _drawn(fig)
    points = [tuple(map(float, xy)) for c in ax.collections for xy in c.get_offsets()]
    return sorted(points)  # type: ignore[arg-type]


def assert_lineage_figure(fig: Any, df: pd.DataFrame) -> None:
    """The figure draws ``df`` (a lineage table): one marker per row at (adoption date,
    strength of the leading verb, 0 where none), the line through them in date order, a key
    label per row, an ``old → new`` label per change of strength, the changes in the legend."""
    from matplotlib.dates import date2num

    assert not df.empty, "nothing to check against"
    ax = _drawn(fig)
    dates = [float(date2num(d)) for d in pd.to_datetime(df["date"])]
    strengths = [0.0 if pd.isna(s) else float(s) for s in df["strength"]]
    assert lineage_points(fig) == sorted(zip(dates, strengths, strict=True))
    assert len(ax.lines) == 1
    assert [float(y) for y in ax.lines[0].get_ydata()] == strengths
    texts = [t.get_text() for t in ax.texts]
    keys = sorted(t for t in texts if t in set(df["key"]))
    shifts = [
        f"{df['lemma'].iloc[i - 1]} → {df['lemma'].iloc[i]}"
        for i in range(1, len(df))
        if df["change"].iloc[i] in ("stronger", "weaker")
    ]
    drawn = [t for t in texts if "→" in t]
    # a label with no free place is left out, and the x-axis label counts it
    left_out = re.search(r"(\d+) of (\d+) labels left out", ax.get_xlabel())
    if left_out is None:
        assert ax.get_xlabel() == "adoption date"
        assert keys == sorted(df["key"])
        assert drawn == shifts
    else:
        assert int(left_out[2]) == len(df) + len(shifts)
        assert int(left_out[1]) == len(df) + len(shifts) - len(keys) - len(drawn) > 0
        assert set(keys) <= set(df["key"]) and len(set(keys)) == len(keys)
        assert all(t in shifts for t in drawn)
    assert_labels_apart(fig)
    changes = [None if pd.isna(c) else str(c) for c in df["change"]]
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [
        c or "first" for c in dict.fromkeys(changes)
    ]


def assert_labels_apart(fig: Any) -> None:
    """No two texts in the axes overlap, and none overlaps the legend (boxes of the drawn
    characters, an annotation's arrow aside)."""
    from reslens.analysis.plots import text_extent

    ax = _drawn(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), text_extent(t, renderer)) for t in ax.texts if t.get_text()]
    legend = ax.get_legend()
    if legend is not None:
        boxes.append(("legend", legend.get_window_extent(renderer)))
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"
