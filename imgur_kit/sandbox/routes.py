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

import re
from dataclasses import dataclass
from typing import Callable, Optional

from . import api, api_account, api_albums, api_images, avatars, oauth_pages, oauth_token, site_pages
from .context import Context
from .credits import UPLOAD_COST
from .messages import Request, Response

ANY = "*"


@dataclass(frozen=True)
class Route:
    """One page or endpoint: its method, its path, who answers, and (for /3/) what it costs."""

    method: str
    pattern: re.Pattern[str]
    handler: Callable[..., Response]
    cost: Optional[int] = None  # None: a page, not an API endpoint


def page(pattern: str, handler: Callable[..., Response], method: str = ANY) -> Route:
    """A page a browser opens."""
    return Route(method, re.compile(pattern), handler)


def endpoint(method: str, pattern: str, handler: Callable[..., Response], cost: int = 1) -> Route:
    """A /3/ API endpoint (``pattern`` is what follows /3/) and its cost in credits."""
    return Route(method, re.compile(f"/3/(?:{pattern})"), handler, cost)


ROUTES: list[Route] = [
    # Pages: home, the OAuth pages, the token endpoint, uploaded bytes, albums.
    page(r"/", site_pages.home),
    page(r"/sandbox/proof", site_pages.proof),
    page(r"/oauth2/addclient", oauth_pages.addclient),
    page(r"/oauth2/authorize", oauth_pages.authorize),
    page(r"/oauth2/token", oauth_token.token),
    page(r"/oauth2/pin", oauth_pages.pin_page),
    page(r"/oauth2/landing", oauth_pages.landing),
    page(r"/i/(.+)", api_images.serve),
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
