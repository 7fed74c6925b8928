"""A person does the browser steps of 02-04 themselves; the stand-in cells see it and do nothing.

In a real JupyterLab, each notebook is run up to its "Sandbox stand-in" cell. Then
the person acts: registers an app on the sandbox's form and saves its keys in the
credentials form (02), presses Allow on the consent page and pastes where the
browser landed (03), presses Upload (04). Then the stand-in cells run, and each
must say the step was done already, rather than doing it for them.
"""

from __future__ import annotations

import pytest
from conftest import browser_context
from lab_driver import (
    consent_and_land,
    expect,
    free_port,
    index_of_cell,
    named,
    open_notebook,
    register_in_browser,
    shutdown_kernel,
    wait_until_finished,
)

from imgur_kit.tokens import mask

_PANEL = "window.jupyterapp.shell.currentWidget"


@pytest.fixture
def context(browser, lab):
    """A browser context on a fresh home: no keys, no sandbox apps, no token, no kernel left."""
    with browser_context(browser, lab, fresh_home=True) as ctx:
        yield ctx


def _select(page, index: int) -> None:
    # The Run menu's "Run All Above" and "Run Selected Cell and All Below" act on the selected cell.
    page.evaluate(f"() => {{ {_PANEL}.content.activeCellIndex = {index}; }}")


def run_above(page, nb, source: str) -> int:
    """Clear every output, then run all cells above the code cell whose source holds *source*."""
    index = index_of_cell(nb, source)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    _select(page, index)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-above')")
    page.wait_for_function(
        f"() => {{ const w = {_PANEL}; const k = w.sessionContext.session.kernel;"
        f" const above = w.content.widgets.slice(0, {index}).filter(c => c.model.type === 'code');"
        " return k.status === 'idle' && above.every(c => c.model.executionCount !== null); }",
        timeout=120_000,
    )
    return index


def run_from(page, index: int) -> None:
    """Run the cell at *index* and every cell below it, and wait until all ran."""
    _select(page, index)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-below')")
    wait_until_finished(page, timeout=120_000)


def output_of(nb, index: int):
    return nb.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea")


def test_stand_in_cells_see_the_clicks_a_person_made(lab, context, page):
    callback = f"http://localhost:{free_port()}/callback"

    # -- 02: register on the sandbox's form, then type and save the keys ----------------------
    nb = open_notebook(page, lab, "02-register-an-application.ipynb")
    register = run_above(page, nb, "rehearsal.registered_app(kit)")
    client_id, secret = register_in_browser(context, nb, callback)
    page.bring_to_front()
    save_keys = run_above(page, nb, "rehearsal.credentials_saved(kit)")  # the register stand-in ran too
    expect(output_of(nb, register)).to_contain_text(
        f"When this cell ran, you had registered an app on the sandbox form already ('My notebook app', "
        f"Client ID {client_id})"
    )
    expect(output_of(nb, register)).not_to_contain_text("for you")
    nb.get_by_label("Client ID:", exact=True).fill(client_id)
    nb.get_by_label("Client Secret:", exact=True).fill(secret)
    nb.get_by_role("button", name=named("Verify")).click()
    form = nb.locator(".jupyter-widgets.widget-vbox:has(input[type=password])").first
    expect(form).to_contain_text(f"The sandbox knows practice app {mask(client_id)}")
    nb.get_by_role("button", name=named("Save")).click()
    expect(form).to_contain_text(f"Saved practice app Client ID {mask(client_id)}")
    run_from(page, save_keys)
    expect(output_of(nb, save_keys)).to_contain_text(
        f"When this cell ran, your keys were saved already (Client ID {mask(client_id)}, in "
        "~/.config/imgur-kit/sandbox-credentials.json)"
    )
    expect(output_of(nb, save_keys)).not_to_contain_text("for you")
    shutdown_kernel(page)  # one sandbox writer at a time on the shared state folder

    # -- 03: press Allow, paste where the browser landed ----------------------------------------
    nb = open_notebook(page, lab, "03-authorize-with-oauth.ipynb")
    authorize = run_above(page, nb, "rehearsal.token_saved(kit)")
    landing = consent_and_land(context, nb, "Allow")
    assert landing.startswith(callback) and "#access_token=" in landing
    nb.get_by_label("Paste where your browser ended:", exact=True).fill(landing)
    nb.get_by_role("button", name=named("Use it")).click()
    expect(nb.locator(".jupyter-widgets.widget-vbox").first).to_contain_text("Found an access token for sandbox-user")
    run_from(page, authorize)
    expect(output_of(nb, authorize)).to_contain_text(
        "When this cell ran, a user token was saved already (signed in as sandbox-user), so it did nothing."
    )
    shutdown_kernel(page)

    # -- 04: press Upload ----------------------------------------------------------------------
    nb = open_notebook(page, lab, "04-first-api-calls.ipynb")
    upload = run_above(page, nb, "uploader.result is not None")
    expect(output_of(nb, index_of_cell(nb, 'rehearsal.sentence(kit, "authorize"'))).to_contain_text(
        "When this cell ran, a user token was saved already"
    )
    uploader = nb.locator(".jupyter-widgets.widget-vbox:has(button:has-text('Upload'))").first
    nb.get_by_role("button", name=named("Upload")).click()
    expect(uploader).to_contain_text("Uploaded: http://127.0.0.1:")
    run_from(page, upload)
    expect(output_of(nb, upload)).to_contain_text(
        "When this cell ran, you had pressed Upload already, so it did nothing."
    )
    # The next cell reads the person's own upload.
    expect(output_of(nb, upload + 1)).to_contain_text("Uploaded: http://127.0.0.1:")
