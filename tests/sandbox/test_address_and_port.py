"""How other programs find a running sandbox (its address file), and ports it cannot use."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from imgur_kit.sandbox import Sandbox, SandboxError, serve

ROOT = Path(__file__).resolve().parents[2]


def test_the_address_file_names_the_running_sandbox_and_goes_on_stop(tmp_path):
    address = tmp_path / "config" / "sandbox-address.json"
    state_dir = tmp_path / "state"
    with Sandbox(state_dir=state_dir, address_file=address) as sandbox:
        record = json.loads(address.read_text())
        key = record.pop("proof_key")
        assert record == {"base_url": sandbox.base_url, "pid": os.getpid(), "state_dir": str(state_dir.resolve())}
        assert len(key) == 64 and int(key, 16) >= 0  # the proof key: random, kept only here (0600)
        assert stat.S_IMODE(address.stat().st_mode) == 0o600
        assert stat.S_IMODE(address.parent.stat().st_mode) == 0o700  # made by the sandbox
        assert requests.get(record["base_url"] + "/", timeout=10).status_code == 200
    assert not address.exists()
    assert not list(address.parent.glob("*.tmp"))


def test_a_memory_only_sandbox_records_no_state_dir(tmp_path):
    address = tmp_path / "a.json"
    with Sandbox(address_file=address):
        assert json.loads(address.read_text())["state_dir"] is None


def test_stop_leaves_an_address_file_that_names_another_sandbox(tmp_path):
    address = tmp_path / "a.json"
    first = Sandbox(address_file=address).start()
    try:
        with Sandbox(address_file=address) as second:  # a newer sandbox took the file over
            first.stop()
            assert json.loads(address.read_text())["base_url"] == second.base_url
        assert not address.exists()
        first.start()
        address.write_text(json.dumps({"base_url": first.base_url, "pid": 1, "state_dir": None}))
    finally:
        first.stop()
    assert json.loads(address.read_text())["pid"] == 1  # another process's record: kept


@pytest.mark.parametrize("port", [99999, -1, 65536, "8765", 1.5])
def test_an_invalid_port_is_a_sentence(port):
    with pytest.raises(SandboxError) as caught:
        Sandbox(port=port)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, OSError)
    message = str(caught.value)
    assert "is not a port number" in message and "Choose a port" in message


def test_a_busy_port_is_a_sentence_before_anything_is_printed(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(SandboxError, match=f"Port {port} on 127.0.0.1 is already in use") as caught:
            Sandbox(port=port).start()
        assert "choose another port" in str(caught.value)
        with pytest.raises(SandboxError, match="already in use"):
            serve(port)
    assert capsys.readouterr().out == ""


def test_serve_prints_the_demo_app_and_removes_its_address_on_sigterm(tmp_path):
    address = tmp_path / "sandbox-address.json"
    state_dir = tmp_path / "st"
    code = f"from imgur_kit.sandbox import serve; serve(0, state_dir={str(state_dir)!r}, address_file={str(address)!r})"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run_once():
        proc = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        try:
            lines = []
            while not lines or "Ctrl-C" not in lines[-1]:
                line = proc.stdout.readline()
                assert line, proc.stderr.read()
                lines.append(line)
            text = "".join(lines)
            record = json.loads(address.read_text())
            assert record["pid"] == proc.pid and record["base_url"] in text
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=20)
            assert proc.returncode == 0 and err == "" and "stopped" in out
            assert not address.exists()
            return text
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    first, second = run_once(), run_once()
    for text in (first, second):
        assert "practice values" in text and f"state kept in: {state_dir}" in text
        assert f"address recorded in: {address}" in text

    def value(text, label):
        return next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith(label))

    # The same demo app after a restart, Secret included.
    assert value(first, "Client ID") == value(second, "Client ID")
    assert value(first, "Client Secret") == value(second, "Client Secret")
    assert len(value(first, "Client Secret")) == 40


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--port", "99999"], "99999 is not a port number"),
        (["--port", "-1"], "-1 is not a port number"),
        (["--port", "0", "--state-dir", "{afile}"], "is a file, not a folder"),
        (["--port", "0", "--state-dir", "{folder_in_place}"], "is a folder, but the sandbox keeps its state"),
    ],
)
def test_the_command_line_says_a_sentence_not_a_traceback(tmp_path, args, expected):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "st" / "sandbox-state.json").mkdir(parents=True)
    args = [a.format(afile=tmp_path / "afile", folder_in_place=tmp_path / "st") for a in args]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "imgur_kit", "sandbox", *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 1
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
