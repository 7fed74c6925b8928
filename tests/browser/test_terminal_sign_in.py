"""Signing in from a terminal on this computer, with a real browser (issue 16).

``python -m imgur_kit --sandbox login`` runs in a real terminal (a pty) against the user's
standalone sandbox; headless Chromium is the person's browser. With the app's callback
on this computer, the kit catches Imgur's redirect: the person opens the link, presses
Allow, and the terminal goes on with nothing typed. When another program holds the
callback's port, the terminal says so first; the person copies the address their
browser ends on and pastes it, and the screen never shows the tokens in it.
"""

from __future__ import annotations

import http.server
import os
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from lab_driver import expect, named
from terminal import Terminal, practice_app_on_a_standalone_sandbox

from imgur_kit.terminal_capture import DONE_TEXT

LINK = r"(http://127\.0\.0\.1:\d+/oauth2/authorize\?\S+)"


@pytest.fixture
def practice_app(isolated_environment):
    with practice_app_on_a_standalone_sandbox(isolated_environment) as found:
        yield found


@pytest.fixture
def tab(browser):
    context = browser.new_context()
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def allow(tab, link: str) -> None:
    tab.goto(link)
    tab.get_by_role("button", name=named("Allow")).click()


def test_signing_in_from_the_terminal_on_this_computer_needs_no_paste(practice_app, tab):
    _sandbox, callback = practice_app
    with Terminal(["--sandbox", "login"], dict(os.environ)) as term:
        link = term.wait_for(LINK).group(1)
        term.wait_for(r"or paste the address: ")
        assert f"The kit listens on {callback} for Imgur's answer" in term.screen
        allow(tab, link)
        # The hand-back page hands the address to the terminal and says so, in the terminal's words.
        expect(tab.locator("#status")).to_have_text(DONE_TEXT)
        assert "notebook" not in tab.content()
        assert "access_token" not in tab.url, "the token stayed in the address bar"
        status = term.finish()
    assert status == 0, term.screen
    assert "Imgur's answer arrived from your browser." in term.screen
    assert "Signed in as sandbox-user" in term.screen


class _OtherProgram(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the base class's name
        body = b"<!doctype html><title>Another program</title><p>Another program answers here."
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_paste_from_the_browsers_address_bar_never_shows_on_the_screen(practice_app, tab):
    _sandbox, callback = practice_app
    port = urlsplit(callback).port
    other = http.server.ThreadingHTTPServer(("127.0.0.1", port), _OtherProgram)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        with Terminal(["--sandbox", "login"], dict(os.environ)) as term:
            link = term.wait_for(LINK).group(1)
            term.wait_for(r"Address or PIN: ")
            assert f"Port {port} is taken by another program" in term.screen
            allow(tab, link)
            expect(tab).to_have_title("Another program")
            address = tab.url  # what the person copies from the address bar
            tokens = [parse_qs(urlsplit(address).fragment)[name][0] for name in ("access_token", "refresh_token")]
            term.type(address + "\n")
            status = term.finish()
    finally:
        other.shutdown()
        other.server_close()
    assert status == 0, term.screen
    assert "Signed in as sandbox-user" in term.screen
    for token in tokens:
        assert token not in term.screen, "a token from the pasted address showed on the screen"
    assert "access_token=" not in term.screen
