"""Every page and endpoint of the sandbox, in one table, and how a request finds its handler.

A new page or endpoint is one line in ``ROUTES``:

* a **page** (no ``cost``) is ``handler(ctx, req, *groups)`` and answers whatever
  method it is sent (the OAuth pages read GET and POST themselves);
* an **API endpoint** (a ``cost`` in credits) sits under ``/3/``, answers only its
  method (HEAD counts as GET), and is ``handler(ctx, req, who, *groups)`` where
  ``who`` is the :class:`~.caller.Caller`; api.handle authenticates and charges first.

Patterns match the whole path (after the query is cut off); their groups are
handed to the handler. Handlers return a :class:`~.messages.Response`; they read
and change the state only through :class:`~.state.State`'s methods.
"""

from __future__ import annotations

from typing import Optional

from . import (
    api,
    api_account,
    api_account_activity,
    api_albums,
    api_comments,
    api_gallery,
    api_images,
    avatars,
    oauth_pages,
    oauth_token,
    site_pages,
)
from .context import Context
from .credits import UPLOAD_COST
from .messages import Request, Response
from .route import ANY, Route, endpoint, page

ROUTES: list[Route] = [
    # Pages: home, the OAuth pages, the token endpoint, uploaded bytes, albums.
    page(r"/", site_pages.home),
    page(r"/sandbox/proof", site_pages.proof),
    page(r"/oauth2/addclient", oauth_pages.addclient),
    page(r"/oauth2/authorize", oauth_pages.authorize),
    page(r"/oauth2/token", oauth_token.token),
    page(r"/oauth2/pin", oauth_pages.pin_page),
    page(r"/oauth2/landing", oauth_pages.landing),
    page(r"/i/(.+)", api_images.picture_file),
    page(r"/a/(.*)", site_pages.album),
    page(r"/user/([^/]+)/(avatar|cover)", avatars.picture),
    # The API.
    endpoint("GET", r"credits", api.credits, cost=0),
    endpoint("GET", r"account/([^/]+)", api_account.account),
    endpoint("GET", r"account/([^/]+)/images/count", api_account.image_count),
    endpoint("GET", r"account/([^/]+)/images/ids(?:/(\d+))?", api_account.image_ids),
    endpoint("GET", r"account/([^/]+)/images(?:/(\d+))?", api_account.images),
    endpoint("POST", r"image|upload", api_images.upload, cost=UPLOAD_COST),
    endpoint("GET", r"image/([^/]+)", api_images.get),
    endpoint("DELETE", r"image/([^/]+)", api_images.delete),
    endpoint("POST", r"album", api_albums.create),
    endpoint("GET", r"album/([^/]+)", api_albums.get),
    endpoint("GET", r"album/([^/]+)/images", api_albums.images),
    endpoint("DELETE", r"album/([^/]+)", api_albums.delete),
    # Account: settings, avatars, email, albums, single images (sandbox-account).
    endpoint("GET", r"account/([^/]+)/available_avatars", api_account.available_avatars),
    endpoint("GET", r"account/([^/]+)/avatar", api_account.avatar),
    endpoint("GET", r"account/([^/]+)/settings", api_account.settings),
    endpoint("PUT", r"account/([^/]+)/settings", api_account.change_settings),
    endpoint("POST", r"account/([^/]+)/settings", api_account.change_settings),
    endpoint("GET", r"account/([^/]+)/verifyemail", api_account.email_verified),
    endpoint("POST", r"account/([^/]+)/verifyemail", api_account.send_verification),
    endpoint("GET", r"account/([^/]+)/albums/count", api_account.album_count),
    endpoint("GET", r"account/([^/]+)/albums/ids(?:/(\d+))?", api_account.album_ids),
    endpoint("GET", r"account/([^/]+)/albums(?:/(\d+))?", api_account.albums),
    endpoint("GET", r"account/([^/]+)/album/([^/]+)", api_account.album),
    endpoint("DELETE", r"account/([^/]+)/album/([^/]+)", api_account.delete_album),
    endpoint("GET", r"account/([^/]+)/image/([^/]+)", api_account.image),
    endpoint("DELETE", r"account/([^/]+)/image/([^/]+)", api_account.delete_image),
    # Album: one image, update, add and remove images (sandbox-account).
    endpoint("GET", r"album/([^/]+)/image/([^/]+)", api_albums.image),
    endpoint("PUT", r"album/([^/]+)", api_albums.update),
    endpoint("POST", r"album/([^/]+)", api_albums.update),
    endpoint("PUT", r"album/([^/]+)/add", api_albums.add),
    endpoint("POST", r"album/([^/]+)/add", api_albums.add),
    endpoint("POST", r"album/([^/]+)/remove_images", api_albums.remove_images),
    endpoint("DELETE", r"album/([^/]+)/remove_images", api_albums.remove_images),
    # Image: update title and description (sandbox-account).
    endpoint("POST", r"image/([^/]+)", api_images.update),
    # Favorites of images and albums (toggles).
    endpoint("POST", r"image/([^/]+)/favorite", api_comments.favorite_image),
    endpoint("POST", r"album/([^/]+)/favorite", api_comments.favorite_album),
    # Account: what it does in the gallery.
    endpoint(
        "GET",
        r"account/([^/]+)/gallery_favorites(?:/(\d+))?(?:/(newest|oldest))?",
        api_account_activity.gallery_favorites,
    ),
    endpoint("GET", r"account/([^/]+)/favorites(?:/(\d+))?(?:/(newest|oldest))?", api_account_activity.favorites),
    endpoint("GET", r"account/([^/]+)/submissions(?:/(\d+))?", api_account_activity.submissions),
    endpoint("GET", r"account/([^/]+)/gallery_profile", api_account_activity.gallery_profile),
    endpoint("GET", r"account/([^/]+)/comments/count", api_account_activity.comment_count),
    endpoint(
        "GET",
        r"account/([^/]+)/comments/ids(?:/(best|worst|oldest|newest))?(?:/(\d+))?",
        api_account_activity.comment_ids,
    ),
    endpoint(
        "GET", r"account/([^/]+)/comments(?:/(best|worst|oldest|newest))?(?:/(\d+))?", api_account_activity.comments
    ),
    endpoint("GET", r"account/([^/]+)/comment/(\d+)", api_account_activity.comment),
    endpoint("DELETE", r"account/([^/]+)/comment/(\d+)", api_account_activity.delete_comment),
    endpoint("GET", r"account/([^/]+)/notifications/replies", api_account_activity.replies),
    endpoint("POST", r"account/([^/]+)/follow/tag/([^/]+)", api_account_activity.follow_tag),
    endpoint("DELETE", r"account/([^/]+)/follow/tag/([^/]+)", api_account_activity.unfollow_tag),
    # Comment.
    endpoint("POST", r"comment", api_comments.create),
    endpoint("GET", r"comment/(\d+)", api_comments.get),
    endpoint("GET", r"comment/(\d+)/replies", api_comments.replies),
    endpoint("POST", r"comment/(\d+)", api_comments.reply),
    endpoint("DELETE", r"comment/(\d+)", api_comments.delete),
    endpoint("POST", r"comment/(\d+)/vote/([^/]+)", api_comments.vote),
    endpoint("POST", r"comment/(\d+)/report", api_comments.report),
    # Gallery: the specific paths first, then an item's, then the sections.
    endpoint("GET", r"tags", api_gallery.tags),
    endpoint(
        "GET", r"gallery/search(?:/(time|viral|top))?(?:/(day|week|month|year|all))?(?:/(\d+))?", api_gallery.search
    ),
    endpoint(
        "GET", r"gallery/r/([^/]+)(?:/(time|top))?(?:/(day|week|month|year|all))?(?:/(\d+))?", api_gallery.subreddit
    ),
    endpoint("GET", r"gallery/r/([^/]+)/([A-Za-z0-9]{5,})", api_gallery.subreddit_image),
    endpoint(
        "GET",
        r"gallery/t/([^/]+)(?:/(viral|top|time))?(?:/(day|week|month|year|all))?(?:/(\d+))?",
        api_gallery.tag_gallery,
    ),
    endpoint("GET", r"gallery/tag_info/([^/]+)", api_gallery.tag_info),
    endpoint("POST", r"gallery/tags/([^/]+)", api_gallery.set_tags),
    endpoint("GET", r"gallery/image/([^/]+)", api_gallery.gallery_image),
    endpoint("POST", r"gallery/image/([^/]+)", api_gallery.share_image),
    endpoint("POST", r"gallery/image/([^/]+)/report", api_gallery.report),
    endpoint("GET", r"gallery/album/([^/]+)", api_gallery.gallery_album),
    endpoint("POST", r"gallery/album/([^/]+)", api_gallery.share_album),
    endpoint(
        "GET",
        r"gallery(?:/(hot|top|user))?(?:/(viral|top|time|rising))?(?:/(day|week|month|year|all))?(?:/(\d+))?",
        api_gallery.section,
    ),
    endpoint("GET", r"gallery/([^/]+)/tags", api_gallery.item_tags),
    endpoint("GET", r"gallery/([^/]+)/votes", api_gallery.votes),
    endpoint("POST", r"gallery/([^/]+)/vote/([^/]+)", api_gallery.vote),
    endpoint("GET", r"gallery/([^/]+)/comments(?:/(best|top|new))?", api_gallery.comments),
    endpoint("GET", r"gallery/([^/]+)/comment/(\d+)", api_gallery.comment),
    endpoint("POST", r"gallery/([^/]+)/comment", api_comments.post_comment),
    endpoint("DELETE", r"gallery/([^/]+)", api_gallery.remove),
]


def find(method: str, path: str) -> tuple[Optional[Route], tuple[str, ...]]:
    """The route for a request and its path's groups, or (None, ())."""
    if path.startswith("/3/"):
        path = path.rstrip("/")
        if path.endswith(".json"):  # the old API accepted a .json suffix
            path = path[: -len(".json")]
    elif path != "/":
        path = path.rstrip("/") if not path.startswith(("/i/", "/a/")) else path
    method = "GET" if method == "HEAD" else method
    for route in ROUTES:
        match = route.pattern.fullmatch(path)
        if match and route.method in (ANY, method):
            return route, match.groups()
    return None, ()


def answer(ctx: Context, req: Request) -> Response:
    """The response to one request (no fault in force)."""
    route, args = find(req.method, req.path)
    if req.path.startswith("/3/"):
        return api.handle(ctx, req, route, args)
    if route is None:
        return site_pages.not_found(ctx, req)
    return route.handler(ctx, req, *args)
