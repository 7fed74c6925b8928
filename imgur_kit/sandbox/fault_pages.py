"""What the live service answers while a fault is in force (see faults.py for which paths each touches)."""

from __future__ import annotations

from . import pages
from .caller import Caller, authenticate
from .context import Context
from .faults import Fault
from .messages import Request, Response, html_response, json_response, redirect, too_many_requests

#: What the JSON form of over capacity says (mikf/gallery-dl#910, 2020; ShareX#8014, 2025).
OVER_CAPACITY = "Imgur is temporarily over capacity. Please try again later."


def fault_response(fault: Fault, ctx: Context, req: Request) -> Response:
    """The answer in place of the usual one; /3/ answers keep their rate-limit headers."""
    response = _fault_page(fault, req)
    if req.path.startswith("/3/"):
        # Every /3/ answer carries the rate-limit headers, even one from the edge.
        caller = authenticate(ctx, req)
        client_id = caller.client_id if isinstance(caller, Caller) else None
        response.headers.update(ctx.credits.snapshot(client_id).headers(is_post=req.method == "POST"))
    return response


def _fault_page(fault: Fault, req: Request) -> Response:
    if fault.name == "registration-closed":
        # Live, addclient 301-redirects to the home page since mid-2025. Relative
        # ("../"), so behind a path-prefix proxy the browser stays under the prefix.
        return redirect(req.root, 301)
    if fault.name == "error-1024":
        return html_response(pages.error_1024(root=req.root), 400)
    if fault.name == "region-blocked":
        return html_response(pages.region_blocked(), 403)
    if fault.name == "over-capacity":
        status = int(fault.options.get("status", 503))
        if fault.options.get("form") == "json":
            # Not the envelope: no request or method (the answer comes before the API reads it).
            return json_response({"data": {"error": OVER_CAPACITY}, "success": False, "status": status}, status)
        return html_response(pages.over_capacity(status), status)
    # "rate-limited": the newer 429 shape, seen even with credits left.
    return too_many_requests(fault.options.get("detail", "Too Many Requests"))
