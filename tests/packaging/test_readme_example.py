"""The README's "package in five lines" runs as written, against the sandbox.

Only two things are swapped in: the sandbox's Client ID for "your-client-id", and the
sandbox's address for api.imgur.com (the one thing the README leaves at its default).
"""

from __future__ import annotations

import re
import shutil
from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def readme_python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_the_five_line_example_uploads_a_picture(sandbox, tmp_path, monkeypatch, capsys):
    blocks = [block for block in readme_python_blocks() if "ImgurClient(" in block]
    assert len(blocks) == 1, "the README has one package example; adapt this test to a new one"
    code = blocks[0]
    anonymous = 'ImgurClient(Credentials(client_id="your-client-id"))'
    assert anonymous in code
    code = code.replace(anonymous, "ImgurClient(Credentials(client_id=CLIENT_ID), base_url=BASE_URL)")
    shutil.copy(files("imgur_kit") / "assets" / "hello-imgur.png", tmp_path / "cat.png")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {"CLIENT_ID": sandbox.default_app.client_id, "BASE_URL": sandbox.base_url})
    link = capsys.readouterr().out.strip()
    assert re.fullmatch(re.escape(sandbox.base_url) + r"/i/[A-Za-z0-9]{7}\.png", link)


def test_the_quick_login_example_names_the_real_function():
    """The first example shown to people with keys is imgur_kit.login(), which exists and is documented."""
    import imgur_kit

    blocks = readme_python_blocks()
    assert "imgur_kit.login()" in blocks[0]
    assert callable(imgur_kit.login) and "terminal" in imgur_kit.login.__doc__
