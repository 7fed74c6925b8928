"""Jupyter specifics: where the kernel runs, addresses a remote browser can open, errors as sentences.

:func:`connect` is the one call at the top of every notebook. The mode rule, the
session and the journey's steps live in :mod:`imgur_kit.session`; this module
adds only what a notebook needs on top: which kind of Jupyter the kernel runs in
(it matters for OAuth), sandbox links through jupyter-server-proxy on Binder,
and the kit's errors shown as one sentence instead of a traceback.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping
from typing import Optional, cast
from urllib.parse import urlsplit

from imgur_kit.errors import ImgurError
from imgur_kit.session import (  # noqa: F401 (LIVE, stop_sandboxes: re-exported for the notebooks)
    BINDER,
    COLAB,
    LIVE,
    LOCAL,
    REMOTE,
    SANDBOX,
    Session,
    open_session,
    stop_sandboxes,
)

PREFIX_VARIABLE = "JUPYTERHUB_SERVICE_PREFIX"
PROXY_PACKAGE = "jupyter_server_proxy"


def detect_environment(environ: Optional[Mapping[str, str]] = None) -> str:
    """Where this kernel runs: ``local``, ``binder``, ``colab`` or ``remote``.

    It matters for OAuth: only a kernel on the same machine as the browser can
    catch the redirect on a loopback address; everywhere else the person pastes it.
    """
    env = os.environ if environ is None else environ
    if any(name.startswith("BINDER_") for name in env):
        return BINDER
    if "COLAB_RELEASE_TAG" in env or "COLAB_GPU" in env:
        return COLAB
    if any(name in env for name in ("JUPYTERHUB_SERVICE_PREFIX", "CODESPACES", "SSH_CONNECTION")):
        return REMOTE
    return LOCAL


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


class NotebookSession(Session):
    """A :class:`~imgur_kit.session.Session` that also knows where the kernel runs.

    ``environment`` is "local", "binder", "colab" or "remote" (:func:`detect_environment`);
    :meth:`browser_url` and :attr:`browser_note` turn sandbox links into addresses the
    person's browser can open.
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
        if self.mode != SANDBOX or self.environment not in (BINDER, REMOTE):
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

    @property
    def browser_note(self) -> str:
        """One sentence on why a sandbox link may not open in the person's browser, or ""."""
        if self.mode != SANDBOX or self.environment == LOCAL:
            return ""
        if self.environment in (BINDER, REMOTE) and _proxy_prefix() is not None:
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

    The rule (:func:`imgur_kit.session.choose_mode`): ``mode`` or ``IMGUR_KIT_MODE``
    forces it; otherwise your own Client ID, saved or in the environment, means live,
    and none means the sandbox. In live mode, ``check`` makes one quick request so that
    an unreachable Imgur is reported here, in words, rather than three cells later.
    The session is a :class:`NotebookSession`: it knows where the kernel runs.
    """
    # session_class makes the session a NotebookSession (the notebook's own kind).
    session = cast(
        NotebookSession,
        open_session(
            mode,
            asked_by=f"mode={mode!r}",
            profile=profile,
            check=check,
            session_class=NotebookSession,
            environment=detect_environment(),
        ),
    )
    if show:
        print(session.banner)
        _show_errors_as_sentences()
    return session


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
