"""/user/{name}/avatar and /user/{name}/cover: the pictures an account's links point to.

The Account model links to ``https://imgur.com/user/{name}/avatar?maxwidth=290`` and
``…/cover?maxwidth=2560``; the sandbox answers the same paths with a plain PNG made here
(one colour per avatar name), so a notebook that shows an avatar shows something offline.
"""

from __future__ import annotations

import struct
import zlib

from .context import Context
from .messages import Request, Response

#: The size the sandbox draws (live sizes follow ?maxwidth=; a picture this small needs none).
SIDE = 16


def picture(ctx: Context, req: Request, username: str, kind: str) -> Response:
    """GET /user/{name}/avatar or /cover: a small PNG, or 404 for an unknown user."""
    account = ctx.state.account(username)
    if account is None:
        return Response(404, b"Not found", content_type="text/plain; charset=utf-8")
    name = req.arg("name") or (account.avatar_name if kind == "avatar" else "default/1-space")
    response = Response(200, solid_png(_colour(name)), content_type="image/png")
    response.headers["Cache-Control"] = "no-cache"  # it changes when the user picks another avatar
    return response


def _colour(name: str) -> bytes:
    """Three bytes of colour that depend only on the avatar's name."""
    return zlib.crc32(name.encode("utf-8")).to_bytes(4, "big")[:3]


def solid_png(rgb: bytes, side: int = SIDE) -> bytes:
    """A ``side`` x ``side`` PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + rgb * side for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
