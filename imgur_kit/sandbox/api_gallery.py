"""/3/gallery/... and /3/tags: browse, search, vote, comment, tag, share and take back.

Reading needs only a Client ID; voting, commenting, tagging, sharing and reporting
need the user's Bearer token (401 without), and only an item's owner may take it out
of the gallery (403 for another's). An item not in the gallery is a 404. See
:mod:`.gallery` for the items and their models and :mod:`.search` for ``q``.
"""

from __future__ import annotations

from typing import Optional, Union

from . import gallery as items
from .caller import Caller
from .context import Context
from .forms import Form, FormError, parse_form
from .gallery import PER_PAGE, Entry, entries, item_json, ordered, page_of, tag_json, tag_totals
from .messages import Request, Response, envelope, error_envelope
from .models import Submission
from .search import advanced_fields, is_search_text, matches_advanced, matches_q
from .seeded import SUBREDDITS, TAGS

VOTES = ("up", "down", "veto")
REASONS = range(1, 6)


def user_of(req: Request, who: Caller) -> Union[str, Response]:
    """The signed-in user, or the 401 an action without a Bearer token gets."""
    if who.username is None:
        return error_envelope("Authentication required", req, 401)
    return who.username


def read_form(req: Request) -> Union[Form, Response]:
    """The request's form, or the 400 for a body that is not one."""
    try:
        return parse_form(req.content_type, req.body)
    except FormError as exc:
        return error_envelope(str(exc), req, 400)


