"""The loopback capture's hand-back page in a real (headless) Chromium.

The token flow puts the tokens in the URL fragment, which a browser never sends to
a server; only the page's script can hand it back. This runs that script for real.
"""

import os
import shutil

import pytest

from imgur_kit.widgets.loopback_capture import DONE_TEXT, LoopbackCapture

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture
def page():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("IMGUR_KIT_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required here but missing at {CHROMIUM}")
        pytest.skip("system chromium not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_the_page_hands_the_fragment_back_and_cleans_the_address_bar(page):
    with LoopbackCapture(0, timeout=60) as capture:
        landing = (f"http://localhost:{capture.port}/callback?state=s1#access_token={'a' * 40}"
                   f"&expires_in=3600&token_type=bearer&refresh_token={'r' * 40}&account_username=me")
        page.goto(landing)
        assert capture.wait(10) == landing
        page.wait_for_function("document.getElementById('status').textContent.startsWith('Received')")
        assert page.locator("#status").text_content() == DONE_TEXT
        assert "access_token" not in page.url  # the token left the address bar and history
