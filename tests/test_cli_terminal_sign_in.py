"""The terminal sign-in says beforehand what the browser will show, and a paste never shows (issue 16).

``python -m imgur_kit login`` runs in a real terminal (a pty), against the user's standalone
sandbox in its own process: the screen read here is everything the person would see,
what the program printed and what the terminal echoed of their typing. The browser's
side, the redirect caught with no paste at all, is in tests/browser/test_terminal_sign_in.py.
"""

from __future__ import annotations

import io
import os
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from loopback import free_port
from terminal import Terminal, practice_app_on_a_standalone_sandbox

from imgur_kit.__main__ import main

LINK = r"(http://127\.0\.0\.1:\d+/oauth2/authorize\?\S+)"


@pytest.fixture
def practice_app(isolated_environment):
    """The user's standalone sandbox, and a practice app on it whose callback is a free port here."""
    with practice_app_on_a_standalone_sandbox(isolated_environment) as found:
        yield found


def secrets_in(address: str) -> list:
    fragment = parse_qs(urlsplit(address).fragment)
    return [fragment[name][0] for name in ("access_token", "refresh_token")]


def test_a_pasted_address_never_shows_on_the_terminals_screen(practice_app):
    sandbox, callback = practice_app
    with Terminal(["--sandbox", "login"], dict(os.environ)) as term:
        link = term.wait_for(LINK).group(1)
        term.wait_for(r"or paste the address: ")
        # Said before the person opens the link: where the kit listens, what the browser shows either way.
        assert f"The kit listens on {callback} for Imgur's answer" in term.screen
        assert "Received. You can close this tab and go back to your terminal." in term.screen
        assert "This site can't be reached" in term.screen and "what you paste is not shown" in term.screen
        address = sandbox.approve(link)  # the browser's end, copied from its address bar (not visited)
        secrets = secrets_in(address)
        term.type(address + "\n")
        status = term.finish()
    assert status == 0, term.screen
    assert "Signed in as sandbox-user" in term.screen
    for secret in secrets:
        assert secret not in term.screen, "a token from the pasted address showed on the screen"
    assert "access_token=" not in term.screen and "refresh_token=" not in term.screen


def test_a_port_another_program_holds_is_said_before_the_link_and_the_paste_works(practice_app):
    sandbox, callback = practice_app
    port = urlsplit(callback).port
    import socket

    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", port))
        other_program.listen()
        with Terminal(["--sandbox", "login"], dict(os.environ)) as term:
            link = term.wait_for(LINK).group(1)
            term.wait_for(r"Address or PIN: ")
            assert f"Port {port} is taken by another program" in term.screen
            term.type(sandbox.approve(link) + "\n")
            assert term.finish() == 0, term.screen
    assert "Signed in as sandbox-user" in term.screen


def test_a_terminal_on_another_computer_says_the_answer_must_be_pasted(monkeypatch, capsys):
    """Over SSH the browser is on the person's own computer: nothing here could catch the redirect."""
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # the person stops at the prompt (Ctrl-D)
    assert main(["--sandbox", "login", "--callback", f"http://localhost:{free_port()}/callback"]) == 1
    out = capsys.readouterr()
    assert "This terminal runs on another computer than your browser (remote)" in out.out
    assert 'which may show "This site can\'t be reached" there: that is expected' in out.out
    assert "The kit listens" not in out.out and "Input ended" in out.err
