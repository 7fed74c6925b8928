"""The pytest plugin, as another project meets it: installed with the kit, found through its entry point.

tests/plugin/sample_project is that other project (its own pytest.ini and test files, run in a
process of its own): Imgur code written with requests, imgurpython and PyImgur, and the
fixture's switches. Only the plugins that project needs are loaded there, so it starts quickly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: The other project's run loads pytest and the kit's plugin, not this suite's other plugins.
LEAN = ["-p", "no:cacheprovider", "-p", "no:cov", "-p", "no:xdist", "-p", "no:playwright", "-p", "no:nbval"]


def test_a_sample_project_outside_the_kit_passes_against_the_fixture():
    project = Path(__file__).with_name("sample_project")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_CORE"))}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *LEAN, str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
    assert "9 passed" in done.stdout


def test_the_fixtures_are_documented():
    from imgur_kit import pytest_plugin

    for fixture in (pytest_plugin.imgur_sandbox, pytest_plugin.imgur_sandbox_shared):
        assert (fixture.__doc__ or getattr(fixture, "__wrapped__", fixture).__doc__ or "").strip()


@pytest.mark.parametrize("bad", [{"seed": -1}, {"host": "0.0.0.0"}])
def test_a_bad_marker_option_is_the_sandboxs_own_sentence(bad):
    from imgur_kit import pytest_plugin

    with pytest.raises(ValueError):
        next(pytest_plugin._started(**bad))
