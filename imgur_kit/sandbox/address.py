"""The address file: how other programs find a running sandbox.

A sandbox started with ``address_file=`` writes, once it is listening::

    {"base_url": "http://127.0.0.1:8700", "pid": 12345, "state_dir": "/abs/path" or null,
     "proof_key": "64 hex characters"}

as a 0600 file, atomically (a reader sees the old file or the new one, never
half of one). On stop it removes the file only if it still names this sandbox
(same pid and base_url): a second sandbox may have written its own since.
A reader proves it before trusting it: it sends ``GET /sandbox/proof?challenge=RANDOM`` and
checks the answer is HMAC-SHA256(proof_key, challenge). Whatever else holds the port later
cannot answer that, because the key lives only in this sandbox and in this 0600 file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

from .errors import SandboxError
from .files import atomic_write, read_regular


def write_address(path: Path, base_url: str, state_dir: Optional[Path], proof_key: str) -> None:
    """Record where this sandbox listens (raises SandboxError when the file cannot be written)."""
    record = {
        "base_url": base_url,
        "pid": os.getpid(),
        "state_dir": str(state_dir.resolve()) if state_dir is not None else None,
        "proof_key": proof_key,
    }
    try:
        atomic_write(path, json.dumps(record).encode("utf-8"))
    except SandboxError:
        raise
    except OSError as exc:
        raise SandboxError(
            f"The sandbox could not record its address in {path} ({exc.strerror or exc}). "
            "Choose a file in a folder you can write to."
        ) from None


def remove_address(path: Path, base_url: str) -> bool:
    """Remove the address file if it still names this sandbox; True when it was removed."""
    try:
        record = json.loads(read_regular(path, 64 * 1024))
    except (OSError, ValueError, RecursionError):  # gone, not a regular file, or not ours
        return False
    if not isinstance(record, dict) or record.get("pid") != os.getpid() or record.get("base_url") != base_url:
        return False  # another sandbox's now: leave it
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
