"""Fixtures for the class-on-a-hub tests: real learners (Unix users) on a real JupyterHub.

Skip rule, as for the browser tests: without root, JupyterHub, configurable-http-proxy
(``make hub-deps``), Chromium or playwright these tests skip with the reason, except when
``IMGUR_KIT_REQUIRE_HUB=1`` (CI, through ``make test-hub``): then they fail, because a
skipped hub test in CI would prove nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# The browser tests' driver (open a notebook, Run All, wait) serves here too.
sys.path.insert(0, str(HERE.parent / "browser"))
sys.path.insert(0, str(HERE))

import classroom  # noqa: E402

REQUIRE_HUB = os.environ.get("IMGUR_KIT_REQUIRE_HUB", "").strip() == "1"


def pytest_collection_modifyitems(config, items):
    """Every test in this folder runs a hub: mark it so (``-m "not hub"`` leaves them out)."""
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.hub)


def _missing() -> list[str]:
    missing = classroom.missing_pieces()
    if shutil.which("chromium") is None:
        missing.append("Debian's chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright")
    return missing


@pytest.fixture(scope="session")
def hub_available():
    """Skip with the reasons, or fail when CI requires the hub tests."""
    missing = _missing()
    if missing:
        reason = "a class on a hub needs " + ", ".join(missing)
        if REQUIRE_HUB:
            pytest.fail(f"IMGUR_KIT_REQUIRE_HUB=1 but {reason}.", pytrace=False)
        pytest.skip(reason)
    return shutil.which("chromium")


@pytest.fixture
def shared_folder():
    """A temporary folder the learners may read (pytest's own temp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="imgur-kit-class-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
