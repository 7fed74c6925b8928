"""ImgurClient: the API calls a first-time user needs, done carefully.

- The ``Authorization`` header is chosen per request by a ``requests`` auth callable:
  ``Client-ID`` without a token, ``Bearer`` with one, and nothing at all for any host
  other than the API's (an image link on another host never sees the token).
- The token is refreshed ahead of expiry, and once after a 401/403 that says it is
  invalid; several threads finding it expired share one refresh.
- Idempotent requests (GET, HEAD, DELETE) are retried with backoff by urllib3's
  ``Retry`` on the HTTP pool's adapter; uploads and other POSTs never are. A server's
  Retry-After is waited for only when short (:mod:`imgur_kit.transport`).
- Every call has a wall-clock deadline (retries and reading the answer included), not
  only a per-read timeout; every response updates :attr:`ImgurClient.rate_limits`; the
  ``{data, success, status}`` envelope is unwrapped, and an answer without the data an
  endpoint returns, like any failure, becomes an error of :mod:`imgur_kit.errors`.
"""

from __future__ import annotations

import os
import re
import threading
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Callable, Optional, Union
from urllib.parse import urljoin

import requests

from . import oauth
from .addresses import base_url_problem, seconds_setting
from .api import Api
from .api_auth import ImgurAuth, origin
from .arguments import checked_base_url, client_credentials, page_number, path_segment
from .errors import AuthError, AuthorizationError, ImgurError
from .pasted import form_text
from .rate_limits import CREDITS_NAMES, HEADER_NAMES, RateLimits
from .responses import error_from_response, read_json, response_text
from .tokens import Token, TokenKeeper, mask
from .transport import deadline, mount_retries, new_http, send_within
from .uploads import open_image, picture_type, remaining_size, shown_path

__all__ = ["ImgurClient", "RateLimits"]

_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
#: An API path: /3/ and segments of URL-safe characters, nothing that could change the host.
_API_PATH = re.compile(r"/3/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*")

DEFAULT_BASE_URL = oauth.DEFAULT_BASE_URL
Progress = Callable[[int, int], Any]
#: Bytes per second an upload is allowed beyond the timeout (a slow uplink) when no deadline is set.
_UPLOAD_RATE = 100_000


# --- the client ----------------------------------------------------------------------


