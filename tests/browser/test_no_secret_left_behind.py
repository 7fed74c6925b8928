"""After typing a secret into the widgets and saving, no saved file holds it.

The leak paths a real front end adds to nbval's: the saved ``.ipynb`` (outputs,
and ``metadata.widgets`` when Lab saves widget state) and its checkpoint in
``.ipynb_checkpoints/``. The store keeps the secret instead, in a 0600 file.
"""

from __future__ import annotations

import json
import stat

from lab_driver import (
    expect,
    free_port,
    named,
    open_notebook,
    register_in_browser,
    run_all,
    save_notebook,
    shutdown_kernel,
)

SAVE_WIDGET_STATE = "@jupyter-widgets/jupyterlab-manager:saveWidgetState"


def saved_files(lab, name: str):
    """The saved notebook and its checkpoint, as text (the checkpoint must exist after a save)."""
    notebook = lab.root / name
    checkpoint = lab.root / ".ipynb_checkpoints" / name.replace(".ipynb", "-checkpoint.ipynb")
    assert checkpoint.exists(), f"saving did not create the checkpoint {checkpoint}"
    return {notebook: notebook.read_text(encoding="utf-8"), checkpoint: checkpoint.read_text(encoding="utf-8")}


def widget_state_saving(page, on: bool) -> None:
    """Settings > Save Widget State Automatically, set to *on* (people do turn it on)."""
    is_on = page.evaluate(f"() => window.jupyterapp.commands.isToggled({SAVE_WIDGET_STATE!r})")
    if is_on != on:
        page.evaluate(f"() => window.jupyterapp.commands.execute({SAVE_WIDGET_STATE!r})")
        page.wait_for_function(
            f"() => window.jupyterapp.commands.isToggled({SAVE_WIDGET_STATE!r}) === {str(on).lower()}"
        )


def stored_values(path, key: str) -> list[str]:
    """Every value stored under *key*, anywhere in the credentials file."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == key and isinstance(v, str):
                    found.append(v)
                walk(v)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(path.read_text(encoding="utf-8")))
    return found


def test_saved_notebook_and_checkpoint_hold_no_secret_and_the_store_is_0600(lab, context, page):
    name = "02-register-an-application.ipynb"
    nb = open_notebook(page, lab, name)
    run_all(page)
    client_id, secret = register_in_browser(context, nb, f"http://localhost:{free_port()}/callback")
    page.bring_to_front()
    nb.get_by_label("Client ID:", exact=True).fill(client_id)
    nb.get_by_label("Client Secret:", exact=True).fill(secret)

    # Verify, then Save: the widget takes the secret and empties the field.
    nb.get_by_role("button", name=named("Verify")).click()
    nb.get_by_role("button", name=named("Save")).click()
    form = nb.locator(".jupyter-widgets.widget-vbox:has(input[type=password])").first
    expect(form).to_contain_text("a file only your user account can read")

    # Saved with Lab's defaults, then again with widget state saved into the notebook.
    for keep_widget_state in (False, True):
        widget_state_saving(page, keep_widget_state)
        page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.content.model.sharedModel"
            ".setMetadata('imgur-kit-test', Date.now())"
        )  # make it dirty: a real save
        save_notebook(page)
        for path, text in saved_files(lab, name).items():
            assert secret not in text, f"the Client Secret is in {path} (widget state saved: {keep_widget_state})"
        if keep_widget_state:
            assert '"widgets"' in (lab.root / name).read_text(encoding="utf-8"), "widget state was not saved"
    widget_state_saving(page, False)

    store = lab.config_dir / "sandbox-credentials.json"
    assert stat.S_IMODE(store.stat().st_mode) == 0o600, oct(store.stat().st_mode)
    assert secret in stored_values(store, "client_secret")  # it went to the store, not the notebook
    shutdown_kernel(page)

    # Notebook 03: a token arrives (the stand-in cell); the saved files must not hold it.
    name = "03-authorize-with-oauth.ipynb"
    nb = open_notebook(page, lab, name)
    run_all(page)
    widget_state_saving(page, True)
    save_notebook(page)
    widget_state_saving(page, False)
    tokens = stored_values(store, "access_token") + stored_values(store, "refresh_token")
    assert tokens, "no token was stored by notebook 03"
    for path, text in saved_files(lab, name).items():
        for token in tokens:
            assert token not in text, f"a token is in {path}"
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


def test_a_typed_secret_not_yet_submitted_stays_out_of_a_default_save(lab, context, page):
    """Typed, never submitted: with Lab's default settings (no widget state saved) the file stays clean."""
    name = "02-register-an-application.ipynb"
    nb = open_notebook(page, lab, name)
    run_all(page)
    secret = "5ec7e7" + "0" * 28 + "c0ffee"
    nb.get_by_label("Client Secret:", exact=True).fill(secret)
    widget_state_saving(page, False)
    save_notebook(page)
    for path, text in saved_files(lab, name).items():
        assert secret not in text, f"the typed secret is in {path}"


def test_a_typed_secret_not_yet_submitted_stays_out_even_with_widget_state_saved(lab, context, page):
    name = "02-register-an-application.ipynb"
    nb = open_notebook(page, lab, name)
    run_all(page)
    secret = "5ec7e7" + "1" * 28 + "c0ffee"
    secret_box = nb.get_by_label("Client Secret:", exact=True)
    secret_box.fill(secret)
    secret_box.press("Tab")  # the person moves on, e.g. to the Verify button
    widget_state_saving(page, True)
    try:
        page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.content.model.sharedModel"
            ".setMetadata('imgur-kit-test', Date.now())"
        )
        save_notebook(page)
        for path, text in saved_files(lab, name).items():
            assert secret not in text, f"the typed secret is in {path}"
        # The form took the secret when the field lost focus, and shows it masked only.
        expect(secret_box).to_have_value("")
        assert "received 5ec7…ffee" in secret_box.get_attribute("placeholder")
    finally:
        widget_state_saving(page, False)
