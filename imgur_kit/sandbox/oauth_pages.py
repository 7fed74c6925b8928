"""The browser side of OAuth: the addclient form, the authorize page and where
it sends the browser (callback, PIN page, or the landing page for apps
registered without a callback).

Redirects to the sandbox's own pages (PIN, landing) are relative, so they stay
under whatever path prefix a proxy serves the sandbox at; a redirect to an
app's registered callback stays absolute: that URL is the app's, not ours.
"""

from __future__ import annotations

from typing import Optional
from urllib.parse import urlencode

from . import pages
from .context import Context
from .forms import FormError, parse_form
from .messages import Request, Response, UnsafeHeader, html_response, redirect
from .models import ACCOUNT_ID, AUTH_TYPES, USERNAME, App, unsafe_registration_fields

RESPONSE_TYPES = ("token", "code", "pin")


def addclient(ctx: Context, req: Request) -> Response:
    """GET shows the registration form; POST registers the application."""
    if req.method != "POST":
        return html_response(pages.addclient_form(root=req.root))
    try:
        form = parse_form(req.content_type, req.body)
    except FormError as exc:
        return html_response(pages.addclient_form(error=str(exc), root=req.root), 400)
    values = {
        key: (form.text(key) or "").strip()
        for key in ("name", "auth_type", "callback_url", "website", "email", "description")
    }
    error = _addclient_form_problem(values, bool(form.text("captcha")))
    if error:
        return html_response(pages.addclient_form(values, error, root=req.root))
    app = ctx.state.register(
        values["name"],
        values["auth_type"],
        values["callback_url"],
        email=values["email"],
        description=values["description"],
        website=values["website"],
    )
    return html_response(pages.addclient_done(app.name, app.client_id, app.client_secret, app.auth_type, root=req.root))


def _addclient_form_problem(values: dict[str, str], captcha: bool) -> Optional[str]:
    """What the addclient form refuses, in the live form's words: a missing field, a field that
    cannot be kept safely (:func:`~.models.unsafe_registration_fields`), or the captcha."""
    if not values["name"]:
        return "ERROR: Application name is required."
    if values["auth_type"] not in AUTH_TYPES:
        return "ERROR: Choose an authorization type."
    # Live, the callback field is required even for anonymous apps (any URL will do).
    if values["auth_type"] != "no-callback" and not values["callback_url"]:
        return "ERROR: Authorization callback URL is required."
    if "@" not in values["email"]:
        return "ERROR: A valid email address is required."
    unsafe = unsafe_registration_fields(
        name=values["name"],
        callback_url=values["callback_url"],
        email=values["email"],
        website=values["website"],
        description=values["description"],
    )
    if unsafe:
        return unsafe
    if not captcha:
        return "ERROR: Invalid Captcha"
    return None


def authorize(ctx: Context, req: Request) -> Response:
    """GET shows the consent page (or an error page); POST acts on Allow or Deny."""
    if req.method == "POST":
        try:
            form = parse_form(req.content_type, req.body)
        except FormError:
            return html_response(pages.woah(root=req.root), 400)
        fields = {k: form.text(k) for k in ("client_id", "response_type", "state", "action")}
        if form.text("allow") is not None:
            fields["action"] = "allow"
        elif form.text("deny") is not None:
            fields["action"] = "deny"
    else:
        fields = {k: req.arg(k) for k in ("client_id", "response_type", "state")}
    app = ctx.state.app(fields["client_id"])
    if app is None or fields["response_type"] not in RESPONSE_TYPES:
        return html_response(pages.woah(root=req.root), 400)
    if req.method != "POST":
        hidden = {k: v for k, v in fields.items() if v is not None}
        return html_response(pages.consent(app.name, hidden, root=req.root))
    if fields.get("action") not in ("allow", "deny"):
        return html_response(pages.woah(root=req.root), 400)
    try:
        return redirect(_after_consent(ctx, req, app, fields))
    except UnsafeHeader:  # a callback kept by an older sandbox, from before registration checked it
        return html_response(pages.woah(root=req.root), 400)


def _after_consent(ctx: Context, req: Request, app: App, fields: dict[str, Optional[str]]) -> str:
    state = fields.get("state")
    target = _redirect_target(app, req.root)
    if fields["action"] == "deny":
        return _with(target, [("error", "access_denied")] + _state(state))
    kind = fields["response_type"]
    if kind == "token":
        token = ctx.state.issue_tokens(app.client_id, USERNAME, ctx.token_lifetime)
        fragment = [
            ("access_token", token.token),
            ("expires_in", str(ctx.token_lifetime)),
            ("token_type", "bearer"),
            ("refresh_token", token.refresh_token),
            ("account_username", USERNAME),
            ("account_id", str(ACCOUNT_ID)),
        ]
        # Live: state in the query, tokens in the fragment (so they never reach a server).
        return _with(target, _state(state), fragment)
    if kind == "code":
        code = ctx.state.new_grant("code", app.client_id, USERNAME)
        return _with(target, _state(state) + [("code", code)])
    pin = ctx.state.new_grant("pin", app.client_id, USERNAME)
    return _with(req.root + "oauth2/pin", [("pin", pin)] + _state(state))


def _redirect_target(app: App, root: str) -> str:
    # Live, apps without a callback land on imgur.com; here, on a page that shows the URL.
    if app.auth_type == "no-callback" or not app.callback_url:
        return root + "oauth2/landing"
    return app.callback_url.split("#", 1)[0]


def _state(state: Optional[str]) -> list[tuple[str, str]]:
    return [("state", state)] if state is not None else []


def _with(url: str, query: list[tuple[str, str]], fragment: Optional[list[tuple[str, str]]] = None) -> str:
    if query:
        url += ("&" if "?" in url else "?") + urlencode(query)
    if fragment:
        url += "#" + urlencode(fragment)
    return url


def pin_page(ctx: Context, req: Request) -> Response:
    """The PIN page the pin flow ends on."""
    return html_response(pages.pin(req.arg("pin", ""), root=req.root))


def landing(ctx: Context, req: Request) -> Response:
    """Where apps without a callback URL land."""
    seen = req.base_url + req.path
    query = urlencode([(k, v) for k, values in req.query.items() for v in values])
    return html_response(pages.landing(seen + ("?" + query if query else ""), root=req.root))
