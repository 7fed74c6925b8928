"""How a /3/ request is answered: who is calling, what it costs, then its handler.

Every /3/ response carries the rate-limit headers, errors included, as the
live service's do. An upload costs 10 credits, other calls 1, and /3/credits
nothing (so a rate-limit meter can poll it without spending). The endpoints
themselves are listed in routes.py with their cost.
"""

from __future__ import annotations

from typing import Optional

from .caller import Caller, authenticate
from .context import Context
from .credits import TOO_MANY
from .messages import Request, Response, envelope, error_envelope, too_many_requests
from .route import Route

#: What an endpoint nobody has costs, as live.
UNKNOWN_ENDPOINT_COST = 1


def handle(ctx: Context, req: Request, route: Optional[Route], args: tuple[str, ...]) -> Response:
    """Answer one /3/ request (``route`` None: no such endpoint), rate-limit headers included."""
    caller = authenticate(ctx, req)
    if isinstance(caller, Response):
        response = caller
    else:
        cost = route.cost if route is not None and route.cost is not None else UNKNOWN_ENDPOINT_COST
        spent = ctx.credits.spend(caller.client_id, cost, is_post=req.method == "POST")
        if spent == TOO_MANY:
            response = too_many_requests()
        elif spent is not None:
            response = error_envelope(spent, req, 429)
        elif route is None:
            response = error_envelope(f"Unable to find the endpoint {req.method} {req.path}", req, 404)
        else:
            response = route.handler(ctx, req, caller, *args)
    return _metered(ctx, req, response, caller)


def edge_answer(ctx: Context, req: Request, response: Response) -> Response:
    """An answer given in front of the API (a fault's) as sent: on a /3/ path it still carries
    the rate-limit headers, as every /3/ answer does live, even one from the edge."""
    if not req.path.startswith("/3/"):
        return response
    return _metered(ctx, req, response, authenticate(ctx, req))


def _metered(ctx: Context, req: Request, response: Response, caller: Caller | Response) -> Response:
    client_id = caller.client_id if isinstance(caller, Caller) else None
    response.headers.update(ctx.credits.snapshot(client_id).headers(is_post=req.method == "POST"))
    return response


def credits(ctx: Context, req: Request, who: Caller) -> Response:
    """GET /3/credits: what is left for this app and its user."""
    return envelope(ctx.credits.snapshot(who.client_id).credits())
