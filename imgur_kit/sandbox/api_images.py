"""/3/image and /3/upload, and /i/{id}.{ext} where uploaded bytes are served.

Uploads come as multipart files, base64 text, or form-urlencoded fields, already
written to the images folder as they arrived (see forms.py); a kept upload's file
is renamed into place, and a picture is served from its file a piece at a time. What
is not a PNG, JPEG, GIF or WEBP (by its first bytes) is refused with a 400
whose ``error`` is an object, as the live API sends for a bad file.
"""

from __future__ import annotations

import binascii
from typing import Any, Optional

from .caller import Caller
from .context import Context
from .forms import Form, FormError, Part, base64_decode, parse_form
from .gallery import seeded_picture
from .imagetypes import sniff
from .messages import Request, Response, envelope, error_envelope
from .models import Image, account_id_of
from .seeded import picture
from .spool import Value

MAX_IMAGE_BYTES = 20 * 1024 * 1024  # docs say 10 MB, third parties 20 MB: accept both
#: GIFs have their own cap: ShareX#5611 (2021) shows a larger one refused with a 417.
MAX_GIF_BYTES = 10 * 1024 * 1024
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
INVALID_FILE = {"code": 1003, "message": "File type invalid (1)", "type": "ImgurException", "exception": []}
NO_IMAGE = "No image data was sent to the upload api"


def image_json(image: Image, base_url: str, *, owner_view: bool) -> dict:
    """The Image model; ``deletehash`` and ``name`` only for its owner."""
    data: dict[str, Any] = {
        "id": image.id,
        "title": image.title,
        "description": image.description,
        "datetime": image.datetime,
        "type": image.type,
        "animated": image.animated,
        "width": image.width,
        "height": image.height,
        "size": image.size,
        "views": image.views,
        "bandwidth": image.size * image.views,
        "vote": None,
        "favorite": False,
        "nsfw": None,
        "section": None,
        "account_url": image.owner,
        "account_id": account_id_of(image.owner) if image.owner else None,
        "is_ad": False,
        "in_most_viral": False,
        "has_sound": False,
        "tags": [],
        # 2024 and 2025 captures answer null for both (older ones 0 and "").
        "ad_type": None,
        "ad_url": None,
        "edited": "0",
        "in_gallery": False,
        "link": f"{base_url}/i/{image.id}.{EXTENSIONS.get(image.type, 'png')}",
        # Since 2024 every image names its video forms, empty when there is none.
        "mp4": "",
        "hls": "",
    }
    if image.animated and image.type == "image/gif":
        # The docs: an animated GIF also comes as .gifv and .mp4 (mp4_size 0 until the
        # video is made; the sandbox never makes one, and serves the GIF at those links).
        data.update(
            gifv=f"{base_url}/i/{image.id}.gifv",
            mp4=f"{base_url}/i/{image.id}.mp4",
            mp4_size=0,
            looping=True,
        )
    # A 2025 capture gives others an empty deletehash (and a name); only the owner sees the real one.
    data["deletehash"] = image.deletehash if owner_view else ""
    data["name"] = (image.name or "") if owner_view else ""
    return data


def _image_content(form: Form, part: Part, req: Request) -> Optional[Value]:
    """The picture's bytes from a file part or a text field (None: a URL).

    Works on the value as it came, a piece at a time: a file part is the picture
    itself, and a base64 field is decoded into a new value of the request's spool
    (``b64decode`` without validation skips whitespace, and so does this).
    """
    kind = (form.text("type") or "").strip().lower()
    if kind == "url":
        return None
    content = part.content
    if part.filename is not None and kind != "base64":
        return content
    head = content.head(_HEAD)
    start = len(head) - len(head.lstrip(b" \t\r\n"))
    if kind == "" and head.startswith((b"http://", b"https://"), start):
        return None
    if kind == "file" or (kind == "" and sniff(content) is not None):
        return content
    if head.startswith(b"data:", start):  # a data: URI pasted whole
        comma = head.find(b",", start)
        if comma >= 0:
            start = comma + 1
    decoded = req.spool.value()
    try:
        base64_decode(content, decoded, start)
    except (binascii.Error, ValueError):
        return Value.of(b"\x00")  # undecodable: reported below as an invalid file
    return decoded


#: Enough of a text field to see what it is (leading blanks, an address, a data: URI's type).
_HEAD = 4096


