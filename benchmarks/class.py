"""A class on one server, measured on this machine: what docs/teaching.md sizes a hub with.

    .venv/bin/python benchmarks/class.py            # or: make class-benchmark (root, for the hub part)
    .venv/bin/python benchmarks/class.py --no-hub   # memory and Run-All only (any user)

Four figures, each for one learner, measured here (print ``nproc`` and the memory beside them):

1. **Memory.** A real IPython kernel (jupyter_client, as JupyterLab starts one) at rest, then
   after ``connect()`` (the kit loaded, the learner's sandbox started in the kernel) and one
   upload: the rise in the kernel's resident memory (Linux ``VmRSS``) is what the kit and a
   sandbox add. Target: at most 50 MB.
2. **Run-All, one learner alone.** Notebooks 00 to 05 executed in order, each in a fresh
   kernel (as a learner opens them one after the other), in a fresh home: the seconds of the
   whole sequence.
3. **Run-All, five learners at once.** The same five times at the same moment, each in a
   home and process of its own: the seconds until the last one finishes, and its ratio to
   (2). Target: at most 3x.
4. **The hub's start time per learner** (root only: it creates Unix users, as the tests do):
   JupyterHub with the LocalProcessSpawner, then 1 server, then 5 servers asked for at once;
   the seconds until each answers, and each learner server's resident memory at rest.

Nothing here asserts (the tests never assert times); the figures are printed, with the targets.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = [ROOT / "notebooks" / f"{n}" for n in sorted(os.listdir(ROOT / "notebooks")) if n[:2] in {
    "00", "01", "02", "03", "04", "05"} and n.endswith(".ipynb")]  # fmt: skip

MEMORY_TARGET_MB = 50
CROWD = 5
CROWD_TARGET = 3.0


def learner_env(home: Path) -> dict:
    """A newcomer's environment: a fresh home, no IMGUR_* settings, no hub or Binder hints."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("IMGUR_", "BINDER_", "JUPYTERHUB_", "XDG_")) and k not in ("SSH_CONNECTION", "CODESPACES")
    }
    env["HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def rss_mb(pid: int) -> float:
    """The resident memory of process ``pid``, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


# -- 1. memory ---------------------------------------------------------------------------------

KIT_CELLS = [
    "from imgur_kit.notebook import connect\nkit = connect()",
    "from imgur_kit import steps\nurl, state = kit.authorize_url()\n"
    "steps.finish_authorization(kit, kit.sandbox.approve(url), state)",
    "print(steps.upload_sentence(kit.client.upload(steps.bundled_picture(), title='size')))",
    "import gc; gc.collect()",
]


def kernel_memory() -> tuple[float, float]:
    """(bare kernel MB, kernel with the kit and its sandbox MB), measured on one real kernel."""
    from jupyter_client.manager import start_new_kernel

    with tempfile.TemporaryDirectory() as home:
        old = dict(os.environ)
        os.environ.clear()
        os.environ.update(learner_env(Path(home)))
        try:
            manager, client = start_new_kernel(kernel_name="python3")
        finally:
            os.environ.clear()
            os.environ.update(old)
        try:
            pid = manager.provisioner.process.pid  # type: ignore[union-attr]
            client.execute_interactive("import gc; gc.collect()", timeout=60)
            time.sleep(1.0)
            bare = rss_mb(pid)
            for code in KIT_CELLS:
                reply = client.execute_interactive(code, timeout=120, output_hook=lambda _m: None)
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(f"the cell failed: {code}")
            time.sleep(1.0)
            return bare, rss_mb(pid)
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)


# -- 2 and 3. Run-All ----------------------------------------------------------------------------

RUN_ALL = """
import sys, time, nbformat
from nbclient import NotebookClient
began = time.monotonic()
for path in sys.argv[1:]:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
print(f"{time.monotonic() - began:.2f}")
"""


def run_all_learner(home: Path) -> subprocess.Popen:
    """Start one learner's Run-All of 00 to 05 (their own home and working folder)."""
    work = home / "notebooks"
    work.mkdir(parents=True)
    for notebook in NOTEBOOKS:
        shutil.copy(notebook, work / notebook.name)
    return subprocess.Popen(
        [sys.executable, "-c", RUN_ALL, *[n.name for n in NOTEBOOKS]],
        cwd=work,
        env=learner_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_alls(count: int) -> list[float]:
    """Seconds of each learner's Run-All, ``count`` learners started at the same moment."""
    with tempfile.TemporaryDirectory() as folder:
        runs = [run_all_learner(Path(folder) / f"learner{i}") for i in range(count)]
        seconds = []
        for run in runs:
            out, err = run.communicate(timeout=1800)
            if run.returncode != 0:
                raise RuntimeError(f"a learner's Run-All failed:\n{err[-3000:]}")
            seconds.append(float(out.strip().splitlines()[-1]))
        return seconds


# -- 4. the hub ------------------------------------------------------------------------------------


def hub_starts() -> tuple[list[float], list[float], list[float]]:
    """(one server alone: [s], five at once: [s, ...], each server's resident MB at rest)."""
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "hub")]
    import classroom
    from loopback import free_port

    missing = classroom.missing_pieces()
    if missing:
        raise RuntimeError("the hub part needs " + ", ".join(missing))
    with tempfile.TemporaryDirectory(prefix="imgur-kit-class-") as folder:
        os.chmod(folder, 0o755)
        tags = tuple("abcdef"[: CROWD + 1])
        with classroom.learners(tags) as group:
            with classroom.running_hub(group, Path(folder) / "hub", Path(folder) / "shared", free_port) as hub:
                alone = [hub.start_server(group[0])]
                crowd: dict[str, float] = {}
                threads = [
                    threading.Thread(target=lambda x=x: crowd.__setitem__(x.name, hub.start_server(x)))
                    for x in group[1:]
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=300)
                time.sleep(3)
                memory = [sum(rss_mb(pid) for pid in classroom._processes_of(x.uid)) for x in group]
                return alone, sorted(crowd.values()), memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-hub", action="store_true", help="leave out the hub's start time (needs root)")
    parser.add_argument("--crowd", type=int, default=CROWD, help="learners at once (default %(default)s)")
    args = parser.parse_args()
    total_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    print(f"This machine: {os.cpu_count()} cores, {total_gb:.0f} GB, Python {sys.version.split()[0]}")

    bare, with_kit = kernel_memory()
    added = with_kit - bare
    verdict = "within" if added <= MEMORY_TARGET_MB else "ABOVE"
    print(
        f"1. memory: a bare kernel {bare:.0f} MB; with the kit, its sandbox, a sign-in and an upload "
        f"{with_kit:.0f} MB: {added:.0f} MB added ({verdict} the {MEMORY_TARGET_MB} MB target)"
    )

    (alone,) = run_alls(1)
    print(f"2. Run-All of 00-05, one learner alone: {alone:.1f} s")
    crowd = run_alls(args.crowd)
    ratio = max(crowd) / alone
    verdict = "within" if ratio <= CROWD_TARGET else "ABOVE"
    print(
        f"3. Run-All of 00-05, {args.crowd} learners at once: the last done in {max(crowd):.1f} s, "
        f"median {statistics.median(crowd):.1f} s: {ratio:.1f}x one learner alone ({verdict} the "
        f"{CROWD_TARGET:.0f}x target)"
    )

    if args.no_hub:
        print("4. the hub's start time: left out (--no-hub)")
        return 0
    one, five, memory = hub_starts()
    print(
        f"4. the hub's start time per learner: {one[0]:.1f} s alone; {len(five)} asked for at once: "
        f"{', '.join(f'{s:.1f}' for s in five)} s; a learner's server at rest (no kernel): "
        f"{statistics.median(memory):.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
