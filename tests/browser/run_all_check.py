"""Run All of one notebook in a real JupyterLab, and what must then hold (shared by two test files).

The notebooks are checked in two files, early (00-03) and later (04-06), so that two
workers share the Run Alls and neither waits for all seven.
"""

from __future__ import annotations

from axe_check import WIDGETS_OF_VISIBLE_NOTEBOOK, report, serious_violations
from lab_driver import (
    NOTEBOOKS,
    STDERR_MIME,
    WIDGET_MIME,
    WIDGET_REPR,
    cell,
    cells_without_count,
    committed_widget_outputs,
    index_of_cell,
    model_outputs,
    open_notebook,
    output_areas,
    run_all,
    scroll_to,
    wait_for_widgets,
    widget_output_texts,
)

NAMES = NOTEBOOKS

# Where each notebook's screenshot is taken: the first cell whose source contains this text.
SCREENSHOT_AT = {
    "00-start-here.ipynb": ("00-start.png", "kit = connect()"),
    "05-when-things-go-wrong.ipynb": ("05-errors.png", 'lab.set_fault("over-capacity")'),
}


def check_run_all(lab, page, shot, name: str) -> None:
    """Run All ``name``: it finishes, shows no error, its widgets are widgets, axe finds nothing serious."""
    nb = open_notebook(page, lab, name)
    run_all(page)

    assert cells_without_count(page) == [], f"{name}: Run All stopped before these cells ran"

    outputs = model_outputs(page)
    errors = [
        o
        for o in outputs
        if o["output_type"] == "error" or (o["output_type"] == "stream" and o.get("name") == "stderr")
    ]
    assert not errors, f"{name}: error output: {errors}"
    stderr_shown = output_areas(nb, STDERR_MIME)
    assert stderr_shown.count() == 0, f"{name}: error text on the page: {stderr_shown.all_inner_texts()}"

    expected = committed_widget_outputs(name)
    produced = sum(1 for o in outputs if WIDGET_MIME in o["mimes"])
    assert produced == expected, f"{name}: {produced} widget outputs this run, {expected} committed"
    if expected:
        wait_for_widgets(page, expected)
    shown = widget_output_texts(page)
    assert len(shown) == expected, f"{name}: {len(shown)} outputs render as widgets, {expected} expected"
    for text in shown:
        assert not WIDGET_REPR.search(text), f"{name}: a widget shows {text!r}"
    # No widget anywhere fell back to its text/plain repr.
    plain = [text for text in output_areas(nb, "text/plain").all_inner_texts() if WIDGET_REPR.search(text)]
    assert not plain, f"{name}: widgets shown as text: {plain}"
    problems = nb.locator(".widget-html-content:has-text('Problem:')")
    assert problems.count() == 0, f"{name}: a widget reports a problem: {problems.all_inner_texts()}"
    if expected:
        # Accessibility of the same rendered widgets (axe-core), while they are on the page.
        found = serious_violations(page, {"include": [[WIDGETS_OF_VISIBLE_NOTEBOOK]]})
        assert not found, report(name, found)
        report(name, found)

    if name in SCREENSHOT_AT:
        png, needle = SCREENSHOT_AT[name]
        scroll_to(cell(nb, index_of_cell(nb, needle)))
        page.wait_for_timeout(300)
        shot(page, png)
