"""Jupyter specifics: the one call at the top of every notebook.

The mode rule, the session and the journey's steps live in :mod:`imgur_kit.steps`,
and where the kernel runs (which matters for OAuth and for links to the sandbox) in
:mod:`imgur_kit.steps.where`; :func:`connect` puts them together for a notebook and
prints the banner. The kit's errors show in Jupyter as their one sentence by
themselves (:meth:`imgur_kit.errors.ImgurError._render_traceback_`).
"""

from __future__ import annotations

from typing import Optional

from imgur_kit.steps import Session, open_session
from imgur_kit.steps.where import detect_environment


def connect(*, mode: Optional[str] = None, profile: str = "default", show: bool = True, check: bool = True) -> Session:
    """Decide sandbox or live by the kit's one rule, print one line saying which and why, return the session.

    The rule (:func:`imgur_kit.steps.choose_mode`): ``mode`` or ``IMGUR_KIT_MODE``
    forces it; otherwise your own Client ID, saved or in the environment, means live,
    and none means the sandbox. In live mode, ``check`` makes one quick request so that
    an unreachable Imgur is reported here, in words, rather than three cells later.
    The session knows where the kernel runs (``kit.environment``), so its links and
    callbacks suit Binder and a JupyterHub.
    """
    session = open_session(
        mode, asked_by=f"mode={mode!r}", profile=profile, check=check, environment=detect_environment()
    )
    if show:
        print(session.banner)
    return session
