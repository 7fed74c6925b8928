"""A class on one server, for the tests and the sizing benchmark: real Unix learners and a real JupyterHub.

:func:`learners` creates Unix users (``useradd``; it needs root, as CI has) with a copy of
the notebooks in their home, as a teacher's setup script would, and removes them again
with their homes and every process they still run (found by uid, ended by pid).
:func:`running_hub` starts JupyterHub from this checkout's virtual environment on
127.0.0.1, with configurable-http-proxy from ``.ci/node`` (``make hub-deps``), the
DummyAuthenticator restricted to those learners, and the LocalProcessSpawner: each
learner's server runs as that learner, with ``jupyterhub-singleuser`` from the same
environment (where the kit and jupyter-server-proxy are installed), as on The Littlest
JupyterHub. Nothing here touches the kit's code; the hub's own REST API starts servers.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
import committed  # noqa: E402  (the notebooks as committed, whatever a run saved since)

VENV_BIN = Path(sys.executable).parent
CHP = REPO / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_VARIABLE_PREFIXES = ("IMGUR_", "JUPYTER", "BINDER_", "XDG_")


def _reachable_by_others(path: Path) -> bool:
    """True when another user can open ``path`` (every folder above it lets others through)."""
    path = path.resolve()
    for folder in [*reversed(path.parents)][1:]:
        if not folder.stat().st_mode & 0o001:
            return False
    return bool(path.stat().st_mode & 0o004)


def learner_python(folder: Path) -> tuple[Path, dict]:
    """An interpreter the learners may run, with this checkout's packages, and the variables it needs.

    This environment's own when others can reach it. Otherwise (a Python kept under /root, as
    pyenv installs it) a small virtual environment of the system's Python of the same version
    in ``folder``, whose one .pth file adds this environment's packages, as a shared install would.
    """
    own = Path(sys.executable)
    if _reachable_by_others(own):
        return own, {}
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    system = Path(f"/usr/bin/python{version}")
    if not system.exists():
        raise RuntimeError(f"No Python {version} that other users may run: {own} is private and {system} is missing.")
    venv = folder / "learner-venv"
    subprocess.run([str(system), "-m", "venv", "--without-pip", str(venv)], check=True)
    site_packages = next(Path(sys.prefix).glob("lib/python*/site-packages"))
    target = next(venv.glob("lib/python*/site-packages"))
    (target / "imgur_kit_class.pth").write_text(f"import site; site.addsitedir({str(site_packages)!r})\n")
    subprocess.run(["chmod", "-R", "a+rX", str(folder)], check=True)
    data = Path(sys.prefix)
    return venv / "bin" / "python", {
        "JUPYTER_PATH": str(data / "share" / "jupyter"),
        "JUPYTER_CONFIG_PATH": str(data / "etc" / "jupyter"),
        "JUPYTERLAB_DIR": str(data / "share" / "jupyter" / "lab"),
    }


def missing_pieces() -> list[str]:
    """What this machine lacks for a hub with real learners (empty when all is there)."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (the test creates Unix users with useradd, as CI can)")
    if shutil.which("useradd") is None:
        missing.append("useradd")
    if not _reachable_by_others(REPO / "imgur_kit" / "__init__.py"):
        missing.append(f"a checkout other users can read ({REPO})")
    if not (VENV_BIN / "jupyterhub").exists() or not (VENV_BIN / "jupyterhub-singleuser").exists():
        missing.append("JupyterHub in the virtual environment (make hub-deps)")
    if not CHP.exists():
        missing.append("configurable-http-proxy in .ci/node (make hub-deps)")
    if shutil.which("node") is None:
        missing.append("node (for configurable-http-proxy)")
    return missing


@dataclass
class Learner:
    """One learner: a Unix user with a home, and (once the hub runs) a server at /user/<name>/."""

    name: str
    uid: int
    gid: int
    home: Path

    @property
    def prefix(self) -> str:
        return f"/user/{self.name}/"

    @property
    def config_dir(self) -> Path:
        """The kit's default config folder in their home (platformdirs on Linux)."""
        return self.home / ".config" / "imgur-kit"

    def ports(self) -> dict:
        """The learner's recorded ports (read as root, who may)."""
        record = self.config_dir / "ports.json"
        assert record.exists(), f"{self.name} has no ports of their own: no {record} after connect()"
        return json.loads(record.read_text())


def _new_name(tag: str) -> str:
    return f"ik{secrets.token_hex(3)}{tag}"


