"""Modules with one job stay small enough to read at one sitting (docs/architecture.md, "Layers").

A module over 500 lines or a function over 60 is a sign that a second job moved in: give that
job its own module or its own functions rather than raising the limits.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "imgur_kit"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """(name, lines) of each function or method in ``source`` longer than ``limit`` lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > limit:
                found.append((node.name, length))
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_holds_two_jobs(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines: split it by job"
    assert not long_functions(path.read_text(encoding="utf-8")), (
        f"{path.name}: functions over {MAX_FUNCTION_LINES} lines"
    )


def test_the_measure_sees_a_long_function_and_a_nested_one():
    body = "\n".join(f"    x{i} = {i}" for i in range(70))
    source = f"def outer():\n    def inner():\n{body.replace('    ', '        ')}\n        return 0\n    return inner\n"
    assert [name for name, _ in long_functions(source)] == ["outer", "inner"]
    assert long_functions("def short():\n    return 1\n") == []
