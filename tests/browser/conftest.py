"""Fixtures for the browser tests: a JupyterLab server and a headless Debian Chromium.

The tests skip when Playwright (the Python package), Chromium or JupyterLab is missing, unless
RESLENS_REQUIRE_BROWSER=1, in which case a missing piece is an error.

Environment:
    RESLENS_CHROMIUM: the Chromium executable (default /usr/bin/chromium, else ``chromium`` on
        PATH). Never Playwright's own browser download.
    RESLENS_REQUIRE_BROWSER: ``1`` turns every skip for a missing tool into a failure.
    RESLENS_BROWSER_INDEX: a ready index directory to use instead of building the
        ``real_search_index`` fixture (about 100 s); for iterating locally, never set in CI.
    RESLENS_SCREENSHOT_DIR: where screenshots are copied (default ``bench/out/``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]

#: Flags known to work for headless Chromium on these machines: the network is closed, so every
#: background connection (component updates, sync, QUIC, ...) is switched off.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

#: JupyterLab user settings written into a fresh settings directory for every server: no news or
#: update toasts over the page, and every cell attached to the DOM (no virtual scrolling), so
#: that prompts and widgets below the fold can be found and waited for.
LAB_SETTINGS: dict[str, str] = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": (
        '{"fetchNews": "false", "checkForUpdates": false, "doNotDisturbMode": true}'
    ),
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
}

SERVER_START_TIMEOUT = 120.0
SERVER_STOP_TIMEOUT = 20.0


def _missing(reason: str) -> None:
    """Skip the test for a missing tool, or fail when RESLENS_REQUIRE_BROWSER=1."""
    if os.environ.get("RESLENS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (RESLENS_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def find_chromium() -> Path | None:
    """The Chromium executable to drive: $RESLENS_CHROMIUM, /usr/bin/chromium or PATH."""
    env = os.environ.get("RESLENS_CHROMIUM")
    if env:
        return Path(env) if os.access(env, os.X_OK) else None
    default = Path("/usr/bin/chromium")
    if os.access(default, os.X_OK):
        return default
    found = shutil.which("chromium")
    return Path(found) if found else None


def screenshot_dir() -> Path:
    """Where screenshots are copied besides the test's tmp dir: $RESLENS_SCREENSHOT_DIR or
    bench/out/ (ignored by git)."""
    env = os.environ.get("RESLENS_SCREENSHOT_DIR")
    path = Path(env) if env else ROOT / "bench" / "out"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The Chromium executable; skips (or fails) when Chromium, Playwright or JupyterLab is
    missing. Session-scoped so that it runs before the slow session fixtures."""
    for module, what in (
        ("playwright", "the Python package playwright is not installed"),
        ("jupyterlab", "jupyterlab is not installed (the notebook extra)"),
        ("ipywidgets", "ipywidgets is not installed (the notebook extra)"),
    ):
        if importlib.util.find_spec(module) is None:
            _missing(what)
    path = find_chromium()
    if path is None:
        _missing("no Chromium: run scripts/install_browser.sh or set RESLENS_CHROMIUM")
    assert path is not None
    return path


