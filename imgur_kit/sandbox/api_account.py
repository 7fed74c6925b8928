"""/3/account/...: an account, its settings, avatars, albums and images.

``me`` stands for the user of the Bearer token, and needs one (401 without).
Lists anyone may read (albums) show others only what is public; settings,
images and single items need the user's own Bearer token (403 for another's).
"""

from __future__ import annotations

from typing import Any, Optional, Union

from .api_albums import album_json
from .api_images import image_json
from .caller import Caller
from .context import Context
from .forms import FormError, parse_form
from .messages import Request, Response, envelope, error_envelope
from .models import (
    ALBUM_PRIVACY,
    Account,
    Album,
    Image,
    account_json,
    available_avatars_json,
    avatar_json,
    default_account,
    settings_json,
)

PER_PAGE = 50


def account(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/{name|me} (``?account_id=`` finds an account by its number)."""
    if name == "me":
        if who.username is None:
            return error_envelope("Authentication required", req, 401)
        name = who.username
    record = ctx.state.account(name)
    by_number = req.arg("account_id")
    if record is None and by_number:
        record = ctx.state.account_by_id(by_number)
    if record is None:
        return error_envelope(f"A user with the name {name} doesn't exist.", req, 404)
    return envelope(account_json(record, req.base_url))


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


def _named(ctx: Context, req: Request, who: Caller, name: str) -> Union[Account, Response]:
    """The account a path names; ``me`` needs a Bearer token (401), an unknown name is a 404."""
    if name == "me":
        if who.username is None:
            return error_envelope("Authentication required", req, 401)
        name = who.username
    record = ctx.state.account(name)
    if record is None:
        return error_envelope(f"A user with the name {name} doesn't exist.", req, 404)
    return record


def _own(ctx: Context, req: Request, who: Caller, name: str) -> Union[Account, Response]:
    """The caller's own account, or the refusal: these requests need the user's own Bearer token
    (401 without one, 403 for someone else's account)."""
    if who.username is None:
        return error_envelope("Authentication required", req, 401)
    if name != "me" and name.lower() != who.username.lower():
        return error_envelope("Permission denied", req, 403)
    return ctx.state.account(who.username) or default_account(who.username)


def available_avatars(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/{name}/available_avatars: the avatars one may pick."""
    record = _named(ctx, req, who, name)
    if isinstance(record, Response):
        return record
    return envelope(available_avatars_json(record.username, req.base_url))


def avatar(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/{name}/avatar: the current avatar and its name (a Bearer token needed)."""
    if who.username is None:
        return error_envelope("Authentication required", req, 401)
    record = _named(ctx, req, who, name)
    if isinstance(record, Response):
        return record
    return envelope(avatar_json(record, req.base_url))


def settings(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/me/settings: the Account Settings model, for its owner only."""
    record = _own(ctx, req, who, name)
    if isinstance(record, Response):
        return record
    return envelope(settings_json(record, req.base_url))


#: The settings that take true or false.
_FLAGS = ("public_images", "messaging_enabled", "accepted_gallery_terms", "show_mature", "newsletter_subscribed")


def change_settings(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """PUT/POST /3/account/{name}/settings: change the bio and settings sent; the rest stay."""
    record = _own(ctx, req, who, name)
    if isinstance(record, Response):
        return record
    try:
        form = parse_form(req.content_type, req.body)
    except FormError as exc:
        return error_envelope(str(exc), req, 400)
    changes: dict[str, Any] = {}
    if "bio" in form.fields:
        changes["bio"] = form.text("bio") or None
    for flag in _FLAGS:
        if flag in form.fields:
            value = (form.text(flag) or "").strip().lower()
            if value not in ("true", "false", "1", "0"):
                return error_envelope(f"{flag} must be true or false, not '{form.text(flag)}'.", req, 400)
            changes[flag] = value in ("true", "1")
    if "album_privacy" in form.fields:
        privacy = form.text("album_privacy") or ""
        if privacy not in ALBUM_PRIVACY:
            return error_envelope(f"Invalid album_privacy '{privacy}'; use public, hidden or secret.", req, 400)
        changes["album_privacy"] = privacy
    wanted = (form.text("username") or "").strip()
    if wanted and wanted.lower() != record.username.lower():
        # Renaming would orphan every token and item that names the user; refused plainly.
        return error_envelope(
            f"The sandbox keeps one user, {record.username}, and cannot rename it; send the settings without username.",
            req,
            400,
        )
    ctx.state.update_account(record.username, changes)
    return envelope(True)


def email_verified(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/{name}/verifyemail: whether the email is verified (``data`` true or false)."""
    record = _own(ctx, req, who, name)
    if isinstance(record, Response):
        return record
    return envelope(record.email_verified)


def send_verification(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """POST /3/account/{name}/verifyemail: send the verification email.

    The sandbox has no mailbox to send to, so it counts the link as followed at once:
    GET verifyemail answers true from then on (and after a restart).
    """
    record = _own(ctx, req, who, name)
    if isinstance(record, Response):
        return record
    ctx.state.update_account(record.username, {"email_verified": True})
    return envelope(True)


def _albums_seen(ctx: Context, req: Request, who: Caller, name: str) -> Union[tuple[list[Album], bool], Response]:
    """(the albums this caller may see of the account, whether the caller owns them).

    Its owner sees every album; anyone else (a Client-ID, another user) its public ones.
    """
    record = _named(ctx, req, who, name)
    if isinstance(record, Response):
        return record
    is_owner = who.username is not None and who.username.lower() == record.username.lower()
    albums = ctx.state.albums_of(record.username)
    return (albums if is_owner else [a for a in albums if a.privacy == "public"]), is_owner


def albums(ctx: Context, req: Request, who: Caller, name: str, page: Optional[str] = None) -> Response:
    """GET /3/account/{name}/albums/{page}: the account's albums, newest first."""
    seen = _albums_seen(ctx, req, who, name)
    if isinstance(seen, Response):
        return seen
    start, stop = _page(req, page)
    listed, is_owner = seen
    return envelope([album_json(ctx, a, req.base_url, owner_view=is_owner) for a in listed[start:stop]])


def album_ids(ctx: Context, req: Request, who: Caller, name: str, page: Optional[str] = None) -> Response:
    """GET /3/account/{name}/albums/ids/{page}."""
    seen = _albums_seen(ctx, req, who, name)
    if isinstance(seen, Response):
        return seen
    start, stop = _page(req, page)
    return envelope([a.id for a in seen[0][start:stop]])


def album_count(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/{name}/albums/count."""
    seen = _albums_seen(ctx, req, who, name)
    if isinstance(seen, Response):
        return seen
    return envelope(len(seen[0]))


def _own_album(ctx: Context, req: Request, who: Caller, name: str, key: str) -> Union[Album, Response]:
    record = _own(ctx, req, who, name)
    if isinstance(record, Response):
        return record
    album, _ = ctx.state.find_album(key)
    if album is None or album.owner != record.username:
        return error_envelope(f"Unable to find an album with the id, {key}", req, 404)
    return album


def album(ctx: Context, req: Request, who: Caller, name: str, key: str) -> Response:
    """GET /3/account/{name}/album/{id}: one of the user's own albums (their Bearer token)."""
    found = _own_album(ctx, req, who, name, key)
    if isinstance(found, Response):
        return found
    return envelope(album_json(ctx, found, req.base_url, owner_view=True))


def delete_album(ctx: Context, req: Request, who: Caller, name: str, key: str) -> Response:
    """DELETE /3/account/{name}/album/{id}: delete one of the user's albums (its images stay)."""
    found = _own_album(ctx, req, who, name, key)
    if isinstance(found, Response):
        return found
    ctx.state.delete_album(found.id)
    return envelope(True)


def _own_image(ctx: Context, req: Request, who: Caller, name: str, key: str) -> Union[Image, Response]:
    record = _own(ctx, req, who, name)
    if isinstance(record, Response):
        return record
    image, _ = ctx.state.find_image(key)
    if image is None or image.owner != record.username:
        return error_envelope(f"Unable to find an image with the id, {key}", req, 404)
    return image


def image(ctx: Context, req: Request, who: Caller, name: str, key: str) -> Response:
    """GET /3/account/{name}/image/{id}: one of the user's own images, deletehash included."""
    found = _own_image(ctx, req, who, name, key)
    if isinstance(found, Response):
        return found
    return envelope(image_json(found, req.base_url, owner_view=True))


def delete_image(ctx: Context, req: Request, who: Caller, name: str, key: str) -> Response:
    """DELETE /3/account/{name}/image/{deletehash}: delete one of the user's images (its id works too)."""
    found = _own_image(ctx, req, who, name, key)
    if isinstance(found, Response):
        return found
    ctx.state.delete_image(found.id)
    return envelope(True)
