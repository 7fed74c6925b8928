"""Every relative link in the notebooks leads somewhere, and the navigation is consistent.

Anchors follow JupyterLab's rule for heading ids: the heading's rendered text
with each space replaced by "-" (case and punctuation kept).
"""
from __future__ import annotations

import re
from urllib.parse import unquote

import committed
import pytest

NOTEBOOK_DIR = committed.NOTEBOOK_DIR
NOTEBOOKS = committed.names()

LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def markdown_cells(name: str) -> list[str]:
    nb = committed.load(name)
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


def anchors(name: str) -> set[str]:
    ids = set()
    for text in markdown_cells(name):
        for _, heading in HEADING.findall(FENCE.sub("", text)):
            ids.add(rendered_text(heading).replace(" ", "-"))
    return ids


def links(name: str) -> list[tuple[str, str]]:
    found = []
    for text in markdown_cells(name):
        found += LINK.findall(FENCE.sub("", text))
    return found


def is_external(target: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I))


@pytest.mark.parametrize("name", NOTEBOOKS, ids=lambda name: name[:-6])
def test_relative_links_and_anchors_resolve(name):
    problems = []
    for text, target in links(name):
        if is_external(target):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (NOTEBOOK_DIR / unquote(file_part)).resolve() if file_part else NOTEBOOK_DIR / name
        # A notebook beside this one counts when it is committed; other files are the repository's.
        beside = dest.parent == NOTEBOOK_DIR and dest.suffix == ".ipynb"
        if not (committed.exists(dest.name) if beside else dest.exists()):
            problems.append(f"[{text}]({target}): no file {file_part}")
            continue
        if anchor and beside and unquote(anchor) not in anchors(dest.name):
            problems.append(f"[{text}]({target}): no heading #{anchor} in {dest.name}")
    assert not problems, "\n".join(problems)


def nav_links(cell_text: str) -> dict[str, str]:
    """{'previous'|'contents'|'next': target} from a navigation cell."""
    found = {}
    for text, target in LINK.findall(cell_text):
        word = text.split(":")[0].strip("← →").strip().lower()
        found[word] = target
    return found


@pytest.mark.parametrize("index", range(len(NOTEBOOKS)), ids=lambda i: NOTEBOOKS[i][:-6])
def test_navigation_top_and_bottom_is_consistent(index):
    name = NOTEBOOKS[index]
    cells = markdown_cells(name)
    nb = committed.load(name)
    assert nb["cells"][0]["cell_type"] == "markdown" and nb["cells"][-1]["cell_type"] == "markdown"
    top, bottom = cells[0], cells[-1]
    assert top == bottom, "the top and bottom navigation differ"
    nav = nav_links(top)
    assert nav.get("contents") == "00-start-here.ipynb#Contents"
    if index > 0:
        assert nav.get("previous") == NOTEBOOKS[index - 1]
    else:
        assert "previous" not in nav
    if index < len(NOTEBOOKS) - 1:
        assert nav.get("next") == NOTEBOOKS[index + 1]
    else:
        assert "next" not in nav


def test_contents_lists_every_notebook_in_order():
    start = NOTEBOOKS[0]
    contents = next(text for text in markdown_cells(start) if text.startswith("## Contents"))
    listed = [target for _, target in LINK.findall(contents)]
    assert listed == NOTEBOOKS
