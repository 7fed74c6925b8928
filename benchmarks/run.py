"""Speed and memory of imgur_kit, measured as ratios within one run (machines are noisy).

    .venv/bin/python benchmarks/run.py            # or: make benchmark

What it measures, each against a baseline taken in the same run:
- import time of ``imgur_kit`` against ``requests`` (the floor: we depend on it), and of
  ``from imgur_kit import ImgurClient, Credentials`` (what a script's first line loads:
  the package root defers the client until it is used);
- API calls per second through ImgurClient (a typed call, and the generic ``request()``)
  against a bare keep-alive requests.Session,
  both on the sandbox over loopback (the cost of auth, envelope and rate-limit reading),
  and against the older clients imgurpython and PyImgur (benchmarks/requirements.txt);
- peak Python memory of uploading a large file against the file's size (streaming
  should keep this well below 1x);
- the sandbox's memory per uploaded byte and across 20 uploads (benchmarks/sandbox_memory.py;
  about 12 before uploads were split in place, about 2 while the body was read whole, about
  0.03 since uploads are written to the state folder as they arrive);
- strict nbval over every notebook, in seconds (reported, not compared).
Nothing here asserts: the tests never assert times.
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from imgur_kit import Credentials, ImgurClient  # noqa: E402
from imgur_kit.sandbox import Sandbox  # noqa: E402

# Imports are timed as a user's machine runs them: with compiled bytecode cached. The cache goes
# to a folder of its own, the same for every package timed, so that PYTHONDONTWRITEBYTECODE (set
# on some machines) does not make the kit recompile its source on every run while requests,
# compiled by pip at install, does not.
_PYCACHE = tempfile.mkdtemp(prefix="imgur-kit-bench-pyc-")
atexit.register(shutil.rmtree, _PYCACHE, ignore_errors=True)
_IMPORT_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": _PYCACHE,
}


def import_seconds(*codes: str, repeats: int = 11) -> list[float]:
    """For each of ``codes`` (an import), the median wall time of a fresh interpreter running it,
    minus the bare interpreter's. The codes run in turns, so a busy moment slows all alike."""

    def run(source):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", source], check=True, env=_IMPORT_ENV)
        return time.perf_counter() - start

    for code in codes:
        run(code)  # fills the bytecode cache
    times: dict[str, list[float]] = {code: [] for code in ("pass", *codes)}
    for _ in range(repeats):
        for code in times:
            times[code].append(run(code))
    bare = statistics.median(times["pass"])
    return [statistics.median(times[code]) - bare for code in codes]


def calls_per_second(call, seconds: float = 2.0) -> float:
    """How many times ``call`` completes per second, after one warm-up call."""
    call()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        call()
        count += 1
    return count / (time.perf_counter() - start)


UPLOAD_CHILD = """
import sys, tracemalloc
from imgur_kit import Credentials, ImgurClient
base_url, client_id, path = sys.argv[1:4]
with ImgurClient(Credentials(client_id=client_id), base_url=base_url) as client:
    tracemalloc.start()
    client.upload(path, title="big")
    print(tracemalloc.get_traced_memory()[1])
"""


def compare_older_clients(sandbox, creds) -> None:
    """GET /3/image/{id} per second: imgur_kit against imgurpython and PyImgur, same sandbox."""
    with ImgurClient(creds, base_url=sandbox.base_url) as client:
        image_id = client.upload(ROOT / "imgur_kit" / "assets" / "hello-imgur.png")["id"]
        rates = {
            "imgur_kit": calls_per_second(lambda: client.image(image_id)),
            "imgur_kit request()": calls_per_second(lambda: client.request("GET", f"/3/image/{image_id}")),
        }
    try:
        import imgurpython.client
        import pyimgur
    except ImportError:
        print("  (older clients not installed: pip install -r benchmarks/requirements.txt)")
        return
    # Both hard-code api.imgur.com; point them at the sandbox the way each allows.
    imgurpython.client.API_URL = sandbox.base_url + "/"
    old = imgurpython.client.ImgurClient(creds.client_id, creds.client_secret)
    rates["imgurpython"] = calls_per_second(lambda: old.get_image(image_id))
    py = pyimgur.Imgur(creds.client_id)
    py.base_url = sandbox.base_url
    rates["PyImgur"] = calls_per_second(lambda: py.get_image(image_id))
    ours = rates["imgur_kit"]
    print(
        "GET /3/image/{id}: " + ", ".join(f"{name} {rate:.0f}/s ({ours / rate:.2f}x)" for name, rate in rates.items())
    )


