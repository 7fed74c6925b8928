"""What a first-time reader found in the notebooks (issue 9), held by the committed notebooks.

The plain-Python cells of 02 and 03 are executed as a live user runs them (live
mode, the real Imgur stood in for by a second sandbox over loopback): the
Client ID a person types is the one saved, and the authorization cells need no
rewriting. The rest reads the committed notebooks: what static viewers show,
the stand-in cells' order (look first, then act), the words 05 owes the reader.
"""
from __future__ import annotations

import ast
import re

import committed
import pytest

from imgur_kit.credentials import CredentialStore
from imgur_kit.sandbox import Sandbox
from imgur_kit.tokens import mask

NOTEBOOKS = committed.names()
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def load(name: str) -> dict:
    return committed.load(name)


def text(cell: dict) -> str:
    return "".join(cell["source"])


def cell(nb: dict, cell_id: str) -> str:
    return next(text(c) for c in nb["cells"] if c.get("id") == cell_id)


def markdown(nb: dict) -> str:
    return "\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def outputs(nb: dict):
    for c in nb["cells"]:
        for out in c.get("outputs", []):
            yield c, out


@pytest.fixture
def imgur_standin(monkeypatch):
    """A second sandbox standing in for the real Imgur: live mode reaches it through IMGUR_KIT_BASE_URL."""
    with Sandbox() as standin:
        monkeypatch.setenv("IMGUR_KIT_BASE_URL", standin.base_url)
        yield standin


def run_cells(source_by_id: dict, namespace: dict, nb: dict, ids: list[str]) -> None:
    for cell_id in ids:
        exec(compile(source_by_id.get(cell_id, cell(nb, cell_id)), f"<cell {cell_id}>", "exec"), namespace)


# -- 02: the no-widgets path keeps what the person typed ----------------------------------

def test_02_plain_path_saves_the_client_id_the_person_typed(imgur_standin, monkeypatch, capsys):
    from imgur_kit.notebook import connect

    app = imgur_standin.register_app(name="mine", callback_url="http://localhost:8765/callback")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": app.client_secret)
    nb = load("02-register-an-application.ipynb")
    first = cell(nb, "02-29")
    assert 'my_client_id = ""' in first, "the cell where a person types their Client ID"
    typed = {"02-29": first.replace('my_client_id = ""', f'my_client_id = "{app.client_id}"')}
    namespace = {"kit": connect(mode="live", show=False)}
    run_cells(typed, namespace, nb, ["02-29", "02-29a", "02-30", "02-31"])

    said = capsys.readouterr().out
    assert f"Imgur accepted Client ID {mask(app.client_id)}" in said
    assert "From now on the kit uses the real Imgur" in said
    saved = CredentialStore(kind="live").load("default").credentials
    assert saved.client_id == app.client_id and saved.client_secret == app.client_secret
    assert app.client_secret not in said


# -- 03: live users run the plain cells as they are ----------------------------------------

def test_03_plain_path_runs_as_is_in_live_mode(imgur_standin, capsys):
    from imgur_kit.notebook import connect
    from imgur_kit.credentials import Credentials

    app = imgur_standin.register_app(name="mine", callback_url="http://localhost:8765/callback?project=holiday")
    CredentialStore(kind="live").save(Credentials(app.client_id, app.client_secret))
    nb = load("03-authorize-with-oauth.ipynb")
    namespace = {"kit": connect(show=False)}
    assert namespace["kit"].mode == "live"
    run_cells({}, namespace, nb, ["03-13", "03-14a"])
    assert namespace["pasted"] == "", "the cell a person pastes into starts empty"
    namespace["pasted"] = imgur_standin.approve(namespace["url"])   # the person pastes the address
    run_cells({}, namespace, nb, ["03-14c", "03-15"])

    said = capsys.readouterr().out
    assert "you had pasted an address into `pasted`, so it did nothing: the next cell reads yours" in said
    assert "Found an access token for sandbox-user" in said
    assert CredentialStore(kind="live").load("default").token is not None


def test_03_shows_the_kit_reading_a_callback_with_query_parameters():
    nb = load("03-authorize-with-oauth.ipynb")
    shown = [out for c, out in outputs(nb) if c.get("id") == "03-16b"]
    assert shown and "?project=holiday&state=demo#…" in "".join(shown[0]["text"])
    read = [out for c, out in outputs(nb) if c.get("id") == "03-16c"]
    assert read and "Token(access_token=" in "".join(read[0]["text"])
    assert "query parameters of your own" in cell(load("02-register-an-application.ipynb"), "02-06")


# -- 02: the Postman route and the callback without a callback ---------------------------------

def test_02_has_the_guides_postman_route():
    words = markdown(load("02-register-an-application.ipynb"))
    for needed in ("https://www.postman.com/downloads/", "https://apidocs.imgur.com/", "**Run in Postman**",
                   "`https://www.getpostman.com/oauth2/callback`", "press **Import**", "Imgur (imgur-kit)",
                   "`clientId`", "`clientSecret`", "`refreshToken`", "`accessToken`", "`username`",
                   "python -m imgur_kit export postman"):
        assert needed in words, needed
    code = [text(c) for c in load("02-register-an-application.ipynb")["cells"] if c["cell_type"] == "code"]
    assert any("postman_export_panel()" in source for source in code)