def _processes_of(uid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:") and int(line.split()[1]) == uid:
                pids.append(int(entry.name))
    return pids


def _end_processes_of(uid: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = _processes_of(uid)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        if pids:
            time.sleep(0.5)


def _lab_settings(home: Path) -> None:
    """The news pop-up off, as the browser tests' Lab has it (it would cover the notebook)."""
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )


@contextlib.contextmanager
def learners(tags: tuple[str, ...]):
    """Create one Unix user per tag (a home with notebooks/ in it); remove them all afterwards."""
    made: list[Learner] = []
    try:
        for tag in tags:
            name = _new_name(tag)
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
            entry = pwd.getpwnam(name)
            home = Path(entry.pw_dir)
            made.append(Learner(name, entry.pw_uid, entry.pw_gid, home))
            committed.export(home / "notebooks")
            _lab_settings(home)
            subprocess.run(["chown", "-R", f"{entry.pw_uid}:{entry.pw_gid}", str(home)], check=True)
        yield made
    finally:
        for learner in made:
            _end_processes_of(learner.uid)
            subprocess.run(["userdel", "--remove", learner.name], check=False, capture_output=True)


def run_as(
    learner: Learner,
    python: Path,
    code: str,
    args: list[str] = (),
    timeout: float = 30,  # type: ignore[assignment]
) -> subprocess.CompletedProcess:
    """Run Python ``code`` with ``python`` as the learner's Unix user (their uid, gid and home),
    as their own program would."""

    def demote():
        os.setgroups([])
        os.setgid(learner.gid)
        os.setuid(learner.uid)

    env = {"HOME": str(learner.home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    return subprocess.run(
        [str(python), "-c", code, *args],
        preexec_fn=demote,
        env=env,
        cwd=str(learner.home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@dataclass
class Hub:
    """A running JupyterHub: its public address, and a token for its REST API."""

    url: str
    api_token: str
    log: Path
    python: Path  # the interpreter the learners run

    def api(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            method=method,
            data=data,
            headers={"Authorization": f"token {self.api_token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def start_server(self, learner: Learner, timeout: float = 90) -> float:
        """Start the learner's server through the REST API; return the seconds until it answered."""
        began = time.monotonic()
        with contextlib.suppress(urllib.error.HTTPError):  # 202: still starting, 201: started, 400: running
            self.api("POST", f"/users/{learner.name}/server")
        deadline = began + timeout
        while time.monotonic() < deadline:
            user = self.api("GET", f"/users/{learner.name}")
            server = (user.get("servers") or {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - began
            time.sleep(0.25)
        raise RuntimeError(f"{learner.name}'s server did not start within {timeout} s:\n{self.log.read_text()[-4000:]}")


def _config(
    port: int, hub_port: int, proxy_api_port: int, token: str, names: list[str], state: Path, python: Path, env: dict
) -> str:
    """The hub's configuration file (Python), as a teacher's jupyterhub_config.py."""
    env = {**env, "PATH": f"{python.parent}:/usr/local/bin:/usr/bin:/bin"}
    return f"""
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
# The hub says its own public address to every server (JUPYTERHUB_PUBLIC_URL): the kit
# builds each learner's callback from it.
c.JupyterHub.public_url = "http://127.0.0.1:{port}"
c.JupyterHub.db_url = "sqlite:///{state}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{state}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{state}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.ConfigurableHTTPProxy.command = ["{CHP}"]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = "{state}/proxy.pid"
c.ConfigurableHTTPProxy.debug = False
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {set(names)!r}
c.JupyterHub.services = [{{"name": "teacher", "api_token": "{token}"}}]
c.JupyterHub.load_roles = [{{"name": "teacher", "scopes": ["admin:users", "admin:servers"], "services": ["teacher"]}}]
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = ["{python}", "-m", "jupyterhub.singleuser"]
c.Spawner.environment = {env!r}
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.args = [
    "--LabApp.expose_app_in_browser=True",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.env_keep = ["LANG", "LC_ALL"]
"""


@contextlib.contextmanager
def running_hub(group: list[Learner], state: Path, shared: Path, free_port):
    """JupyterHub on 127.0.0.1 for ``group``; stopped (with every server it started) afterwards.

    ``state`` is the hub's own (private) folder; ``shared`` a folder the learners may read.
    """
    port, hub_port, proxy_api = free_port(), free_port(), free_port()
    token = secrets.token_hex(24)
    state.mkdir(parents=True, exist_ok=True)
    python, env = learner_python(shared)
    config = state / "jupyterhub_config.py"
    names = [x.name for x in group]
    config.write_text(_config(port, hub_port, proxy_api, token, names, state, python, env))
    env = {k: v for k, v in os.environ.items() if not k.startswith(HUB_VARIABLE_PREFIXES)}
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "/usr/bin:/bin")])
    env["CONFIGPROXY_AUTH_TOKEN"] = secrets.token_hex(24)
    log_path = state / "hub.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [str(VENV_BIN / "jupyterhub"), "-f", str(config)],
        cwd=state,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    hub = Hub(f"http://127.0.0.1:{port}", token, log_path, python)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{hub.url}/hub/health", timeout=2)
                break
            except OSError as error:
                if proc.poll() is not None:
                    raise RuntimeError("JupyterHub exited at start:\n" + log_path.read_text()) from error
                if time.monotonic() > deadline:
                    raise RuntimeError("JupyterHub did not answer within 60 s:\n" + log_path.read_text()) from error
                time.sleep(0.25)
        yield hub
    finally:
        proc.send_signal(signal.SIGTERM)  # this PID only; cleanup_servers stops the learners' servers
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        # The proxy is the hub's child in a session of its own: end it by the pid it recorded.
        with contextlib.suppress(OSError, ValueError):
            os.kill(int((state / "proxy.pid").read_text().strip()), signal.SIGTERM)
        log.close()
