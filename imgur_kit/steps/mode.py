"""Which Imgur the kit talks to: the one rule, written down once.

Your own Client ID, saved (``login()``, ``configure`` or the notebook 02 form) or set in
``IMGUR_CLIENT_ID``, means the real Imgur ("live mode"); none means the local sandbox.
``IMGUR_KIT_MODE=sandbox`` or ``=live`` (or ``--sandbox`` / ``--live`` on the command
line, or ``mode=`` in code) forces either. ``IMGUR_KIT_BASE_URL`` points live mode at
another host: that is how the tests stand a second sandbox in for the real Imgur.

:func:`choose_mode` is the only function that applies the rule; every front end calls it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from imgur_kit import oauth
from imgur_kit.addresses import base_url_problem, without_userinfo
from imgur_kit.credentials import Resolved, display_path, resolve
from imgur_kit.errors import CredentialsError
from imgur_kit.tokens import mask

SANDBOX = "sandbox"
LIVE = "live"
MODE_VARIABLE = "IMGUR_KIT_MODE"
BASE_URL_VARIABLE = "IMGUR_KIT_BASE_URL"

#: The rule in one sentence, as every banner states it.
MODE_RULE = (
    f"The rule: your own Client ID, saved or set in IMGUR_CLIENT_ID, means the real Imgur, "
    f"none means the local sandbox, and {MODE_VARIABLE}=sandbox or =live overrides both."
)


@dataclass(frozen=True)
class ModeChoice:
    """What :func:`choose_mode` decided.

    ``reason`` completes the sentence "Live mode, because ..."; ``found`` is what the
    live credential lookup found (possibly nothing); ``forced`` is True when the mode
    was asked for rather than decided from the credentials.
    """

    mode: str
    reason: str
    found: Resolved
    forced: bool


def _checked(value: str, where: str) -> str:
    mode = value.strip().lower()
    if mode not in (SANDBOX, LIVE):
        raise CredentialsError(
            f"{where} is {value!r}, which the kit does not know: use 'sandbox' or 'live', "
            f"or leave it out to let the kit decide."
        )
    return mode


def requested_mode(environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The mode forced by ``IMGUR_KIT_MODE``, or None; a wrong value is a clear error."""
    env = os.environ if environ is None else environ
    value = env.get(MODE_VARIABLE, "").strip()
    return _checked(value, f"{MODE_VARIABLE}") if value else None


def _source_words(found: Resolved) -> str:
    source = found.source
    if source.startswith("file "):
        rest = source[len("file ") :]
        path, _, profile = rest.partition(" (")
        return display_path(Path(path)) + (f" ({profile}" if profile else "")
    return source


def choose_mode(
    mode: Optional[str] = None,
    *,
    asked_by: str = "mode=",
    profile: str = "default",
    environ: Optional[Mapping[str, str]] = None,
) -> ModeChoice:
    """Apply the rule: an explicit ``mode``, else ``IMGUR_KIT_MODE``, else live credentials decide.

    ``asked_by`` names where an explicit ``mode`` came from ("--sandbox", "mode='live'"),
    so the reason can say so. Live credentials are looked up by
    :func:`imgur_kit.credentials.resolve` (environment, then the live store); sandbox
    practice apps never count.
    """
    found = resolve(profile=profile, environ=environ)
    if mode:
        chosen = _checked(mode, "the mode asked for")
        return ModeChoice(chosen, f"{asked_by} asks for it", found, True)
    forced = requested_mode(environ)
    if forced:
        return ModeChoice(forced, f"{MODE_VARIABLE}={forced} is set", found, True)
    if found.credentials is not None:
        return ModeChoice(
            LIVE,
            f"your Client ID {mask(found.credentials.client_id)} was found in {_source_words(found)}",
            found,
            False,
        )
    return ModeChoice(SANDBOX, "no Client ID of your own is saved or set", found, False)


def live_base_url(environ: Optional[Mapping[str, str]] = None) -> str:
    """The real Imgur's address, or the stand-in ``IMGUR_KIT_BASE_URL`` names; checked, without a trailing slash."""
    env = os.environ if environ is None else environ
    value = (env.get(BASE_URL_VARIABLE) or "").strip()
    if not value:
        return oauth.DEFAULT_BASE_URL
    problem = base_url_problem(value)
    if problem:
        raise CredentialsError(
            f"{BASE_URL_VARIABLE} is set to {without_userinfo(value)!r}, which is not a web address the kit can "
            f"use ({problem}). Set it to an address like https://api.imgur.com, or unset it."
        )
    return without_userinfo(value).rstrip("/")
