"""/3/comment/...: read, write, reply, vote, report and delete comments, and favorites of images and albums.

Reading needs a Client ID; everything else the user's Bearer token. Only a comment's
author may delete it. A comment on a seeded item gets a thank-you reply from the item's
author, so a learner's reply notifications (``/3/account/me/notifications/replies``)
have something in them.
"""

from __future__ import annotations

from typing import Optional, Union

from . import gallery as items
from .api_gallery import VOTES, file_report, read_form, user_of
from .caller import Caller
from .context import Context
from .forms import Form
from .messages import Request, Response, envelope, error_envelope

#: Longest comment the live service takes.
MAX_COMMENT = 140


def write_comment(ctx: Context, req: Request, user: str, item_id: str, text: str, *, parent_id: int) -> Response:
    """Keep a comment (or a reply) on a gallery item; answers ``{"id": N}`` as the live service does."""
    found = items.entry(ctx, item_id)
    if found is None:
        return error_envelope(f"Unable to find an image with the id, {item_id}", req, 404)
    text = text.strip()
    if not text:
        return error_envelope("comment is required", req, 400)
    if len(text) > MAX_COMMENT:
        return error_envelope(f"Comments may be at most {MAX_COMMENT} characters long", req, 400)
    if parent_id:
        parent = items.comment(ctx, parent_id)
        if parent is None or parent.item_id != item_id:
            return error_envelope(f"Unable to find a comment with the id, {parent_id}", req, 404)
    written = ctx.state.add_comment(item_id, user, text, parent_id=parent_id, on_album=found.is_album)
    if parent_id:
        parent = items.comment(ctx, parent_id)
        if parent is not None and parent.author != user:
            ctx.state.notify(parent.author, written.id)
    elif found.seeded and found.author != user:
        # The seeded author answers once, so that notifications can be tried out.
        reply = ctx.state.add_comment(item_id, found.author, f"Thank you, {user}!", parent_id=written.id)
        ctx.state.notify(user, reply.id)
    return envelope({"id": written.id})


