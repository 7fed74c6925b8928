"""The Postman export used in a notebook leaves no secret in it: outputs, widget state, the saved file.

A notebook is executed by a real kernel (nbclient) with live keys and a token in
the config folder: it exports by the plain function, shows the variables, then
shows the export panel and presses its button; widget state is stored too, as
JupyterLab's "save widget state" would. The saved notebook must not hold the
Client Secret, the access token or the refresh token, nor anything shaped like them.
"""
from __future__ import annotations

import json
import re

import pytest

from imgur_kit import postman
from imgur_kit.credentials import Credentials, CredentialStore
from imgur_kit.tokens import Token

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

SECRET = "5ecre7" + "1" * 34
ACCESS = "acce55" + "2" * 34
REFRESH = "fe7fe5" + "3" * 34
HEX40 = re.compile(r"(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])")

CELLS = [
    "from imgur_kit import postman\nfrom imgur_kit.credentials import resolve",
    "print(postman.export_live())",
    "found = resolve()\npostman.variables(found.credentials, found.token)",
    "from imgur_kit.widgets import postman_export_panel\npanel = postman_export_panel()\npanel",
    "panel.export_button.click()\nprint(panel.message.value)",
]


def test_no_secret_lands_in_a_notebook_that_exports(tmp_path):
    store = CredentialStore(kind="live")
    store.save(Credentials("0123456789abcde", SECRET))
    store.save_token(Token(access_token=ACCESS, refresh_token=REFRESH, account_username="someone"))

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    client = nbclient.NotebookClient(nb, timeout=60, kernel_name="python3", store_widget_state=True,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises on any error output: every cell must run clean
    saved = tmp_path / "exported.ipynb"
    nbformat.write(nb, saved)

    text = saved.read_text(encoding="utf-8")
    outputs = json.dumps([cell.get("outputs", []) for cell in nb.cells])
    assert "Wrote the Postman environment" in outputs and "accessToken (secret)" in outputs
    assert "widgets" in nb.metadata, "widget state was stored, so it is checked too"
    for secret in (SECRET, ACCESS, REFRESH):
        assert secret not in text
    assert not HEX40.search(text), "something shaped like a secret or token is in the notebook"
    assert json.loads(postman.default_path().read_text())["values"][1]["value"] == SECRET  # the export itself holds it
