"""The widgets' actions in a real JupyterLab and a real (headless) Chromium.

Writes a four-cell notebook (open the index, a ``SearchWidget``, a ``CompareWidget``, a
``TimelineWidget``) into a fresh server root, runs it, then drives the widgets as a reader
would (``test_jupyterlab`` types into the search widget of the quick-start notebook):

- search: a query → hits, sorted by date; a hit opened, its lineage traced (the plot loaded,
  never a broken image), a similar paragraph opened like a hit;

- compare: two resolutions (2331 and 2388) → the alignment rows; then two paragraphs → the
  redline, with none of the alignment left on screen meanwhile;
- timeline: a theme drawn → the plot image loaded (never a broken image), a bar clicked → its
  paragraphs.

Each action must show the busy state (the widget and its status line carry ``reslens-busy``,
"Working…", the action button disabled) and clear it when done. A ``MutationObserver`` records
what the page showed between the click and the answer, so a fast answer is checked too.
Screenshots go to the test's tmp dir and $RESLENS_SCREENSHOT_DIR (default bench/out/).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import LabServer, screenshot_dir
from .test_jupyterlab import (
    CELLS_RAN,
    NOTEBOOK_READY,
    OPEN_TIMEOUT_MS,
    QUERY,
    RUN_FINISHED,
    RUN_TIMEOUT_MS,
    UI_TIMEOUT_MS,
    _errors,
    _log_console,
    _menu,
    _saved_notebook,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.model]

NOTEBOOK_NAME = "widgets.ipynb"
CELLS = [
    "import os\n\nimport reslens as rl\n"
    "from reslens.widgets import CompareWidget, SearchWidget, TimelineWidget\n\n"
    'lib = rl.open(os.environ["RESLENS_INDEX"])\nlib',
    "SearchWidget(lib)",
    "CompareWidget(lib)",
    "TimelineWidget(lib)",
]

#: A first alignment embeds sub-points and pieces with the real model: generous ceilings.
ACTION_TIMEOUT_MS = 180_000

#: Installed before an action: records, at every change of the page, whether the widget
#: (the element matching ``arg``) is busy, its status text, whether its button is disabled, and
#: how many rows of ``arg2`` (a stale result) are still shown inside it.
WATCH = """([root, stale]) => {
  const widget = () => [...document.querySelectorAll(root)].pop();
  window.__reslens_seen = [];
  window.__reslens_observer?.disconnect();
  const record = () => {
    const el = widget();
    if (!el) return;
    const busyText = el.querySelector('.reslens-status .reslens-busy');
    if (!el.classList.contains('reslens-busy') && !busyText) return;
    window.__reslens_seen.push({
      box: el.classList.contains('reslens-busy'),
      status: busyText ? busyText.textContent : '',
      disabled: !!el.querySelector('button.reslens-go')?.disabled,
      stale: stale ? el.querySelectorAll(stale).length : 0,
    });
  };
  window.__reslens_observer = new MutationObserver(record);
  window.__reslens_observer.observe(document.body, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
}"""

SEEN = "() => { window.__reslens_observer?.disconnect(); return window.__reslens_seen; }"

#: True when the widget matching ``arg`` is no longer busy.
IDLE = """(root) => {
  const el = [...document.querySelectorAll(root)].pop();
  return !!el && !el.classList.contains('reslens-busy')
    && !el.querySelector('.reslens-busy') && !el.querySelector('button.reslens-go')?.disabled;
}"""

#: Images inside reslens widgets that are shown but hold no picture (a broken-image icon).
BROKEN_IMAGES = """() => [...document.querySelectorAll('.jp-NotebookPanel img')]
  .filter((img) => img.closest('.reslens-timeline, .reslens-search, .reslens-compare-widget'))
  .filter((img) => getComputedStyle(img).display !== 'none')
  .filter((img) => !img.complete || img.naturalWidth === 0)
  .map((img) => img.className)"""


def _notebook() -> dict[str, Any]:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"cell-{i}",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
            for i, source in enumerate(CELLS)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _acted(page: Page, root: str, stale: str, act: Any, done: Locator, what: str) -> list[Any]:
    """Run ``act`` (a click) with the page watched; wait for ``done`` and the widget to be
    idle again; return what the page showed while the widget was busy."""
    from playwright.sync_api import Error as PlaywrightError

    page.evaluate(WATCH, [root, stale])
    act()
    try:
        done.wait_for(state="visible", timeout=ACTION_TIMEOUT_MS)
        page.wait_for_function(IDLE, arg=root, timeout=UI_TIMEOUT_MS, polling=100)
    except PlaywrightError:
        status = page.locator(f"{root} .reslens-status").last.inner_text()
        raise AssertionError(
            f"{what}: no answer; status {status!r}\nlog console:\n{_log_console(page)}"
        ) from None
    seen: list[Any] = page.evaluate(SEEN)
    assert seen, f"{what}: the busy state never showed"
    assert any(s["box"] for s in seen), f"{what}: the widget never had reslens-busy: {seen}"
    assert any("Working…" in s["status"] for s in seen), f"{what}: no 'Working…': {seen}"
    assert any(s["disabled"] for s in seen), f"{what}: the button stayed enabled: {seen}"
    return seen


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot))
    shutil.copy(shot, screenshot_dir() / name)


def test_compare_and_timeline_widgets_in_jupyterlab(
    lab_server: LabServer, lab_page: Page, tmp_path: Path
) -> None:
    """Run the widgets notebook; align two resolutions, redline two paragraphs, draw a theme
    and open a bar, each with its busy state seen and cleared."""
    target = lab_server.root / NOTEBOOK_NAME
    target.write_text(json.dumps(_notebook()))
    page = lab_page
    page.goto(lab_server.url(f"/lab/tree/{NOTEBOOK_NAME}"), wait_until="domcontentloaded")
    page.wait_for_function(NOTEBOOK_READY, arg=len(CELLS), timeout=OPEN_TIMEOUT_MS, polling=250)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first
    panel.locator(".jp-Cell").first.click()
    _menu(page, "Run", "Run All Cells")
    page.wait_for_function(RUN_FINISHED, timeout=RUN_TIMEOUT_MS, polling=500)
    executed: int = page.evaluate(CELLS_RAN)
    _menu(page, "File", "Save Notebook")
    errors = _errors(_saved_notebook(target, executed, UI_TIMEOUT_MS / 1000))
    assert not errors, "cells raised: " + "; ".join(errors)
    assert executed == len(CELLS)

    # Search: hits after the busy state, then sorted by date without searching again.
    root = ".reslens-search"
    search = panel.locator(root).last
    search.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    search.locator(".reslens-query input").fill(QUERY)
    _acted(
        page,
        root,
        "",
        lambda: search.locator("button.reslens-go").click(),
        search.locator(".reslens-status", has_text=re.compile(r"\d+ hits")),
        f"search {QUERY!r}",
    )
    hits = search.locator(".reslens-results .reslens-hit")
    assert hits.count() > 1
    search.locator(".reslens-sort select").select_option(label="date, newest first")
    page.wait_for_function(
        """() => {
          const rows = [...document.querySelectorAll('.reslens-search .reslens-hit')];
          const dates = rows.map((r) => r.children[2].textContent);
          return dates.length > 1 && dates.every((d, i) => i === 0 || dates[i - 1] >= d);
        }""",
        timeout=UI_TIMEOUT_MS,
    )
    # Open the first hit shown; trace its lineage; the plot is a real image.
    first = search.locator(".reslens-choice select option").nth(1).get_attribute("value")
    _acted(
        page,
        root,
        "",
        lambda: search.locator(".reslens-choice select").select_option(index=1),
        # the pane heads the paragraph with its citation ("…, para. 21", "…, preambular para. 3")
        search.locator(".reslens-paragraph", has_text=re.compile(r"para\. \d")),
        f"open hit {first}",
    )
    lineage_plot = search.locator("img.reslens-lineage-plot")
    assert not lineage_plot.is_visible()
    _acted(
        page,
        root,
        "",
        lambda: search.locator(".lm-TabBar-tab", has_text="Lineage").click(),
        search.locator(".reslens-lineage", has_text="First appearance"),
        "trace the lineage",
    )
    lineage_plot.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 100",
        arg=lineage_plot.element_handle(),
        timeout=UI_TIMEOUT_MS,
    )
    assert page.evaluate(BROKEN_IMAGES) == []
    _shot(page, tmp_path, "jupyterlab-lineage.png")
    # A similar paragraph opens like a hit: its text in the Paragraph tab.
    search.locator(".lm-TabBar-tab", has_text="Similar").click()
    similar = search.locator(".reslens-similar-choice select")
    similar.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    key = similar.locator("option").nth(1).text_content() or ""  # "1 · S/RES/2388 (2017) · op 28"
    found = re.search(r"S/RES/(\d+)\s\((\d{4})\)", key)
    assert found, f"no symbol in the similar option {key!r}"
    symbol = re.compile(rf"S/RES/{found[1]}\s\({found[2]}\)")
    _acted(
        page,
        root,
        "",
        lambda: similar.select_option(index=1),
        search.locator(".reslens-paragraph", has_text=symbol),
        f"open the similar paragraph {key}",
    )
    assert search.locator(".reslens-paragraph").is_visible()

    # Compare two resolutions: the alignment rows appear, after the busy state.
    root = ".reslens-compare-widget"
    compare = panel.locator(root).last
    compare.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    compare.locator(".reslens-a textarea").fill("2331")
    compare.locator(".reslens-b textarea").fill("2388")
    aligned = re.compile(r"S/RES/2331 \(2016\) → S/RES/2388 \(2017\)")
    _acted(
        page,
        root,
        "",
        lambda: compare.locator("button.reslens-go").click(),
        compare.locator(".reslens-status", has_text=aligned),
        "align 2331 and 2388",
    )
    rows = compare.locator(".reslens-compare .reslens-aligned")
    assert rows.count() > 0, "no alignment rows"
    assert "modified" in compare.locator(".reslens-compare").inner_text()
    _shot(page, tmp_path, "jupyterlab-compare.png")

    # Then two paragraphs: the redline replaces the alignment, which is gone while it runs.
    compare.locator(".reslens-a textarea").fill("2331:op21")
    compare.locator(".reslens-b textarea").fill("2388:op33")
    seen = _acted(
        page,
        root,
        ".reslens-aligned",
        lambda: compare.locator("button.reslens-go").click(),
        compare.locator(".reslens-status", has_text="similarity"),
        "compare 2331:op21 and 2388:op33",
    )
    assert all(s["stale"] == 0 for s in seen), f"the alignment stayed on screen: {seen}"
    assert compare.locator(".reslens-aligned").count() == 0
    assert compare.locator(".reslens-compare del, .reslens-compare ins").count() > 0

    # The timeline: no image before anything is drawn (no broken-image icon).
    root = ".reslens-timeline"
    timeline = panel.locator(root).last
    timeline.scroll_into_view_if_needed()
    plot = timeline.locator("img.reslens-plot")
    assert not plot.is_visible(), "an empty plot image is shown"
    assert page.evaluate(BROKEN_IMAGES) == []
    timeline.locator(".reslens-query input").fill("trafficking")
    _acted(
        page,
        root,
        "",
        lambda: timeline.locator("button.reslens-go").click(),
        timeline.locator(".reslens-status", has_text=re.compile(r"\d+ paragraphs")),
        "draw trafficking",
    )
    plot.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 100",
        arg=plot.element_handle(),
        timeout=UI_TIMEOUT_MS,
    )
    assert page.evaluate(BROKEN_IMAGES) == []

    # Click the tallest bar: its paragraphs appear, after the busy state.
    bars = timeline.locator("button.reslens-bar:not([disabled])")
    assert bars.count() > 0, "no bar to click"
    heights = bars.evaluate_all("(els) => els.map((el) => el.getBoundingClientRect().height)")
    bar = bars.nth(heights.index(max(heights)))
    period = (bar.get_attribute("title") or "").split(":")[0]
    _acted(
        page,
        root,
        ".reslens-period-row",
        lambda: bar.click(),
        timeline.locator(".reslens-period-row").first,
        f"open the bar {period}",
    )
    rows = timeline.locator(".reslens-period-row")
    assert rows.count() > 0
    if period.isdigit():  # by year: every row is of that year
        assert all(period in row for row in rows.all_inner_texts()[:20])
    plot.scroll_into_view_if_needed()
    _shot(page, tmp_path, "jupyterlab-timeline.png")
