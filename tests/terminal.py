"""A command in a real terminal (a pseudo-terminal), and everything its screen showed.

What a person sees in a terminal is what the program printed *and* what the terminal
echoed of their typing, so a test that must prove a pasted secret never showed reads
the terminal's side of a pty, where both arrive. Every wait has a bound.

Imported by name (``from terminal import Terminal``): pytest puts this folder on the path.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

# Variables that make the kit believe the terminal is on another computer than the browser.
REMOTE_HINTS = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "JUPYTERHUB_SERVICE_PREFIX", "CODESPACES")


class Terminal:
    """``python -m imgur_kit ARGS`` with a pty as its terminal; :attr:`screen` is all it showed."""

    def __init__(self, args: list, env: dict) -> None:
        self._master, slave = os.openpty()
        env = {k: v for k, v in env.items() if k not in REMOTE_HINTS}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "imgur_kit", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.screen = ""

    def _read(self, timeout: float) -> bool:
        """Add what arrives within *timeout* to the screen; False once the program has ended."""
        ready, _, _ = select.select([self._master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self._master, 65536)
        except OSError:  # the program ended and closed its side
            return False
        if not chunk:
            return False
        self.screen += chunk.decode("utf-8", "replace")
        return True

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        """The first match of *pattern* on the screen, waited for at most *timeout* seconds."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.screen)
            if found:
                return found
            left = deadline - time.monotonic()
            assert left > 0, f"{pattern!r} never showed in {timeout:.0f} s:\n{self.screen}"
            if not self._read(min(left, 0.5)):
                found = re.search(pattern, self.screen)
                assert found, f"the program ended before {pattern!r} showed:\n{self.screen}"
                return found

    def type(self, text: str) -> None:
        """Type (or paste) *text* as a person at the keyboard would."""
        os.write(self._master, text.encode())

    def finish(self, timeout: float = 60) -> int:
        """Read the screen to the end and return the exit status (the program is stopped after *timeout*)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read(0.2):
            if self.proc.poll() is not None and not select.select([self._master], [], [], 0)[0]:
                break
        try:
            return self.proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the program did not end in {timeout:.0f} s:\n{self.screen}") from None

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:  # a test that failed half-way: the program ends with it
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        os.close(self._master)


@contextlib.contextmanager
def practice_app_on_a_standalone_sandbox(config_dir: Path) -> Iterator[tuple]:
    """The user's standalone sandbox (its own process, recorded in *config_dir*) and a practice app
    on it, saved as the sandbox's keys, whose callback is a free port: yields (sandbox, callback)."""
    from loopback import SandboxProcess, free_port

    from imgur_kit import steps
    from imgur_kit.credentials import Credentials, CredentialStore

    with SandboxProcess(config_dir):
        sandbox = steps.standalone_sandbox()
        assert sandbox is not None, "the standalone sandbox did not record itself"
        callback = f"http://localhost:{free_port()}/callback"
        app = sandbox.register_app(name="terminal app", callback_url=callback)
        CredentialStore(kind="sandbox").save(Credentials(app.client_id, app.client_secret))
        yield sandbox, callback
