"""A learner's own ports on a shared server, chosen once and kept in their config folder.

On a laptop the sandbox listens on 8700 and the sign-in capture on 8765, ports the
documentation can name. On a JupyterHub where many learners share one computer, one
fixed port would be everybody's: the second learner's sandbox could not start there,
and every practice app's callback would lead to whichever listener holds it. So there
each learner gets a pair of ports of their own, picked at random among free ones the
first time and recorded in ``ports.json`` (0600) in their config folder: the callback
of the practice app they register stays valid across kernel restarts, and names a
port their own listener holds. (A port is an address, not a lock: the listeners also
answer only their own user; see ``imgur_kit/sandbox/peers.py``.)
"""

from __future__ import annotations

import json
import random
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from imgur_kit.credentials import config_dir
from imgur_kit.credentials.files import parse_json, read_small_file, write_private_file
from imgur_kit.errors import ImgurError
from imgur_kit.steps.where import CALLBACK_PATH, HUB, callback_url_for, hub_proxy_root

PORTS_FILE_NAME = "ports.json"
#: Chosen below the range Linux hands out for outgoing connections (32768 and up), so a
#: learner's recorded port is seldom taken by some program's passing connection.
PORT_RANGE = range(20000, 32000)


@dataclass(frozen=True)
class LearnerPorts:
    """The learner's sandbox port and sign-in capture port."""

    sandbox: int
    capture: int


def ports_file() -> Path:
    """Where a learner's ports are recorded: ``ports.json`` in the config folder."""
    return config_dir() / PORTS_FILE_NAME


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _pick(taken: set[int], rng: random.Random) -> int:
    """A free port from :data:`PORT_RANGE` not in ``taken`` (else any the system offers)."""
    for _ in range(64):
        port = rng.choice(PORT_RANGE)
        if port not in taken and _free(port):
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def read_ports(path: Optional[Path] = None) -> Optional[LearnerPorts]:
    """The recorded ports, or None when there is no usable record."""
    path = ports_file() if path is None else path
    try:
        data = parse_json(read_small_file(path, mine_only=True))
        sandbox, capture = data["sandbox"], data["capture"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError, ImgurError):
        return None
    if not all(isinstance(p, int) and 1024 <= p <= 65535 for p in (sandbox, capture)) or sandbox == capture:
        return None
    return LearnerPorts(sandbox, capture)


def learner_ports(path: Optional[Path] = None) -> LearnerPorts:
    """This learner's ports: the recorded ones, or a new free pair, recorded (0600) for next time."""
    path = ports_file() if path is None else path
    recorded = read_ports(path)
    if recorded is not None:
        return recorded
    rng = random.SystemRandom()
    sandbox = _pick(set(), rng)
    chosen = LearnerPorts(sandbox, _pick({sandbox}, rng))
    payload = json.dumps({"sandbox": chosen.sandbox, "capture": chosen.capture}, indent=2) + "\n"
    write_private_file(path, payload.encode("utf-8"))
    return chosen


@dataclass(frozen=True)
class HubOptions:
    """What a session on a JupyterHub takes from the learner's own ports: the sandbox's port, the
    capture's, and the demo app's callback at their own server. Empty (zeros, None) elsewhere."""

    sandbox_port: int = 0
    capture_port: int = 0
    demo_callback: Optional[str] = None

    @classmethod
    def for_learner(cls, path: Optional[Path] = None) -> HubOptions:
        """The learner's recorded ports (chosen now when none are) and the callback through the hub,
        or the local callback on their own capture port when the hub does not say its address."""
        ports = learner_ports(path)
        root = hub_proxy_root(HUB)
        callback = f"{root}{ports.capture}{CALLBACK_PATH}" if root else callback_url_for(ports.capture)
        return cls(ports.sandbox, ports.capture, callback)
