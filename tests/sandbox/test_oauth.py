"""OAuth: the redirects after Allow/Deny and the token endpoint's three grants."""

from __future__ import annotations

import re

import pytest
from sandbox_helpers import authorize_url, redirect_parts

from imgur_kit.sandbox import Sandbox

HEX40 = re.compile(r"[0-9a-f]{40}")


def token_post(http, sandbox, app, **fields):
    data = {"client_id": app.client_id, "client_secret": app.client_secret, **fields}
    return http.post(f"{sandbox.base_url}/oauth2/token", data=data)


def test_allow_token_flow_redirects_with_state_in_query_and_tokens_in_fragment(sandbox, app):
    landing = sandbox.approve(authorize_url(sandbox, app, state="xyz"))
    assert landing.startswith("http://localhost:8765/callback?state=xyz#access_token=")
    query, fragment = redirect_parts(landing)
    assert query == {"state": "xyz"}
    assert list(fragment) == [
        "access_token",
        "expires_in",
        "token_type",
        "refresh_token",
        "account_username",
        "account_id",
    ]
    assert HEX40.fullmatch(fragment["access_token"]) and HEX40.fullmatch(fragment["refresh_token"])
    assert fragment["expires_in"] == "315360000" and fragment["token_type"] == "bearer"
    assert fragment["account_username"] == "sandbox-user" and fragment["account_id"].isdigit()


def test_state_is_optional(sandbox, app):
    landing = sandbox.approve(authorize_url(sandbox, app, state=None))
    assert landing.startswith("http://localhost:8765/callback#access_token=")


def test_deny_redirects_with_access_denied(sandbox, app):
    landing = sandbox.approve(authorize_url(sandbox, app, state="s9"), allow=False)
    assert landing == "http://localhost:8765/callback?error=access_denied&state=s9"


def test_callback_with_its_own_query_keeps_it(sandbox):
    app = sandbox.register_app(name="q", callback_url="https://example.org/cb?x=1")
    landing = sandbox.approve(authorize_url(sandbox, app, response_type="code"))
    assert landing.startswith("https://example.org/cb?x=1&state=s1&code=")


def test_no_callback_app_lands_on_the_sandbox(sandbox):
    app = sandbox.register_app(name="n", auth_type="no-callback")
    assert sandbox.approve(authorize_url(sandbox, app), allow=False).startswith(
        sandbox.base_url + "/oauth2/landing?error=access_denied"
    )


def test_code_flow_exchanges_once(http, sandbox, app):
    query, _ = redirect_parts(sandbox.approve(authorize_url(sandbox, app, response_type="code")))
    assert query["state"] == "s1" and HEX40.fullmatch(query["code"])
    r = token_post(http, sandbox, app, grant_type="authorization_code", code=query["code"])
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {
        "access_token",
        "expires_in",
        "token_type",
        "scope",
        "refresh_token",
        "account_id",
        "account_username",
    }
    assert body["token_type"] == "bearer" and body["scope"] is None and "data" not in body
    again = token_post(http, sandbox, app, grant_type="authorization_code", code=query["code"])
    assert again.status_code == 400 and again.json()["success"] is False


def test_pin_flow_exchanges_once(http, sandbox, app):
    landing = sandbox.approve(authorize_url(sandbox, app, response_type="pin"))
    assert landing.startswith(sandbox.base_url + "/oauth2/pin?pin=")
    pin = redirect_parts(landing)[0]["pin"]
    first = token_post(http, sandbox, app, grant_type="pin", pin=pin)
    assert first.status_code == 200 and first.json()["account_username"] == "sandbox-user"
    assert token_post(http, sandbox, app, grant_type="pin", pin=pin).status_code == 400


def test_code_of_another_client_is_refused(http, sandbox, app):
    other = sandbox.register_app(name="other")
    code = redirect_parts(sandbox.approve(authorize_url(sandbox, app, response_type="code")))[0]["code"]
    assert token_post(http, sandbox, other, grant_type="authorization_code", code=code).status_code == 400


