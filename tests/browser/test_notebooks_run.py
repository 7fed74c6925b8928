"""Every notebook, Run All in a real JupyterLab: it finishes, shows no error, its widgets are widgets,
and axe-core finds no serious or critical accessibility violation in them. Here the early
notebooks (00-03); test_notebooks_run_later.py has 04-06, so two workers share the Run Alls.

nbval compares outputs but has no widget front end: a widget that prints as
``<Credentials form. No widgets? ...>`` or ``VBox(children=...)`` passes nbval and
fails the person. Here the page itself is read.
"""

from __future__ import annotations

import pytest
from lab_driver import expect, open_notebook, run_all
from run_all_check import NAMES, check_run_all


@pytest.mark.parametrize("name", [n for n in NAMES if n[:2] <= "03"])
def test_run_all_completes_without_errors_and_widgets_render(lab, page, shot, name):
    check_run_all(lab, page, shot, name)


def test_the_start_notebooks_number_box_and_its_echo_are_linked_in_the_browser(lab, page):
    """``jslink`` runs only in the front end: the label beside the number box follows it with no kernel help."""
    nb = open_notebook(page, lab, "00-start-here.ipynb")
    run_all(page)
    box = nb.get_by_label("Type a number:", exact=True)
    demo = nb.locator(".widget-hbox:has(input[type=number])").first
    expect(box).to_have_value("3")
    box.focus()
    page.keyboard.press("ArrowUp")
    expect(box).to_have_value("4")
    expect(demo.locator(".widget-label").last).to_have_text("4")
