"""A real JupyterLab, driven in headless Chromium: the fixtures behind tests/browser.

One Lab server per session, on 127.0.0.1, serving a *temporary copy* of notebooks/
(Lab autosaves and writes .ipynb_checkpoints/, which must never touch the repo),
with its own config, runtime, settings and workspace folders, the news pop-up off,
a fresh temporary HOME (so the kit's default config folder is empty) and every
``IMGUR_*`` variable removed. It is stopped by its own PID.

Skip rule: without Debian's chromium (or the playwright package) these tests skip
with a reason, except when ``IMGUR_KIT_REQUIRE_BROWSER=1`` (CI): then they fail,
because a skipped browser suite in CI would prove nothing.

``IMGUR_KIT_SCREENSHOTS=<dir>`` makes the tests write PNGs of the key steps there
(``docs/screenshots`` for the README); without it no file outside temp is written.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import committed
import pytest
from loopback import free_port

REPO = Path(__file__).resolve().parents[2]
TOKEN = "imgur-kit-browser-tests"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}

# Read once, at import: the autouse fixture in tests/conftest.py strips IMGUR_* variables
# from os.environ for every test, and these two steer the suite itself.
REQUIRE_BROWSER = os.environ.get("IMGUR_KIT_REQUIRE_BROWSER", "").strip() == "1"
_shots = os.environ.get("IMGUR_KIT_SCREENSHOTS", "").strip()
SCREENSHOTS = Path(_shots).resolve() if _shots else None
_BASE_ENVIRON = dict(os.environ)

# Variables that make connect() believe the kernel is remote (see steps.where.detect_environment).
# Here the browser and the kernel share this machine, so the local capture path is the true one.
_REMOTE_HINTS = (
    "SSH_CONNECTION",
    "SSH_CLIENT",
    "SSH_TTY",
    "JUPYTERHUB_SERVICE_PREFIX",
    "JUPYTERHUB_USER",
    "JUPYTERHUB_API_URL",
    "JUPYTERHUB_PUBLIC_URL",
    "CODESPACES",
    "COLAB_RELEASE_TAG",
    "COLAB_GPU",
)


def pytest_collection_modifyitems(config, items):
    """Every test in this folder drives a browser: mark it so (``-m "not browser"`` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _missing_browser_reason() -> str | None:
    chromium = shutil.which("chromium")
    if chromium is None:
        return (
            "Debian's chromium is not installed (no `chromium` on PATH); install it with "
            "`apt-get install chromium` to run the browser tests"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session", autouse=True)
def browser_available():
    """Skip the browser tests with a clear reason, or fail when CI requires them."""
    reason = _missing_browser_reason()
    if reason is not None:
        if REQUIRE_BROWSER:
            pytest.fail(f"IMGUR_KIT_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}.", pytrace=False)
        pytest.skip(reason)
    return shutil.which("chromium")


@dataclass
class Lab:
    """A running JupyterLab: where it listens and where its files are."""

    url: str
    root: Path  # the temporary copy of notebooks/ that Lab serves (and autosaves into)
    config_dir: Path  # the kit's config folder in every kernel (under a fresh HOME)
    log: Path

    def tree_url(self, notebook: str) -> str:
        return f"{self.url}/lab/tree/{notebook}?reset&token={TOKEN}"

    def api(self, method: str, path: str):
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {TOKEN}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session (and its kernel, and the kernel's in-process sandbox).

        Each notebook's kernel runs its own sandbox on the shared state folder; only one
        at a time may write it, and two idle kernels already weigh on a 2-core machine.
        """
        for session in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except OSError:
                pass


@pytest.fixture(scope="session")
def lab(browser_available, tmp_path_factory):
    """JupyterLab on 127.0.0.1 serving a temporary copy of notebooks/, stopped by its PID."""
    with running_lab(tmp_path_factory) as running:
        yield running


@contextlib.contextmanager
def running_lab(tmp_path_factory, extra_env=None):
    """Start a JupyterLab as the ``lab`` fixture describes; ``extra_env`` adds variables its kernels see
    (``IMGUR_KIT_BASE_URL`` for a stand-in of the real Imgur)."""
    root = tmp_path_factory.mktemp("lab-root")
    committed.export(root)  # as committed: a person's own run saved in notebooks/ changes nothing here
    state = tmp_path_factory.mktemp("lab-state")
    # A fresh home, as a newcomer's: the kit's config folder is the default one under it
    # (shown as ~/.config/imgur-kit in the screenshots), and connect() picks the sandbox
    # by itself because nothing is configured there.
    home = tmp_path_factory.mktemp("home")
    config = home / ".config" / "imgur-kit"
    settings = state / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # The only way to keep the news/update notification away for good.
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env = {
        name: value
        for name, value in _BASE_ENVIRON.items()
        if not name.startswith("IMGUR_") and not name.startswith("BINDER_") and name not in _REMOTE_HINTS
    }
    env.pop("XDG_CONFIG_HOME", None)
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(state / "config"),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTER_DATA_DIR=str(state / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env or {})
    # The kernel must import this checkout's imgur_kit, whatever the cwd of the Lab.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = state / "lab.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    running = Lab(url=f"http://127.0.0.1:{port}", root=root, config_dir=config, log=log_path)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{running.url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError as error:
                if proc.poll() is not None:
                    raise RuntimeError("JupyterLab exited at start:\n" + log_path.read_text()) from error
                if time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not answer within 90 s:\n" + log_path.read_text()) from error
                time.sleep(0.3)
        yield running
    finally:
        proc.send_signal(signal.SIGINT)  # this PID only; the server shuts its kernels down
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser(browser_available):
    """One headless Chromium for the whole session (Debian's, not a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=browser_available, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@contextlib.contextmanager
def browser_context(browser, lab, *, fresh_home: bool = False):
    """A browser context (its own tabs and storage) on ``lab``; the kernels end with it.

    ``fresh_home``: start as a newcomer would, with no keys, no sandbox state and no
    kernel left from an earlier test.
    """
    if fresh_home:
        lab.shutdown_kernels()
        shutil.rmtree(lab.config_dir, ignore_errors=True)
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(30_000)
    try:
        yield ctx
    finally:
        ctx.close()
        lab.shutdown_kernels()


@pytest.fixture
def context(browser, lab):
    """A fresh browser context per test; kernels end with the test."""
    with browser_context(browser, lab) as ctx:
        yield ctx


@pytest.fixture
def page(context):
    """The first tab of the test's context."""
    return context.new_page()


@pytest.fixture
def shot():
    """``shot(page_or_locator, "02-credentials.png")``: a PNG for docs/, only when IMGUR_KIT_SCREENSHOTS is set."""

    def take(target, name: str) -> Path | None:
        if SCREENSHOTS is None:
            return None
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        target.screenshot(path=str(path))
        return path

    return take
