"""The request and response values passed between the server and the handlers,
and the JSON shapes the live API answers with.

Handlers are plain functions from a Request to a Response; only server.py
touches sockets, which keeps each handler easy to read and to test.
"""

from __future__ import annotations

import json
import string
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Optional, Protocol, Union, overload
from urllib.parse import parse_qs, quote

from .forms import ReadBody
from .models import has_control_characters
from .spool import Spool

#: What may stand in a header as it is; anything else (non-ASCII) is percent-encoded.
_HEADER_SAFE = "".join(c for c in string.printable if c not in string.whitespace or c == " ")
#: What may stand in a URL as it is (a space is not: it becomes %20).
_URL_SAFE = _HEADER_SAFE.replace(" ", "")


class UnsafeHeader(ValueError):
    """A header value holds a line break or another control character."""


def header_value(value: object) -> str:
    """``value`` as it may be sent in a header: refused (UnsafeHeader) when it holds a control
    character, which would end the header and start another; non-ASCII percent-encoded
    (a header is Latin-1 at best, and a URL in one is read as UTF-8 percent-encoded)."""
    text = str(value)
    if has_control_characters(text):
        raise UnsafeHeader("A header value holds a control character.")
    return text if text.isascii() else quote(text, safe=_HEADER_SAFE)


@dataclass
class Request:
    """One HTTP request, already read off the socket."""

    method: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: Any  # an email.message.Message (case-insensitive .get)
    #: The body as the server read it: ``parse_form(req.content_type, req.body)`` gives its form.
    body: Union[ReadBody, bytes]
    base_url: str
    #: Makes a handler's own large values (a decoded upload), removed when the request ends unless kept.
    spool: Spool = field(default_factory=Spool)

    @classmethod
    def parse_query(cls, text: str) -> dict[str, list[str]]:
        """``a=1&b=2`` as a dict of lists (blank values kept)."""
        return parse_qs(text, keep_blank_values=True)

    @overload
    def arg(self, name: str) -> Optional[str]: ...
    @overload
    def arg(self, name: str, default: str) -> str: ...

    def arg(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else default

    @property
    def root(self) -> str:
        """The way from this page back to the sandbox's home, as a relative URL.

        Links, form actions and redirects to the sandbox's own pages are built on
        it ("../oauth2/addclient" from /oauth2/authorize), never on ``base_url``:
        behind a proxy that serves the sandbox under a path prefix (Binder's
        jupyter-server-proxy, ``/user/x/proxy/PORT/``), a relative URL still lands
        under the prefix while an absolute one points at a host the browser cannot reach.
        """
        depth = self.path.count("/") - 1
        return "../" * depth if depth > 0 else "./"

    @property
    def content_type(self) -> str:
        """The Content-Type header (may be empty)."""
        return self.headers.get("Content-Type", "") or ""


class Stream(Protocol):
    """A body sent in pieces (an image's file): ``size`` bytes, then closed."""

    size: int

    def pieces(self) -> Iterator[bytes]: ...

    def close(self) -> None: ...


@dataclass
class Response:
    """What to send back: status, headers and body (``stream``, when set, is sent instead of ``body``)."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain; charset=utf-8"
    stream: Optional[Stream] = None


def json_response(payload: Any, status: int = 200, *, content_type: str = "application/json") -> Response:
    """A JSON body as is (the token endpoint answers without the envelope)."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    return Response(status, body, content_type=content_type)


def envelope(data: Any, status: int = 200) -> Response:
    """The live API's success shape: ``{"data": ..., "success": true, "status": 200}``."""
    return json_response({"data": data, "success": True, "status": status}, status)


def error_envelope(error: Any, request: Request, status: int) -> Response:
    """The live API's error shape, naming the path and method asked for."""
    return json_response(
        {
            "data": {"error": error, "request": request.path, "method": request.method},
            "success": False,
            "status": status,
        },
        status,
    )


def html_response(page: str, status: int = 200) -> Response:
    """An HTML page."""
    return Response(status, page.encode("utf-8"), content_type="text/html; charset=utf-8")


def redirect(location: str, status: int = 302) -> Response:
    """A redirect (with a tiny body for the curious); a non-ASCII location is percent-encoded,
    as a browser would, and one with a control character raises UnsafeHeader."""
    response = Response(status, b"", content_type="text/html; charset=utf-8")
    response.headers["Location"] = quote(header_value(location), safe=_URL_SAFE)
    return response


#: The content type of the newer error shape (s0hv/rust-imgur-upload#5, phin05/discord-rich-presence-plex#118).
IMGUR_V1_JSON = "application/vnd.imgur.v1+json"


def too_many_requests(detail: str = "Too Many Requests") -> Response:
    """The 429 the live service has sent since 2019 when credits run out: ``{"errors": [...]}``,
    not the envelope, with its own content type and an ``Imgur-Media-Type`` header."""
    response = json_response(
        {
            "errors": [
                {
                    "id": f"legacy-api-{uuid.uuid4().hex[:10]}-{uuid.uuid4().hex[:5]}/{uuid.uuid4().hex[:10]}",
                    "code": "429",
                    "status": "Too Many Requests",
                    "detail": detail,
                }
            ]
        },
        429,
        content_type=IMGUR_V1_JSON,
    )
    response.headers["Imgur-Media-Type"] = "imgur.v1; param=full; format=json"
    return response
