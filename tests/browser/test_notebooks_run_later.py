"""Run All of notebooks 04-06 in a real JupyterLab (test_notebooks_run.py has 00-03 and says what is held)."""

from __future__ import annotations

import pytest
from run_all_check import NAMES, check_run_all


@pytest.mark.parametrize("name", [n for n in NAMES if n[:2] > "03"])
def test_run_all_completes_without_errors_and_widgets_render(lab, page, shot, name):
    check_run_all(lab, page, shot, name)