def upload(ctx: Context, req: Request, who: Caller) -> Response:
    """POST /3/image (= /3/upload)."""
    try:
        form = parse_form(req.content_type, req.body)
    except FormError as exc:
        return error_envelope(str(exc), req, 400)
    part = form.part("image")
    if part is None:
        if form.part("video") is not None:
            return error_envelope("The sandbox accepts images only, not videos.", req, 400)
        return error_envelope(NO_IMAGE, req, 400)
    content = _image_content(form, part, req)
    if content is None:
        return error_envelope(
            "The sandbox cannot fetch images from a URL (it has no internet); upload the file or its base64 instead.",
            req,
            400,
        )
    if not content.size:
        return error_envelope(NO_IMAGE, req, 400)
    if content.size > MAX_IMAGE_BYTES:
        return error_envelope("File is over the size limit", req, 400)
    info = sniff(content)
    if info is None:
        return error_envelope(dict(INVALID_FILE), req, 400)
    if info.mime == "image/gif" and content.size > MAX_GIF_BYTES:
        return error_envelope("Internal expectation failed", req, 417)
    album = None
    album_key = form.text("album")
    if album_key:
        album, by_hash = ctx.state.find_album(album_key)
        # An album is named by its id (owner) or its deletehash (anonymous).
        if album is None or not (by_hash or (who.username and album.owner == who.username)):
            return error_envelope(f"Unable to find an album you own with the id, {album_key}", req, 400)
    image = ctx.state.add_image(
        content,
        client_id=who.client_id,
        owner=who.username,
        type=info.mime,
        width=info.width,
        height=info.height,
        animated=info.animated,
        title=form.text("title"),
        description=form.text("description"),
        name=form.text("name") or part.filename,
    )
    if album is not None:
        ctx.state.add_to_album(album.id, image.id)
    # The upload response always shows the deletehash: for anonymous uploads
    # it is the only way to delete the image later.
    return envelope(image_json(image, req.base_url, owner_view=True))


def get(ctx: Context, req: Request, who: Caller, key: str) -> Response:
    """GET /3/image/{id} (a deletehash also finds it)."""
    image, by_hash = ctx.state.find_image(key)
    if image is None:
        return error_envelope(f"Unable to find an image with the id, {key}", req, 404)
    owner = by_hash or (who.username is not None and who.username == image.owner)
    return envelope(image_json(image, req.base_url, owner_view=owner))


def delete(ctx: Context, req: Request, who: Caller, key: str) -> Response:
    """DELETE /3/image/{deletehash} (any client), or /{id} with the owner's Bearer token."""
    image, by_hash = ctx.state.find_image(key)
    return delete_owned(req, who, key, image, by_hash, "image", ctx.state.delete_image)


def delete_owned(req: Request, who: Caller, key: str, found, by_hash: bool, noun: str, remove) -> Response:
    """The live rule for deleting an image or album: its deletehash lets anyone delete it
    (that is what anonymous uploads are for); its id needs the owner's Bearer token."""
    if found is None:
        return error_envelope(f"Unable to find an {noun} with the id, {key}", req, 404)
    if not by_hash and (who.username is None or who.username != found.owner):
        return error_envelope("Permission denied", req, 403)
    remove(found.id)
    return envelope(True)


def picture_file(ctx: Context, req: Request, name: str) -> Response:
    """GET /i/{id}.{ext}: the uploaded bytes with their real content type."""
    image = ctx.state.image(name.split(".", 1)[0])
    if image is None:
        seeded = seeded_picture(ctx, name.split(".", 1)[0])
        if seeded is None:
            return Response(404, b"Not found", content_type="text/plain; charset=utf-8")
        response = Response(200, picture(seeded), content_type="image/png")
        response.headers["Cache-Control"] = "public, max-age=31536000"
        return response
    found = ctx.state.image_file(image.id, count_view=req.method == "GET")
    if found is None:
        return Response(404, b"Not found", content_type="text/plain; charset=utf-8")
    response = Response(200, content_type=image.type, stream=found)
    response.headers["Cache-Control"] = "public, max-age=31536000"
    return response


def update(ctx: Context, req: Request, who: Caller, key: str) -> Response:
    """POST /3/image/{deletehash or id}: change its title and description.

    As with deleting: the deletehash lets anyone edit (anonymous uploads), the id
    needs the owner's Bearer token. Fields not sent stay as they were.
    """
    image, by_hash = ctx.state.find_image(key)
    if image is None:
        return error_envelope(f"Unable to find an image with the id, {key}", req, 404)
    if not by_hash and (who.username is None or who.username != image.owner):
        return error_envelope("Permission denied", req, 403)
    try:
        form = parse_form(req.content_type, req.body)
    except FormError as exc:
        return error_envelope(str(exc), req, 400)
    changes = {name: form.text(name) for name in ("title", "description") if form.part(name) is not None}
    ctx.state.update_image(image.id, changes)
    return envelope(True)
