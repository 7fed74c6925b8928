"""Fixtures shared by every test: an isolated environment and a running sandbox.

No test may read the developer's real credentials or config folder, so every test
runs with the ``IMGUR_*`` variables removed and ``IMGUR_KIT_CONFIG_DIR`` pointing
at a fresh temporary folder.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

import pytest

#: pytester runs small suites in a subprocess (the pytest plugin's tests).
pytest_plugins = ["pytester"]

#: Settings of the test run itself (not of the kit a person uses), kept when IMGUR_* is cleared.
RUN_SETTINGS = ("IMGUR_KIT_REQUIRE_BROWSER", "IMGUR_KIT_SCREENSHOTS")
#: Every variable that points a program at a person's own files.
HOME_VARIABLES = (
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
    "JUPYTERLAB_SETTINGS_DIR",
    "JUPYTERLAB_WORKSPACES_DIR",
    "IPYTHONDIR",
)
_RUN_HOME: list = []


def _point_home_at(home: str, env) -> None:
    """Make ``home`` the only home anything can find: HOME, the XDG folders, Jupyter's and IPython's."""
    env["HOME"] = home
    for name in HOME_VARIABLES:
        env.pop(name, None)
    for name in [n for n in env if n.startswith("IMGUR_") and n not in RUN_SETTINGS]:
        del env[name]


def pytest_configure(config):
    """Before any fixture (module- and session-scoped ones too), the run gets a home of its own.

    The person running the tests may have used the notebooks and the command line: their
    keys, tokens, sandbox and Jupyter settings live under their home. No test may read or
    write there, so the whole run (and every process it starts) sees a fresh, empty home.
    """
    home = tempfile.mkdtemp(prefix="imgur-kit-test-home-")
    _RUN_HOME.append(home)
    _point_home_at(home, os.environ)
    os.environ["IMGUR_KIT_CONFIG_DIR"] = os.path.join(home, "imgur-kit-config")


def pytest_unconfigure(config):
    for home in _RUN_HOME:
        shutil.rmtree(home, ignore_errors=True)


def pytest_report_header(config):
    """Say when notebooks/ differs from the committed notebooks, which are the ones checked."""
    import committed

    said = committed.note()
    return [said] if said else []


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch, tmp_path):
    """Strip IMGUR_* variables, give the test a home of its own, and point the config folder at a temporary one."""
    for name in list(os.environ):
        if name.startswith("IMGUR_") and name not in RUN_SETTINGS:
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    config = tmp_path / "imgur-kit-config"
    monkeypatch.setenv("IMGUR_KIT_CONFIG_DIR", str(config))
    yield config
    # Sandboxes that connect() or a command started for this test's config folder end with it.
    sandboxes = sys.modules.get("imgur_kit.steps.sandboxes")
    if sandboxes is not None:
        sandboxes.stop_sandboxes()


@pytest.fixture
def live_standin(monkeypatch):
    """A second sandbox standing in for the real Imgur: live mode reaches it through IMGUR_KIT_BASE_URL."""
    from imgur_kit.sandbox import Sandbox

    with Sandbox() as standin:
        monkeypatch.setenv("IMGUR_KIT_BASE_URL", standin.base_url)
        yield standin


@pytest.fixture
def sandbox():
    """A fresh local Imgur on 127.0.0.1, stopped after the test."""
    from imgur_kit.sandbox import Sandbox

    with Sandbox() as running:
        yield running
