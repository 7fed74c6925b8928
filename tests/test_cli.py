"""The command line: the sandbox on its own, and the journey without a notebook."""
from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from imgur_kit.__main__ import main
from imgur_kit.credentials import CredentialStore, config_dir
from imgur_kit.notebook import running_sandbox


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sandbox_command_serves_pages_and_api_until_interrupted(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "imgur_kit", "sandbox", "--port", str(port),
                             "--state-dir", str(tmp_path / "state")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                form = requests.get(f"{base}/oauth2/addclient", timeout=2)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.1)
        assert form.status_code == 200 and "Application name" in form.text
        consent = requests.get(f"{base}/oauth2/authorize",
                               params={"client_id": "0123456789abcde", "response_type": "token"}, timeout=2)
        assert "Woah there" in consent.text  # unknown client: the live service's error page
        api = requests.get(f"{base}/3/credits", timeout=2)
        assert api.status_code == 401 and api.json()["success"] is False
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=20)
    assert base in output
    assert "Traceback" not in output


def run_cli(args, stdin_text="", monkeypatch=None):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin_text))
    return main(args)


def test_login_whoami_upload_logout_in_the_sandbox(monkeypatch, capsys):
    # login waits for a paste; a second thread plays the person who clicks Allow.
    reader, writer = os.pipe()
    monkeypatch.setattr(sys, "stdin", os.fdopen(reader))
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("code", main(["--sandbox", "login"])))
    thread.start()
    sandbox = running_sandbox(config_dir() / "sandbox")
    link = None
    for _ in range(100):
        text = capsys.readouterr().out
        link = next((line.strip() for line in text.splitlines() if "/oauth2/authorize?" in line), None)
        if link:
            break
        time.sleep(0.05)
    assert link, "login printed no authorize link"
    with os.fdopen(writer, "w") as paste:
        paste.write("  " + sandbox.approve(link) + "  \n")
    thread.join(timeout=30)
    assert result["code"] == 0
    assert "Signed in as sandbox-user" in capsys.readouterr().out
    assert CredentialStore(kind="sandbox").load().token is not None

    assert run_cli(["--sandbox", "whoami"], monkeypatch=monkeypatch) == 0
    assert "Signed in as sandbox-user" in capsys.readouterr().out

    from importlib.resources import files
    picture = files("imgur_kit") / "assets" / "hello-imgur.png"
    assert run_cli(["--sandbox", "upload", str(picture), "--title", "hello"], monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert "Uploaded: http://127.0.0.1:" in out
    link = out.split("Uploaded: ")[1].split()[0]
    assert requests.get(link, timeout=5).content == picture.read_bytes()

    assert run_cli(["--sandbox", "logout"], monkeypatch=monkeypatch) == 0
    assert "token was removed" in capsys.readouterr().out
    assert run_cli(["--sandbox", "whoami"], monkeypatch=monkeypatch) == 1
    assert "Not signed in" in capsys.readouterr().out


def test_login_with_a_forged_state_is_refused_in_words(monkeypatch, capsys):
    sandbox = running_sandbox(config_dir() / "sandbox")
    from imgur_kit import oauth
    foreign = oauth.authorize_url(sandbox.default_app.client_id, state="someone-else", base_url=sandbox.base_url)
    code = run_cli(["--sandbox", "login"], stdin_text=sandbox.approve(foreign) + "\n", monkeypatch=monkeypatch)
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("AuthorizationError: ") and "state" in err
    assert "Traceback" not in err


def test_configure_checks_and_stores_credentials(monkeypatch, capsys):
    sandbox = running_sandbox(config_dir() / "sandbox")
    app = sandbox.register_app(name="cli app", auth_type="no-callback")
    code = run_cli(["--sandbox", "configure", "--client-id", f"Client-ID {app.client_id} "],
                   stdin_text=app.client_secret + "\n", monkeypatch=monkeypatch)
    assert code == 0
    out = capsys.readouterr().out
    assert "accepted" in out and app.client_secret not in out
    stored = CredentialStore(kind="sandbox").load()
    assert stored.credentials.client_id == app.client_id
    assert stored.credentials.client_secret == app.client_secret


def test_configure_with_an_unknown_client_id_fails_in_words(monkeypatch, capsys):
    code = run_cli(["--sandbox", "configure", "--client-id", "0123456789abcde"], stdin_text="\n",
                   monkeypatch=monkeypatch)
    assert code == 1
    assert "Client ID" in capsys.readouterr().err
    assert CredentialStore(kind="sandbox").load() is None


def test_status_in_the_sandbox_reports_problems_with_exit_code(monkeypatch, capsys):
    assert run_cli(["--sandbox", "status"], monkeypatch=monkeypatch) == 0
    assert "[ok] API host reachable" in capsys.readouterr().out
    running_sandbox(config_dir() / "sandbox").set_fault("error-1024")
    assert run_cli(["--sandbox", "status"], monkeypatch=monkeypatch) == 1
    assert "[PROBLEM] Authorize page" in capsys.readouterr().out
