"""Fixtures shared by every test: an isolated environment and a running sandbox.

No test may read the developer's real credentials or config folder, so every test
runs with the ``IMGUR_*`` variables removed and ``IMGUR_KIT_CONFIG_DIR`` pointing
at a fresh temporary folder.
"""

from __future__ import annotations

import os
import sys

import pytest


def pytest_report_header(config):
    """Say when notebooks/ differs from the committed notebooks, which are the ones checked."""
    import committed

    said = committed.note()
    return [said] if said else []


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch, tmp_path):
    """Strip IMGUR_* variables and point the config folder at a temporary one."""
    for name in list(os.environ):
        if name.startswith("IMGUR_"):
            monkeypatch.delenv(name)
    config = tmp_path / "imgur-kit-config"
    monkeypatch.setenv("IMGUR_KIT_CONFIG_DIR", str(config))
    yield config
    # Sandboxes that connect() or a command started for this test's config folder end with it.
    sandboxes = sys.modules.get("imgur_kit.session.sandboxes")
    if sandboxes is not None:
        sandboxes.stop_sandboxes()


@pytest.fixture
def sandbox():
    """A fresh local Imgur on 127.0.0.1, stopped after the test."""
    from imgur_kit.sandbox import Sandbox

    with Sandbox() as running:
        yield running
