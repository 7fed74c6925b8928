"""/3/album: make an album of uploaded images, read it, delete it.

Users name their images by id (``ids[]``); anonymous callers by deletehash
(``deletehashes[]``). Sources disagree on whether an anonymous caller may
use ids, so both are accepted; unknown entries are skipped, not refused.
"""

from __future__ import annotations

from .api_images import delete_owned, image_json
from .caller import Caller
from .context import Context
from .forms import FormError, parse_form
from .messages import Request, Response, envelope, error_envelope
from .models import ACCOUNT_ID, Album

PRIVACY = ("public", "hidden", "secret")


def album_json(ctx: Context, album: Album, base_url: str, *, owner_view: bool) -> dict:
    """The Album model, images included; ``deletehash`` only for its owner."""
    images = ctx.state.images_in(album.image_ids)
    cover = ctx.state.image(album.cover)
    data = {
        "id": album.id,
        "title": album.title,
        "description": album.description,
        "datetime": album.datetime,
        "cover": album.cover,
        "cover_width": cover.width if cover else None,
        "cover_height": cover.height if cover else None,
        "account_url": album.owner,
        "account_id": ACCOUNT_ID if album.owner else None,
        "privacy": album.privacy,
        "layout": "blog",
        "views": album.views,
        "link": f"{base_url}/a/{album.id}",
        "favorite": False,
        "nsfw": None,
        "section": None,
        "images_count": len(images),
        "in_gallery": False,
        "is_ad": False,
        "include_album_ads": False,
        "images": [image_json(i, base_url, owner_view=owner_view) for i in images],
    }
    if owner_view:
        data["deletehash"] = album.deletehash
    return data


def create(ctx: Context, req: Request, who: Caller) -> Response:
    """POST /3/album -> {"id", "deletehash"}."""
    try:
        form = parse_form(req.content_type, req.body)
    except FormError as exc:
        return error_envelope(str(exc), req, 400)
    chosen: list[str] = []
    for key in form.list("ids") + form.list("deletehashes"):
        image, _ = ctx.state.find_image(key)
        if image is not None and image.id not in chosen:
            chosen.append(image.id)
    privacy = form.text("privacy") or "hidden"
    if privacy not in PRIVACY:
        return error_envelope(f"Invalid privacy '{privacy}'; use public, hidden or secret.", req, 400)
    album = ctx.state.add_album(
        chosen,
        client_id=who.client_id,
        owner=who.username,
        title=form.text("title"),
        description=form.text("description"),
        privacy=privacy,
        cover=form.text("cover"),
    )
    return envelope({"id": album.id, "deletehash": album.deletehash})


def _find(ctx: Context, req: Request, who: Caller, key: str):
    album, by_hash = ctx.state.find_album(key)
    if album is None:
        return None, False, error_envelope(f"Unable to find an album with the id, {key}", req, 404)
    owner = by_hash or (who.username is not None and who.username == album.owner)
    return album, owner, None


def get(ctx: Context, req: Request, who: Caller, key: str) -> Response:
    """GET /3/album/{id}."""
    album, owner, problem = _find(ctx, req, who, key)
    if problem:
        return problem
    return envelope(album_json(ctx, album, req.base_url, owner_view=owner))


def images(ctx: Context, req: Request, who: Caller, key: str) -> Response:
    """GET /3/album/{id}/images (not paged)."""
    album, owner, problem = _find(ctx, req, who, key)
    if problem:
        return problem
    return envelope(album_json(ctx, album, req.base_url, owner_view=owner)["images"])


def delete(ctx: Context, req: Request, who: Caller, key: str) -> Response:
    """DELETE /3/album/{deletehash} (any client) or /{id} with the owner's Bearer token."""
    album, by_hash = ctx.state.find_album(key)
    return delete_owned(req, who, key, album, by_hash, "album", ctx.state.delete_album)
