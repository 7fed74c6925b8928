"""POST /oauth2/token: the three grants, answered as the live service does.

Success is plain JSON without the {data, success, status} envelope; errors
are a 400 in the envelope ("Invalid refresh token"). OAuth calls cost no
credits.
"""

from __future__ import annotations

from .context import Context
from .forms import FormError, parse_form
from .messages import Request, Response, error_envelope, json_response
from .models import ACCOUNT_ID, AccessToken


def token(ctx: Context, req: Request) -> Response:
    """Exchange a refresh token, an authorization code or a PIN for tokens."""
    if req.method != "POST":
        return error_envelope("Method not allowed; POST form fields to this endpoint.", req, 405)
    try:
        form = parse_form(req.content_type, req.body)
    except FormError as exc:
        return error_envelope(str(exc), req, 400)
    app = ctx.state.app(form.text("client_id"))
    if app is None:
        return error_envelope("Invalid client_id", req, 400)
    if form.text("client_secret") != app.client_secret:
        return error_envelope("Invalid client_secret", req, 400)
    grant_type = form.text("grant_type")
    if grant_type == "refresh_token":
        access, why = ctx.state.refresh_access(
            app.client_id, form.text("refresh_token") or "", ctx.token_lifetime, rotate=ctx.rotate_refresh_tokens
        )
        if access is None:
            # Both wordings have been reported live; a client must read either.
            message = (
                "Refresh token doesn't exist or is invalid for the client"
                if why == "other-client"
                else "Invalid refresh token"
            )
            return error_envelope(message, req, 400)
        return json_response(_body(ctx, access, with_refresh=ctx.refresh_returns_refresh_token))
    if grant_type in ("authorization_code", "pin"):
        kind = "code" if grant_type == "authorization_code" else "pin"
        grant = ctx.state.take_grant(kind, form.text(kind) or "", app.client_id)
        if grant is None:
            message = "Invalid authorization code" if kind == "code" else "Invalid pin"
            return error_envelope(message, req, 400)
        access = ctx.state.issue_tokens(app.client_id, grant.username, ctx.token_lifetime)
        return json_response(_body(ctx, access, with_refresh=True))
    return error_envelope("Invalid grant_type", req, 400)


def _body(ctx: Context, access: AccessToken, *, with_refresh: bool) -> dict:
    body = {
        "access_token": access.token,
        "expires_in": ctx.token_lifetime,
        "token_type": "bearer",
        "scope": None,
        "refresh_token": access.refresh_token,
        "account_id": ACCOUNT_ID,
        "account_username": access.username,
    }
    if not with_refresh:
        # Lets a client prove it keeps the refresh token it already had.
        del body["refresh_token"]
    return body
