"""axe-core in the browser tests: serious and critical violations, and a line that records them.

``axe-playwright-python`` carries axe-core inside the package: nothing is downloaded
while the tests run. Only violations axe itself rates "serious" or "critical" count.
"""

from __future__ import annotations

import json

from axe_playwright_python.sync_playwright import Axe

BAD = {"serious", "critical"}
WIDGETS_OF_VISIBLE_NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jupyter-widgets"


def serious_violations(page, context=None) -> list[dict]:
    """axe's serious and critical violations on *page* (within *context*), with the offending HTML."""
    result = Axe().run(page, context=context) if context else Axe().run(page)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [node["html"][:200] for node in v["nodes"]]}
        for v in result.response["violations"]
        if v["impact"] in BAD
    ]


def report(where: str, found: list[dict]) -> str:
    """One line per rule (printed with -s, so a run records the numbers), then the details."""
    count = sum(len(v["nodes"]) for v in found)
    print(f"axe {where}: {len(found)} serious/critical rules, {count} elements {sorted({v['id'] for v in found})}")
    return f"{where}: " + json.dumps(found, indent=1)
