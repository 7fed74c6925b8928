"""Live-service answer shapes the sandbox does not produce, through a real transport seam.

A requests transport adapter (the httpx MockTransport idea) answers with canned live
responses; the client and oauth run unchanged on top of it, nothing inside is patched.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
import requests
from core_helpers import craft_response
from requests.adapters import BaseAdapter

from imgur_kit import oauth
from imgur_kit.client import ImgurClient
from imgur_kit.credentials import Credentials
from imgur_kit.errors import ApiError, AuthorizationError, RateLimitError, ServiceUnavailableError
from imgur_kit.tokens import Token

CREDS = Credentials("1a2b3c4d5e6f7a8", "0123456789abcdef0123456789abcdef01234567")
TOKEN = Token(access_token="a1" * 20, refresh_token="b2" * 20)


class Canned(BaseAdapter):
    """Answers each request with the next canned (status, body, headers); keeps what was sent."""

    def __init__(self, *answers):
        super().__init__()
        self.answers = list(answers)
        self.sent = []

    def send(self, request, **kwargs):
        self.sent.append(request)
        status, body, headers = self.answers.pop(0)
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers = {"Content-Type": "application/json", **headers}
        response = craft_response(status, body, headers=headers, url=request.url, method=request.method)
        response.request = request
        return response

    def close(self):
        pass


def session_with(*answers):
    session = requests.Session()
    adapter = Canned(*answers)
    session.mount("https://", adapter)
    return session, adapter


def envelope(data, status=200, success=True):
    return {"data": data, "success": success, "status": status}


def test_refresh_token_unknown_for_the_client():
    body = {
        "data": {
            "error": "Refresh token doesn't exist or is invalid for the client",
            "request": "/oauth2/token",
            "method": "POST",
        },
        "success": False,
        "status": 400,
    }
    session, _ = session_with((400, body, {}))
    with pytest.raises(AuthorizationError, match="Authorize again"):
        oauth.refresh(CREDS, TOKEN, http=session)


def test_token_answer_is_form_encoded_with_client_credentials_and_read_plain_or_wrapped():
    plain = {
        "access_token": "c3" * 20,
        "expires_in": 2419200,
        "token_type": "bearer",
        "scope": None,
        "account_id": 1,
        "account_username": "u",
    }
    session, adapter = session_with((200, plain, {}), (200, envelope(plain), {}))
    first = oauth.refresh(CREDS, TOKEN, http=session)
    second = oauth.refresh(CREDS, TOKEN, http=session)
    assert first.access_token == second.access_token == "c3" * 20
    assert first.refresh_token == TOKEN.refresh_token  # none came back: the old one is kept
    sent = adapter.sent[0]
    assert sent.url == "https://api.imgur.com/oauth2/token"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = dict(pair.split("=") for pair in sent.body.split("&"))
    assert form["client_id"] == CREDS.client_id and form["client_secret"] == CREDS.client_secret
    assert form["grant_type"] == "refresh_token" and form["refresh_token"] == TOKEN.refresh_token
    assert "Authorization" not in sent.headers


def test_token_endpoint_answering_html():
    session, _ = session_with((200, "<html><body>Imgur is over capacity</body></html>", {"Content-Type": "text/html"}))
    with pytest.raises(ServiceUnavailableError):
        oauth.refresh(CREDS, TOKEN, http=session)


def test_upload_too_fast_gives_retry_after_from_the_text():
    body = {
        "data": {
            "error": {
                "code": 429,
                "message": "You are uploading too fast. Please wait 7 more minutes.",
                "type": "ImgurException",
                "exception": [],
            },
            "request": "/3/image",
            "method": "POST",
        },
        "success": False,
        "status": 429,
    }
    session, adapter = session_with((429, body, {}))
    with ImgurClient(CREDS, http=session) as client:
        with pytest.raises(RateLimitError) as caught:
            client.upload(b"\x89PNG\r\n\x1a\n")
    assert caught.value.retry_after == 420
    assert len(adapter.sent) == 1


def test_user_reset_in_seconds_is_read_as_from_now():
    headers = {
        "X-RateLimit-UserLimit": "500",
        "X-RateLimit-UserRemaining": "499",
        "X-RateLimit-UserReset": "3600",
        "X-RateLimit-ClientLimit": "12500",
        "X-RateLimit-ClientRemaining": "12400",
        "x-ratelimit-clientreset": "86400",
    }
    session, _ = session_with((200, envelope({"id": "abc1234"}), headers))
    with ImgurClient(CREDS, http=session) as client:
        client.image("abc1234")
        reset = client.rate_limits.user_reset
    now = datetime.now(timezone.utc)
    assert now + timedelta(minutes=59) < reset <= now + timedelta(minutes=61)
    assert client.rate_limits.client_remaining == 12400


def test_html_where_json_was_due_in_a_200():
    page = "<!doctype html><title>Sign in to the Wi-Fi</title>"
    session, _ = session_with((200, page, {"Content-Type": "text/html"}))
    with ImgurClient(CREDS, http=session) as client:
        with pytest.raises(ServiceUnavailableError, match="web page"):
            client.credits()


def test_envelope_failure_inside_a_200():
    session, _ = session_with((200, envelope({"error": "Something odd"}, status=400, success=False), {}))
    with ImgurClient(CREDS, http=session) as client:
        with pytest.raises(ApiError, match="Something odd"):
            client.credits()


def test_over_capacity_403_with_a_token_is_not_refreshed():
    body = {
        "data": {"error": "Imgur is temporarily over capacity. Please try again later."},
        "success": False,
        "status": 403,
    }
    session, adapter = session_with((403, body, {}))
    with ImgurClient(CREDS, TOKEN, http=session) as client:
        with pytest.raises(ServiceUnavailableError):
            client.account()
    assert [r.path_url for r in adapter.sent] == ["/3/account/me"]


def test_tokens_go_to_the_api_host_only():
    session, adapter = session_with(
        (200, envelope({"link": "https://i.imgur.com/abc1234.png"}), {}),
        (200, b"\x89PNG...", {"Content-Type": "image/png"}),
    )
    with ImgurClient(CREDS, TOKEN, http=session) as client:
        image = client.image("abc1234")
        assert client.fetch(image) == b"\x89PNG..."
    to_api, to_cdn = adapter.sent
    assert to_api.headers["Authorization"] == f"Bearer {TOKEN.access_token}"
    assert to_cdn.url == "https://i.imgur.com/abc1234.png" and "Authorization" not in to_cdn.headers


def test_session_default_authorization_is_stripped_off_host():
    session, adapter = session_with((200, b"x", {}))
    session.headers["Authorization"] = "Bearer leaked"
    with ImgurClient(CREDS, TOKEN, http=session) as client:
        client.fetch("https://elsewhere.example/x.png")
    assert "Authorization" not in adapter.sent[0].headers
