"""Who a /3/ request speaks for, read from its Authorization header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Union

from .context import Context
from .messages import Request, Response, error_envelope

INVALID_TOKEN = "The access token provided is invalid."


@dataclass(frozen=True)
class Caller:
    """Who a request speaks for: an app, and a user when it came with a Bearer token."""

    client_id: str
    username: Optional[str]
    scheme: str  # "Client-ID" or "Bearer"


def auth_scheme(req_headers: Any) -> Optional[str]:
    """ "Client-ID", "Bearer" or None, for the request log (never the credential)."""
    value = (req_headers.get("Authorization") or "").strip()
    word = value.split(None, 1)[0].lower() if value else ""
    return {"client-id": "Client-ID", "bearer": "Bearer"}.get(word)


def authenticate(ctx: Context, req: Request) -> Union[Caller, Response]:
    """Who the Authorization header speaks for, or the error response that refuses it."""
    value = (req.headers.get("Authorization") or "").strip()
    scheme, _, credential = value.partition(" ")
    credential = credential.strip()
    if not value:
        return error_envelope("Authentication required", req, 401)
    if scheme.lower() == "client-id":
        if ctx.state.app(credential) is None:
            return error_envelope("Invalid client_id", req, 403)
        return Caller(credential, None, "Client-ID")
    if scheme.lower() == "bearer":
        record = ctx.state.valid_access(credential)
        if record is None:
            # Live sends 403 for an expired token; some clients say 401: both can be set.
            return error_envelope(INVALID_TOKEN, req, ctx.expired_token_status)
        return Caller(record.client_id, record.username, "Bearer")
    return error_envelope("Authentication required", req, 401)
