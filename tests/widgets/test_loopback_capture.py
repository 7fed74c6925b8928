"""The loopback listener, over real loopback HTTP: the hand-back page, the POST, the code flow."""

import socket

import pytest
import requests
from raw_http import exchange

from imgur_kit.steps.loopback_capture import DONE_TEXT, LoopbackCapture, callback_url_for


def test_callback_url():
    assert callback_url_for(8765) == "http://localhost:8765/callback"


def test_token_flow_hands_the_fragment_back_then_stops():
    seen = []
    with LoopbackCapture(0, on_result=seen.append, timeout=30, state="abc") as capture:
        base = f"http://127.0.0.1:{capture.port}/callback"
        page = requests.get(base + "?state=abc", timeout=5)
        assert page.status_code == 200
        assert "location.href" in page.text and "fetch(" in page.text
        assert capture.result is None  # the fragment has not arrived yet
        assert requests.get(f"http://127.0.0.1:{capture.port}/favicon.ico", timeout=5).status_code == 404
        landed = base + "?state=abc#access_token=" + "a" * 40 + "&expires_in=3600"
        answer = requests.post(base, data=landed.encode(), headers={"Content-Type": "text/plain"}, timeout=5)
        assert answer.status_code == 200 and answer.text == DONE_TEXT
        assert capture.wait(5) == landed
    assert seen == [landed]
    with pytest.raises(requests.ConnectionError):
        requests.get(base, timeout=2)


def test_code_flow_needs_no_page():
    capture = LoopbackCapture(0, timeout=30, state="s").start()
    try:
        url = f"http://127.0.0.1:{capture.port}/callback?state=s&code=" + "c" * 40
        assert requests.get(url, timeout=5).text == DONE_TEXT
        result = capture.wait(5)
        assert result.endswith("?state=s&code=" + "c" * 40)
        assert result.startswith(f"http://localhost:{capture.port}/callback")
    finally:
        capture.stop()
    capture.stop()  # twice is fine


def test_a_post_without_a_result_is_refused_and_the_listener_keeps_waiting():
    with LoopbackCapture(0, timeout=30, state="s") as capture:
        base = f"http://127.0.0.1:{capture.port}/callback"
        answer = requests.post(base, data=b"http://localhost/callback", timeout=5)
        assert answer.status_code == 400 and "no token" in answer.text
        assert capture.running and capture.result is None


def test_a_busy_port_is_an_os_error_and_the_timeout_stops_it():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(OSError):
            LoopbackCapture(busy.getsockname()[1], state="s").start()
    capture = LoopbackCapture(0, timeout=0.2, state="s").start()
    assert capture.wait(5) is None
    assert not capture.running


def test_a_failing_callback_is_kept_not_printed(capfd):
    def broken(url):
        raise RuntimeError("callback failed")

    with LoopbackCapture(0, on_result=broken, timeout=30, state="s") as capture:
        requests.get(f"http://127.0.0.1:{capture.port}/callback?state=s&error=access_denied", timeout=5)
        capture.wait(5)
    assert isinstance(capture.error, RuntimeError)
    assert capture.result.endswith("?state=s&error=access_denied")
    out, err = capfd.readouterr()
    assert "callback failed" not in out + err


def test_other_sites_cannot_post_a_result():
    with LoopbackCapture(0, timeout=30, state="s") as capture:
        base = f"http://127.0.0.1:{capture.port}/callback"
        forged = base + "?state=s#access_token=" + "b" * 40
        answer = requests.post(base, data=forged.encode(), headers={"Origin": "https://evil.example"}, timeout=5)
        assert answer.status_code == 403
        assert capture.result is None
        ours = requests.post(
            base, data=forged.encode(), headers={"Origin": f"http://localhost:{capture.port}"}, timeout=5
        )
        assert ours.status_code == 200 and capture.wait(5) == forged


@pytest.mark.parametrize(
    "forged",
    [
        "?error=access_denied",
        "?state=other&error=access_denied",
        "?state=other&code=" + "c" * 40,
        "?code=" + "c" * 40,
        "?state=right&state=other&code=" + "c" * 40,
    ],
)
def test_a_page_without_the_right_state_cannot_end_the_listener(forged):
    with LoopbackCapture(0, timeout=30, state="right") as capture:
        base = f"http://127.0.0.1:{capture.port}/callback"
        answer = requests.get(base + forged, timeout=5)
        assert answer.status_code == 400 and "not waiting for this sign-in" in answer.text
        assert capture.running and capture.result is None
        # A forged hand-back POST from the same machine is ignored too.
        posted = requests.post(base, data=(base + "?state=other#access_token=" + "b" * 40).encode(), timeout=5)
        assert posted.status_code == 400 and capture.running
        # ... and the real redirect still arrives.
        real = base + "?state=right&code=" + "d" * 40
        assert requests.get(real, timeout=5).text == DONE_TEXT
        assert capture.wait(5).endswith("?state=right&code=" + "d" * 40)


def test_the_expected_state_may_follow_a_fresh_link():
    current = {"state": "first"}
    with LoopbackCapture(0, timeout=30, state=lambda: current["state"]) as capture:
        base = f"http://127.0.0.1:{capture.port}/callback"
        current["state"] = "second"  # the panel made a new link: the old answer is stale
        assert requests.get(base + "?state=first&error=access_denied", timeout=5).status_code == 400
        landed = base + "?state=second#access_token=" + "a" * 40
        assert requests.post(base, data=landed.encode(), timeout=5).text == DONE_TEXT
        assert capture.wait(5) == landed


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"POST /callback HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\nhttp://x?code=1",
        b"POST /callback HTTP/1.1\r\nHost: localhost\r\nContent-Length: -3\r\n\r\n",
        b"POST /callback HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999\r\n\r\n",
        b"POST /callback HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET /callback HTTP/1.1\r\nHost: localhost\r\n" + b"X: y\r\n" * 200 + b"\r\n",
        b"GET /callback?state=%ZZ&code=%FF HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"PUT /callback HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET http://[::1/callback?code=1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"POST http://[::1/callback HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc",
    ],
)
def test_a_malformed_request_gets_an_answer_not_a_closed_connection(request_bytes):
    with LoopbackCapture(0, timeout=30, state="s") as capture:
        answer = exchange(capture.port, request_bytes)
        assert answer.startswith(b"HTTP/1.") and answer.split(b" ")[1][:1] in (b"4", b"5")
        assert capture.running and capture.result is None
