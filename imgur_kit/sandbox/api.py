"""The /3/ API: who is calling, what it costs, and which handler answers.

Every /3/ response carries the rate-limit headers, errors included, as the
live service's do. An upload costs 10 credits, other calls 1, and /3/credits
nothing (so a rate-limit meter can poll it without spending).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple

from . import api_account, api_albums, api_images
from .context import Context
from .credits import UPLOAD_COST
from .messages import Request, Response, envelope, error_envelope

INVALID_TOKEN = "The access token provided is invalid."


@dataclass(frozen=True)
class Caller:
    """Who a request speaks for: an app, and a user when it came with a Bearer token."""

    client_id: str
    username: Optional[str]
    scheme: str


def auth_scheme(req_headers) -> Optional[str]:
    """"Client-ID", "Bearer" or None, for the request log (never the credential)."""
    value = (req_headers.get("Authorization") or "").strip()
    word = value.split(None, 1)[0].lower() if value else ""
    return {"client-id": "Client-ID", "bearer": "Bearer"}.get(word)


def authenticate(ctx: Context, req: Request) -> Tuple[Optional[Caller], Optional[Response]]:
    """(caller, None) or (None, the error response) for the Authorization header."""
    value = (req.headers.get("Authorization") or "").strip()
    scheme, _, credential = value.partition(" ")
    credential = credential.strip()
    if not value:
        return None, error_envelope("Authentication required", req, 401)
    if scheme.lower() == "client-id":
        if ctx.state.app(credential) is None:
            return None, error_envelope("Invalid client_id", req, 403)
        return Caller(credential, None, "Client-ID"), None
    if scheme.lower() == "bearer":
        record = ctx.state.valid_access(credential)
        if record is None:
            # Live sends 403 for an expired token; some clients say 401: both can be set.
            return None, error_envelope(INVALID_TOKEN, req, ctx.expired_token_status)
        return Caller(record.client_id, record.username, "Bearer"), None
    return None, error_envelope("Authentication required", req, 401)


Handler = Callable[..., Response]

# (method, pattern over the path after /3/, handler, cost)
_ROUTES: List[Tuple[str, "re.Pattern[str]", Handler, int]] = [
    ("GET", re.compile(r"credits"), lambda ctx, req, who: envelope(ctx.credits.snapshot(who.client_id).credits()), 0),
    ("GET", re.compile(r"account/([^/]+)"), api_account.account, 1),
    ("GET", re.compile(r"account/([^/]+)/images/count"), api_account.image_count, 1),
    ("GET", re.compile(r"account/([^/]+)/images/ids(?:/(\d+))?"), api_account.image_ids, 1),
    ("GET", re.compile(r"account/([^/]+)/images(?:/(\d+))?"), api_account.images, 1),
    ("POST", re.compile(r"image|upload"), api_images.upload, UPLOAD_COST),
    ("GET", re.compile(r"image/([^/]+)"), api_images.get, 1),
    ("DELETE", re.compile(r"image/([^/]+)"), api_images.delete, 1),
    ("POST", re.compile(r"album"), api_albums.create, 1),
    ("GET", re.compile(r"album/([^/]+)"), api_albums.get, 1),
    ("GET", re.compile(r"album/([^/]+)/images"), api_albums.images, 1),
    ("DELETE", re.compile(r"album/([^/]+)"), api_albums.delete, 1),
]


def _route(req: Request) -> Tuple[Optional[Handler], tuple, int]:
    rest = req.path[len("/3/"):].rstrip("/")
    if rest.endswith(".json"):  # the old API accepted a .json suffix
        rest = rest[:-5]
    method = "GET" if req.method == "HEAD" else req.method
    for route_method, pattern, handler, cost in _ROUTES:
        match = pattern.fullmatch(rest)
        if match and route_method == method:
            return handler, match.groups(), cost
    return None, (), 1


def handle(ctx: Context, req: Request) -> Response:
    """Answer one /3/ request, rate-limit headers included."""
    caller, failure = authenticate(ctx, req)
    if failure is not None:
        response = failure
    else:
        handler, args, cost = _route(req)
        spent = ctx.credits.spend(caller.client_id, cost, is_post=req.method == "POST")
        if spent is not None:
            response = error_envelope(spent, req, 429)
        elif handler is None:
            response = error_envelope(f"Unable to find the endpoint {req.method} {req.path}", req, 404)
        else:
            response = handler(ctx, req, caller, *args)
    response.headers.update(ctx.credits.snapshot(caller.client_id if caller else None).headers())
    return response