@pytest.fixture
def lab_index(request: pytest.FixtureRequest) -> Path:
    """The index the notebook opens: ``real_search_index``, or $RESLENS_BROWSER_INDEX."""
    override = os.environ.get("RESLENS_BROWSER_INDEX")
    if override:
        return Path(override)
    index: Path = request.getfixturevalue("real_search_index")
    return index


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so fixtures can tell a failed test at teardown."""
    report = yield
    setattr(item, f"reslens_report_{report.when}", report)
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    """Whether the test using the fixture failed (in setup or in its body)."""
    return any(
        getattr(getattr(request.node, f"reslens_report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LabServer:
    """A running JupyterLab server.

    Attributes:
        base_url: ``http://127.0.0.1:<port>``.
        token: the authentication token.
        root: the server's root directory (where notebooks are copied).
        log_path: the server's combined stdout and stderr.
        process: the server process (leader of its own process group, with its kernels).
    """

    base_url: str
    token: str
    root: Path
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def url(self, path: str) -> str:
        """The URL of ``path`` (starting with ``/``) on this server, with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}token={self.token}"

    def api(self, path: str, method: str = "GET") -> bytes:
        """Call the REST API at ``path`` and return the body."""
        request = urllib.request.Request(
            self.base_url + path,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body: bytes = response.read()
            return body

    def log_tail(self, lines: int = 200) -> str:
        """The last ``lines`` lines of the server log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as exc:
            return f"(no server log: {exc})"
        return "\n".join(text.splitlines()[-lines:])


def _wait_until_up(server: LabServer) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            server.api("/api/status")
            server.api("/lab/api/settings/@jupyterlab/notebook-extension:tracker")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"JupyterLab did not answer within {SERVER_START_TIMEOUT:.0f} s:\n"
                + server.log_tail()
            )
        time.sleep(0.25)


def _stop(server: LabServer) -> None:
    """Shut the server down through its API (which stops its kernels), then by signal."""
    process = server.process
    if process.poll() is None:
        with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
            server.api("/api/shutdown", method="POST")
        try:
            process.wait(timeout=SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=SERVER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    # Anything left in the server's own process group goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _kill_kernels(runtime: Path) -> list[int]:
    """Kill kernels still running from ``runtime`` (their command line names a connection file
    there). jupyter_client starts each kernel in a session of its own, so a server that died
    without shutting them down leaves them outside its process group. Linux only (/proc)."""
    killed = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            if str(runtime).encode() in cmdline.read_bytes():
                pid = int(cmdline.parent.name)
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
    return killed


@pytest.fixture
def lab_server(
    chromium: Path, lab_index: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[LabServer]:
    """JupyterLab on 127.0.0.1 (free port, random token, no browser), with RESLENS_INDEX set to
    ``lab_index`` in its environment and so in its kernels'. Its root is ``tmp_path/root``; its
    settings, workspaces and runtime files live under ``tmp_path`` too. The log is printed when
    the test fails."""
    root = tmp_path / "root"
    root.mkdir()
    jupyter = tmp_path / "jupyter"
    settings = jupyter / "settings"
    for name, text in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (jupyter / "workspaces").mkdir()
    env = dict(os.environ)
    env.update(
        {
            "RESLENS_INDEX": str(lab_index),
            "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
            "JUPYTER_CONFIG_DIR": str(jupyter / "config"),
            "JUPYTER_DATA_DIR": str(jupyter / "data"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(jupyter / "workspaces"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    port = _free_port()
    token = secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.terminals_enabled=False",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={jupyter / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:  # CI runs as root on a fresh machine
        command.append("--allow-root")
    log_path = tmp_path / "jupyterlab.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log_path, process)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(server)
        strays = _kill_kernels(jupyter / "runtime")
        if strays:
            print(f"killed kernels left running: {strays}")
        if _failed(request):
            print(f"\n===== JupyterLab log ({log_path}) =====\n{server.log_tail()}")


@pytest.fixture
def lab_page(
    chromium: Path, lab_server: LabServer, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A page in headless Debian Chromium, driven by Playwright. On failure, a screenshot of the
    page is saved (tmp dir and screenshot dir) and the browser console is printed."""
    from playwright.sync_api import sync_playwright

    console: list[str] = []
    with sync_playwright() as playwright:
        # launch() gives the browser a fresh, empty profile directory of its own.
        browser = playwright.chromium.launch(
            executable_path=str(chromium), headless=True, args=list(CHROMIUM_FLAGS)
        )
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.on("console", lambda msg: console.append(f"[{msg.type}] {msg.text}"))
            page.on("pageerror", lambda exc: console.append(f"[pageerror] {exc}"))
            yield page
            if _failed(request):
                shot = tmp_path / "jupyterlab-failure.png"
                try:
                    page.screenshot(path=str(shot))
                    shutil.copy(shot, screenshot_dir() / shot.name)
                except Exception as exc:  # the page may be gone; the log matters more
                    console.append(f"(no failure screenshot: {exc})")
                print(f"\n===== browser console ({len(console)} messages) =====")
                print("\n".join(console[-200:]))
            context.close()
        finally:
            browser.close()
