"""The loopback listener, over real loopback HTTP: the hand-back page, the POST, the code flow."""

import socket

import pytest
import requests

from imgur_kit.widgets.loopback_capture import DONE_TEXT, LoopbackCapture, callback_url_for


def test_callback_url():
    assert callback_url_for(8765) == "http://localhost:8765/callback"


def test_token_flow_hands_the_fragment_back_then_stops():
    seen = []
    with LoopbackCapture(0, on_result=seen.append, timeout=30) as capture:
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
    capture = LoopbackCapture(0, timeout=30).start()
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
    with LoopbackCapture(0, timeout=30) as capture:
        base = f"http://127.0.0.1:{capture.port}/callback"
        answer = requests.post(base, data=b"http://localhost/callback", timeout=5)
        assert answer.status_code == 400 and "no token" in answer.text
        assert capture.running and capture.result is None


def test_a_busy_port_is_an_os_error_and_the_timeout_stops_it():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(OSError):
            LoopbackCapture(busy.getsockname()[1]).start()
    capture = LoopbackCapture(0, timeout=0.2).start()
    assert capture.wait(5) is None
    assert not capture.running


def test_a_failing_callback_is_kept_not_printed(capfd):
    def broken(url):
        raise RuntimeError("callback failed")

    with LoopbackCapture(0, on_result=broken, timeout=30) as capture:
        requests.get(f"http://127.0.0.1:{capture.port}/callback?error=access_denied", timeout=5)
        capture.wait(5)
    assert isinstance(capture.error, RuntimeError)
    assert capture.result.endswith("?error=access_denied")
    out, err = capfd.readouterr()
    assert "callback failed" not in out + err


def test_other_sites_cannot_post_a_result():
    with LoopbackCapture(0, timeout=30) as capture:
        base = f"http://127.0.0.1:{capture.port}/callback"
        forged = base + "#access_token=" + "b" * 40
        answer = requests.post(base, data=forged.encode(), headers={"Origin": "https://evil.example"}, timeout=5)
        assert answer.status_code == 403
        assert capture.result is None
        ours = requests.post(base, data=forged.encode(), headers={"Origin": f"http://localhost:{capture.port}"},
                             timeout=5)
        assert ours.status_code == 200 and capture.wait(5) == forged
