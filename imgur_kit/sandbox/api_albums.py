"""/3/album: make an album of uploaded images, read it, delete it.

Users name their images by id (``ids[]``); anonymous callers by deletehash
(``deletehashes[]``). Sources disagree on whether an anonymous caller may
use ids, so both are accepted; unknown entries are skipped, not refused.
"""

from __future__ import annotations

from typing import Any, Union

from .api_images import delete_owned, image_json
from .caller import Caller
from .context import Context
from .forms import Form, FormError, Part, parse_form
from .messages import Request, Response, envelope, error_envelope
from .models import ALBUM_PRIVACY, Album, account_id_of

PRIVACY = ALBUM_PRIVACY
#: The ad settings a 2025 album answer carries; the sandbox shows no ads, so all of them are off.
AD_CONFIG = {
    "show_ads": False,
    "show_ad_level": 0,
    "ad_sense_client_id": "",
    "nsfw_score": 0,
    "safe_flags": [],
    "high_risk_flags": [],
    "unsafe_flags": [],
    "wall_unsafe_flags": [],
}


def album_json(ctx: Context, album: Album, base_url: str, *, owner_view: bool) -> dict:
    """The Album model, images included; ``deletehash`` only for its owner."""
    images = ctx.state.images_in(album.image_ids)
    # Without a chosen cover the first image is the cover; an empty album's is "" (2025 capture).
    cover = ctx.state.image(album.cover) or (images[0] if images else None)
    data = {
        "id": album.id,
        "title": album.title,
        "description": album.description,
        "datetime": album.datetime,
        "cover": cover.id if cover else "",
        "cover_width": cover.width if cover else 0,
        "cover_height": cover.height if cover else 0,
        "account_url": album.owner,
        "account_id": account_id_of(album.owner) if album.owner else None,
        "privacy": album.privacy,
        "layout": "blog",
        "views": album.views,
        "link": f"{base_url}/a/{album.id}",
        "favorite": False,
        "nsfw": None,
        "section": "",  # 2025: "" for an album (2015-16 captures: null)
        "images_count": len(images),
        "in_gallery": False,
        "is_ad": False,
        "include_album_ads": False,
        "is_album": True,
        "ad_config": AD_CONFIG,
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
    # Without a privacy, a user's album gets the one their settings choose.
    account = ctx.state.account(who.username) if who.username else None
    privacy = form.text("privacy") or (account.album_privacy if account else "hidden")
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


def _editable(ctx: Context, req: Request, who: Caller, key: str) -> Union[Album, Response]:
    """The album to change, or the refusal: its deletehash lets anyone change it
    (anonymous albums), its id only its owner's Bearer token."""
    album, by_hash = ctx.state.find_album(key)
    if album is None:
        return error_envelope(f"Unable to find an album with the id, {key}", req, 404)
    if not by_hash and (who.username is None or who.username != album.owner):
        return error_envelope("Permission denied", req, 403)
    return album


def _named_images(ctx: Context, form: Form) -> list[str]:
    """The image ids that ``ids[]`` and ``deletehashes[]`` name; unknown ones are skipped."""
    chosen: list[str] = []
    for key in form.list("ids") + form.list("deletehashes"):
        image, _ = ctx.state.find_image(key)
        if image is not None and image.id not in chosen:
            chosen.append(image.id)
    return chosen


def _names_images(form: Form) -> bool:
    return any(name in form.fields for name in ("ids", "ids[]", "deletehashes", "deletehashes[]"))


def _form(req: Request) -> Union[Form, Response]:
    try:
        form = parse_form(req.content_type, req.body)
    except FormError as exc:
        return error_envelope(str(exc), req, 400)
    # DELETE .../remove_images sends its ids in the query string.
    for name, values in req.query.items():
        if name in ("ids", "ids[]", "deletehashes", "deletehashes[]") and name not in form.fields:
            for value in values:
                form.add(name, Part(value.encode("utf-8")))
    return form


def update(ctx: Context, req: Request, who: Caller, key: str) -> Response:
    """PUT/POST /3/album/{id or deletehash}: title, description, privacy, cover; ``ids[]`` replaces the set."""
    album = _editable(ctx, req, who, key)
    if isinstance(album, Response):
        return album
    form = _form(req)
    if isinstance(form, Response):
        return form
    changes: dict[str, Any] = {name: form.text(name) for name in ("title", "description") if name in form.fields}
    privacy = form.text("privacy")
    if privacy:
        if privacy not in PRIVACY:
            return error_envelope(f"Invalid privacy '{privacy}'; use public, hidden or secret.", req, 400)
        changes["privacy"] = privacy
    images = _named_images(ctx, form) if _names_images(form) else list(album.image_ids)
    if _names_images(form):
        changes["image_ids"] = images
    cover = form.text("cover")
    if cover:
        image, _ = ctx.state.find_image(cover)
        if image is None or image.id not in images:
            return error_envelope(
                f"The cover {cover} is not an image of this album; add the image first, or choose one of its images.",
                req,
                400,
            )
        changes["cover"] = image.id
    ctx.state.update_album(album.id, changes)
    return envelope(True)


def add(ctx: Context, req: Request, who: Caller, key: str) -> Response:
    """POST/PUT /3/album/{id or deletehash}/add: append the images ``ids[]`` or ``deletehashes[]`` name."""
    album = _editable(ctx, req, who, key)
    if isinstance(album, Response):
        return album
    form = _form(req)
    if isinstance(form, Response):
        return form
    if not _names_images(form):
        return error_envelope("No images were named; send ids[] (or deletehashes[]) of the images to add.", req, 400)
    ctx.state.add_images_to_album(album.id, _named_images(ctx, form))
    return envelope(True)


def remove_images(ctx: Context, req: Request, who: Caller, key: str) -> Response:
    """POST/DELETE /3/album/{id or deletehash}/remove_images: take the named images out (they stay uploaded)."""
    album = _editable(ctx, req, who, key)
    if isinstance(album, Response):
        return album
    form = _form(req)
    if isinstance(form, Response):
        return form
    if not _names_images(form):
        return error_envelope("No images were named; send ids[] of the images to remove.", req, 400)
    ctx.state.remove_images_from_album(album.id, _named_images(ctx, form))
    return envelope(True)


def image(ctx: Context, req: Request, who: Caller, key: str, image_key: str) -> Response:
    """GET /3/album/{id}/image/{imageId}: one image of the album."""
    album, owner, problem = _find(ctx, req, who, key)
    if problem:
        return problem
    found, _ = ctx.state.find_image(image_key)
    if found is None or found.id not in album.image_ids:
        return error_envelope(f"Unable to find an image with the id, {image_key}", req, 404)
    return envelope(image_json(found, req.base_url, owner_view=owner))
