"""The sandbox is an independent oracle: standard library only, nothing from imgur_kit."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import imgur_kit.sandbox
from imgur_kit.sandbox import App, Sandbox

PACKAGE = Path(imgur_kit.sandbox.__file__).parent


def test_sandbox_imports_only_the_standard_library_and_itself():
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    continue  # its own modules
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names, f"{path.name} imports {name}"


def test_public_names_are_sorted_and_present():
    names = imgur_kit.sandbox.__all__
    assert names == sorted(names) == ["App", "SANDBOX_PORT", "Sandbox", "SandboxError", "StateFolderWarning", "serve"]


def test_constructor_does_no_io(tmp_path):
    target = tmp_path / "state"
    sandbox = Sandbox(state_dir=target)
    assert not target.exists()
    assert not sandbox.running


def test_loopback_only():
    import pytest

    with pytest.raises(ValueError):
        Sandbox(host="0.0.0.0")


def test_app_repr_masks_the_secret(sandbox):
    app = sandbox.register_app(name="repr")
    assert isinstance(app, App)
    assert app.client_secret not in repr(app)
    assert app.client_id in repr(app)
