"""The loopback capture's hand-back page in a real (headless) Chromium.

The token flow puts the tokens in the URL fragment, which a browser never sends to
a server; only the page's script can hand it back. This runs that script for real,
in the session's one Chromium (a second Playwright session in the same process
would collide with the first), without a JupyterLab.
"""

import pytest

from imgur_kit.steps.loopback_capture import DONE_TEXT, LoopbackCapture


@pytest.fixture
def page(browser):
    """A bare tab: this test needs no JupyterLab, only the browser."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def test_the_page_hands_the_fragment_back_and_cleans_the_address_bar(page):
    with LoopbackCapture(0, timeout=60, state="s1") as capture:
        landing = (
            f"http://localhost:{capture.port}/callback?state=s1#access_token={'a' * 40}"
            f"&expires_in=3600&token_type=bearer&refresh_token={'r' * 40}&account_username=me"
        )
        page.goto(landing)
        assert capture.wait(10) == landing
        page.wait_for_function("document.getElementById('status').textContent.startsWith('Received')")
        assert page.locator("#status").text_content() == DONE_TEXT
        assert "access_token" not in page.url  # the token left the address bar and history