def test_refresh_gives_a_new_working_access_token(http, sandbox, app, tokens):
    r = token_post(http, sandbox, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert r.status_code == 200
    body = r.json()
    assert body["access_token"] != tokens["access_token"]
    assert body["refresh_token"] == tokens["refresh_token"]  # live often returns the same one
    me = http.get(sandbox.base_url + "/3/account/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200


def test_refresh_can_omit_the_refresh_token(http):
    with Sandbox(refresh_returns_refresh_token=False) as sandbox:
        app = sandbox.default_app
        _, fragment = redirect_parts(sandbox.approve(authorize_url(sandbox, app)))
        body = token_post(
            http, sandbox, app, grant_type="refresh_token", refresh_token=fragment["refresh_token"]
        ).json()
        assert "refresh_token" not in body and HEX40.fullmatch(body["access_token"])


@pytest.mark.parametrize("refresh_token", ["0" * 40, ""])
def test_unknown_refresh_token_is_a_400_envelope(http, sandbox, app, refresh_token):
    r = token_post(http, sandbox, app, grant_type="refresh_token", refresh_token=refresh_token)
    assert r.status_code == 400
    assert r.json() == {
        "data": {"error": "Invalid refresh token", "request": "/oauth2/token", "method": "POST"},
        "success": False,
        "status": 400,
    }


def test_revoked_refresh_token_is_invalid(http, sandbox, app, tokens, bearer):
    sandbox.revoke_tokens(app.client_id)
    r = token_post(http, sandbox, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert r.json()["data"]["error"] == "Invalid refresh token"
    me = http.get(sandbox.base_url + "/3/account/me", headers=bearer)
    assert me.status_code == 403
    assert me.json()["data"]["error"] == "The access token provided is invalid."


def test_revoking_another_client_leaves_these_tokens(http, sandbox, app, bearer):
    sandbox.revoke_tokens(sandbox.register_app(name="x").client_id)
    assert http.get(sandbox.base_url + "/3/account/me", headers=bearer).status_code == 200
    sandbox.revoke_tokens()
    assert http.get(sandbox.base_url + "/3/account/me", headers=bearer).status_code == 403


@pytest.mark.parametrize(
    "change, message",
    [
        ({"client_secret": "f" * 40}, "Invalid client_secret"),
        ({"client_id": "f" * 15}, "Invalid client_id"),
        ({"grant_type": "password"}, "Invalid grant_type"),
    ],
)
def test_token_endpoint_checks_the_client(http, sandbox, app, tokens, change, message):
    fields = {
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "grant_type": "refresh_token",
        "refresh_token": tokens["refresh_token"],
        **change,
    }
    r = http.post(f"{sandbox.base_url}/oauth2/token", data=fields)
    assert r.status_code == 400 and r.json()["data"]["error"] == message


def test_token_endpoint_wants_post(http, sandbox):
    assert http.get(f"{sandbox.base_url}/oauth2/token").status_code == 405


def test_expired_token_is_refused_then_refresh_works(http, sandbox, app, tokens, bearer):
    sandbox.expire_token(tokens["access_token"])
    r = http.get(sandbox.base_url + "/3/account/me", headers=bearer)
    assert r.status_code == 403 and r.json()["data"]["error"] == "The access token provided is invalid."
    fresh = token_post(http, sandbox, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert fresh.status_code == 200


def test_expired_token_status_can_be_401(http):
    with Sandbox(expired_token_status=401, token_lifetime=3600) as sandbox:
        _, fragment = redirect_parts(sandbox.approve(authorize_url(sandbox, sandbox.default_app)))
        assert fragment["expires_in"] == "3600"
        sandbox.expire_token(fragment["access_token"])
        r = http.get(
            sandbox.base_url + "/3/account/me", headers={"Authorization": f"Bearer {fragment['access_token']}"}
        )
        assert r.status_code == 401


def test_expire_unknown_token_is_a_key_error(sandbox):
    with pytest.raises(KeyError):
        sandbox.expire_token("0" * 40)


def test_approve_raises_on_error_pages(sandbox):
    with pytest.raises(RuntimeError, match="Woah there"):
        sandbox.approve(f"{sandbox.base_url}/oauth2/authorize?client_id=nope&response_type=token")
    with pytest.raises(ValueError):
        sandbox.approve(f"{sandbox.base_url}/somewhere-else")


def test_consent_form_post_from_a_browser(http, sandbox, app):
    # What a browser sends when the Allow button is pressed.
    r = http.post(
        f"{sandbox.base_url}/oauth2/authorize",
        allow_redirects=False,
        data={"client_id": app.client_id, "response_type": "token", "state": "b", "action": "allow"},
    )
    assert r.status_code == 302 and "#access_token=" in r.headers["Location"]
    bad = http.post(
        f"{sandbox.base_url}/oauth2/authorize",
        allow_redirects=False,
        data={"client_id": app.client_id, "response_type": "token"},
    )
    assert bad.status_code == 400


def test_refresh_token_of_another_client_uses_the_other_wording(http, sandbox, tokens):
    other = sandbox.register_app(name="other")
    r = token_post(http, sandbox, other, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert r.status_code == 400
    assert r.json()["data"]["error"] == "Refresh token doesn't exist or is invalid for the client"
