"""Live mode with no Imgur to reach: every notebook runs to the end and says so in words.

A person who sets IMGUR_KIT_MODE=live behind a dead network (or in a blocked
region, or with Imgur down) must read a sentence, never a Python traceback. Each
notebook is executed with a Client ID configured and the API pointed at a closed
port on 127.0.0.1, so nothing leaves this machine.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import committed
import pytest
from loopback import free_port

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = committed.names()

# A traceback as Python prints it, or as IPython draws it (ANSI-coloured frames, "----> 3 ...").
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|\x1b\[[0-9;]*m-{5,}|-{3,}>\s*\d+")
UNREACHABLE = re.compile(r"(?i)could not (be )?reach")
KIT_ERRORS = {"ImgurError", "CredentialsError", "AuthorizationError", "NetworkError", "ApiError", "AuthError",
              "NotFoundError", "RateLimitError", "ServiceUnavailableError", "RegionBlockedError"}


def output_texts(nb) -> list[tuple[int, str]]:
    texts = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            texts.append((i, json.dumps(out, ensure_ascii=False)))
            if out.get("output_type") == "stream":
                texts.append((i, out.get("text", "")))
            for value in out.get("data", {}).values():
                if isinstance(value, str):
                    texts.append((i, value))
            texts += [(i, line) for line in out.get("traceback", [])]
    return texts


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_live_mode_without_network_explains_instead_of_crashing(name, monkeypatch, tmp_path):
    monkeypatch.setenv("IMGUR_KIT_MODE", "live")
    monkeypatch.setenv("IMGUR_CLIENT_ID", "0123456789abcde")
    monkeypatch.setenv("IMGUR_KIT_BASE_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("IMGUR_KIT_CONFIG_DIR", str(tmp_path / "config"))
    nb = nbformat.reads(committed.text(name), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=60, allow_errors=True, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()

    texts = output_texts(nb)
    tracebacks = [(i, t[:200]) for i, t in texts if TRACEBACK.search(t)]
    assert not tracebacks, f"a traceback in cell(s): {tracebacks}"
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                assert out["ename"] in KIT_ERRORS, f"cell {i} raised {out['ename']}: {out.get('evalue', '')[:200]}"
    assert any(UNREACHABLE.search(t) for _, t in texts), "the notebook never says that Imgur could not be reached"
    mode_lines = [t for _, t in texts if t.startswith("Live mode")]
    assert mode_lines, "the banner does not say live mode"
