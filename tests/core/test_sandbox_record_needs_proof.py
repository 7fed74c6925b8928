"""A recorded sandbox is used only when it proves it wrote the record, within one deadline.

``sandbox.json`` in the config folder says where the person's standalone sandbox listens.
A record can outlive its sandbox (a closed terminal), its port can pass to another program,
and anyone who can write the folder can plant one: none of these may receive the practice
Client ID or an upload, or be called "the local sandbox".
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from pathlib import Path

import pytest
from core_helpers import HostileServer

from imgur_kit.__main__ import main
from imgur_kit.steps import sandboxes
from imgur_kit.steps.sandboxes import UnprovenSandboxWarning

PICTURE = Path(__file__).resolve().parents[2] / "imgur_kit" / "assets" / "hello-imgur.png"
LOOKS_LIKE_IMGUR = {"X-RateLimit-ClientLimit": "12500", "Content-Type": "application/json"}


def plant(config: Path, base_url: str) -> None:
    config.mkdir(parents=True, exist_ok=True, mode=0o700)
    record = {"base_url": base_url, "pid": os.getpid(), "state_dir": None, "proof_key": secrets.token_hex(32)}
    (config / "sandbox.json").write_text(json.dumps(record))
    (config / "sandbox.json").chmod(0o600)


def test_a_record_naming_another_computer_is_not_attached(isolated_environment):
    plant(isolated_environment, "http://sandbox.invalid:8700")
    with pytest.warns(UnprovenSandboxWarning, match="not this computer"):
        assert sandboxes.standalone_sandbox(timeout=2) is None


def test_another_program_on_a_stale_records_port_gets_nothing(isolated_environment, monkeypatch, capsys):
    with HostileServer(200, LOOKS_LIKE_IMGUR, {"data": {}, "success": True, "status": 200}) as impostor:
        plant(isolated_environment, impostor.url)
        with pytest.warns(UnprovenSandboxWarning, match="could not prove"):
            assert sandboxes.standalone_sandbox(timeout=2) is None

        assert main(["--sandbox", "upload", str(PICTURE)]) == 0
        shown = capsys.readouterr()
        # Only probes reached it: no Client ID, no picture, nothing but GETs without a body.
        assert impostor.received
        for request in impostor.received:
            assert request.startswith(b"GET ") and request.endswith(b"\r\n\r\n")
            assert b"authorization" not in request.lower() and b"\x89PNG" not in request
        assert impostor.url not in shown.out
        assert "could not prove" in shown.err  # the person is told, in a sentence


def test_a_real_sandbox_proves_itself_and_is_attached(isolated_environment):
    from imgur_kit.sandbox import Sandbox

    with Sandbox(address_file=isolated_environment / "sandbox.json", state_dir=isolated_environment / "s") as real:
        attached = sandboxes.standalone_sandbox(timeout=5)
        assert attached is not None and attached.base_url == real.base_url and attached.running
        assert "proof_key" not in repr(sandboxes.read_address())


def test_a_server_that_trickles_cannot_hold_the_liveness_check(isolated_environment):
    # One byte every half second: each read is quick, the whole answer would take minutes.
    with HostileServer(200, LOOKS_LIKE_IMGUR, b"{}" * 200, trickle=0.5) as slow:
        plant(isolated_environment, slow.url)
        found = []
        checking = threading.Thread(target=lambda: found.append(sandboxes.standalone_sandbox(timeout=1)))
        checking.start()
        checking.join(timeout=30)  # a bound for the test itself; the check's own deadline is 1 s per probe
        assert not checking.is_alive()
        assert found == [None]
