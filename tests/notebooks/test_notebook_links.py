"""Every relative link in the notebooks leads somewhere, and the navigation is consistent.

Anchors follow JupyterLab's rule for heading ids: the heading's rendered text
with each space replaced by "-" (case and punctuation kept).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))

LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def markdown_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = cell["source"]
            out.append("".join(src) if isinstance(src, list) else src)
    return out


def rendered_text(markdown: str) -> str:
    """The text a heading shows: links become their text, emphasis and code marks go."""
    text = LINK.sub(lambda m: m.group(1), markdown)
    return re.sub(r"[*_`]", "", text).strip()


def anchors(path: Path) -> set[str]:
    ids = set()
    for text in markdown_cells(path):
        for _, heading in HEADING.findall(FENCE.sub("", text)):
            ids.add(rendered_text(heading).replace(" ", "-"))
    return ids


def links(path: Path) -> list[tuple[str, str]]:
    found = []
    for text in markdown_cells(path):
        found += LINK.findall(FENCE.sub("", text))
    return found


def is_external(target: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_relative_links_and_anchors_resolve(path):
    problems = []
    for text, target in links(path):
        if is_external(target):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / unquote(file_part)).resolve() if file_part else path
        if not dest.exists():
            problems.append(f"[{text}]({target}): no file {file_part}")
            continue
        if anchor and dest.suffix == ".ipynb" and unquote(anchor) not in anchors(dest):
            problems.append(f"[{text}]({target}): no heading #{anchor} in {dest.name}")
    assert not problems, "\n".join(problems)


def nav_links(cell_text: str) -> dict[str, str]:
    """{'previous'|'contents'|'next': target} from a navigation cell."""
    found = {}
    for text, target in LINK.findall(cell_text):
        word = text.split(":")[0].strip("← →").strip().lower()
        found[word] = target
    return found


@pytest.mark.parametrize("index", range(len(NOTEBOOKS)), ids=lambda i: NOTEBOOKS[i].stem)
def test_navigation_top_and_bottom_is_consistent(index):
    path = NOTEBOOKS[index]
    cells = markdown_cells(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["cells"][0]["cell_type"] == "markdown" and nb["cells"][-1]["cell_type"] == "markdown"
    top, bottom = cells[0], cells[-1]
    assert top == bottom, "the top and bottom navigation differ"
    nav = nav_links(top)
    assert nav.get("contents") == "00-start-here.ipynb#Contents"
    if index > 0:
        assert nav.get("previous") == NOTEBOOKS[index - 1].name
    else:
        assert "previous" not in nav
    if index < len(NOTEBOOKS) - 1:
        assert nav.get("next") == NOTEBOOKS[index + 1].name
    else:
        assert "next" not in nav


def test_contents_lists_every_notebook_in_order():
    start = NOTEBOOKS[0]
    contents = next(text for text in markdown_cells(start) if text.startswith("## Contents"))
    listed = [target for _, target in LINK.findall(contents)]
    assert listed == [p.name for p in NOTEBOOKS]
