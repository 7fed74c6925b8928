"""/3/account/{username}/... for what an account does in the gallery.

Favorites, gallery favorites, submissions, comments, reply notifications, and
following tags. ``me`` needs a Bearer token (401 without); private lists
(favorites, notifications, deleting) need the account's own token (403 for
another's); public lists (gallery favorites, submissions, comments) anyone may read.
"""

from __future__ import annotations

from typing import Optional, Union

from . import gallery as items
from .api_comments import delete_own
from .api_gallery import user_of
from .caller import Caller
from .context import Context
from .gallery import entries, item_json, tag_totals
from .messages import Request, Response, envelope, error_envelope
from .models import account_id_of

PER_PAGE = 50


def _name(req: Request, who: Caller, name: str) -> Union[str, Response]:
    if name == "me":
        if who.username is None:
            return error_envelope("Authentication required", req, 401)
        return who.username
    return name


def _own(req: Request, who: Caller, name: str) -> Union[str, Response]:
    user = user_of(req, who)
    if isinstance(user, Response):
        return user
    if name not in ("me", user):
        return error_envelope("Permission denied", req, 403)
    return user


def _page(found: list, page: Optional[str], per_page: int = PER_PAGE) -> list:
    try:
        number = max(0, int(page or 0))
    except ValueError:
        number = 0
    return found[number * per_page : (number + 1) * per_page]


def _favorite_items(ctx: Context, req: Request, who: Caller, user: str, sort: Optional[str], page: Optional[str]):
    favorites = ctx.state.favorites_of(user)
    if (sort or "newest") == "newest":
        favorites = list(reversed(favorites))
    totals = tag_totals(entries(ctx))
    shown = []
    for favorite in favorites:
        found = items.entry(ctx, favorite.id)
        if found is not None:
            shown.append(item_json(ctx, found, req.base_url, who.username, with_images=False, totals=totals))
    return _page(shown, page)


def gallery_favorites(
    ctx: Context, req: Request, who: Caller, name: str, page: Optional[str] = None, sort: Optional[str] = None
) -> Response:
    """GET /3/account/{username}/gallery_favorites/{page}/{newest|oldest}: public favorites in the gallery."""
    user = _name(req, who, name)
    if isinstance(user, Response):
        return user
    return envelope(_favorite_items(ctx, req, who, user, sort, page))


def favorites(
    ctx: Context, req: Request, who: Caller, name: str, page: Optional[str] = None, sort: Optional[str] = None
) -> Response:
    """GET /3/account/{username}/favorites/{page}/{newest|oldest}: your own favorites (Bearer)."""
    user = _own(req, who, name)
    if isinstance(user, Response):
        return user
    return envelope(_favorite_items(ctx, req, who, user, sort, page))


def submissions(ctx: Context, req: Request, who: Caller, name: str, page: Optional[str] = None) -> Response:
    """GET /3/account/{username}/submissions/{page}: what the account shared with the gallery, newest first."""
    user = _name(req, who, name)
    if isinstance(user, Response):
        return user
    totals = tag_totals(entries(ctx))
    mine = [e for e in entries(ctx) if e.author == user]
    mine.sort(key=lambda e: (-e.datetime, e.id))
    shown = _page(mine, page)
    return envelope([item_json(ctx, e, req.base_url, who.username, with_images=False, totals=totals) for e in shown])


def _comments_by(ctx: Context, user: str, sort: Optional[str]) -> list:
    written = [items.comment(ctx, c.id) for c in ctx.state.comments_by(user)]
    return items.sort_comments([w for w in written if w is not None], sort or "newest")


def comments(
    ctx: Context, req: Request, who: Caller, name: str, sort: Optional[str] = None, page: Optional[str] = None
) -> Response:
    """GET /3/account/{username}/comments/{best|worst|oldest|newest}/{page}."""
    user = _name(req, who, name)
    if isinstance(user, Response):
        return user
    shown = _page(_comments_by(ctx, user, sort), page)
    return envelope([items.comment_json(ctx, c, who.username, children=[]) for c in shown])


def comment_ids(
    ctx: Context, req: Request, who: Caller, name: str, sort: Optional[str] = None, page: Optional[str] = None
) -> Response:
    """GET /3/account/{username}/comments/ids/{sort}/{page}."""
    user = _name(req, who, name)
    if isinstance(user, Response):
        return user
    return envelope([c.id for c in _page(_comments_by(ctx, user, sort), page)])


def comment_count(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/{username}/comments/count."""
    user = _name(req, who, name)
    if isinstance(user, Response):
        return user
    return envelope(len(ctx.state.comments_by(user)))


def comment(ctx: Context, req: Request, who: Caller, name: str, number: str) -> Response:
    """GET /3/account/{username}/comment/{id}: one of the account's comments."""
    user = _name(req, who, name)
    if isinstance(user, Response):
        return user
    found = items.comment(ctx, int(number))
    if found is None or found.author != user or found.deleted:
        return error_envelope(f"Unable to find a comment with the id, {number}", req, 404)
    return envelope(items.comment_json(ctx, found, who.username, children=[]))


def delete_comment(ctx: Context, req: Request, who: Caller, name: str, number: str) -> Response:
    """DELETE /3/account/{username}/comment/{id}: your own comment (Bearer)."""
    user = _own(req, who, name)
    if isinstance(user, Response):
        return user
    return delete_own(ctx, req, user, int(number))


def replies(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/{username}/notifications/replies?new=true|false: replies to your comments (Bearer)."""
    user = _own(req, who, name)
    if isinstance(user, Response):
        return user
    new_only = (req.arg("new", "true") or "true").strip().lower() != "false"
    notices = ctx.state.notifications_of(user, new_only=new_only)
    shown = []
    for notice in notices:
        found = items.comment(ctx, notice.comment_id)
        if found is None:
            continue
        shown.append(
            {
                "id": notice.id,
                "account_id": account_id_of(user),
                "viewed": notice.viewed,
                "content": items.comment_json(ctx, found, who.username, children=[]),
            }
        )
    return envelope(shown)


def follow_tag(ctx: Context, req: Request, who: Caller, name: str, tag: str) -> Response:
    """POST /3/account/me/follow/tag/{tag}: follow it (``{"status": true}``)."""
    return _follow(ctx, req, who, name, tag, following=True)


def unfollow_tag(ctx: Context, req: Request, who: Caller, name: str, tag: str) -> Response:
    """DELETE /3/account/me/follow/tag/{tag}: stop following it (``{"status": false}``)."""
    return _follow(ctx, req, who, name, tag, following=False)


def _follow(ctx: Context, req: Request, who: Caller, name: str, tag: str, *, following: bool) -> Response:
    user = _own(req, who, name)
    if isinstance(user, Response):
        return user
    if tag.lower() not in tag_totals(entries(ctx)):
        return error_envelope(f"Unable to find a tag named {tag}", req, 404)
    ctx.state.follow(user, tag.lower(), following)
    return envelope({"status": following})


def gallery_profile(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/account/{username}/gallery_profile: the Gallery Profile (totals of comments, favorites, posts)."""
    user = _name(req, who, name)
    if isinstance(user, Response):
        return user
    submissions = sum(1 for e in entries(ctx) if e.author == user)
    return envelope(
        {
            "total_gallery_comments": len(ctx.state.comments_by(user)),
            "total_gallery_favorites": len(ctx.state.favorites_of(user)),
            "total_gallery_submissions": submissions,
            "trophies": [],
        }
    )
