"""docs/sandbox-coverage.md is true: every route has a row, every row is served, every row's test exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from imgur_kit.sandbox.routes import ROUTES, find

REPO = Path(__file__).resolve().parents[2]
TABLE = REPO / "docs" / "sandbox-coverage.md"
ROW = re.compile(r"^\| (GET|POST|PUT|DELETE) \| (\S+) \| [^|]+ \| (\S+)::(\w+) \|$")
#: Sample values for the docs' placeholders, shaped as the live service's are.
SAMPLES = {
    "username": "someone",
    "page": "0",
    "sort": "newest",
    "section": "hot",
    "window": "day",
    "subreddit": "aww",
    "tagName": "cats",
    "vote": "up",
    "commentId": "1234567890",
}


def rows() -> list[tuple[str, str, str, str]]:
    found = [ROW.match(line) for line in TABLE.read_text().splitlines()]
    return [m.groups() for m in found if m]  # type: ignore[misc]


def sample_path(path: str) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "sort" and "/comments/" in path and "/account/" in path:
            return "newest"
        if name == "sort" and "/gallery/" in path and "/comments/" in path:
            return "best"
        if name == "sort" and "favorites" in path:
            return "newest"
        if name == "sort" and ("gallery/" in path):
            return "viral" if "/search/" not in path and "/r/" not in path else "time"
        return SAMPLES.get(name, "AbCdE12")

    return re.sub(r"\{(\w+)\}", value, path)


def test_every_row_is_served_by_a_route():
    unserved = [(m, p) for m, p, _, _ in rows() if find(m, sample_path(p))[0] is None]
    assert unserved == []


def test_every_api_route_has_a_row():
    covered = {id(find(m, sample_path(p))[0]) for m, p, _, _ in rows()}
    missing = [
        (route.method, route.pattern.pattern) for route in ROUTES if route.cost is not None and id(route) not in covered
    ]
    assert missing == [], "routes without a row in docs/sandbox-coverage.md"


def test_every_rows_test_exists():
    defined: dict[str, set[str]] = {}
    absent = []
    for _method, _path, file, name in rows():
        if file not in defined:
            tree = ast.parse((REPO / file).read_text())
            defined[file] = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        if name not in defined[file]:
            absent.append(f"{file}::{name}")
    assert absent == []


def test_the_totals_line_counts_the_rows():
    count = len(rows())
    assert f"Totals: {count} requests, {count} served, 0 missing." in TABLE.read_text()
