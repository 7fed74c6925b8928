"""Loopback helpers the tests share: a free port, and the standalone sandbox in a process of its own.

Imported by name (``from loopback import free_port``): pytest puts this folder on the path.
"""

from __future__ import annotations

import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

# The standalone sandbox prints this line only once it listens and has recorded its address.
READY_LINE = "Press Ctrl-C to stop."

# ``python -m imgur_kit ...`` with a lower open-file limit: argv is [limit, module, arguments...].
_LIMITED = (
    "import resource, runpy, sys; limit = int(sys.argv[1]); "
    "resource.setrlimit(resource.RLIMIT_NOFILE, (limit, resource.getrlimit(resource.RLIMIT_NOFILE)[1])); "
    "sys.argv = sys.argv[2:]; runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)"
)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now.

    For a server that must be told its port before it starts, or, left closed, for a
    computer that is offline (a connection there is refused at once).
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SandboxProcess:
    """``python -m imgur_kit sandbox`` in its own process, with a config folder of its own.

    Ready when constructed: it waits (30 s at most) for the sandbox to say it is running,
    which it says only after listening and recording its address. ``port=0`` lets the
    sandbox pick a free port; ``base_url`` says which. ``stop()`` interrupts it as Ctrl-C
    would and returns everything it printed.
    """

    def __init__(
        self,
        config_dir: Path,
        state_dir: Optional[Path] = None,
        *,
        port: int = 0,
        timeout: float = 30,
        extra_args: tuple[str, ...] = (),
        open_file_limit: Optional[int] = None,
    ) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("IMGUR_")}
        env["IMGUR_KIT_CONFIG_DIR"] = str(config_dir)
        state = ["--state-dir", str(state_dir)] if state_dir is not None else []
        # open_file_limit: the process starts with RLIMIT_NOFILE lowered (256 is macOS's default).
        start = ["-m"] if open_file_limit is None else ["-c", _LIMITED, str(open_file_limit)]
        self.proc = subprocess.Popen(
            [sys.executable, *start, "imgur_kit", "sandbox", "--port", str(port), *state, *extra_args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.proc.pid
        self.state_dir = state_dir
        self._output: Optional[str] = None
        self._printed = ""
        self._printed = self._read_until(READY_LINE, timeout)
        #: What it printed until it was ready.
        self.printed = self._printed
        found = re.search(r"Imgur sandbox running at (http://127\.0\.0\.1:(\d+))", self._printed)
        assert found, self._printed
        self.base_url, self.port = found.group(1), int(found.group(2))

    def _read_until(self, marker: str, timeout: float) -> str:
        # Reads the raw pipe (not the text wrapper), so stop() can still collect the rest.
        deadline = time.monotonic() + timeout
        printed = b""
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            while marker.encode() not in printed:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.stop()
                    raise AssertionError(
                        f"the sandbox process did not start in {timeout:.0f} s:\n" + printed.decode(errors="replace")
                    )
                if selector.select(left):
                    chunk = os.read(self.proc.stdout.fileno(), 65536)
                    if not chunk:  # it ended before it was ready: its output says why
                        self.proc.wait(timeout=10)
                        raise AssertionError(printed.decode(errors="replace"))
                    printed += chunk
        return printed.decode()

    def stop(self) -> str:
        """Interrupt it (as Ctrl-C does) and return all it printed (again on a second call)."""
        if self._output is None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGINT)
            rest, _ = self.proc.communicate(timeout=20)
            self._output = self._printed + rest.decode(errors="replace")
        return self._output

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
