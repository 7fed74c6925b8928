"""How the kit's text readers grow with hostile input: ten times the text should take about ten times as long.

A ratio near 10 means linear time; near 100 would mean a pattern that rescans the
text from every position (what made ``redact`` take 34 s on an 80 kB body before).
Run: ``.venv/bin/python benchmarks/hostile_text.py``. Prints ratios measured in this run.
"""

from __future__ import annotations

import io
import time

import requests

from imgur_kit.errors import AuthorizationError
from imgur_kit.oauth import parse_redirect
from imgur_kit.pasted import MAX_PASTE
from imgur_kit.redaction import redact
from imgur_kit.responses import error_from_response


def _error_page(body: str) -> None:
    """Translate a 503 HTML page with ``body``, as a server would have sent it."""
    response = requests.Response()
    response.status_code = 503
    response.headers["Content-Type"] = "text/html"
    response.raw = io.BytesIO(body.encode())
    error_from_response(response)


CASES = {
    "redact('a-' * n)": lambda n: redact("a-" * n),
    "redact(hex run + 'g')": lambda n: redact("0" * (2 * n) + "g"),
    "error page, unclosed <script>": lambda n: _error_page("<script>" * (n // 4)),
    "error page, unclosed <title>": lambda n: _error_page("<title>" * (n // 4)),
}


def _paste(n: int) -> None:
    try:
        parse_redirect("a" * n + "!://x", expected_state="S")
    except AuthorizationError:
        pass


def seconds(call, n: int, repeats: int = 5) -> float:
    """The best of ``repeats`` runs of ``call(n)``."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        call(n)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    print("hostile text: time for 10x the input, as a ratio (10 = linear, 100 = quadratic)\n")
    for name, call in CASES.items():
        small, large = seconds(call, 4_000), seconds(call, 40_000)
        print(f"{name:32s} {large / small:6.1f}x  ({small * 1000:.2f} ms -> {large * 1000:.2f} ms)")
    small, large = seconds(_paste, MAX_PASTE // 10), seconds(_paste, MAX_PASTE - 10)
    print(
        f"{'parse_redirect, scheme run':32s} {large / small:6.1f}x  (pastes over {MAX_PASTE:,} characters "
        "are refused before any pattern reads them)"
    )


if __name__ == "__main__":
    main()
