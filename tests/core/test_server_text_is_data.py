"""What a server (or a file) chooses to say is data: no escape sequence reaches a terminal,
no control character reaches a widget, and only a web address becomes a link."""

from __future__ import annotations

import json
import re
from pathlib import Path

from core_helpers import HostileServer
from hypothesis import given
from hypothesis import strategies as st

from imgur_kit.__main__ import main
from imgur_kit.screen import plain_text, web_link
from imgur_kit.steps.explaining import explain
from imgur_kit.widgets.phrasing import link_html, note_html, ok_html, problem_html

PICTURE = Path(__file__).resolve().parents[2] / "imgur_kit" / "assets" / "hello-imgur.png"
# A window title, a fake hyperlink, a screen clear, a C1 CSI, a bell and a right-to-left override.
HOSTILE = "ok\x1b]0;pwned\x07 \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1b[2J\x9b31m\a\u202eevil"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@given(st.text())
def test_plain_text_leaves_no_control_character(text):
    assert not CONTROL.search(plain_text(text))


def test_plain_text_keeps_the_words():
    assert plain_text(HOSTILE) == "ok click evil"
    assert plain_text("line one\n\tline two") == "line one\n\tline two"


@given(st.text())
def test_plain_text_can_always_be_written_as_utf8(text):
    # A byte that did not decode (a file name in another encoding) arrives as a lone surrogate.
    plain_text(text).encode("utf-8")


def test_a_name_in_another_encoding_reaches_the_terminal_readably(tmp_path, capsys):
    status = main(["upload", "--sandbox", str(tmp_path / "caf\udce9.png")])
    assert status != 0
    assert "caf\ufffd.png" in capsys.readouterr().err


def test_only_web_addresses_become_links():
    for bad in ("javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\x00script:alert(1)", "data:text/html,x", "//evil"):
        assert web_link(bad) is None
        assert "href" not in link_html(bad, "Open it")
    assert web_link("https://i.imgur.com/abc.png") == "https://i.imgur.com/abc.png"
    assert web_link("/user/ada/proxy/8700/i/abc") == "/user/ada/proxy/8700/i/abc"


def test_widget_messages_carry_no_control_codes():
    for html in (ok_html(HOSTILE), problem_html(HOSTILE), note_html(HOSTILE), explain(RuntimeError(HOSTILE))):
        assert not CONTROL.search(html) and "\x1b" not in html


def answer(status, data):
    return (
        status,
        {"Content-Type": "application/json"},
        json.dumps({"data": data, "success": status < 400, "status": status}).encode(),
    )


def test_the_terminal_never_receives_a_servers_escape_sequences(monkeypatch, capsys):
    uploaded = {
        "id": "abc\x1b[2J",
        "deletehash": "d\x1b]0;t\x07h",
        "link": "javascript:alert(1)\x1b[2J",
        "title": HOSTILE,
    }
    with HostileServer(*answer(200, uploaded)) as server:
        monkeypatch.setenv("IMGUR_KIT_BASE_URL", server.url)
        monkeypatch.setenv("IMGUR_CLIENT_ID", "0123456789abcde")
        main(["upload", str(PICTURE), "--title", "mine"])
        server.set(*answer(400, {"error": HOSTILE, "request": "/3/credits", "method": "GET"}))
        main(["upload", str(PICTURE)])
    shown = capsys.readouterr()
    assert "\x1b" not in shown.out + shown.err and not CONTROL.search((shown.out + shown.err).replace("\r", ""))
    assert "javascript:alert(1)" in shown.out  # shown as text, so the person sees what the server said
