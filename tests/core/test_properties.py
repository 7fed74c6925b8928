"""Property tests: on arbitrary input the parser and the translator stay inside the kit's errors."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgur_kit.errors import ApiError, AuthorizationError, error_from_response
from imgur_kit.oauth import Grant, parse_redirect
from imgur_kit.tokens import Token

KEYS = st.sampled_from(["access_token", "code", "pin", "state", "error", "expires_in", "refresh_token",
                        "account_id", "token_type", "client_id", "response_type", "x"])
VALUES = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=50)
PAIRS = st.lists(st.tuples(KEYS, VALUES), max_size=6).map(lambda kv: "&".join(f"{k}={v}" for k, v in kv))
PASTES = st.one_of(
    st.text(),
    st.binary().map(lambda b: b.decode("latin-1")),
    PAIRS,
    st.tuples(st.sampled_from(["http://localhost:8888/callback", "https://imgur.com/", "https://[::1",
                               "https://api.imgur.com/oauth2/authorize", "x://", ""]),
              st.sampled_from(["?", "#", "?a=1#"]), PAIRS).map("".join),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(PASTES, st.one_of(st.none(), st.text(max_size=10)))
def test_parse_redirect_returns_a_token_or_grant_or_raises_authorization_error(pasted, expected):
    try:
        result = parse_redirect(pasted, expected_state=expected)
    except AuthorizationError as exc:
        assert str(exc)
    else:
        assert isinstance(result, (Token, Grant))


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["data", "error", "errors", "message", "status", "success", "detail", "code",
                         "request", "method", "exception", "type"]), children, max_size=4),
    max_leaves=12,
)
HEADERS = st.dictionaries(
    st.sampled_from(["Content-Type", "X-RateLimit-UserReset", "X-RateLimit-ClientReset", "Retry-After",
                     "X-Post-Rate-Limit-Reset"]),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20), max_size=3)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=100, max_value=599),
       st.one_of(st.binary(max_size=200), JSONISH.map(lambda v: __import__("json").dumps(v).encode()),
                 st.text(max_size=200).map(lambda t: f"<html><title>{t}</title>{t}</html>".encode())),
       HEADERS)
def test_error_from_response_always_returns_an_api_error(make_response, status, body, headers):
    error = error_from_response(make_response(status, body, headers=headers))
    assert isinstance(error, ApiError)
    assert isinstance(error.status, int)
    assert str(error).endswith(".")
