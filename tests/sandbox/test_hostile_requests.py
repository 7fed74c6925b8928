"""What a careless client or a hostile web page sends the sandbox: every request gets an answer,
no header is injected, only its own names (or a proxy's) are answered, and uploads stay bounded."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import requests
from raw_http import exchange
from sandbox_helpers import authorize_url

from imgur_kit.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


def head_of(answer: bytes):
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    return head[0].split()[1], [line.split(":", 1)[0].lower() for line in head[1:]], head


def register_form(sandbox, callback_url: str) -> requests.Response:
    return requests.post(
        sandbox.base_url + "/oauth2/addclient",
        timeout=10,
        data={
            "name": "hostile",
            "auth_type": "callback",
            "callback_url": callback_url,
            "email": "a@example.com",
            "captcha": "1",
        },
    )


@pytest.mark.parametrize(
    "callback",
    [
        "http://localhost:8765/cb\r\nSet-Cookie: pwned=1",
        "http://localhost:8765/cb\nX-Injected: 1",
        "http://a/\x00b",
        "http://a/\x7f",
        "http://a/\u2028b",
    ],
)
def test_a_callback_with_a_control_character_is_refused_at_registration(sandbox, callback):
    answer = register_form(sandbox, callback)
    assert answer.status_code == 200 and "control character" in answer.text
    assert 'id="client-id"' not in answer.text  # nothing was issued
    with pytest.raises(ValueError, match="control character"):
        sandbox.register_app(name="hostile", callback_url=callback)


def test_a_callback_kept_from_before_the_check_never_reaches_a_header(tmp_path):
    state_dir = tmp_path / "old"
    with Sandbox(state_dir=state_dir) as sandbox:
        client_id = sandbox.default_app.client_id
    state = json.loads((state_dir / "sandbox-state.json").read_text())
    for app in state["apps"]:
        app["callback_url"] = "http://localhost:8765/cb\r\nSet-Cookie: pwned=1"
    (state_dir / "sandbox-state.json").write_text(json.dumps(state))
    with Sandbox(state_dir=state_dir) as sandbox:
        body = f"client_id={client_id}&response_type=token&state=s&action=allow".encode()
        answer = exchange(
            sandbox.port,
            b"POST /oauth2/authorize HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (sandbox.port, len(body), body),
        )
    status, names, _ = head_of(answer)
    assert status == "400" and "set-cookie" not in names and b"pwned" not in answer


@pytest.mark.parametrize(
    "callback",
    [
        "http://localhost:8765/cällback",
        "http://localhost:8765/回调?x=é",
        "http://例え.jp/callback",
        "http://localhost:8765/a b",
    ],
)
def test_a_callback_that_is_not_latin_1_is_percent_encoded_not_dropped(sandbox, callback):
    answer = register_form(sandbox, callback)
    client_id = answer.text.split('id="client-id">')[1].split("<")[0]
    app = sandbox.app(client_id)
    raw = exchange(
        sandbox.port,
        b"POST /oauth2/authorize HTTP/1.1\r\nHost: localhost:%d\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n%s"
        % (
            sandbox.port,
            len(f"client_id={client_id}&response_type=code&state=s&action=allow"),
            f"client_id={client_id}&response_type=code&state=s&action=allow".encode(),
        ),
    )
    status, _, head = head_of(raw)
    assert status == "302"
    location = next(line.split(":", 1)[1].strip() for line in head if line.lower().startswith("location:"))
    assert location.isascii() and " " not in location
    assert requests.utils.unquote(location).startswith(app.callback_url.split("?")[0])
    landed = sandbox.approve(authorize_url(sandbox, app, response_type="code"))  # the helper agrees
    assert landed.isascii() and "code=" in landed


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",
        "evil.example",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example",
        "not a host",
        "",
    ],
)
def test_a_host_that_is_not_its_own_is_refused(sandbox, host):
    host = host.format(port=sandbox.port)
    answer = exchange(sandbox.port, b"GET /3/credits HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % host.encode())
    assert head_of(answer)[0] == "400"
    assert b"127.0.0.1:%d" % sandbox.port in answer


def test_no_host_or_two_hosts_are_refused(sandbox):
    assert head_of(exchange(sandbox.port, b"GET / HTTP/1.0\r\n\r\n"))[0] == "400"
    two = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nHost: evil.example\r\nConnection: close\r\n\r\n" % sandbox.port
    assert head_of(exchange(sandbox.port, two))[0] == "400"


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:{port}",
        "localhost:{port}",
        "[::1]:{port}",
        "LOCALHOST:{port}",
        # an SSH tunnel (ssh -L 9000:localhost:PORT) reaches it under another port
        "localhost:9000",
        "127.0.0.1",
        "localhost",
    ],
)
def test_its_own_loopback_names_are_answered(sandbox, host):
    answer = exchange(
        sandbox.port,
        b"GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % host.format(port=sandbox.port).encode(),
    )
    assert head_of(answer)[0] == "200"


@pytest.mark.parametrize(
    "headers, status",
    [
        # jupyter-server-proxy passes the Jupyter server's Host on and names its prefix.
        ({"Host": "127.0.0.1:8888", "X-Forwarded-Context": "/proxy/{port}"}, "200"),
        ({"Host": "hub.example.org", "X-ProxyContextPath": "/user/ada/proxy/{port}"}, "200"),
        ({"Host": "127.0.0.1:{port}", "X-Forwarded-Host": "hub.example.org"}, "200"),
        # A rebinding page reaches the sandbox's own port; proxy headers it adds change nothing.
        ({"Host": "evil.example:{port}", "X-Forwarded-Context": "/proxy/{port}"}, "400"),
        ({"Host": "hub.example.org", "X-Forwarded-Host": "evil.example:{port}"}, "400"),
    ],
)
def test_a_request_a_proxy_forwarded_is_answered_unless_it_came_straight_from_a_page(sandbox, headers, status):
    lines = "".join(f"{k}: {v.format(port=sandbox.port)}\r\n" for k, v in headers.items())
    answer = exchange(sandbox.port, f"GET / HTTP/1.1\r\n{lines}Connection: close\r\n\r\n".encode())
    assert head_of(answer)[0] == status


def _memory_benchmark():
    spec = importlib.util.spec_from_file_location("sandbox_memory", ROOT / "benchmarks" / "sandbox_memory.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_upload_costs_a_small_fraction_of_its_size_in_memory():
    # Measured in a child process (ru_maxrss): about 12 bytes per byte before uploads were split
    # in place, 2 while the body was read whole, about 0.03 since it goes to the state folder as
    # it arrives. The target is at most 0.1 (benchmarks/sandbox_memory.py has the figures).
    assert _memory_benchmark().peak_bytes_per_uploaded_byte(12 * 2**20) <= 0.1


def test_a_body_over_the_limit_is_answered_not_reset(sandbox):
    auth = {"Authorization": f"Client-ID {sandbox.default_app.client_id}"}
    big = b"\x89PNG\r\n\x1a\n" + bytes(40 * 2**20)
    answer = requests.post(sandbox.base_url + "/3/image", headers=auth, files={"image": ("big.png", big)}, timeout=60)
    assert answer.status_code == 413
    assert requests.get(sandbox.base_url + "/3/credits", headers=auth, timeout=10).status_code == 200


@pytest.mark.parametrize(
    "line, extra",
    [
        (b"GET http://[::1/x HTTP/1.1", b""),
        (b"GET /\xff\xfe%ff HTTP/1.1", b""),
        (b"GET /oauth2/authorize?client_id=\xff&state=%ZZ HTTP/1.1", b""),
        (b"POST /3/image HTTP/1.1", b"Content-Length: 5\r\nContent-Length: 7\r\n"),
        (b"POST /3/image HTTP/1.1", b"Content-Length: abc\r\n"),
        (
            b"POST /oauth2/addclient HTTP/1.1",
            b"Content-Type: multipart/form-data; boundary=\xff\r\nContent-Length: 0\r\n",
        ),
        (b"POST /3/image HTTP/1.1", b"Transfer-Encoding: chunked\r\n"),  # ends before its chunks
    ],
)
def test_every_malformed_request_gets_an_answer(sandbox, line, extra):
    request = line + b"\r\nHost: 127.0.0.1:%d\r\n" % sandbox.port + extra + b"Connection: close\r\n\r\n"
    if b"chunked" in extra:
        request += b"zz\r\n"
    answer = exchange(sandbox.port, request)
    assert answer.startswith(b"HTTP/1.1 4"), answer[:60]
