"""The sandbox's memory per uploaded byte, and across many uploads, measured in a child process.

    .venv/bin/python benchmarks/sandbox_memory.py [MiB] [count]    # also part of benchmarks/run.py

A sandbox runs alone in a child process, with a state folder of its own; this process
uploads pictures of the given size to it (16 MiB unless told), and the child reports
its memory after each one. Four figures come out:

- **peak RSS per uploaded byte**: how far the child's peak resident memory
  (``resource.getrusage``'s ``ru_maxrss``) rose during one multipart upload, divided by
  the picture's size;
- **the same for a base64 upload** (form-urlencoded, as curl and many scripts send it);
- **peak Python memory per uploaded byte** (``tracemalloc`` in a second child: only what
  Python allocates, without the allocator's and the interpreter's noise);
- **flat across uploads**: the peak after the last of ``count`` uploads (20 unless told)
  against the peak after the first, in MiB. Flat means no upload leaves memory behind.

The target (issue 14): at most 0.1 bytes of sandbox memory per uploaded byte, and flat
across 20 uploads of 16 MiB.

Figures on the development machine (Linux, Python 3.11, 2 cores, 16 MiB pictures, 20
uploads, a state folder on local disk), measured with this script at the commit before
the change (IMGUR_KIT_BENCH_ROOT pointing at that checkout) and after it:

==========================================  ==========  =========
figure                                      before      after
==========================================  ==========  =========
peak RSS per uploaded byte, multipart       2.00        0.03
peak RSS per uploaded byte, base64 form     5.63        0.06
peak Python memory per byte (tracemalloc)   2.00        0.02
peak RSS during the first upload            32.0 MiB    0.5 MiB
further rise by the 20th upload             16.2 MiB    0.1 MiB
==========================================  ==========  =========

Before, the server read the whole body into memory and the form parser sliced the
picture out of it (two copies); a sandbox without a state folder also kept every
picture in memory. Now the body is read 64 KiB at a time and each part's bytes go
to a file in the state folder as they arrive.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import resource, sys
state_dir = sys.argv[1] or None
traced = sys.argv[2] == "traced"
if traced:
    import tracemalloc
from imgur_kit.sandbox import Sandbox
with Sandbox(state_dir=state_dir) as sandbox:
    sandbox.set_credits(client_remaining=10**9, user_remaining=10**9, post_remaining=10**9)
    def figure():
        if traced:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()
            return peak
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if traced:
        tracemalloc.start()
    print(sandbox.base_url, sandbox.default_app.client_id, figure(), flush=True)
    for line in sys.stdin:  # one line per upload done
        print(figure(), flush=True)
"""

#: Linux hands a child the parent's resident size as its starting peak (ru_maxrss survives
#: fork and exec), so the sandbox is started by a tiny launcher, far smaller than the
#: sandbox itself, and its "before" figure is its own.
LAUNCHER = "import subprocess, sys; sys.exit(subprocess.call([sys.executable, '-c', *sys.argv[1:]]))"

#: A PNG signature and header: the sandbox checks the first bytes, the rest may be filler.
PNG_HEAD = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de")

MIB = 2**20
#: ru_maxrss is in KiB on Linux, in bytes on macOS.
RSS_UNIT = 1 if sys.platform == "darwin" else 1024


def picture(size: int) -> bytes:
    """A PNG of ``size`` bytes: a real header, then random filler."""
    return PNG_HEAD + os.urandom(size - len(PNG_HEAD))


def _measure(size: int, count: int, *, traced: bool = False, as_base64: bool = False) -> list[int]:
    """Upload ``count`` pictures of ``size`` bytes to a sandbox in a child process; the child's
    figure (peak RSS in bytes, or tracemalloc's peak) before the first upload and after each."""
    content = picture(size)
    # IMGUR_KIT_BENCH_ROOT measures another checkout (say, an older commit) the same way.
    root = os.environ.get("IMGUR_KIT_BENCH_ROOT", str(ROOT))
    env = dict(os.environ, PYTHONPATH=root)
    unit = 1 if traced else RSS_UNIT
    with tempfile.TemporaryDirectory(prefix="imgur-kit-bench-") as state_dir:
        with subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, CHILD, state_dir, "traced" if traced else "rss"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=root,
        ) as child:
            assert child.stdin is not None and child.stdout is not None
            base_url, client_id, before = child.stdout.readline().split()
            figures = [int(before) * unit]
            with requests.Session() as http:
                for _ in range(count):
                    if as_base64:
                        sent = {"data": {"image": base64.b64encode(content), "type": "base64"}}
                    else:
                        sent = {"files": {"image": ("big.png", content)}}
                    answer = http.post(
                        f"{base_url}/3/image",
                        headers={"Authorization": f"Client-ID {client_id}"},
                        timeout=120,
                        **sent,
                    )
                    answer.raise_for_status()
                    child.stdin.write("done\n")
                    child.stdin.flush()
                    figures.append(int(child.stdout.readline()) * unit)
            child.stdin.close()
    return figures


def peak_bytes_per_uploaded_byte(size: int = 16 * MIB, *, as_base64: bool = False) -> float:
    """How far the sandbox's peak RSS rose during one upload of ``size`` bytes, per uploaded byte."""
    before, after = _measure(size, 1, as_base64=as_base64)
    return (after - before) / size


def python_bytes_per_uploaded_byte(size: int = 16 * MIB) -> float:
    """tracemalloc's peak during one upload of ``size`` bytes, per uploaded byte."""
    return _measure(size, 1, traced=True)[1] / size


def rise_across_uploads(size: int = 16 * MIB, count: int = 20) -> tuple[float, float]:
    """(peak RSS rise during the first upload, further rise from the first to the last), in bytes."""
    figures = _measure(size, count)
    return figures[1] - figures[0], figures[-1] - figures[1]


def main() -> None:
    """Print the four figures (16 MiB pictures and 20 uploads unless told otherwise)."""
    mib = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    size = mib * MIB
    print(f"sandbox upload of {mib} MiB (target: at most 0.1 bytes of memory per uploaded byte)")
    print(f"  peak RSS per uploaded byte, multipart: {peak_bytes_per_uploaded_byte(size):.3f}")
    print(f"  peak RSS per uploaded byte, base64 form: {peak_bytes_per_uploaded_byte(size, as_base64=True):.3f}")
    print(f"  peak Python memory per uploaded byte (tracemalloc): {python_bytes_per_uploaded_byte(size):.3f}")
    first, later = rise_across_uploads(size, count)
    print(
        f"  {count} uploads: peak RSS rose {first / MIB:.1f} MiB during the first, "
        f"then {later / MIB:.1f} MiB more by the last (flat: about 0)"
    )


if __name__ == "__main__":
    main()
