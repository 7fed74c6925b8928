"""The error tree (errors.py) and its one translator (responses.py), over every response shape Imgur has used."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from imgur_kit import errors, responses
from imgur_kit.errors import (
    ApiError,
    AuthError,
    AuthorizationError,
    CredentialsError,
    ImgurError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    RegionBlockedError,
    ServiceUnavailableError,
)
from imgur_kit.redaction import redact
from imgur_kit.responses import error_from_response
from imgur_kit.wording import reset_time

SECRET = "0123456789abcdef0123456789abcdef01234567"


def envelope(error, status, request="/3/image/abc", method="GET"):
    return {"data": {"error": error, "request": request, "method": method}, "success": False, "status": status}


def test_tree_is_drawn_in_the_docstring_and_matches():
    for name in (
        "ImgurError",
        "CredentialsError",
        "AuthorizationError",
        "NetworkError",
        "ApiError",
        "AuthError",
        "NotFoundError",
        "RateLimitError",
        "ServiceUnavailableError",
        "RegionBlockedError",
    ):
        assert name in errors.__doc__
    assert issubclass(CredentialsError, ValueError)
    for cls in (AuthError, NotFoundError, RateLimitError, ServiceUnavailableError, RegionBlockedError):
        assert issubclass(cls, ApiError) and issubclass(cls, ImgurError)
    for cls in (CredentialsError, AuthorizationError, NetworkError):
        assert issubclass(cls, ImgurError) and not issubclass(cls, ApiError)


def test_string_error_in_envelope(make_response):
    error = error_from_response(make_response(400, json=envelope("No image data was sent to the upload api", 400)))
    assert type(error) is ApiError
    assert error.status == 400
    assert error.message == "No image data was sent to the upload api"
    assert error.request == "/3/image/abc" and error.method == "GET"
    assert "No image data" in str(error) and "Check" in str(error)


def test_object_error_in_envelope(make_response):
    body = envelope(
        {
            "code": 429,
            "message": "You are uploading too fast. Please wait 7 more minutes.",
            "type": "ImgurException",
            "exception": [],
        },
        429,
    )
    error = error_from_response(make_response(429, json=body))
    assert isinstance(error, RateLimitError)
    assert error.message.startswith("You are uploading too fast")
    assert error.retry_after == 7 * 60
    assert "7 minutes" in str(error)


def test_newer_errors_shape_429(make_response):
    body = {
        "errors": [
            {"id": "legacy-api-abc", "code": "429", "status": "Too Many Requests", "detail": "Too Many Requests"}
        ]
    }
    response = make_response(429, jsonlib_dump(body), headers={"Content-Type": "application/vnd.imgur.v1+json"})
    error = error_from_response(response)
    assert isinstance(error, RateLimitError)
    assert error.status == 429 and error.message == "Too Many Requests"


def jsonlib_dump(value):
    import json

    return json.dumps(value).encode()


def test_rate_limit_reset_as_epoch(make_response):
    epoch = int(time.time()) + 1800
    error = error_from_response(
        make_response(
            429, json=envelope("Daily client requests exceeded", 429), headers={"X-RateLimit-UserReset": str(epoch)}
        )
    )
    assert isinstance(error, RateLimitError)
    assert error.reset_at == datetime.fromtimestamp(epoch, tz=timezone.utc)
    assert error.reset_at.tzinfo is not None
    assert "Client ID" in str(error)  # says what to do when it happens every time


def test_rate_limit_reset_as_seconds(make_response):
    before = datetime.now(timezone.utc)
    error = error_from_response(
        make_response(429, json=envelope("Too Many Requests", 429), headers={"X-RateLimit-UserReset": "3600"})
    )
    assert before + timedelta(seconds=3590) <= error.reset_at <= datetime.now(timezone.utc) + timedelta(seconds=3610)


def test_retry_after_from_post_rate_limit_header(make_response):
    body = {"data": {"error": "Too Many Requests", "request": "/3/image"}, "success": False, "status": 429}
    error = error_from_response(
        make_response(429, json=body, method="POST", headers={"X-Post-Rate-Limit-Reset": "120"})
    )
    assert error.retry_after == 120
    assert "2 minutes" in str(error)
    spent = error_from_response(
        make_response(429, json=body, headers={"X-Post-Rate-Limit-Reset": "90", "X-Post-Rate-Limit-Remaining": "0"})
    )
    assert spent.retry_after == 90
    # A GET that hit the request limit learns nothing from the upload limit's clock.
    get = error_from_response(
        make_response(
            429,
            json=envelope("Too Many Requests", 429),
            headers={"X-Post-Rate-Limit-Reset": "120", "X-Post-Rate-Limit-Remaining": "1200"},
        )
    )
    assert get.retry_after is None


def test_retry_after_header(make_response):
    error = error_from_response(
        make_response(429, json=envelope("Too Many Requests", 429), headers={"Retry-After": "30"})
    )
    assert error.retry_after == 30 and "30 seconds" in str(error)


def test_reset_time_reads_both_readings():
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    assert reset_time("3600", now=now) == now + timedelta(hours=1)
    assert reset_time(1735693200, now=now) == datetime(2025, 1, 1, 1, 0, tzinfo=timezone.utc)
    assert reset_time("soon", now=now) is None
    assert reset_time(None, now=now) is None
    assert reset_time("-5", now=now) is None


def test_403_out_of_credits_is_a_rate_limit(make_response):
    error = error_from_response(make_response(403, json=envelope("User request limit exceeded", 403)))
    assert isinstance(error, RateLimitError)


def test_invalid_client_id(make_response):
    error = error_from_response(make_response(403, json=envelope("Invalid client_id", 403)))
    assert type(error) is AuthError
    assert not error.token_invalid
    assert "Check the Client ID" in str(error)


def test_invalid_access_token(make_response):
    error = error_from_response(make_response(403, json=envelope("The access token provided is invalid.", 403)))
    assert type(error) is AuthError and error.token_invalid
    assert "expired or was revoked" in str(error) and "Authorize again" in str(error)


def test_401_is_auth_and_may_be_a_token_problem(make_response):
    error = error_from_response(make_response(401, json=envelope("Authentication required", 401)))
    assert type(error) is AuthError and error.token_invalid
    assert "Authorize" in str(error)


def test_404(make_response):
    error = error_from_response(make_response(404, json=envelope("Unable to find an image with the id, abc", 404)))
    assert type(error) is NotFoundError and error.status == 404


@pytest.mark.parametrize("status", [403, 500, 503])
def test_over_capacity_json_any_of_its_statuses(make_response, status):
    error = error_from_response(
        make_response(status, json=envelope("Imgur is temporarily over capacity. Please try again later.", status))
    )
    assert type(error) is ServiceUnavailableError
    assert "try again" in str(error)


def test_html_where_json_was_due(make_response):
    page = (
        "<!DOCTYPE html><html><head><title>Imgur is temporarily over capacity</title></head>"
        "<body><h1>Imgur is temporarily over capacity</h1><p>Please try again later.</p>"
        "<script>var x = 1;</script></body></html>"
    )
    error = error_from_response(make_response(503, page, headers={"Content-Type": "text/html"}))
    assert type(error) is ServiceUnavailableError
    assert error.message.startswith("Imgur is temporarily over capacity")
    assert error.message.count("Imgur is temporarily over capacity") == 1  # title and heading not repeated
    assert "<" not in error.message and "var x" not in error.message


def test_html_with_200_is_still_an_error(make_response):
    error = error_from_response(
        make_response(
            200, "<html><body>Login to your Wi-Fi</body></html>", headers={"Content-Type": "text/html; charset=utf-8"}
        )
    )
    assert type(error) is ServiceUnavailableError
    assert "web page" in str(error)


def test_region_block_page(make_response):
    page = "<html><body><p>Content not available in your region.</p></body></html>"
    error = error_from_response(make_response(403, page, headers={"Content-Type": "text/html"}))
    assert type(error) is RegionBlockedError
    assert "region" in str(error) and "sandbox" in str(error)


def test_region_block_json(make_response):
    error = error_from_response(make_response(403, json=envelope("Imgur is not available in your region", 403)))
    assert type(error) is RegionBlockedError


def test_envelope_saying_failure_inside_a_200(make_response):
    error = error_from_response(make_response(200, json=envelope("Bad Request", 400)))
    assert error.status == 400 and type(error) is ApiError


def test_oauth_plain_error_shapes(make_response):
    error = error_from_response(
        make_response(400, json={"error": "invalid_grant", "error_description": "Invalid refresh token"})
    )
    assert error.message == "Invalid refresh token"


def test_empty_and_garbage_bodies(make_response):
    for body in (b"", b"\xff\xfe\x00garbage", b"{not json", b"[1, 2", b"null", b"42", b'"text"'):
        error = error_from_response(make_response(502, body))
        assert isinstance(error, ServiceUnavailableError)
        assert error.status == 502


def test_translator_never_raises_even_on_a_broken_object():
    class Broken:
        status_code = "teapot"

        @property
        def headers(self):
            raise RuntimeError("boom")

    error = error_from_response(Broken())
    assert isinstance(error, ApiError)
    assert str(error)


def test_server_text_is_stripped_of_secrets(make_response):
    body = envelope(f"Token {SECRET} for Bearer abc.def.ghi was rejected; access_token=zzz999 refresh_token=yyy", 403)
    error = error_from_response(make_response(403, json=body))
    for leaked in (SECRET, "abc.def.ghi", "zzz999", "yyy"):
        assert leaked not in str(error) and leaked not in error.message and leaked not in repr(error)


def test_redact_keeps_ordinary_words_and_client_ids():
    assert redact("Invalid client_id 1a2b3c4d5e6f7a8") == "Invalid client_id 1a2b3c4d5e6f7a8"
    assert redact("The access token provided is invalid.") == "The access token provided is invalid."
    assert SECRET not in redact(f"secret {SECRET}")


def test_every_message_says_what_to_do(make_response):
    cases = [
        (400, envelope("x", 400)),
        (401, envelope("x", 401)),
        (403, envelope("x", 403)),
        (404, envelope("x", 404)),
        (429, envelope("x", 429)),
        (500, envelope("x", 500)),
        (503, envelope("x", 503)),
        (418, envelope("x", 418)),
    ]
    for status, body in cases:
        text = str(error_from_response(make_response(status, json=body)))
        assert text.endswith("."), text
        assert any(word in text for word in ("Check", "try again", "Authorize", "Wait", "wait")), text


def test_network_error_names_the_host_not_the_query():
    import requests

    error = responses.network_error(
        requests.ConnectionError("refused"), "https://user:pw@api.example.test:8443/3/image?access_token=SECRET"
    )
    assert isinstance(error, NetworkError)
    assert "api.example.test:8443" in str(error)
    assert "SECRET" not in str(error) and "pw" not in str(error)
    timeout = responses.network_error(requests.ReadTimeout("slow"), "http://127.0.0.1:9/x", timeout=0.5)
    assert "did not answer within 0.5 seconds" in str(timeout)
