"""The plain pages a browser opens that are neither OAuth nor the API: home, an album, not found."""

from __future__ import annotations

import hashlib
import hmac
import re

from . import pages
from .context import Context
from .gallery import entry
from .messages import Request, Response, html_response, json_response

_CHALLENGE = re.compile(r"[0-9a-f]{32,128}")


def home(ctx: Context, req: Request) -> Response:
    """GET /: what the sandbox is, with links to its pages."""
    return html_response(pages.home(req.base_url, root=req.root))


def album(ctx: Context, req: Request, album_id: str) -> Response:
    """GET /a/{id}: an album's images in a plain page (its ``link`` points here)."""
    found = ctx.state.album(album_id)
    if found is None:
        seeded = entry(ctx, album_id)
        if seeded is None or not seeded.is_album:
            return not_found(ctx, req)
        links = [f"{req.root}i/{p.id}" for p in seeded.pictures]
        return html_response(pages.album(seeded.title, links, root=req.root))
    # The page's own images: relative, like every link to the sandbox's pages.
    links = [f"{req.root}i/{image.id}" for image in ctx.state.images_in(found.image_ids)]
    return html_response(pages.album(found.title or "", links, root=req.root))


def not_found(ctx: Context, req: Request) -> Response:
    """Any other path: a 404 page that still links home."""
    return html_response(pages.not_found(root=req.root), 404)


def proof(ctx: Context, req: Request) -> Response:
    """GET /sandbox/proof?challenge=HEX: HMAC-SHA256 of the challenge under this sandbox's proof key.

    A program that finds the address record can tell this sandbox from whatever else now
    holds its port: only the sandbox that wrote the 0600 record knows the key in it.
    """
    challenge = req.arg("challenge", "")
    if not _CHALLENGE.fullmatch(challenge):
        return json_response({"error": "challenge must be 32 to 128 lowercase hex characters"}, 400)
    answer = hmac.new(ctx.proof_key.encode("ascii"), challenge.encode("ascii"), hashlib.sha256).hexdigest()
    return json_response({"proof": answer})
