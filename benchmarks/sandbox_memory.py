"""The sandbox's peak memory per uploaded byte, measured in a child process.

    .venv/bin/python benchmarks/sandbox_memory.py [MiB]     # also part of benchmarks/run.py

A sandbox runs alone in a child process; this process uploads one picture of the
given size to it, then the child reports how far its peak resident memory
(``resource.getrusage``'s ``ru_maxrss``) rose above what it was before the upload.
The figure is that rise divided by the picture's size: about 1 is the floor for a
memory-only sandbox, which keeps the picture's bytes to serve them back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import resource, sys
from imgur_kit.sandbox import Sandbox
with Sandbox() as sandbox:
    sandbox.set_credits(client_remaining=10**9, user_remaining=10**9)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(sandbox.base_url, sandbox.default_app.client_id, before, flush=True)
    sys.stdin.readline()  # the parent has uploaded
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
"""

#: Linux hands a child the parent's resident size as its starting peak (ru_maxrss survives
#: fork and exec), so the sandbox is started by a tiny launcher, far smaller than the
#: sandbox itself, and its "before" figure is its own.
LAUNCHER = "import subprocess, sys; sys.exit(subprocess.call([sys.executable, '-c', sys.argv[1]]))"

#: A PNG signature and header: the sandbox checks the first bytes, the rest may be filler.
PNG_HEAD = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de")


def peak_bytes_per_uploaded_byte(size: int = 16 * 2**20) -> float:
    """Upload ``size`` bytes to a sandbox in a child process; its peak RSS rise per uploaded byte."""
    picture = PNG_HEAD + os.urandom(size - len(PNG_HEAD))
    # IMGUR_KIT_BENCH_ROOT measures another checkout (say, an older commit) the same way.
    root = os.environ.get("IMGUR_KIT_BENCH_ROOT", str(ROOT))
    env = dict(os.environ, PYTHONPATH=root)
    with subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=root,
    ) as child:
        base_url, client_id, before = child.stdout.readline().split()
        answer = requests.post(
            f"{base_url}/3/image",
            files={"image": ("big.png", picture)},
            headers={"Authorization": f"Client-ID {client_id}"},
            timeout=120,
        )
        answer.raise_for_status()
        child.stdin.write("done\n")
        child.stdin.flush()
        after = int(child.stdout.readline())
        child.stdin.close()
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    unit = 1 if sys.platform == "darwin" else 1024
    return (after - int(before)) * unit / size


def main() -> None:
    """Print the figure for one upload (16 MiB unless a size in MiB is given)."""
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    ratio = peak_bytes_per_uploaded_byte(mib * 2**20)
    print(f"sandbox upload of {mib} MiB: peak memory rose {ratio:.2f} bytes per uploaded byte")


if __name__ == "__main__":
    main()