class ImgurClient:
    """A client for the Imgur API (or the sandbox at ``base_url``).

    ``credentials`` is a :class:`~imgur_kit.credentials.Credentials` (or a bare Client ID);
    ``token`` an optional :class:`~imgur_kit.tokens.Token`. ``on_token_refresh(token)`` is
    called with each new token so it can be stored. ``token_keeper`` (a
    :class:`~imgur_kit.tokens.TokenKeeper`, e.g. ``CredentialStore().slot(client_id)``)
    shares the token with other programs: a token one of them already refreshed is
    used instead of refreshing again, and a new token is written back only where the
    one it replaces is still stored. An ``http`` (a ``requests.Session``) handed in is
    used and left open; otherwise the client owns one (close it with :meth:`close` or ``with``).
    ``timeout`` bounds each network step and, unless ``deadline`` says otherwise, each
    whole call (an upload gets extra time for its bytes at 100 kB/s). The constructor
    does no I/O; it refuses, in a sentence, credentials or a base URL that cannot work.
    """

    #: Refresh this many seconds before the token's stated expiry.
    refresh_leeway: float = 60.0

    def __init__(
        self,
        credentials: Any,
        token: Optional[Token] = None,
        *,
        base_url: str = DEFAULT_BASE_URL,
        http: Optional[requests.Session] = None,
        on_token_refresh: Optional[Callable[[Token], Any]] = None,
        token_keeper: Optional[TokenKeeper] = None,
        timeout: float = 30.0,
        retries: int = 3,
        deadline: Optional[float] = None,
    ) -> None:
        self.credentials = client_credentials(credentials)
        if token is not None and not isinstance(token, Token):
            raise ImgurError(f"token must be a Token (or None), not {type(token).__name__}.")
        self.base_url = checked_base_url(base_url)
        self.timeout = seconds_setting(timeout, "timeout")
        #: Seconds any one call may take in all (retries and reading the answer included);
        #: None means the timeout, plus time to send an upload's bytes at 100 kB/s.
        self.deadline = None if deadline is None else seconds_setting(deadline, "deadline")
        if not isinstance(retries, int) or isinstance(retries, bool) or not 0 <= retries <= 10:
            raise ImgurError(f"retries must be a whole number from 0 to 10, not {retries!r}.")
        self.retries = retries
        self.on_token_refresh = on_token_refresh
        self.token_keeper = token_keeper
        self.rate_limits = RateLimits()
        self._token = token
        self._refresh_lock = threading.RLock()
        self._auth = ImgurAuth(origin(self.base_url), lambda: self.credentials.client_id, self._fresh_token)
        self._api: Optional[Api] = None
        self._owns_http = http is None
        if http is None:
            self._http = new_http(self.retries, pool_maxsize=16)
        else:
            self._http = http
            mount_retries(http, self.base_url, self.retries)

    # -- token -------------------------------------------------------------------------

    @property
    def token(self) -> Optional[Token]:
        """The current token (None for anonymous, Client-ID calls)."""
        return self._token

    @token.setter
    def token(self, value: Optional[Token]) -> None:
        self._token = value

    @property
    def http(self) -> requests.Session:
        """The HTTP connection pool (a ``requests.Session``) every call goes through."""
        return self._http

    def _fresh_token(self) -> Optional[Token]:
        token = self._token
        if token is not None and token.refresh_token and token.is_expired(leeway=self.refresh_leeway):
            return self._refresh_unless_done(token.access_token)
        return token

    def _refresh_unless_done(self, stale_access_token: Optional[str]) -> Token:
        """Refresh, unless another thread or program already replaced the token ``stale_access_token``.

        The lock plus the re-check make a crowd of threads share one refresh; the
        keeper (when there is one) does the same for other programs: a newer stored
        token is used as it is, and a refused refresh looks there once more before
        the person is told to authorize again (the refresh token may have been
        rotated by the program that refreshed first).
        """
        with self._refresh_lock:
            current = self._token
            if current is None or not current.refresh_token:
                raise AuthorizationError("There is no refresh token to renew the access token with. Authorize again.")
            if stale_access_token is not None and current.access_token != stale_access_token:
                return current
            newer = self._newer_stored(current)
            if newer is not None:
                self._token = current = newer
                if stale_access_token is not None and not newer.is_expired(leeway=self.refresh_leeway):
                    return newer
            try:
                new = oauth.refresh(
                    self.credentials, current, base_url=self.base_url, http=self._http, timeout=self.timeout
                )
            except AuthorizationError:
                newer = self._newer_stored(current)
                if newer is None:
                    raise
                self._token = newer
                return newer
            self._token = new
            # Under the lock, so that stored tokens arrive in the order they were made.
            self._keep(current, new)
            return new

    def _newer_stored(self, current: Token) -> Optional[Token]:
        # A token another program stored for this app since ours was loaded, if any.
        if self.token_keeper is None:
            return None
        try:
            stored = self.token_keeper.latest()
        except ImgurError:
            return None  # an unreadable store is no news; refreshing as before is safe
        if stored is None or not stored.refresh_token or stored.access_token == current.access_token:
            return None
        return stored

    def _keep(self, old: Token, new: Token) -> None:
        # Hand the new token to whoever stores it; the call in progress must not fail
        # because saving did.
        try:
            if self.token_keeper is not None:
                self.token_keeper.replace(old, new)
            if self.on_token_refresh is not None:
                self.on_token_refresh(new)
        except Exception as exc:
            warnings.warn(
                f"The new token is in use, but saving it failed: {type(exc).__name__}: {exc}. "
                "It may not have been saved.",
                RuntimeWarning,
                stacklevel=3,
            )

    def refresh(self) -> Token:
        """Refresh the access token now (calls ``on_token_refresh``) and return the new token."""
        return self._refresh_unless_done(None)

    # -- plumbing ----------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return self.base_url + path

    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        data: Any = None,
        body: Optional[Callable[[], tuple]] = None,
        upload_bytes: int = 0,
    ) -> requests.Response:
        """Send once, or twice when a rejected token could be refreshed in between; all within one deadline."""
        seconds = self.deadline if self.deadline is not None else self.timeout + upload_bytes / _UPLOAD_RATE
        with deadline(seconds, url) as call:
            response = self._send_once(call, method, url, params, data, body)
            if response.status_code in (401, 403) and self._should_refresh(response):
                sent = str(response.request.headers.get("Authorization", ""))
                response.close()
                self._refresh_unless_done(sent[len("Bearer ") :])
                response = self._send_once(call, method, url, params, data, body)
            return response

    def _send_once(
        self,
        call: Any,
        method: str,
        url: str,
        params: Optional[Mapping[str, Any]],
        data: Any,
        body: Optional[Callable[[], tuple]],
    ) -> requests.Response:
        headers = None
        if body is not None:
            data, headers = body()  # a fresh multipart stream for each attempt
        response = send_within(
            call,
            self._http,
            method,
            url,
            timeout=self.timeout,
            params=params,
            data=data,
            headers=headers,
            auth=self._auth,
        )
        self.rate_limits = self.rate_limits.updated(response.headers, HEADER_NAMES)
        return response

    def _should_refresh(self, response: requests.Response) -> bool:
        token = self._token
        sent = str(response.request.headers.get("Authorization", "")) if response.request is not None else ""
        if token is None or not token.refresh_token or not getattr(self.credentials, "client_secret", None):
            return False
        if not sent.startswith("Bearer "):
            return False
        error = error_from_response(response)
        # Only a plain auth problem: not over capacity, credits, or a region block.
        return type(error) is AuthError and error.token_invalid

    @staticmethod
    def _data(response: requests.Response, expected: type = object) -> Any:
        """The ``data`` of a successful envelope, if it is an ``expected``; anything else raises the matching error.

        An answer that is not the envelope, or whose data is not what the endpoint
        returns (``{"data": null}``, a list for a dict...), is an :class:`ApiError`.
        """
        if not 200 <= response.status_code < 300:
            raise error_from_response(response)
        body = read_json(response_text(response))
        if not isinstance(body, dict) or "data" not in body or body.get("success") is False:
            raise error_from_response(response)
        data = body["data"]
        if not isinstance(data, expected):
            raise error_from_response(response)
        return data

    def _call(self, method: str, path: str, expected: type = object, **kwargs: Any) -> Any:
        return self._data(self._send(method, self._url(path), **kwargs), expected)

    # -- any request, and the grouped ones -----------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        data: Any = None,
        files: Optional[Mapping[str, Any]] = None,
    ) -> Any:
        """Make any request of the API and return the answer's ``data``.

        ``path`` is an API path such as ``/3/gallery/hot/viral/day/0`` (never a full address:
        the call always goes to this client's Imgur, with its credentials). ``params`` go in
        the query, ``data`` is the form, ``files`` maps field names to ``(filename, bytes or
        binary file, content type)`` for a multipart body. Everything of the typed calls
        applies: the token is refreshed when due, one deadline bounds the call, an error is
        a typed exception with a sentence, and :attr:`rate_limits` is updated.
        """
        verb = str(method).upper()
        if verb not in _METHODS:
            raise ImgurError(f"method must be one of {', '.join(_METHODS)}, not {method!r}.")
        if not isinstance(path, str) or not _API_PATH.fullmatch(path):
            raise ImgurError(
                f"path must be an API path such as /3/gallery/hot (no host, query or spaces), not {path!r}. "
                "Put query values in params=."
            )
        if not files:
            return self._call(verb, path, params=params, data=data)
        fields = [(str(k), form_text(v)) for k, v in (data.items() if isinstance(data, Mapping) else data or [])]
        fields += [(str(name), value) for name, value in files.items()]

        def body() -> tuple:
            from requests_toolbelt.multipart.encoder import MultipartEncoder

            for _name, value in files.items():
                stream = value[1] if isinstance(value, tuple) and len(value) > 1 else None
                if stream is not None and hasattr(stream, "seek"):
                    stream.seek(0)  # a second attempt (after a token refresh) starts from the beginning
            encoder = MultipartEncoder(fields=fields)
            return encoder, {"Content-Type": encoder.content_type}

        return self._data(self._send(verb, self._url(path), params=params, body=body))

    @property
    def api(self) -> Api:
        """The API's requests grouped as Imgur's docs group them (``client.api.gallery.section("hot")``)."""
        if self._api is None:
            self._api = Api(self)
        return self._api

    # -- endpoints ---------------------------------------------------------------------

    def credits(self) -> dict:
        """``GET /3/credits``: remaining credits; also updates :attr:`rate_limits`."""
        data = self._call("GET", "/3/credits", dict)
        self.rate_limits = self.rate_limits.updated(data, CREDITS_NAMES)
        return data

    def account(self, username: str = "me") -> dict:
        """``GET /3/account/{username}``; "me" (the default) needs a token."""
        return self._call("GET", f"/3/account/{path_segment(username)}", dict)

    def account_images(self, page: int = 0) -> list:
        """``GET /3/account/me/images/{page}``: the authorized user's images (needs a token)."""
        return self._call("GET", f"/3/account/me/images/{page_number(page)}", list)

    def image(self, image_id: str) -> dict:
        """``GET /3/image/{id}``: an image's details."""
        return self._call("GET", f"/3/image/{path_segment(image_id)}", dict)

    def delete_image(self, id_or_deletehash: str) -> bool:
        """``DELETE /3/image/{id or deletehash}``; True when Imgur confirms."""
        return bool(self._call("DELETE", f"/3/image/{path_segment(id_or_deletehash)}"))

    def create_album(
        self,
        *,
        ids: Iterable[str] = (),
        deletehashes: Iterable[str] = (),
        title: Optional[str] = None,
        description: Optional[str] = None,
        privacy: Optional[str] = None,
    ) -> dict:
        """``POST /3/album``: a new album (``ids`` when authorized, ``deletehashes`` when anonymous)."""
        form = [("ids[]", str(i)) for i in ids] + [("deletehashes[]", str(d)) for d in deletehashes]
        form += [
            (k, form_text(v))
            for k, v in (("title", title), ("description", description), ("privacy", privacy))
            if v is not None
        ]
        return self._call("POST", "/3/album", dict, data=form)

    def album(self, album_id: str) -> dict:
        """``GET /3/album/{id}``: an album's details."""
        return self._call("GET", f"/3/album/{path_segment(album_id)}", dict)

    def album_images(self, album_id: str) -> list:
        """``GET /3/album/{id}/images``: all images of an album (not paged)."""
        return self._call("GET", f"/3/album/{path_segment(album_id)}/images", list)

    def upload(
        self,
        image: Union[str, os.PathLike, bytes, bytearray, memoryview, BinaryIO],
        *,
        title: Optional[str] = None,
        description: Optional[str] = None,
        album: Optional[str] = None,
        name: Optional[str] = None,
        progress: Optional[Progress] = None,
    ) -> dict:
        """Upload an image (a path, bytes, or a binary file) with ``POST /3/image``.

        The file is streamed as multipart (field ``image`` plus ``type=file``, ``title``,
        ``description``, ``album``, ``name``), so a large file is not held in memory
        again. ``progress(sent_bytes, total_bytes)`` is called as it goes. Never retried.
        """
        # Deferred: only uploads need the streaming encoder, and importing the kit stays light.
        from requests_toolbelt.multipart.encoder import MultipartEncoder, MultipartEncoderMonitor

        stream, filename, close_after = open_image(image, name)
        try:
            start = stream.tell()
            head = stream.read(16)
            stream.seek(start)
            shown = shown_path(Path(image)) if isinstance(image, (str, os.PathLike)) else filename
            content_type, extension = picture_type(head, filename, shown=shown)
            filename = form_text(filename) if filename else f"upload{extension or '.bin'}"
            extra = [
                (k, form_text(v))
                for k, v in (("title", title), ("description", description), ("album", album), ("name", name))
                if v is not None
            ]

            def body() -> tuple:
                stream.seek(start)  # a second attempt (after a token refresh) starts from the beginning
                encoder = MultipartEncoder(
                    fields=[("image", (filename, stream, content_type)), ("type", "file")] + extra
                )
                total = encoder.len
                data: Any = encoder
                if progress is not None:
                    data = MultipartEncoderMonitor(encoder, lambda m: progress(min(m.bytes_read, total), total))
                return data, {"Content-Type": encoder.content_type}

            size = remaining_size(stream, start)
            response = self._send("POST", self._url("/3/image"), body=body, upload_bytes=size)
            uploaded = self._data(response, dict)
            if not isinstance(uploaded.get("link"), str) or not isinstance(uploaded.get("id"), str):
                raise error_from_response(response)  # an upload answer without a link is no upload
            return uploaded
        finally:
            if close_after:
                stream.close()

    def fetch(self, url_or_link: Union[str, Mapping[str, Any]]) -> bytes:
        """The bytes behind an image link (or an image dict with ``link``).

        Credentials go only to the API host: a link on another host (such as
        i.imgur.com) is fetched without any Authorization header.
        """
        link = url_or_link.get("link") if isinstance(url_or_link, Mapping) else url_or_link
        if not isinstance(link, str) or not link:
            raise ImgurError("fetch() needs an image link (a URL) or an image dict with a 'link'.")
        try:
            url = urljoin(self.base_url + "/", link)
        except ValueError:
            url = ""
        if base_url_problem(url):  # a server's link is checked like any address the kit calls
            raise ImgurError("fetch() takes an http:// or https:// image link (such as the 'link' of an upload).")
        response = self._send("GET", url)
        if not 200 <= response.status_code < 300:
            raise error_from_response(response)
        return response.content

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP connection pool if the client made it (one handed in stays open)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> ImgurClient:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        token = f"'{mask(self._token.access_token)}'" if self._token is not None else "None"
        return f"ImgurClient(base_url={self.base_url!r}, client_id={self.credentials.client_id!r}, token={token})"

    __str__ = __repr__