def post_comment(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """POST /3/gallery/{id}/comment (comment=...): comment on it; answers the new comment's id."""
    asked = _signed_in_form(req, who)
    if isinstance(asked, Response):
        return asked
    user, form = asked
    return write_comment(ctx, req, user, item_id, form.text("comment") or "", parent_id=0)


def _signed_in_form(req: Request, who: Caller) -> Union[tuple[str, Form], Response]:
    """(the signed-in user, the request's form), or the 401 or 400 that answers instead."""
    user = user_of(req, who)
    if isinstance(user, Response):
        return user
    form = read_form(req)
    return form if isinstance(form, Response) else (user, form)


def _number(text: str) -> Optional[int]:
    return int(text) if text.isdigit() else None


def get(ctx: Context, req: Request, who: Caller, number: str) -> Response:
    """GET /3/comment/{id}: one comment (replies not included)."""
    found = items.comment(ctx, int(number))
    if found is None:
        return error_envelope(f"Unable to find a comment with the id, {number}", req, 404)
    return envelope(items.comment_json(ctx, found, who.username, children=[]))


def replies(ctx: Context, req: Request, who: Caller, number: str) -> Response:
    """GET /3/comment/{id}/replies: the comment with its replies nested under ``children``."""
    found = items.comment(ctx, int(number))
    if found is None:
        return error_envelope(f"Unable to find a comment with the id, {number}", req, 404)
    views = items.comments_of(ctx, found.item_id)
    children = items.comment_tree(ctx, views, who.username, found.id)
    return envelope(items.comment_json(ctx, found, who.username, children=children))


def create(ctx: Context, req: Request, who: Caller) -> Response:
    """POST /3/comment (image_id, comment, parent_id): a comment or a reply."""
    asked = _signed_in_form(req, who)
    if isinstance(asked, Response):
        return asked
    user, form = asked
    item_id = (form.text("image_id") or "").strip()
    if not item_id:
        return error_envelope("image_id is required", req, 400)
    parent = _number((form.text("parent_id") or "0").strip() or "0")
    if parent is None:
        return error_envelope("parent_id must be a comment's number", req, 400)
    return write_comment(ctx, req, user, item_id, form.text("comment") or "", parent_id=parent)


def reply(ctx: Context, req: Request, who: Caller, number: str) -> Response:
    """POST /3/comment/{id} (image_id, comment): a reply to that comment."""
    user = user_of(req, who)
    if isinstance(user, Response):
        return user
    parent = items.comment(ctx, int(number))
    if parent is None:
        return error_envelope(f"Unable to find a comment with the id, {number}", req, 404)
    form = read_form(req)
    if isinstance(form, Response):
        return form
    item_id = (form.text("image_id") or parent.item_id).strip()
    return write_comment(ctx, req, user, item_id, form.text("comment") or "", parent_id=parent.id)


def delete(ctx: Context, req: Request, who: Caller, number: str) -> Response:
    """DELETE /3/comment/{id}: only its author may (403 for another's)."""
    user = user_of(req, who)
    if isinstance(user, Response):
        return user
    return delete_own(ctx, req, user, int(number))


def delete_own(ctx: Context, req: Request, user: str, number: int) -> Response:
    """Delete the user's own comment ``number``: 404 when there is none, 403 for another's."""
    written = ctx.state.comment(number)
    if written is None or written.deleted:
        if items.comment(ctx, number) is not None:  # a seeded comment: someone else's
            return error_envelope("Permission denied", req, 403)
        return error_envelope(f"Unable to find a comment with the id, {number}", req, 404)
    if written.author != user:
        return error_envelope("Permission denied", req, 403)
    ctx.state.delete_comment(number)
    return envelope(True)


def vote(ctx: Context, req: Request, who: Caller, number: str, choice: str) -> Response:
    """POST /3/comment/{id}/vote/{up|down|veto}."""
    user = user_of(req, who)
    if isinstance(user, Response):
        return user
    if items.comment(ctx, int(number)) is None:
        return error_envelope(f"Unable to find a comment with the id, {number}", req, 404)
    if choice not in VOTES:
        return error_envelope("vote must be up, down or veto", req, 400)
    ctx.state.vote(user, f"comment:{number}", choice)
    return envelope(True)


def report(ctx: Context, req: Request, who: Caller, number: str) -> Response:
    """POST /3/comment/{id}/report (reason 1-5)."""
    user = user_of(req, who)
    if isinstance(user, Response):
        return user
    if items.comment(ctx, int(number)) is None:
        return error_envelope(f"Unable to find a comment with the id, {number}", req, 404)
    return file_report(ctx, req, user, f"comment:{number}")


def _favorite(ctx: Context, req: Request, who: Caller, item_id: str, kind: str) -> Response:
    user = user_of(req, who)
    if isinstance(user, Response):
        return user
    exists = (
        (ctx.state.album(item_id) if kind == "album" else ctx.state.image(item_id)) is not None
        or (items.entry(ctx, item_id) is not None and items.entry(ctx, item_id).is_album == (kind == "album"))  # type: ignore[union-attr]
        or (kind == "image" and items.seeded_picture(ctx, item_id) is not None)
    )
    if not exists:
        return error_envelope(
            f"Unable to find {'an album' if kind == 'album' else 'an image'} with the id, {item_id}", req, 404
        )
    now = ctx.state.toggle_favorite(user, kind, item_id)
    return envelope("favorited" if now else "unfavorited")


def favorite_image(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """POST /3/image/{id}/favorite: favorite it, or take the favorite back ("favorited"/"unfavorited")."""
    return _favorite(ctx, req, who, item_id, "image")


def favorite_album(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """POST /3/album/{id}/favorite: as for images."""
    return _favorite(ctx, req, who, item_id, "album")
