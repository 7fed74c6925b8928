"""Where the program runs, and so which addresses the person's browser can open.

It matters for OAuth and for the sandbox's pages: only a program on the same machine
as the browser can catch a redirect to a loopback address or link to ``127.0.0.1``.
On Binder and a JupyterHub, jupyter-server-proxy passes a loopback port on to the
browser under the server's own path; on a hub that says its public address, a
sign-in can even come back through it to the learner's own server. Elsewhere the
person pastes. Everything here reads environment variables only (no Jupyter import),
so the command line and the notebooks decide the same way.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from typing import Optional
from urllib.parse import urlsplit

__all__ = [
    "BINDER",
    "CALLBACK_PATH",
    "CAPTURE_PORT",
    "COLAB",
    "HUB",
    "LOCAL",
    "PROXIED",
    "REMOTE",
    "callback_url_for",
    "detect_environment",
    "hub_server_url",
    "hub_variable",
    "proxy_prefix",
]

#: Where the program runs, as far as OAuth cares: only a program on the same machine as the
#: person's browser can catch a redirect to a loopback address; elsewhere the person pastes it.
LOCAL = "local"
BINDER = "binder"
COLAB = "colab"
#: A learner's own server on a shared JupyterHub (the browser reaches it through the hub).
HUB = "jupyterhub"
REMOTE = "remote"
#: Where jupyter-server-proxy can pass a loopback page on to the person's browser.
PROXIED = (BINDER, HUB, REMOTE)

#: The path of the kit's callback URLs (``http://localhost:8765/callback``).
CALLBACK_PATH = "/callback"

#: Where the sign-in capture listens: the callback the kit suggests, and the demo app's, is
#: ``http://localhost:8765/callback`` (a learner on a hub has a port of their own). Not 8888:
#: JupyterLab itself usually sits there.
CAPTURE_PORT = 8765

PREFIX_VARIABLE = "JUPYTERHUB_SERVICE_PREFIX"
PROXY_PACKAGE = "jupyter_server_proxy"
#: What a JupyterHub sets for each learner's server (Binder sets them too, beside its BINDER_*).
HUB_VARIABLES = ("JUPYTERHUB_USER", "JUPYTERHUB_API_URL", PREFIX_VARIABLE)
#: The public address of this learner's server, when the hub knows its own (``c.JupyterHub.public_url``).
PUBLIC_URL_VARIABLE = "JUPYTERHUB_PUBLIC_URL"


def callback_url_for(port: int = CAPTURE_PORT, path: str = CALLBACK_PATH) -> str:
    """The callback URL to register for a capture on *port* of this computer, e.g. ``http://localhost:8765/callback``."""
    return f"http://localhost:{int(port)}{path}"


def detect_environment(environ: Optional[Mapping[str, str]] = None) -> str:
    """Where this program runs: ``local``, ``binder``, ``colab``, ``jupyterhub`` or ``remote``.

    Binder runs on JupyterHub too, one visitor per container: its BINDER_* variables win.
    """
    env = os.environ if environ is None else environ
    if any(name.startswith("BINDER_") for name in env):
        return BINDER
    if "COLAB_RELEASE_TAG" in env or "COLAB_GPU" in env:
        return COLAB
    if hub_variable(env) is not None:
        return HUB
    if any(name in env for name in ("CODESPACES", "SSH_CONNECTION")):
        return REMOTE
    return LOCAL


