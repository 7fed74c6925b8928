"""/3/account/...: the signed-in user and their images.

``me`` stands for the user of the Bearer token, and needs one (401 without).
"""

from __future__ import annotations

from typing import Optional, Union

from .api_images import image_json
from .caller import Caller
from .context import Context
from .messages import Request, Response, envelope, error_envelope
from .models import ACCOUNT_ID, USERNAME

PER_PAGE = 50
CREATED = 1577836800  # the sandbox user "signed up" on 2020-01-01


def _account_data() -> dict:
    return {
        "id": ACCOUNT_ID,
        "url": USERNAME,
        "bio": None,
        "avatar": None,
        "avatar_name": None,
        "cover": None,
        "cover_name": None,
        "reputation": 0,
        "reputation_name": "Neutral",
        "created": CREATED,
        "pro_expiration": False,
        "user_follow": {"status": False},
        "is_blocked": False,
    }


def account(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/{name|me}."""
    if name == "me":
        if who.username is None:
            return error_envelope("Authentication required", req, 401)
        name = who.username
    if name.lower() != USERNAME and req.arg("account_id") != str(ACCOUNT_ID):
        return error_envelope(f"A user with the name {name} doesn't exist.", req, 404)
    return envelope(_account_data())


def _owner(req: Request, who: Caller, name: str) -> Union[str, Response]:
    """The username whose images these are, or the refusal: listing them takes that user's own Bearer token."""
    if who.username is None:
        return error_envelope("Authentication required", req, 401)
    if name not in ("me", who.username):
        return error_envelope("Permission denied", req, 403)
    return who.username


def _page(req: Request, page: Optional[str]):
    try:
        number = max(0, int(page or req.arg("page", "0") or 0))
        per_page = max(1, min(100, int(req.arg("perPage", str(PER_PAGE)))))
    except ValueError:
        number, per_page = 0, PER_PAGE
    return number * per_page, (number + 1) * per_page


def images(ctx: Context, req: Request, who: Caller, name: str, page: Optional[str] = None) -> Response:
    """GET /3/account/me/images[/{page}]: the user's images, newest first."""
    owner = _owner(req, who, name)
    if isinstance(owner, Response):
        return owner
    start, stop = _page(req, page)
    mine = ctx.state.images_of(owner)[start:stop]
    return envelope([image_json(i, req.base_url, owner_view=True) for i in mine])


def image_ids(ctx: Context, req: Request, who: Caller, name: str, page: Optional[str] = None) -> Response:
    """GET /3/account/me/images/ids[/{page}]."""
    owner = _owner(req, who, name)
    if isinstance(owner, Response):
        return owner
    start, stop = _page(req, page)
    return envelope([i.id for i in ctx.state.images_of(owner)[start:stop]])


def image_count(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/me/images/count."""
    owner = _owner(req, who, name)
    if isinstance(owner, Response):
        return owner
    return envelope(len(ctx.state.images_of(owner)))