def test_02_explains_the_imgur_home_page_as_callback_in_checkable_words():
    nb = load("02-register-an-application.ipynb")
    words = cell(nb, "02-11a")
    assert "`https://imgur.com/#access_token=…`" in words and "refuses an empty callback field" in words


# -- 04: what the last snippet imports, and progress in a static viewer -------------------------

def python_blocks(md: str):
    return re.findall(r"```python\n(.*?)```", md, re.S)


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_markdown_snippets_import_only_what_they_use(name):
    for block in python_blocks(markdown(load(name))):
        try:
            tree = ast.parse(block)
        except SyntaxError:
            continue  # a fragment with placeholders, not a program
        imported = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
        used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        assert imported <= used, f"{name}: imported and never used: {sorted(imported - used)}"


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_printed_output_reads_the_same_in_a_static_viewer(name):
    """A carriage return overwrites a line in a live notebook, but GitHub and nbviewer show
    every version side by side ("Sent 100%Sent 100%")."""
    for c, out in outputs(load(name)):
        if out.get("output_type") == "stream":
            assert "\r" not in "".join(out["text"]), f"{name} cell {c.get('id')}"


# -- 00: every widget has a fallback text that makes sense where widgets cannot show -----------

@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_every_widget_output_falls_back_to_a_sentence(name):
    for c, out in outputs(load(name)):
        data = out.get("data", {})
        if WIDGET_MIME in data:
            plain = "".join(data["text/plain"])
            assert plain.startswith("A widget: ") and "No widgets? " in plain or c.get("id") == "00-12", plain
            assert "children=" not in plain and not plain.endswith("…"), plain


# -- issue 16: saved outputs read right on GitHub and in JupyterLab before the cell runs ---------
# JupyterLab shows a saved widget output's text/plain until the cell runs again: "run the notebook
# in JupyterLab" read there as a fault, and "this cell typed ... for you" as something just done.

@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_saved_outputs_read_right_before_the_cells_run(name):
    from imgur_kit.widgets.phrasing import STANDS_IN

    nb = load(name)
    for c, out in outputs(nb):
        data = out.get("data", {})
        if WIDGET_MIME in data:
            plain = "".join(data["text/plain"])
            assert STANDS_IN in plain and "JupyterLab to use it" not in plain, f"{name} {c.get('id')}: {plain}"
    cells = nb["cells"]
    for i, current in enumerate(cells[:-1]):
        if current["cell_type"] == "markdown" and "Sandbox stand-in for" in text(current):
            said = "".join("".join(out.get("text", "")) for out in cells[i + 1].get("outputs", []))
            # Tells of the run that saved it, never of now.
            assert said.startswith("When this cell ran, "), f"{name} {cells[i + 1].get('id')}: {said}"


def test_00_says_the_widget_sentence_is_a_fault_only_when_it_stays_after_the_cell_ran():
    nb = load("00-start-here.ipynb")
    words = cell(nb, "00-13")
    assert "after running the cell" in words and "Before a cell has run, every widget shows such a sentence" in words
    shown = next("".join(out["data"]["text/plain"]) for c, out in outputs(nb) if c.get("id") == "00-12")
    quoted = re.search(r'the sentence "(.*?)…" after running', words).group(1)
    assert all(part.strip() in shown for part in quoted.split("…")), (quoted, shown)


# -- item 4: stand-in cells look first, then act, and say which -------------------------------

@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_stand_ins_look_before_they_act_and_say_what_they_did(name):
    nb = load(name)
    cells = nb["cells"]
    for i, current in enumerate(cells[:-1]):
        if current["cell_type"] != "markdown" or "Sandbox stand-in for" not in text(current):
            continue
        code = cells[i + 1]
        lines = text(code).splitlines()
        look = next(n for n, line in enumerate(lines) if line.startswith("done = "))
        act = next(n for n, line in enumerate(lines) if line.startswith("if not done and "))
        assert look < act, f"{name} cell {code.get('id')}: acts before it looks"
        assert "rehearsal.sentence(kit, " in lines[-1], f"{name} cell {code.get('id')}: says nothing"
        said = "".join("".join(out.get("text", "")) for out in code.get("outputs", []))
        # The committed outputs come from a run in which nobody clicked: each stand-in did its
        # step, except the authorize of 04 and 06, whose token notebook 03 (its stand-in) left behind.
        if '"authorize", done' in lines[-1] and name.startswith(("04", "06")):
            assert said.startswith("When this cell ran, a user token was saved already"), said
        else:
            assert "for you" in said and "To do it yourself" in said, said


# -- 05: two error names, and two numbers that look alike ---------------------------------------

def test_05_explains_autherror_and_authorizationerror_in_words():
    words = markdown(load("05-when-things-go-wrong.ipynb"))
    explained = next(p for p in words.split("\n\n") if "**`AuthError`**" in p)
    assert "refused a *call*" in explained
    assert "**`AuthorizationError`** is about *signing in*" in words and "authorize again" in words


def test_05_over_capacity_page_number_is_not_error_1024():
    nb = load("05-when-things-go-wrong.ipynb")
    # A cell's printed text, whole: the kernel may hand one print over in more than one piece.
    printed = ["".join("".join(out.get("text", "")) for out in c.get("outputs", [])) for c in nb["cells"]]
    page = next(text for text in printed if "over capacity" in text and "ServiceUnavailableError" in text)
    assert "XID: " in page and "1024" not in page
    assert "have nothing to do with the **Error (1024)**" in markdown(nb)