def hub_variable(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The first JupyterHub variable set (the "why" of the hub's banner sentence), or None."""
    env = os.environ if environ is None else environ
    return next((name for name in HUB_VARIABLES if env.get(name, "").strip()), None)


def hub_server_url(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The public address of this learner's server on a JupyterHub ("https://hub.example.org/user/ada/"),
    or None when the hub does not say it (its ``public_url`` is not set)."""
    env = os.environ if environ is None else environ
    public = env.get(PUBLIC_URL_VARIABLE, "").strip()
    parts = urlsplit(public)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in public for c in "\x00\r\n \t"):
        return None
    return public.rstrip("/") + "/"


def proxy_prefix(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The Jupyter server's path prefix ("/user/ada/") when jupyter-server-proxy can serve
    loopback ports under it, else None.

    The package is only looked for, not imported: importing a server extension into
    the kernel would be slow and pointless (on Binder kernel and server share one environment).
    """
    env = os.environ if environ is None else environ
    prefix = env.get(PREFIX_VARIABLE, "").strip()
    if not prefix:
        return None
    try:
        if importlib.util.find_spec(PROXY_PACKAGE) is None:
            return None
    except (ImportError, ValueError):
        return None
    return "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"


def hub_proxy_root(environment: str) -> Optional[str]:
    """``https://hub.example.org/user/ada/proxy/`` on a hub that says its address and can proxy, else None."""
    if environment != HUB or proxy_prefix() is None:
        return None
    server = hub_server_url()
    return None if server is None else server + "proxy/"


def proxied_address(url: str, sandbox_url: str) -> str:
    """``url``, a page of the sandbox at ``sandbox_url``, as the path jupyter-server-proxy serves it
    under (no host: the browser resolves it against the Jupyter page's own origin); ``url``
    unchanged when it is not on the sandbox or no proxy can help."""
    prefix = proxy_prefix()
    if prefix is None:
        return url
    parts, sandbox = urlsplit(url), urlsplit(sandbox_url)
    if (parts.scheme, parts.hostname, parts.port) != (sandbox.scheme, sandbox.hostname, sandbox.port):
        return url  # not the sandbox: an app's callback, imgur.com, ...
    # "/" rather than "": the sandbox's relative links need the trailing slash at its root.
    address = f"{prefix}proxy/{sandbox.port}{parts.path or '/'}"
    if parts.query:
        address += "?" + parts.query
    if parts.fragment:
        address += "#" + parts.fragment
    return address


def loopback_target(callback_url: str) -> Optional[tuple[int, str]]:
    """The port and path of an ``http://localhost`` (or 127.0.0.1) callback with a port, else None."""
    parts = urlsplit(callback_url.strip())
    try:
        port = parts.port
    except ValueError:
        return None
    if parts.scheme != "http" or parts.hostname not in ("localhost", "127.0.0.1") or not port:
        return None
    return port, parts.path or "/"


def hub_target(callback_url: str) -> Optional[tuple[int, str]]:
    """The loopback port and path behind a callback at the learner's own server's proxy
    (``<server>proxy/PORT/PATH``, which jupyter-server-proxy passes to ``127.0.0.1:PORT/PATH``), else None."""
    root = hub_proxy_root(HUB)
    text = callback_url.strip()
    if root is None or not text.startswith(root):
        return None
    port, _, path = text[len(root) :].partition("/")
    if not port.isdigit() or not 1024 <= int(port) <= 65535 or "?" in port:
        return None
    return int(port), "/" + path.split("?")[0].split("#")[0]


def unreachable_sandbox_note(environment: str, sandbox_url: str) -> str:
    """Why links to the sandbox may not open in a browser on another machine, or "" when they will."""
    if environment == LOCAL or (environment in PROXIED and proxy_prefix() is not None):
        return ""
    if not os.environ.get(PREFIX_VARIABLE, "").strip() or environment == COLAB:
        why = "the kit cannot tell at which address this Jupyter server could pass them on"
    else:
        why = "jupyter-server-proxy, which would pass them on, is not installed here"
    return (
        f"This Jupyter runs on another machine than your browser, so links to the sandbox at "
        f"{sandbox_url} may not open there ({why}); in sandbox mode the next cell does "
        f"that step for you."
    )


def hub_sentence(environment: str, callback_url: str) -> str:
    """On a JupyterHub, one sentence saying so, why the kit thinks it, and what follows; else ""."""
    variable = hub_variable()
    if environment != HUB or variable is None:
        return ""
    prefix = proxy_prefix()
    where = f"your own server at {prefix}" if prefix else "your own server"
    said = (
        f"This notebook runs on JupyterHub ({variable} is set), on {where}: the sandbox and the "
        "sign-in listener use ports of your own, and answer only your user"
    )
    if hub_proxy_root(environment) is not None:
        return (
            f"{said}; links open through your server's address, and sign-ins come back to "
            f"{callback_url}, which only you can open."
        )
    return (
        f"{said}. The hub does not say its public address (its administrator can set "
        "c.JupyterHub.public_url), so after Allow you copy the address your browser ends on and paste it."
    )
