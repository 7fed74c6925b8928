"""The committed notebooks (as git holds them, see tests/committed.py): outputs present, no saved widget state, nothing secret-shaped, tidy cells.

nbval checks nothing in a cell without an execution count, and a saved widget
state can hold a Password widget's value in clear text, so both are held here.
A secret can leak through a cell's source, any of its outputs (stream, HTML,
plain text, error) or the notebook's metadata: all of it is scanned.
"""
from __future__ import annotations

import json
import re

import committed
import pytest

NOTEBOOKS = committed.names()
EXPECTED = [
    "00-start-here.ipynb",
    "01-create-an-account.ipynb",
    "02-register-an-application.ipynb",
    "03-authorize-with-oauth.ipynb",
    "04-first-api-calls.ipynb",
    "05-when-things-go-wrong.ipynb",
    "06-explore-the-api.ipynb",
]

# Well-known credential shapes of other services (from the shared recipe), plus Imgur's own:
# secrets, tokens and codes are 40 hex characters; a Bearer header carries a token.
GENERIC_SECRET = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,}|(?:AKIA|ASIA)[0-9A-Z]{16}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,})"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----|[?&]token=[0-9a-f]{32,}")
IMGUR_SECRET = re.compile(
    r"(?i)(?:client[_ ]?secret|secret|access[_ ]?token|refresh[_ ]?token|bearer|token|code|pin)"
    r"[\"'\s:=,(]{0,12}[0-9a-f]{40}(?![0-9a-f])")
ANY_HEX40 = re.compile(r"(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])")
AUTH_HEADER = re.compile(r"(?i)authorization[\"'\s:=]{1,6}(?:bearer|client-id)\s+[A-Za-z0-9]{8,}")
BEARER = re.compile(r"(?i)\bbearer\s+[A-Za-z0-9]{20,}")
TOKEN_IN_URL = re.compile(r"(?i)[#&?](?:access_token|refresh_token|code)=[A-Za-z0-9]{8,}")


def load(name: str) -> dict:
    return committed.load(name)


def code_cells(nb: dict):
    return [(i, c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def test_the_seven_notebooks_exist():
    assert NOTEBOOKS == EXPECTED


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_no_saved_widget_state(name):
    nb = load(name)
    assert "widgets" not in nb.get("metadata", {}), (
        "saved widget state (it may hold a Password widget's value): re-run with "
        "--ExecutePreprocessor.store_widget_state=False (make notebooks)")


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_outputs_are_committed(name):
    nb = load(name)
    missing = [i for i, c in code_cells(nb) if c.get("execution_count") is None]
    assert not missing, f"cells {missing} have no execution count, so nbval would not check them (make notebooks)"
    counts = [c["execution_count"] for _, c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "outputs come from one top-to-bottom run"


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_nothing_secret_shaped(name):
    nb = load(name)
    blobs = [("metadata", json.dumps(nb.get("metadata", {})))]
    for i, cell in enumerate(nb["cells"]):
        blobs.append((f"cell {i} source", source(cell)))
        blobs.append((f"cell {i} outputs", json.dumps(cell.get("outputs", []), ensure_ascii=False)))
    for where, blob in blobs:
        for pattern in (GENERIC_SECRET, IMGUR_SECRET, ANY_HEX40, AUTH_HEADER, BEARER, TOKEN_IN_URL):
            found = pattern.search(blob)
            assert found is None, f"{where}: secret-looking text {found.group(0)[:12]!r}…"


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_no_tracebacks_or_errors_in_committed_outputs(name):
    nb = load(name)
    for i, cell in code_cells(nb):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"cell {i} ended in {out.get('ename')}"
            text = json.dumps(out)
            assert "Traceback (most recent call last)" not in text, f"cell {i} shows a traceback"


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_cells_are_short_and_start_with_connect(name):
    nb = load(name)
    cells = code_cells(nb)
    first = source(cells[0][1])
    assert first.splitlines() == ["from imgur_kit.notebook import connect", "kit = connect()"]
    long = [i for i, c in cells if len(source(c).strip().splitlines()) > 6]
    assert not long, f"cells {long} are longer than 6 lines: split them"


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_browser_stand_ins_act_only_in_sandbox_mode(name):
    """A cell that does a person's browser step through the sandbox says so, and checks the mode."""
    nb = load(name)
    for i, cell in code_cells(nb):
        src = source(cell)
        if re.search(r"kit\.sandbox\.(approve|register_app)|\.click\(\)|requests\.post", src):
            assert re.search(r'kit\.mode == "sandbox"|app is not None', src), (
                f"cell {i} acts for the person without checking for sandbox mode")
            before = nb["cells"][i - 1]
            text = source(before) + source(cell)
            assert re.search(r"(?i)sandbox stand-in", text), f"cell {i} is not labelled as a sandbox stand-in"


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_widgets_come_with_a_plain_python_alternative(name):
    nb = load(name)
    cells = nb["cells"]
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        made = re.search(r"from imgur_kit\.widgets import (\w+)", source(cell))
        if not made or made.group(1) == "actions":
            continue
        nearby = " ".join(source(c) for c in cells[max(0, i - 3): i + 7])
        assert "No widgets?" in nearby, f"cell {i} shows {made.group(1)} without a 'No widgets?' alternative"


def test_diagrams_are_mermaid():
    texts = {name: "".join(source(c) for c in load(name)["cells"] if c["cell_type"] == "markdown")
             for name in NOTEBOOKS}
    assert "```mermaid" in texts["00-start-here.ipynb"]
    assert "```mermaid\nsequenceDiagram" in texts["03-authorize-with-oauth.ipynb"]
