"""The /3/ API: envelope, auth rules, rate-limit headers, credits, account."""

from __future__ import annotations

import time

import pytest

RATE_HEADERS = [
    "X-RateLimit-UserLimit",
    "X-RateLimit-UserRemaining",
    "X-RateLimit-UserReset",
    "X-RateLimit-ClientLimit",
    "X-RateLimit-ClientRemaining",
    "X-RateLimit-ClientReset",
]
#: Only POST answers carry these (the docs; every captured dump with them is a POST's).
POST_HEADERS = [
    "X-Post-Rate-Limit-Limit",
    "X-Post-Rate-Limit-Remaining",
    "X-Post-Rate-Limit-Reset",
]


def test_credits_in_the_envelope(http, sandbox, client_auth):
    r = http.get(sandbox.base_url + "/3/credits", headers=client_auth)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert body["success"] is True and body["status"] == 200
    assert set(body["data"]) == {"UserLimit", "UserRemaining", "UserReset", "ClientLimit", "ClientRemaining"}
    assert body["data"]["ClientLimit"] == 12500
    assert body["data"]["UserReset"] > time.time()  # an epoch, as the docs say


@pytest.mark.parametrize("path", ["/3/credits", "/3/account/me", "/3/image/nope", "/3/no/such/endpoint"])
@pytest.mark.parametrize("auth", ["client", "bearer", "bad-client", "none"])
def test_rate_limit_headers_on_every_response(http, sandbox, client_auth, bearer, path, auth):
    headers = {
        "client": client_auth,
        "bearer": bearer,
        "none": {},
        "bad-client": {"Authorization": "Client-ID 123456789abcdef"},
    }[auth]
    r = http.get(sandbox.base_url + path, headers=headers)
    for name in RATE_HEADERS:
        assert r.headers[name].isdigit(), name
    assert int(r.headers["X-RateLimit-UserReset"]) > time.time()
    assert int(r.headers["X-RateLimit-ClientReset"]) <= 86400  # seconds, not an epoch
    assert not any(name in r.headers for name in POST_HEADERS)  # a GET
    posted = http.post(sandbox.base_url + path, headers=headers)
    for name in RATE_HEADERS + POST_HEADERS:
        assert posted.headers[name].isdigit(), name
    assert int(posted.headers["X-Post-Rate-Limit-Reset"]) <= 3600  # seconds, not an epoch


def test_missing_authorization_is_401(http, sandbox):
    r = http.get(sandbox.base_url + "/3/credits")
    assert r.status_code == 401
    assert r.json() == {
        "data": {"error": "Authentication required", "request": "/3/credits", "method": "GET"},
        "success": False,
        "status": 401,
    }


def test_unknown_client_id_is_403(http, sandbox):
    r = http.get(sandbox.base_url + "/3/credits", headers={"Authorization": "Client-ID 123456789abcdef"})
    assert r.status_code == 403 and r.json()["data"]["error"] == "Invalid client_id"


def test_unknown_bearer_is_403_invalid_token(http, sandbox):
    r = http.get(sandbox.base_url + "/3/account/me", headers={"Authorization": "Bearer " + "a" * 40})
    assert r.status_code == 403
    assert r.json()["data"] == {
        "error": "The access token provided is invalid.",
        "request": "/3/account/me",
        "method": "GET",
    }


def test_me_needs_a_bearer_token(http, sandbox, client_auth, bearer):
    assert http.get(sandbox.base_url + "/3/account/me", headers=client_auth).status_code == 401
    me = http.get(sandbox.base_url + "/3/account/me", headers=bearer).json()["data"]
    assert me["url"] == "sandbox-user" and isinstance(me["id"], int)
    assert {"bio", "avatar", "reputation", "created", "pro_expiration"} <= set(me)


def test_account_by_name_works_with_a_client_id(http, sandbox, client_auth):
    assert http.get(sandbox.base_url + "/3/account/sandbox-user", headers=client_auth).status_code == 200
    assert http.get(sandbox.base_url + "/3/account/someone-else", headers=client_auth).status_code == 404


def test_calls_spend_credits_and_oauth_does_not(http, sandbox, app, client_auth):
    def remaining():
        return int(
            http.get(sandbox.base_url + "/3/credits", headers=client_auth).headers["X-RateLimit-ClientRemaining"]
        )

    start = remaining()
    http.get(sandbox.base_url + "/3/account/sandbox-user", headers=client_auth)
    assert remaining() == start - 1  # /3/credits itself is free
    sandbox.approve(f"{sandbox.base_url}/oauth2/authorize?client_id={app.client_id}&response_type=token")
    assert remaining() == start - 1


def test_spent_client_credits_give_the_newer_429(http, sandbox, client_auth):
    # Captured since 2019 (ShareX#4335, rust-imgur-upload#7, PyImgur's 2025 tests); 2016 had the envelope.
    sandbox.set_credits(client_remaining=0)
    r = http.get(sandbox.base_url + "/3/account/sandbox-user", headers=client_auth)
    assert r.status_code == 429 and r.headers["Content-Type"] == "application/vnd.imgur.v1+json"
    [error] = r.json()["errors"]
    assert error["code"] == "429" and error["status"] == error["detail"] == "Too Many Requests"
    assert error["id"].startswith("legacy-api-")
    assert r.headers["Imgur-Media-Type"] == "imgur.v1; param=full; format=json"
    assert r.headers["X-RateLimit-ClientRemaining"] == "0"


def test_spent_user_credits_give_a_429(http, sandbox, client_auth):
    sandbox.set_credits(user_remaining=0)
    r = http.get(sandbox.base_url + "/3/account/sandbox-user", headers=client_auth)
    assert r.status_code == 429 and r.json()["errors"][0]["detail"] == "Too Many Requests"


def test_spent_post_credits_say_uploading_too_fast(http, sandbox, client_auth):
    sandbox.set_credits(post_remaining=0)
    r = http.post(sandbox.base_url + "/3/album", headers=client_auth, data={"title": "t"})
    assert r.status_code == 429
    assert r.json()["data"]["error"].startswith("You are uploading too fast. Please wait ")


def test_credits_apply_to_apps_registered_later_in_full(http, sandbox):
    sandbox.set_credits(client_remaining=3)
    later = sandbox.register_app(name="later")
    r = http.get(sandbox.base_url + "/3/credits", headers={"Authorization": f"Client-ID {later.client_id}"})
    assert r.json()["data"]["ClientRemaining"] == 12500


def test_unknown_endpoint_is_a_404_envelope(http, sandbox, client_auth):
    r = http.get(sandbox.base_url + "/3/no-such-thing/hot", headers=client_auth)
    assert r.status_code == 404 and r.json()["success"] is False
    assert r.json()["data"]["request"] == "/3/no-such-thing/hot"


def test_json_suffix_and_trailing_slash(http, sandbox, client_auth):
    assert http.get(sandbox.base_url + "/3/credits.json", headers=client_auth).status_code == 200
    assert http.get(sandbox.base_url + "/3/credits/", headers=client_auth).status_code == 200


def test_account_images_need_the_owner(http, sandbox, client_auth, bearer):
    assert http.get(sandbox.base_url + "/3/account/me/images", headers=client_auth).status_code == 401
    assert http.get(sandbox.base_url + "/3/account/other/images", headers=bearer).status_code == 403
    r = http.get(sandbox.base_url + "/3/account/me/images", headers=bearer)
    assert r.status_code == 200 and r.json()["data"] == []
    assert http.get(sandbox.base_url + "/3/account/me/images/count", headers=bearer).json()["data"] == 0
