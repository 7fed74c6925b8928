"""Property tests: on arbitrary input the parser and the translator stay inside the kit's errors."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imgur_kit.credentials import Credentials
from imgur_kit.errors import ApiError, AuthorizationError, CredentialsError
from imgur_kit.oauth import Grant, parse_redirect
from imgur_kit.responses import error_from_response
from imgur_kit.tokens import Token

KEYS = st.sampled_from(
    [
        "access_token",
        "code",
        "pin",
        "state",
        "error",
        "expires_in",
        "refresh_token",
        "account_id",
        "token_type",
        "client_id",
        "response_type",
        "x",
    ]
)
VALUES = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=50)
PAIRS = st.lists(st.tuples(KEYS, VALUES), max_size=6).map(lambda kv: "&".join(f"{k}={v}" for k, v in kv))
PASTES = st.one_of(
    st.text(),
    st.binary().map(lambda b: b.decode("latin-1")),
    PAIRS,
    st.tuples(
        st.sampled_from(
            [
                "http://localhost:8888/callback",
                "https://imgur.com/",
                "https://[::1",
                "https://api.imgur.com/oauth2/authorize",
                "x://",
                "",
            ]
        ),
        st.sampled_from(["?", "#", "?a=1#"]),
        PAIRS,
    ).map("".join),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "data",
                    "error",
                    "errors",
                    "message",
                    "status",
                    "success",
                    "detail",
                    "code",
                    "request",
                    "method",
                    "exception",
                    "type",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
HEADERS = st.dictionaries(
    st.sampled_from(
        ["Content-Type", "X-RateLimit-UserReset", "X-RateLimit-ClientReset", "Retry-After", "X-Post-Rate-Limit-Reset"]
    ),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20),
    max_size=3,
)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    st.integers(min_value=0, max_value=999),
    st.one_of(
        st.binary(max_size=200),
        JSONISH.map(lambda v: __import__("json").dumps(v).encode()),
        st.text(max_size=200).map(lambda t: f"<html><title>{t}</title>{t}</html>".encode()),
    ),
    HEADERS,
)
def test_error_from_response_always_returns_an_api_error(make_response, status, body, headers):
    error = error_from_response(make_response(status, body, headers=headers))
    assert isinstance(error, ApiError)
    assert isinstance(error.status, int)
    assert str(error).endswith(".")


STATES = st.text(alphabet="abcdefXYZ0123456789-_", min_size=1, max_size=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STATES, st.data())
def test_with_an_expected_state_only_a_paste_carrying_it_is_accepted(expected, data):
    """The state check cannot be skipped: whatever the shape of the paste, a token or code needs the state."""
    values = st.one_of(VALUES, st.just(expected), st.just("a1" * 20))
    pairs = st.lists(st.tuples(KEYS, values), max_size=6)
    pasted = data.draw(
        st.one_of(
            PASTES,
            pairs.map(lambda kv: "&".join(f"{k}={v}" for k, v in kv)),
            pairs.map(lambda kv: " ".join(f"{k}={v}" for k, v in kv)),  # loose text
            st.tuples(
                st.sampled_from(["http://localhost:8888/callback", "https://imgur.com/", ""]),
                st.sampled_from(["?", "#", "?a=1#"]),
                pairs.map(lambda kv: "&".join(f"{k}={v}" for k, v in kv)),
            ).map("".join),
        )
    )
    try:
        result = parse_redirect(pasted, expected_state=expected)
    except AuthorizationError:
        return
    if isinstance(result, Grant) and result.kind == "pin" and "=" not in pasted:
        return  # a bare PIN, typed from the PIN page, has no state to carry
    assert f"state={expected}" in pasted


ANY_TEXT = st.one_of(
    st.text(), st.text(alphabet=st.characters(max_codepoint=0x7F)), st.binary().map(lambda b: b.decode("latin-1"))
)


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT, st.one_of(st.none(), ANY_TEXT))
def test_credentials_from_any_text_are_sendable_or_a_credentials_error(client_id, secret):
    try:
        credentials = Credentials(client_id, secret)
    except CredentialsError as exc:
        assert str(exc).endswith(".")
        return
    for value in (credentials.client_id, credentials.client_secret or "x"):
        value.encode("ascii")  # fits an HTTP header: visible ASCII only
        assert value.isprintable() and " " not in value
    assert len(credentials.client_id) != 40 or not all(c in "0123456789abcdefABCDEF" for c in credentials.client_id)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from("\n\r\t\x00\x1b\x7f\u00e9\u0430\U0001f600 "), st.integers(min_value=1, max_value=39))
def test_a_bad_character_anywhere_in_a_secret_never_shows_the_secret(bad, position):
    secret = "0123456789abcdef0123456789abcdef01234567"
    pasted = secret[:position] + bad + secret[position:]
    try:
        Credentials("1a2b3c4d5e6f7a8", pasted)
    except CredentialsError as exc:
        message = str(exc)
        assert secret[:position] not in message or position < 6
        assert secret[position:] not in message or 40 - position < 6
    else:
        raise AssertionError("a secret with a character Imgur never uses was accepted")
