"""Which credentials to use: the lookup order (argument, environment, file, nothing), owned here alone."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Optional

from imgur_kit.credentials.store import CredentialStore
from imgur_kit.credentials.values import Credentials
from imgur_kit.errors import CredentialsError
from imgur_kit.pasted import clean_pasted
from imgur_kit.tokens import Token


@dataclass(frozen=True)
class Resolved:
    """What :func:`resolve` found: credentials and token (either may be None), and where from.

    ``source`` is for people: "argument", "environment (IMGUR_CLIENT_ID)",
    "file /path/credentials.json", or "nothing configured".
    """

    credentials: Optional[Credentials]
    token: Optional[Token]
    source: str
    profile: str = field(default="default")


def _token_from_env(environ: Mapping[str, str]) -> Optional[Token]:
    access = (environ.get("IMGUR_ACCESS_TOKEN") or "").strip()
    refresh = (environ.get("IMGUR_REFRESH_TOKEN") or "").strip() or None
    try:
        if access:
            return Token(access_token=clean_pasted(access), refresh_token=refresh and clean_pasted(refresh))
        if refresh:
            # Only a refresh token: an access token that is already expired, so the first call refreshes.
            return Token(
                access_token="",
                refresh_token=clean_pasted(refresh),
                expires_at=datetime(1970, 1, 1, tzinfo=timezone.utc),
            )
    except CredentialsError as exc:
        raise CredentialsError(
            f"IMGUR_ACCESS_TOKEN / IMGUR_REFRESH_TOKEN: {exc} Set the variable again (or unset it)."
        ) from None
    return None


def resolve(
    client_id: Optional[str] = None,
    client_secret: Optional[str] = None,
    *,
    profile: str = "default",
    store: Optional[CredentialStore] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> Resolved:
    """The credentials (and token) to use, and which source they came from.

    The lookup order, owned here and nowhere else:

    1. ``client_id``/``client_secret`` given as arguments;
    2. ``IMGUR_CLIENT_ID``/``IMGUR_CLIENT_SECRET`` (tokens from ``IMGUR_ACCESS_TOKEN``/``IMGUR_REFRESH_TOKEN``);
    3. the live store file, profile ``profile``;
    4. nothing (the caller may then start the sandbox).

    Sources are not mixed: a secret is taken only from the source that gave the ID.
    For 1 and 2 a token from the environment wins; otherwise a stored token of the same
    Client ID is used.
    """
    environ = os.environ if environ is None else environ
    store = store if store is not None else CredentialStore(kind="live")

    def stored_token_for(credentials: Credentials) -> Optional[Token]:
        try:
            stored = store.load(profile)
        except CredentialsError:
            return None  # a damaged file must not block credentials given another way
        if stored and stored.token and stored.credentials and stored.credentials.client_id == credentials.client_id:
            return stored.token
        return None

    if client_id is not None and clean_pasted(client_id, field="client_id"):
        credentials = Credentials(client_id, client_secret)
        token = _token_from_env(environ) or stored_token_for(credentials)
        return Resolved(credentials, token, "argument", profile)
    env_id = (environ.get("IMGUR_CLIENT_ID") or "").strip()
    if env_id and clean_pasted(env_id, field="client_id"):
        try:
            credentials = Credentials(env_id, environ.get("IMGUR_CLIENT_SECRET") or None)
        except CredentialsError as exc:
            raise CredentialsError(
                f"IMGUR_CLIENT_ID / IMGUR_CLIENT_SECRET: {exc} Then set the variable again (or unset it)."
            ) from None
        token = _token_from_env(environ) or stored_token_for(credentials)
        return Resolved(credentials, token, "environment (IMGUR_CLIENT_ID)", profile)
    stored = store.load(profile)
    if stored is not None and stored.credentials is not None:
        where = f"file {store.path}" + (f" (profile {profile!r})" if profile != "default" else "")
        return Resolved(stored.credentials, stored.token, where, profile)
    return Resolved(None, None, "nothing configured", profile)
