"""What the live service answers while a fault is in force: one function per fault, read from its row
in ``faults.FAULTS``. Each takes the fault's options and the request and gives the answer to send,
None for the usual answer, or ``DROP`` for no answer at all."""

from __future__ import annotations

import time
from typing import Optional, Union

from . import pages
from .messages import Request, Response, html_response, json_response, redirect, too_many_requests

#: What the JSON form of over capacity says (mikf/gallery-dl#910, 2020; ShareX#8014, 2025).
OVER_CAPACITY = "Imgur is temporarily over capacity. Please try again later."


class Dropped:
    """The answer of a connection reset on the way: no status line, no bytes at all."""

    def __repr__(self) -> str:
        return "DROP"


DROP = Dropped()

#: What a fault's function gives: an answer, None (the usual answer), or DROP.
Outcome = Union[Response, None, Dropped]


def registration_closed(options: dict, req: Request) -> Outcome:
    # Live, addclient 301-redirects to the home page since mid-2025. Relative
    # ("../"), so behind a path-prefix proxy the browser stays under the prefix.
    return redirect(req.root, 301)


def error_1024(options: dict, req: Request) -> Outcome:
    return html_response(pages.error_1024(root=req.root), 400)


def region_blocked(options: dict, req: Request) -> Outcome:
    return html_response(pages.region_blocked(), 403)


def over_capacity(options: dict, req: Request) -> Outcome:
    status = int(options.get("status", 503))
    if options.get("form") == "json":
        # Not the envelope: no request or method (the answer comes before the API reads it).
        return json_response({"data": {"error": OVER_CAPACITY}, "success": False, "status": status}, status)
    return html_response(pages.over_capacity(status), status)


def rate_limited(options: dict, req: Request) -> Outcome:
    # The newer 429 shape, seen even with credits left.
    return too_many_requests(options.get("detail", "Too Many Requests"))


def slow(options: dict, req: Request) -> Optional[Response]:
    # The usual answer, late.
    time.sleep(float(options.get("seconds", 2)))
    return None


def drop(options: dict, req: Request) -> Outcome:
    return DROP