def main() -> None:
    print("imgur-kit benchmarks (ratios within this run)\n")

    req, kit, first_line = import_seconds(
        "import requests", "import imgur_kit", "from imgur_kit import ImgurClient, Credentials"
    )
    print(f"import imgur_kit: {kit * 1000:.0f} ms, import requests: {req * 1000:.0f} ms, ratio {kit / req:.2f}x")
    print(f"from imgur_kit import ImgurClient, Credentials: {first_line * 1000:.0f} ms, ratio {first_line / req:.2f}x")

    with Sandbox() as sandbox:
        app = sandbox.default_app
        creds = Credentials(client_id=app.client_id, client_secret=app.client_secret)
        sandbox.set_credits(client_remaining=10**9, user_remaining=10**9)
        url = f"{sandbox.base_url}/3/credits"
        with requests.Session() as bare, ImgurClient(creds, base_url=sandbox.base_url) as client:
            headers = {"Authorization": f"Client-ID {app.client_id}"}
            # Short rounds, taken in turns: a busy machine slows both sides of a round alike.
            rounds = [
                (
                    calls_per_second(lambda: bare.get(url, headers=headers).json(), seconds=0.5),
                    calls_per_second(client.credits, seconds=0.5),
                    calls_per_second(lambda: client.request("GET", "/3/credits"), seconds=0.5),
                )
                for _ in range(8)
            ]
        bare_rate = statistics.median(b for b, _, _ in rounds)
        kit_rate = statistics.median(k for _, k, _ in rounds)
        ratio = statistics.median(k / b for b, k, _ in rounds)
        generic = statistics.median(g / b for b, _, g in rounds)
        print(
            f"GET /3/credits: ImgurClient {kit_rate:.0f}/s, bare requests.Session {bare_rate:.0f}/s, "
            f"ratio {ratio:.2f}x; client.request() ratio {generic:.2f}x (target 0.9x or better; "
            "median of 8 rounds taken in turns)"
        )
        compare_older_clients(sandbox, creds)

        size = 16 * 1024 * 1024
        with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as handle:
            # A PNG signature and header, then filler: the sandbox checks the magic bytes only.
            handle.write(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"))
            handle.write(os.urandom(size))
            big = Path(handle.name)
        try:
            # The client runs in a child process so that the sandbox's own memory is not counted.
            peak = int(
                subprocess.run(
                    [sys.executable, "-c", UPLOAD_CHILD, sandbox.base_url, app.client_id, str(big)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            print(
                f"upload of {big.stat().st_size / 2**20:.0f} MiB: client peak Python memory "
                f"{peak / 2**20:.1f} MiB, ratio {peak / big.stat().st_size:.3f}x of the file"
            )
        finally:
            big.unlink()

    from sandbox_memory import peak_bytes_per_uploaded_byte, rise_across_uploads

    print(f"sandbox upload of 16 MiB: peak memory rose {peak_bytes_per_uploaded_byte():.3f} bytes per uploaded byte")
    first, later = rise_across_uploads()
    print(f"sandbox, 20 uploads of 16 MiB: peak memory rose {first / 2**20:.1f} MiB, then {later / 2**20:.1f} MiB more")

    start = time.perf_counter()
    subprocess.run(["make", "-s", "nbval"], cwd=ROOT, check=False, capture_output=True)
    print(f"strict nbval over every notebook: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
