"""Jupyter specifics: where the kernel runs, addresses a remote browser can open, errors as sentences.

:func:`connect` is the one call at the top of every notebook. The mode rule, the
session and the journey's steps live in :mod:`imgur_kit.steps`; this module
adds only what a notebook needs on top: which kind of Jupyter the kernel runs in
(it matters for OAuth), sandbox links through jupyter-server-proxy on Binder and
JupyterHub, a learner's own ports and callback on a JupyterHub, and the kit's
errors shown as one sentence instead of a traceback.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping
from typing import Optional, cast
from urllib.parse import urlsplit

from imgur_kit.errors import ImgurError
from imgur_kit.steps import (  # noqa: F401 (LIVE, stop_sandboxes: re-exported for the notebooks)
    BINDER,
    COLAB,
    HUB,
    LIVE,
    LOCAL,
    REMOTE,
    SANDBOX,
    Session,
    open_session,
    stop_sandboxes,
)
from imgur_kit.steps.ports import learner_ports

PREFIX_VARIABLE = "JUPYTERHUB_SERVICE_PREFIX"
PROXY_PACKAGE = "jupyter_server_proxy"
#: What a JupyterHub sets for each learner's server (Binder sets them too, beside its BINDER_*).
HUB_VARIABLES = ("JUPYTERHUB_USER", "JUPYTERHUB_API_URL", PREFIX_VARIABLE)
#: The public address of this learner's server, when the hub knows its own (``c.JupyterHub.public_url``).
PUBLIC_URL_VARIABLE = "JUPYTERHUB_PUBLIC_URL"


def detect_environment(environ: Optional[Mapping[str, str]] = None) -> str:
    """Where this kernel runs: ``local``, ``binder``, ``colab``, ``jupyterhub`` or ``remote``.

    It matters for OAuth: only a kernel on the same machine as the browser can
    catch the redirect on a loopback address; on a JupyterHub the redirect can come
    through the hub to the learner's own server; elsewhere the person pastes it.
    Binder runs on JupyterHub too, one visitor per container: its BINDER_* variables win.
    """
    env = os.environ if environ is None else environ
    if any(name.startswith("BINDER_") for name in env):
        return BINDER
    if "COLAB_RELEASE_TAG" in env or "COLAB_GPU" in env:
        return COLAB
    if _hub_variable(env) is not None:
        return HUB
    if any(name in env for name in ("CODESPACES", "SSH_CONNECTION")):
        return REMOTE
    return LOCAL


def _hub_variable(env: Mapping[str, str]) -> Optional[str]:
    """The first JupyterHub variable set in ``env`` (the "why" of the banner), or None."""
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


def _proxy_prefix(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
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


#: Where jupyter-server-proxy can pass a loopback page on to the person's browser.
_PROXIED = (BINDER, HUB, REMOTE)


class NotebookSession(Session):
    """A :class:`~imgur_kit.steps.Session` that also knows where the kernel runs.

    ``environment`` is "local", "binder", "colab", "jupyterhub" or "remote"
    (:func:`detect_environment`); :meth:`browser_url` and :attr:`browser_note` turn sandbox
    links into addresses the person's browser can open, and on a JupyterHub
    :meth:`callback_url` is an address of the learner's own server.
    """

    def __init__(
        self,
        mode: str,
        reason: str,
        credentials=None,
        token=None,
        store=None,
        base_url=None,
        environment: str = LOCAL,
        profile: str = "default",
        sandbox=None,
        persist_tokens: bool = True,
        **options,
    ) -> None:
        kwargs = {"base_url": base_url} if base_url else {}
        super().__init__(
            mode,
            reason,
            credentials,
            token,
            store,
            profile=profile,
            sandbox=sandbox,
            persist_tokens=persist_tokens,
            **kwargs,
            **options,
        )
        self.environment = environment

    def browser_url(self, url: str) -> str:
        """The address the person's browser should open for ``url``, a page on the sandbox.

        On Binder or another remote Jupyter the browser runs on a different machine,
        so ``http://127.0.0.1:PORT/...`` is dead there; jupyter-server-proxy serves the
        same page at ``<JUPYTERHUB_SERVICE_PREFIX>proxy/PORT/...``. That path (no host:
        the browser resolves it against the Jupyter page's own origin) is returned when
        the proxy is installed and the prefix known. In live mode, locally, for URLs not
        on the sandbox, or when no proxy can help, ``url`` comes back unchanged (then
        :attr:`browser_note` says why the link may not open).
        """
        if self.mode != SANDBOX or self.environment not in _PROXIED:
            return url
        prefix = _proxy_prefix()
        if prefix is None:
            return url
        parts, sandbox = urlsplit(url), urlsplit(self.base_url)
        if (parts.scheme, parts.hostname, parts.port) != (sandbox.scheme, sandbox.hostname, sandbox.port):
            return url  # not the sandbox: an app's callback, imgur.com, ...
        # "/" rather than "": the sandbox's relative links need the trailing slash at its root.
        address = f"{prefix}proxy/{sandbox.port}{parts.path or '/'}"
        if parts.query:
            address += "?" + parts.query
        if parts.fragment:
            address += "#" + parts.fragment
        return address

    # -- the sign-in capture on a JupyterHub ------------------------------------------------

    def _hub_proxy_root(self) -> Optional[str]:
        """``https://hub.example.org/user/ada/proxy/`` on a hub that says its address and can proxy, else None."""
        if self.environment != HUB or _proxy_prefix() is None:
            return None
        server = hub_server_url()
        return None if server is None else server + "proxy/"

    def callback_url(self) -> str:
        """The callback to register so the kit catches the redirect itself.

        On a JupyterHub: the learner's own server, through the hub, at their own capture port
        (``https://hub.example.org/user/ada/proxy/27311/callback``). The hub lets only the
        signed-in learner through ``/user/ada/``, so nobody else's browser can deliver there.
        Elsewhere the local one, ``http://localhost:<port>/callback``.
        """
        root = self._hub_proxy_root()
        if root is None:
            return super().callback_url()
        return f"{root}{self.capture_port}/callback"

    def capture_target(self, callback_url: str) -> Optional[tuple[int, str]]:
        """The loopback port and path the kit listens on for a redirect to ``callback_url``, or None.

        On a JupyterHub, the callback must be an address of the learner's own server's proxy
        (jupyter-server-proxy passes ``<server>proxy/PORT/PATH`` on to ``127.0.0.1:PORT/PATH``).
        """
        if self.environment != HUB:
            return super().capture_target(callback_url) if self.environment == LOCAL else None
        root = self._hub_proxy_root()
        text = callback_url.strip()
        if root is None or not text.startswith(root):
            return None
        port, _, path = text[len(root) :].partition("/")
        if not port.isdigit() or not 1024 <= int(port) <= 65535 or "?" in port:
            return None
        return int(port), "/" + path.split("?")[0].split("#")[0]

    @property
    def hub_sentence(self) -> str:
        """On a JupyterHub, one sentence saying so, why the kit thinks it, and what follows; else ""."""
        variable = _hub_variable(os.environ)
        if self.environment != HUB or variable is None:
            return ""
        prefix = _proxy_prefix()
        where = f"your own server at {prefix}" if prefix else "your own server"
        said = (
            f"This notebook runs on JupyterHub ({variable} is set), on {where}: the sandbox and the "
            "sign-in listener use ports of your own, and answer only your user"
        )
        if self._hub_proxy_root() is not None:
            return (
                f"{said}; links open through your server's address, and sign-ins come back to "
                f"{self.callback_url()}, which only you can open."
            )
        return (
            f"{said}. The hub does not say its public address (its administrator can set "
            "c.JupyterHub.public_url), so after Allow you copy the address your browser ends on and paste it."
        )

    @property
    def banner(self) -> str:
        """The session's banner; on a JupyterHub, plus the sentence that says so and why."""
        hub = self.hub_sentence
        return f"{super().banner} {hub}" if hub else super().banner

    @property
    def browser_note(self) -> str:
        """One sentence on why a sandbox link may not open in the person's browser, or ""."""
        if self.mode != SANDBOX or self.environment == LOCAL:
            return ""
        if self.environment in _PROXIED and _proxy_prefix() is not None:
            return ""
        if not os.environ.get(PREFIX_VARIABLE, "").strip() or self.environment == COLAB:
            why = "the kit cannot tell at which address this Jupyter server could pass them on"
        else:
            why = "jupyter-server-proxy, which would pass them on, is not installed here"
        return (
            f"This Jupyter runs on another machine than your browser, so links to the sandbox at "
            f"{self.base_url} may not open there ({why}); in sandbox mode the next cell does "
            f"that step for you."
        )


def connect(
    *, mode: Optional[str] = None, profile: str = "default", show: bool = True, check: bool = True
) -> NotebookSession:
    """Decide sandbox or live by the kit's one rule, print one line saying which and why, return the session.

    The rule (:func:`imgur_kit.steps.choose_mode`): ``mode`` or ``IMGUR_KIT_MODE``
    forces it; otherwise your own Client ID, saved or in the environment, means live,
    and none means the sandbox. In live mode, ``check`` makes one quick request so that
    an unreachable Imgur is reported here, in words, rather than three cells later.
    The session is a :class:`NotebookSession`: it knows where the kernel runs.
    """
    environment = detect_environment()
    # session_class makes the session a NotebookSession (the notebook's own kind).
    session = cast(
        NotebookSession,
        open_session(
            mode,
            asked_by=f"mode={mode!r}",
            profile=profile,
            check=check,
            session_class=NotebookSession,
            environment=environment,
            **(hub_options() if environment == HUB else {}),
        ),
    )
    if show:
        print(session.banner)
        _show_errors_as_sentences()
    return session


def hub_options() -> dict:
    """On a JupyterHub: the learner's own ports (recorded in their config folder) for the
    sandbox and the capture, and the demo app's callback at their own server."""
    ports = learner_ports()
    probe = NotebookSession(SANDBOX, "", environment=HUB, capture_port=ports.capture)
    return {"sandbox_port": ports.sandbox, "capture_port": ports.capture, "demo_callback": probe.callback_url()}


def _show_errors_as_sentences() -> None:
    """In IPython, show the kit's own errors as their sentence instead of a traceback.

    Every :class:`ImgurError` already says what happened and what to do; a
    traceback around it only hides that from a beginner. Other errors keep theirs.
    """
    ipython_module = sys.modules.get("IPython")
    shell = ipython_module.get_ipython() if ipython_module is not None else None
    if shell is None:
        return

    def handler(shell, etype, value, tb, tb_offset=None):
        # One sentence is the whole "traceback" the front end shows. IPython ignores a
        # handler's return value when code raises, so the handler shows it itself;
        # ipykernel's _showtraceback sends it to the front end as the cell's error.
        sentence = [f"{value.kind}: {value}"]
        shell._showtraceback(etype, value, sentence)
        return sentence

    shell.set_custom_exc((ImgurError,), handler)