def _flag(req: Request, name: str, default: bool) -> bool:
    value = req.arg(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes")


def _listing(ctx: Context, req: Request, who: Caller, found: list[Entry], page: Optional[str]) -> Response:
    if not _flag(req, "mature", False):
        found = [e for e in found if not e.nsfw]
    totals = tag_totals(entries(ctx))
    previews = _flag(req, "album_previews", False)
    shown = page_of(found, page)
    return envelope([item_json(ctx, e, req.base_url, who.username, with_images=previews, totals=totals) for e in shown])


def section(
    ctx: Context,
    req: Request,
    who: Caller,
    name: Optional[str] = None,
    sort: Optional[str] = None,
    window: Optional[str] = None,
    page: Optional[str] = None,
) -> Response:
    """GET /3/gallery/{section}/{sort}/{window}/{page}: hot (viral), top (all, by window), user (not viral)."""
    name, sort, window = name or "hot", sort or "viral", window or "day"
    found = entries(ctx)
    if name == "hot":
        found = [e for e in found if e.viral]
    elif name == "user":
        if not _flag(req, "showViral", True):
            found = [e for e in found if not e.viral]
    if name == "top":  # the docs: the window is the date range of the top section
        found = [e for e in found if items.in_window(e, window)]
    return _listing(ctx, req, who, ordered(found, sort), page)


def subreddit(
    ctx: Context,
    req: Request,
    who: Caller,
    name: str,
    sort: Optional[str] = None,
    window: Optional[str] = None,
    page: Optional[str] = None,
) -> Response:
    """GET /3/gallery/r/{subreddit}/{sort}/{window}/{page}: its images, newest first unless sorted by top."""
    sort, window = sort or "time", window or "week"
    found = [e for e in entries(ctx) if (e.subreddit or "").lower() == name.lower()]
    if sort == "top":
        found = [e for e in found if items.in_window(e, window)]
    return _listing(ctx, req, who, ordered(found, sort), page)


def subreddit_image(ctx: Context, req: Request, who: Caller, name: str, item_id: str) -> Response:
    """GET /3/gallery/r/{subreddit}/{id}: one image of a subreddit gallery."""
    found = items.entry(ctx, item_id)
    if found is None or (found.subreddit or "").lower() != name.lower():
        return error_envelope(f"Unable to find an image with the id, {item_id}", req, 404)
    return envelope(
        item_json(ctx, found, req.base_url, who.username, with_images=True, totals=tag_totals(entries(ctx)))
    )


def tag_gallery(
    ctx: Context,
    req: Request,
    who: Caller,
    name: str,
    sort: Optional[str] = None,
    window: Optional[str] = None,
    page: Optional[str] = None,
) -> Response:
    """GET /3/gallery/t/{tag}/{sort}/{window}/{page}: the Tag model with a page of its ``items``."""
    sort, window = sort or "viral", window or "week"
    everything = entries(ctx)
    totals = tag_totals(everything)
    tagged = [e for e in everything if name.lower() in e.tags]
    if not tagged and name.lower() not in totals:
        return error_envelope(f"Unable to find a tag named {name}", req, 404)
    if sort == "top":
        tagged = [e for e in tagged if items.in_window(e, window)]
    shown = page_of(ordered(tagged, sort), page)
    data = tag_json(ctx, name.lower(), who.username, total=totals.get(name.lower(), 0))
    data["items"] = [item_json(ctx, e, req.base_url, who.username, with_images=False, totals=totals) for e in shown]
    return envelope(data)


def tags(ctx: Context, req: Request, who: Caller) -> Response:
    """GET /3/tags: the default tags, the featured one, and the topic galleries."""
    totals = tag_totals(entries(ctx))
    listed = [tag_json(ctx, name, who.username, total=totals.get(name, 0)) for name, _display, _about in TAGS]
    galleries = [{"id": 1 + n, "name": name} for n, name in enumerate(SUBREDDITS)]
    return envelope({"tags": listed, "featured": TAGS[0][0], "galleries": galleries})


def tag_info(ctx: Context, req: Request, who: Caller, name: str) -> Response:
    """GET /3/gallery/tag_info/{tag}: one tag's metadata."""
    total = tag_totals(entries(ctx)).get(name.lower())
    if total is None:
        return error_envelope(f"Unable to find a tag named {name}", req, 404)
    return envelope(tag_json(ctx, name.lower(), who.username, total=total))


def _in_gallery(ctx: Context, req: Request, item_id: str) -> Union[Entry, Response]:
    found = items.entry(ctx, item_id)
    if found is None:
        return error_envelope(f"Unable to find an image with the id, {item_id}", req, 404)
    return found


def _user_and_item(ctx: Context, req: Request, who: Caller, item_id: str) -> Union[tuple[str, Entry], Response]:
    """The signed-in user and the gallery item an action is on, or the 401/404 that refuses it."""
    user = user_of(req, who)
    if isinstance(user, Response):
        return user
    found = _in_gallery(ctx, req, item_id)
    if isinstance(found, Response):
        return found
    return user, found


def item_tags(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """GET /3/gallery/{id}/tags: its tags as Tag Vote objects."""
    found = _in_gallery(ctx, req, item_id)
    if isinstance(found, Response):
        return found
    votes = [{"ups": 1 + len(name) * 3, "downs": 0, "name": name, "author": found.author} for name in found.tags]
    return envelope({"tags": votes})


def set_tags(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """POST /3/gallery/tags/{id} (tags=a,b): replace an item's tags."""
    acting = _user_and_item(ctx, req, who, item_id)
    if isinstance(acting, Response):
        return acting
    user, found = acting
    form = read_form(req)
    if isinstance(form, Response):
        return form
    chosen = sorted({t.lower() for t in form.list("tags") if t.strip()})
    if not chosen:
        return error_envelope("tags is required", req, 400)
    ctx.state.set_item_tags(item_id, chosen)
    return envelope(True)


def search(
    ctx: Context,
    req: Request,
    who: Caller,
    sort: Optional[str] = None,
    window: Optional[str] = None,
    page: Optional[str] = None,
) -> Response:
    """GET /3/gallery/search/{sort}/{window}/{page}?q=: items that match (advanced fields win over q)."""
    sort, window = sort or "time", window or "all"
    advanced = advanced_fields(req.query)
    q = req.arg("q", "")
    if not advanced and not is_search_text(q):
        return error_envelope("No search query was given (q, or one of q_all, q_any, q_exactly, ...)", req, 400)
    found = [
        e
        for e in entries(ctx)
        if (matches_advanced(e, advanced) if advanced else matches_q(e, q)) and items.in_window(e, window)
    ]
    return _listing(ctx, req, who, ordered(found, sort), page)


def _share(ctx: Context, req: Request, who: Caller, item_id: str, *, is_album: bool) -> Response:
    user = user_of(req, who)
    if isinstance(user, Response):
        return user
    owned = ctx.state.album(item_id) if is_album else ctx.state.image(item_id)
    if owned is None:
        kind = "an album" if is_album else "an image"
        return error_envelope(f"Unable to find {kind} with the id, {item_id}", req, 404)
    if owned.owner != user:
        return error_envelope("Permission denied", req, 403)
    form = read_form(req)
    if isinstance(form, Response):
        return form
    title = (form.text("title") or "").strip()
    if not title:
        return error_envelope("A title is required to share a post with the community", req, 400)
    account = ctx.state.account(user)
    accepted = form.text("terms", "0") in ("1", "true")
    if not accepted and not (account and account.accepted_gallery_terms):
        return error_envelope("You must accept the terms (terms=1) to share a post with the community", req, 403)
    if accepted:
        ctx.state.update_account(user, {"accepted_gallery_terms": True})
    ctx.state.share(
        Submission(
            id=item_id,
            is_album=is_album,
            owner=user,
            title=title,
            topic=(form.text("topic") or "No Topic").strip() or "No Topic",
            mature=form.text("mature", "0") in ("1", "true"),
            tags=sorted({t.lower() for t in form.list("tags")}),
            datetime=int(ctx.state.now()),
        )
    )
    return envelope(True)


def share_image(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """POST /3/gallery/image/{id}: share one of your images with the community."""
    return _share(ctx, req, who, item_id, is_album=False)


def share_album(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """POST /3/gallery/album/{id}: share one of your albums with the community."""
    return _share(ctx, req, who, item_id, is_album=True)


def remove(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """DELETE /3/gallery/{id}: take your item out of the gallery (the image or album stays)."""
    acting = _user_and_item(ctx, req, who, item_id)
    if isinstance(acting, Response):
        return acting
    user, found = acting
    if found.seeded or found.author != user:
        return error_envelope("Permission denied", req, 403)
    ctx.state.unshare(item_id)
    return envelope(True)


def _one(ctx: Context, req: Request, who: Caller, item_id: str, *, is_album: bool) -> Response:
    found = _in_gallery(ctx, req, item_id)
    if isinstance(found, Response):
        return found
    if found.is_album != is_album:
        kind = "an album" if is_album else "an image"
        return error_envelope(f"Unable to find {kind} with the id, {item_id}", req, 404)
    totals = tag_totals(entries(ctx))
    return envelope(item_json(ctx, found, req.base_url, who.username, with_images=True, totals=totals))


def gallery_image(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """GET /3/gallery/image/{id}: a Gallery Image."""
    return _one(ctx, req, who, item_id, is_album=False)


def gallery_album(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """GET /3/gallery/album/{id}: a Gallery Album with its images."""
    return _one(ctx, req, who, item_id, is_album=True)


def report(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """POST /3/gallery/image/{id}/report (reason 1-5): remembered, never reviewed."""
    acting = _user_and_item(ctx, req, who, item_id)
    if isinstance(acting, Response):
        return acting
    user, found = acting
    return file_report(ctx, req, user, f"item:{item_id}")


def file_report(ctx: Context, req: Request, user: str, target: str) -> Response:
    """Keep a report with its reason (1 to 5), or the 400 for another reason."""
    form = read_form(req)
    if isinstance(form, Response):
        return form
    try:
        reason = int(form.text("reason") or req.arg("reason", "") or "")
    except ValueError:
        reason = 0
    if reason not in REASONS:
        return error_envelope("reason must be a number from 1 to 5", req, 400)
    ctx.state.report(user, target, reason)
    return envelope(True)


def votes(ctx: Context, req: Request, who: Caller, item_id: str) -> Response:
    """GET /3/gallery/{id}/votes: its ups and downs (the Vote model)."""
    found = _in_gallery(ctx, req, item_id)
    if isinstance(found, Response):
        return found
    return envelope({"ups": found.ups, "downs": found.downs})


def vote(ctx: Context, req: Request, who: Caller, item_id: str, choice: str) -> Response:
    """POST /3/gallery/{id}/vote/{up|down|veto}: vote, or take the vote back (veto)."""
    acting = _user_and_item(ctx, req, who, item_id)
    if isinstance(acting, Response):
        return acting
    user, found = acting
    if choice not in VOTES:
        return error_envelope("vote must be up, down or veto", req, 400)
    ctx.state.vote(user, f"item:{item_id}", choice)
    return envelope(True)


def comments(ctx: Context, req: Request, who: Caller, item_id: str, sort: Optional[str] = None) -> Response:
    """GET /3/gallery/{id}/comments/{best|top|new}: its comments with their replies nested."""
    found = _in_gallery(ctx, req, item_id)
    if isinstance(found, Response):
        return found
    views = items.sort_comments(items.comments_of(ctx, item_id), sort or "best")
    return envelope(items.comment_tree(ctx, views, who.username))


def comment(ctx: Context, req: Request, who: Caller, item_id: str, number: str) -> Response:
    """GET /3/gallery/{id}/comment/{commentId}: one of its comments, with replies."""
    found = items.comment(ctx, int(number))
    if found is None or found.item_id != item_id:
        return error_envelope(f"Unable to find a comment with the id, {number}", req, 404)
    views = items.comments_of(ctx, item_id)
    return envelope(
        items.comment_json(ctx, found, who.username, children=items.comment_tree(ctx, views, who.username, found.id))
    )


#: How many items one gallery page holds (for the tests and the docs).
PAGE_SIZE = PER_PAGE
