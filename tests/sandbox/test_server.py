"""The server itself: keep-alive, Content-Length, many clients, restarts, the log, serve()."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from raw_http import exchange
from sandbox_helpers import authorize_url, png, redirect_parts

from imgur_kit.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


def raw_exchange(sandbox, request: bytes) -> bytes:
    """Send bytes on a fresh socket and read until the server closes it ("Host: SANDBOX"
    stands for the sandbox's own address, which changes with every run)."""
    return exchange(sandbox.port, request.replace(b"Host: SANDBOX\r\n", f"Host: 127.0.0.1:{sandbox.port}\r\n".encode()))


def split_responses(data: bytes, methods):
    """Parse back-to-back HTTP/1.1 responses by their Content-Length (HEAD has no body)."""
    responses = []
    for method in methods:
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        length = 0 if method == "HEAD" else int(headers["content-length"])
        responses.append((lines[0].split()[1], headers, rest[:length]))
        data = rest[length:]
    assert data == b""
    return responses


def test_keep_alive_serves_many_requests_on_one_connection(sandbox, client_auth):
    with requests.Session() as session:
        for _ in range(5):
            assert session.get(sandbox.base_url + "/3/credits", headers=client_auth).status_code == 200
        pools = session.get_adapter(sandbox.base_url).poolmanager.pools
        assert sum(pools[key].num_connections for key in pools.keys()) == 1


def test_every_response_has_a_correct_content_length(sandbox, app):
    auth = f"Authorization: Client-ID {app.client_id}\r\n"
    requests_ = [
        "GET /3/credits HTTP/1.1\r\nHost: SANDBOX\r\n" + auth + "\r\n",
        "GET / HTTP/1.1\r\nHost: SANDBOX\r\n\r\n",
        "GET /3/image/nope HTTP/1.1\r\nHost: SANDBOX\r\n" + auth + "\r\n",
        "GET /3/credits HTTP/1.1\r\nHost: SANDBOX\r\n\r\n",
        f"POST /oauth2/authorize HTTP/1.1\r\nHost: SANDBOX\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len('client_id=' + app.client_id + '&response_type=code&action=allow')}\r\n\r\n"
        f"client_id={app.client_id}&response_type=code&action=allow",
        "HEAD /oauth2/addclient HTTP/1.1\r\nHost: SANDBOX\r\n\r\n",
        "GET /nowhere HTTP/1.1\r\nHost: SANDBOX\r\nConnection: close\r\n\r\n",
    ]
    data = raw_exchange(sandbox, "".join(requests_).encode())
    answers = split_responses(data, [r.split()[0] for r in requests_])
    assert [a[0] for a in answers] == ["200", "200", "404", "401", "302", "200", "404"]
    for _status, headers, body in answers[:5] + answers[6:]:
        assert int(headers["content-length"]) == len(body)
    assert int(answers[5][1]["content-length"]) > 0  # HEAD: the length of the body not sent


def test_many_clients_at_once(sandbox, app, client_auth):
    start = requests.get(sandbox.base_url + "/3/credits", headers=client_auth).json()["data"]

    def worker(_):
        codes = []
        with requests.Session() as session:
            for _ in range(20):
                codes.append(session.get(sandbox.base_url + "/3/account/sandbox-user", headers=client_auth).status_code)
        return codes

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [code for codes in pool.map(worker, range(8)) for code in codes]
    assert results == [200] * 160
    end = requests.get(sandbox.base_url + "/3/credits", headers=client_auth).json()["data"]
    assert start["ClientRemaining"] - end["ClientRemaining"] == 160  # no lost updates


def test_concurrent_uploads_get_distinct_ids(sandbox, bearer):
    def one(_):
        return requests.post(
            sandbox.base_url + "/3/image", headers=bearer, files={"image": ("a.png", png(), "image/png")}
        ).json()["data"]["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(one, range(24)))
    assert len(set(ids)) == 24
    count = requests.get(sandbox.base_url + "/3/account/me/images/count", headers=bearer).json()["data"]
    assert count == 24


def test_state_survives_a_restart(tmp_path):
    state_dir = tmp_path / "sandbox-state"
    with Sandbox(state_dir=state_dir) as first:
        default = first.default_app
        app = first.register_app(name="kept", auth_type="no-callback")
        _, tokens = redirect_parts(first.approve(authorize_url(first, app)))
        bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
        image = requests.post(
            first.base_url + "/3/image", headers=bearer, files={"image": ("a.png", png(9, 9), "image/png")}
        ).json()["data"]
        album = requests.post(first.base_url + "/3/album", headers=bearer, data={"ids[]": image["id"]}).json()["data"]
        code = redirect_parts(first.approve(authorize_url(first, app, response_type="code")))[0]["code"]
    assert (state_dir / "sandbox-state.json").is_file()
    assert json.loads((state_dir / "sandbox-state.json").read_text())["version"] == 1

    with Sandbox(state_dir=state_dir) as second:
        assert second.default_app == default
        base = second.base_url
        me = requests.get(base + "/3/account/me", headers=bearer)
        assert me.status_code == 200
        got = requests.get(f"{base}/3/image/{image['id']}", headers=bearer).json()["data"]
        assert got["deletehash"] == image["deletehash"]
        assert requests.get(f"{base}/i/{image['id']}.png").content == png(9, 9)
        assert requests.get(f"{base}/3/album/{album['id']}", headers=bearer).json()["data"]["images_count"] == 1
        fresh = requests.post(
            base + "/oauth2/token",
            data={
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "grant_type": "refresh_token",
                "refresh_token": tokens["refresh_token"],
            },
        )
        assert fresh.status_code == 200
        exchanged = requests.post(
            base + "/oauth2/token",
            data={
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "grant_type": "authorization_code",
                "code": code,
            },
        )
        assert exchanged.status_code == 200
        requests.delete(f"{base}/3/image/{image['deletehash']}", headers=bearer)
    assert not (state_dir / "images" / image["id"]).exists()


def test_corrupt_state_file_is_kept_aside(tmp_path):
    state_dir = tmp_path / "s"
    state_dir.mkdir()
    (state_dir / "sandbox-state.json").write_text("{not json")
    with pytest.warns(RuntimeWarning, match="unreadable"):
        with Sandbox(state_dir=state_dir) as sandbox:
            assert sandbox.default_app.client_id
    assert list(state_dir.glob("sandbox-state.json.corrupt-*"))


def test_stop_ends_keep_alive_connections_and_restart_works(client_auth, app):
    sandbox = Sandbox().start()
    try:
        with requests.Session() as session:
            url = sandbox.base_url + "/3/credits"
            headers = {"Authorization": f"Client-ID {sandbox.default_app.client_id}"}
            assert session.get(url, headers=headers).status_code == 200
            sandbox.stop()
            assert not sandbox.running
            with pytest.raises(requests.exceptions.ConnectionError):
                session.get(url, headers=headers)
            sandbox.start()
            assert session.get(sandbox.base_url + "/3/credits", headers=headers).status_code == 200
    finally:
        sandbox.stop()


def test_base_url_needs_a_running_sandbox():
    with pytest.raises(RuntimeError):
        _ = Sandbox().base_url


def test_request_log_has_no_secrets(sandbox, app, tokens, bearer, client_auth):
    requests.get(sandbox.base_url + "/3/account/me?x=1", headers=bearer)
    requests.get(sandbox.base_url + "/3/credits", headers=client_auth)
    requests.post(
        sandbox.base_url + "/oauth2/token",
        data={
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
        },
    )
    log = sandbox.request_log
    assert ("GET", "/3/account/me", "Bearer") in log
    assert ("GET", "/3/credits", "Client-ID") in log
    assert ("POST", "/oauth2/token", None) in log
    text = repr(log)
    for secret in (app.client_secret, tokens["access_token"], tokens["refresh_token"], app.client_id):
        assert secret not in text
    sandbox.clear_request_log()
    assert sandbox.request_log == []


def test_serve_prints_the_address_and_stops_on_ctrl_c(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "from imgur_kit.sandbox import serve; serve(0, state_dir={!r})".format(str(tmp_path / "st"))
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(tmp_path),
    )
    try:
        first = proc.stdout.readline()
        assert first.startswith("Imgur sandbox running at http://127.0.0.1:")
        base = first.rsplit(" ", 1)[1].strip()
        assert "Application name:" in requests.get(base + "/oauth2/addclient", timeout=10).text
        while "Ctrl-C" not in proc.stdout.readline():
            pass
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0 and "stopped" in out and err == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_server_is_quiet(capfd, sandbox, client_auth):
    requests.get(sandbox.base_url + "/3/credits", headers=client_auth)
    requests.get(sandbox.base_url + "/3/credits")
    requests.get(sandbox.base_url + "/missing")
    sandbox.set_fault("drop", times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(sandbox.base_url + "/3/credits", headers=client_auth)
    with socket.create_connection(("127.0.0.1", sandbox.port)) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        sock.recv(1024)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


@pytest.mark.parametrize(
    "request_bytes, status",
    [
        (b"POST /3/image HTTP/1.1\r\nHost: SANDBOX\r\nContent-Length: 999999999999\r\n\r\n", b"413"),
        (b"POST /3/image HTTP/1.1\r\nHost: SANDBOX\r\nContent-Length: -5\r\n\r\n", b"400"),
        (b"POST /3/image HTTP/1.1\r\nHost: SANDBOX\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"400"),
        (
            b"POST /3/image HTTP/1.1\r\nHost: SANDBOX\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"%x\r\n" % (65 * 1024 * 1024),
            b"413",
        ),
    ],
)
def test_bad_bodies_are_refused_and_the_connection_closed(sandbox, request_bytes, status):
    answer = raw_exchange(sandbox, request_bytes)
    assert answer.split(b" ")[1] == status


def test_chunked_body_with_trailers(sandbox, app):
    body = b"client_id=" + app.client_id.encode() + b"&response_type=code&action=allow"
    request = (
        b"POST /oauth2/authorize HTTP/1.1\r\nHost: SANDBOX\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"%x\r\n" % len(body)
        + body
        + b"\r\n0\r\nX-Trailer: 1\r\n\r\n"
    )
    answer = raw_exchange(sandbox, request)
    assert answer.startswith(b"HTTP/1.1 302") and b"code=" in answer
