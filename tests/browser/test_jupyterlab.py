"""The quick-start notebook in a real JupyterLab and a real (headless) Chromium.

Copies notebooks/01_quickstart.ipynb into a fresh server root, opens it in JupyterLab, runs all
cells from the Run menu, saves it and checks no cell raised, then types a query into the search
widget the last cell displays and waits for real hits (S/RES/2331 (2016) or 2388 (2017)) to
appear. The screenshot goes to the test's tmp dir and to $RESLENS_SCREENSHOT_DIR (default
bench/out/jupyterlab-search.png).
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import ROOT, LabServer, screenshot_dir

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.corpus, pytest.mark.model]

NOTEBOOK = ROOT / "notebooks" / "01_quickstart.ipynb"
QUERY = "trafficking in persons data collection"
HOSTILE = '<img src=x onerror="window.__reslens_xss=1"> trafficking'
EXPECTED_HIT = re.compile(r"S/RES/2331 \(2016\)|S/RES/2388 \(2017\)")
#: A status line that ends a search: "10 hits · 35 ms", "No paragraph …", or an error shown by
#: the widget ("ProgrammingError: …"), which then fails the test at once with its text.
SEARCH_DONE = re.compile(r"\d+ hits?\b|no paragraph|error", re.IGNORECASE)

#: Generous ceilings (not assertions on speed): loading the model in the kernel on a loaded
#: 2-core machine can take a minute; the whole notebook well under ten.
OPEN_TIMEOUT_MS = 120_000
RUN_TIMEOUT_MS = 600_000
UI_TIMEOUT_MS = 30_000
SEARCH_TIMEOUT_MS = 120_000

#: The open notebook's code cells, kernel name and execution indicator, as JavaScript.
_PANEL = """
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const prompts = panel ? [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')] : [];
  const kernel = panel?.querySelector('[data-jp-item-name="kernelName"]')?.innerText.trim();
  const status = panel?.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status;
  const idle = !!kernel && kernel !== 'No Kernel' && status === 'idle';
"""

#: True once the notebook shows ``arg`` code cells and a started kernel that is idle. (The
#: indicator also reads "idle" while no kernel is attached yet, hence the kernel-name check.)
NOTEBOOK_READY = f"(cells) => {{ {_PANEL} return idle && prompts.length === cells; }}"

#: True once Run All has finished: the kernel is idle, no cell is queued or running ("[*]:"),
#: and at least one ran ("[3]:"). After an error the cells queued behind it go back to "[ ]:",
#: so a failing notebook ends the wait too, and the saved outputs name the error.
RUN_FINISHED = f"""() => {{ {_PANEL}
  const text = prompts.map((p) => p.textContent);
  return idle && !text.some((t) => t.includes('*')) && text.some((t) => /\\d/.test(t));
}}"""

#: How many code cells show an execution count.
CELLS_RAN = f"() => {{ {_PANEL} return prompts.filter((p) => /\\d/.test(p.textContent)).length; }}"


def _menu(page: Page, menu: str, label: str) -> None:
    """Click ``menu`` in the main menu bar, then its item labelled ``label``."""
    page.locator("#jp-MainMenu .lm-MenuBar-item", has_text=re.compile(rf"^{menu}$")).click()
    label_re = re.compile(rf"^{re.escape(label)}$")
    item = page.locator(".lm-Menu .lm-Menu-item").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=label_re)
    )
    item.first.click(timeout=UI_TIMEOUT_MS)


def _log_console(page: Page) -> str:
    """The end of JupyterLab's log console, where errors raised in widget callbacks go."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.locator(".jp-LogConsoleStatusItem [role=button]").first.click(timeout=2_000)
        panel = page.locator(".jp-LogConsolePanel").first
        panel.wait_for(state="visible", timeout=5_000)
        return panel.inner_text()[-3000:]
    except PlaywrightError as exc:
        return f"(log console unavailable: {exc.message.splitlines()[0]})"


def _saved_notebook(path: Path, executed: int, timeout_s: float) -> dict[str, Any]:
    """The notebook as saved on disk, once ``executed`` code cells in it have a count."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            notebook: dict[str, Any] = json.loads(path.read_text())
            counts = [
                c.get("execution_count") for c in notebook["cells"] if c["cell_type"] == "code"
            ]
            if sum(1 for count in counts if count) >= executed:
                return notebook
        except (OSError, ValueError, KeyError):
            pass  # being written
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} was not saved with its {executed} executed cells")
        time.sleep(0.25)


def _errors(notebook: dict[str, Any]) -> list[str]:
    """The error outputs of a notebook, as 'ename: evalue' with the cell's first line."""
    found = []
    for cell in notebook["cells"]:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                first = "".join(cell["source"]).splitlines()[:1]
                found.append(f"{out.get('ename')}: {out.get('evalue')} (in {first})")
    return found


def test_search_widget_in_jupyterlab(lab_server: LabServer, lab_page: Page, tmp_path: Path) -> None:
    """Run notebook 1 in JupyterLab, type a query into its search widget, see real hits."""
    from playwright.sync_api import Error as PlaywrightError

    source = json.loads(NOTEBOOK.read_text())
    code_cells = sum(1 for cell in source["cells"] if cell["cell_type"] == "code")
    target = lab_server.root / NOTEBOOK.name
    shutil.copy(NOTEBOOK, target)
    page = lab_page

    page.goto(lab_server.url(f"/lab/tree/{NOTEBOOK.name}"), wait_until="domcontentloaded")
    page.wait_for_function(NOTEBOOK_READY, arg=code_cells, timeout=OPEN_TIMEOUT_MS, polling=250)
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first

    # Give the notebook focus, then Run → Run All Cells, and wait for the kernel to finish.
    panel.locator(".jp-Cell").first.click()
    _menu(page, "Run", "Run All Cells")
    page.wait_for_function(RUN_FINISHED, timeout=RUN_TIMEOUT_MS, polling=500)
    executed: int = page.evaluate(CELLS_RAN)

    # Save, and read the outputs from disk: a cell that raised fails the test by name.
    _menu(page, "File", "Save Notebook")
    saved = _saved_notebook(target, executed, UI_TIMEOUT_MS / 1000)
    errors = _errors(saved)
    assert not errors, "cells raised: " + "; ".join(errors)
    assert executed == code_cells, f"only {executed} of {code_cells} code cells ran"

    # The search widget of the last cell. First a hostile query, typed with no Enter: the
    # debounced search runs on the kernel's event loop, and the markup must come back as text.
    query = panel.locator(".reslens-query input").last
    query.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    query.scroll_into_view_if_needed()
    query.click()
    query.press_sequentially(HOSTILE, delay=5)
    echoed = panel.locator(".reslens-status", has_text="onerror").last
    echoed.wait_for(state="visible", timeout=SEARCH_TIMEOUT_MS)
    assert "<img" in echoed.inner_text()  # shown as text, not as an element
    assert page.evaluate("() => window.__reslens_xss === undefined"), "markup ran in the page"
    assert panel.locator(".reslens-status img, .reslens-results img").count() == 0

    # Then the real query, again with no Enter: wait for real hits.
    query.fill("")
    query.press_sequentially(QUERY, delay=20)
    results = panel.locator(".reslens-results").last
    hit = results.locator(".reslens-hit", has_text=EXPECTED_HIT).first
    done = panel.locator(".reslens-status", has_text=QUERY).filter(has_text=SEARCH_DONE).last
    try:
        done.wait_for(state="visible", timeout=SEARCH_TIMEOUT_MS)
        hit.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    except PlaywrightError:
        status = panel.locator(".reslens-status").last.inner_text()
        rows = results.locator(".reslens-hit").all_inner_texts()
        raise AssertionError(
            f"no hit from 2331 or 2388 for {QUERY!r}; status: {status!r}; rows: {rows[:5]}\n"
            f"log console:\n{_log_console(page)}"
        ) from None
    status = panel.locator(".reslens-status").last.inner_text()
    rows = results.locator(".reslens-hit").all_inner_texts()

    hit.scroll_into_view_if_needed()
    shot = tmp_path / "jupyterlab-search.png"
    page.screenshot(path=str(shot))
    shutil.copy(shot, screenshot_dir() / shot.name)

    assert rows, "no hit rows"
    assert any(EXPECTED_HIT.search(row) for row in rows), rows
    assert re.search(r"\d+ hits?", status), status
