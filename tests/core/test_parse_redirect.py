"""oauth: the authorize link and parse_redirect, over everything a person might paste."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from imgur_kit import oauth
from imgur_kit.errors import AuthorizationError, CredentialsError
from imgur_kit.oauth import Grant, authorize_url, new_state, parse_redirect
from imgur_kit.tokens import Token

CLIENT_ID = "1a2b3c4d5e6f7a8"
ACCESS = "a1" * 20
REFRESH = "b2" * 20
CODE = "c3" * 20
FRAGMENT = (
    f"access_token={ACCESS}&expires_in=315360000&token_type=bearer&refresh_token={REFRESH}"
    "&account_username=sandbox-user&account_id=42"
)


def test_authorize_url_defaults_to_token_with_fresh_state():
    url = authorize_url(CLIENT_ID)
    parts = urlsplit(url)
    assert url.startswith("https://api.imgur.com/oauth2/authorize?")
    query = parse_qs(parts.query)
    assert query["client_id"] == [CLIENT_ID] and query["response_type"] == ["token"]
    assert len(query["state"][0]) >= 16
    assert parse_qs(urlsplit(authorize_url(CLIENT_ID)).query)["state"] != query["state"]


def test_authorize_url_options():
    url = authorize_url(CLIENT_ID, response_type="pin", state="s 1/2", base_url="http://127.0.0.1:9/")
    assert url.startswith("http://127.0.0.1:9/oauth2/authorize?")
    assert parse_qs(urlsplit(url).query)["state"] == ["s 1/2"]
    assert "response_type=pin" in url
    with pytest.raises(AuthorizationError):
        authorize_url(CLIENT_ID, response_type="implicit")
    with pytest.raises(CredentialsError):
        authorize_url("  ")


def test_authorize_url_takes_credentials_or_refuses_in_a_sentence():
    from imgur_kit.credentials import Credentials

    url = authorize_url(Credentials(CLIENT_ID, "0123456789abcdef0123456789abcdef01234567"))
    assert parse_qs(urlsplit(url).query)["client_id"] == [CLIENT_ID]
    assert "0123456789abcdef" not in url
    for wrong in (12345, ["x"], "1a2b3c4d5e6\nf7a8"):
        with pytest.raises(CredentialsError):
            authorize_url(wrong)


def test_new_state_is_random_and_url_safe():
    states = {new_state() for _ in range(50)}
    assert len(states) == 50
    assert all(s.replace("-", "").replace("_", "").isalnum() for s in states)


def check_token(result):
    assert isinstance(result, Token)
    assert result.access_token == ACCESS
    return result


@pytest.mark.parametrize(
    "pasted",
    [
        f"http://localhost:8888/callback?state=S1#{FRAGMENT}",
        f"https://imgur.com/?state=S1#{FRAGMENT}",
        f"https://www.getpostman.com/oauth2/callback?state=S1#{FRAGMENT}",
        f"http://localhost:8888/callback#{FRAGMENT}&state=S1",  # state inside the fragment
        f"  <http://localhost:8888/callback?state=S1#{FRAGMENT}>  \n",
        f"'http://localhost:8888/callback?state=S1#{FRAGMENT}'",
        f"The browser ended on http://localhost:8888/callback?state=S1#{FRAGMENT} after I clicked",
    ],
)
def test_full_callback_urls(pasted):
    token = check_token(parse_redirect(pasted, expected_state="S1"))
    assert token.refresh_token == REFRESH
    assert token.account_username == "sandbox-user" and token.account_id == "42"
    assert token.expires_in() > 315360000 - 60


@pytest.mark.parametrize("pasted", [f"#{FRAGMENT}", FRAGMENT, f' "#{FRAGMENT}" ', f"access_token={ACCESS}"])
def test_bare_fragments(pasted):
    check_token(parse_redirect(pasted))


@pytest.mark.parametrize(
    "pasted",
    [
        f"#{FRAGMENT}",
        FRAGMENT,
        f"access_token={ACCESS}",
        f"code={CODE}",
        f"?code={CODE}",
        "pin=123456",
        f"it says #{FRAGMENT} there",
    ],
)
def test_without_a_state_nothing_is_accepted_when_one_is_expected(pasted):
    # A bare fragment or code is what a forged link hands over; only the state ties it to our link.
    with pytest.raises(AuthorizationError, match="carries no state") as caught:
        parse_redirect(pasted, expected_state="S1")
    assert ACCESS not in str(caught.value) and CODE not in str(caught.value)


@pytest.mark.parametrize(
    "pasted",
    [
        f"access_token={ACCESS} state=FORGED",
        f"state=FORGED and then #{FRAGMENT}",
        f"code={CODE} state=FORGED",
        f"here: code={CODE}, state=FORGED",
    ],
)
def test_loose_text_with_another_state_is_refused(pasted):
    with pytest.raises(AuthorizationError, match="does not match"):
        parse_redirect(pasted, expected_state="S1")


@pytest.mark.parametrize(
    "pasted",
    [
        f"http://localhost:8888/callback?state=S1&code={CODE}",
        f"https://www.getpostman.com/oauth2/callback?code={CODE}&state=S1",
        f"code={CODE}&state=S1",
        f"code={CODE} state=S1",
    ],
)
def test_code(pasted):
    grant = parse_redirect(pasted, expected_state="S1")
    assert grant == Grant(kind="code", value=CODE, state=grant.state)
    assert CODE not in repr(grant)


@pytest.mark.parametrize("pasted", ["1234567890", " 9f8e7d6c5b ", "a" * 40])
def test_pin(pasted):
    # The PIN page shows the PIN alone: a bare PIN cannot carry a state, so none is asked of it.
    grant = parse_redirect(pasted, expected_state="S1")
    assert grant.kind == "pin" and grant.value == pasted.strip().replace("pin=", "")


def test_access_denied_says_to_click_allow():
    with pytest.raises(AuthorizationError, match="denied") as caught:
        parse_redirect("http://localhost:8888/callback?error=access_denied&state=S1", expected_state="S1")
    assert "Allow" in str(caught.value)


def test_other_errors_are_reported_without_secrets():
    with pytest.raises(AuthorizationError) as caught:
        parse_redirect(f"http://localhost/cb?error=server_error&error_description=token+{ACCESS}+broke")
    assert "server_error" in str(caught.value) and ACCESS not in str(caught.value)


def test_state_mismatch_says_stale_or_forged():
    with pytest.raises(AuthorizationError, match="stale") as caught:
        parse_redirect(f"http://localhost:8888/callback?state=OTHER#{FRAGMENT}", expected_state="S1")
    assert "forged" in str(caught.value) and "fresh" in str(caught.value)
    with pytest.raises(AuthorizationError, match="stale"):
        parse_redirect(f"code={CODE}&state=OTHER", expected_state="S1")


def test_url_without_state_when_one_was_expected():
    with pytest.raises(AuthorizationError, match="no state"):
        parse_redirect(f"http://localhost:8888/callback#{FRAGMENT}", expected_state="S1")
    check_token(parse_redirect(f"http://localhost:8888/callback#{FRAGMENT}"))  # nothing expected: fine


def test_the_authorize_link_itself_is_recognised():
    url = authorize_url(CLIENT_ID, state="S1")
    for expected in ("S1", "S2", None):
        with pytest.raises(AuthorizationError, match="authorize link itself"):
            parse_redirect(url, expected_state=expected)


def test_fragment_lost_on_copy():
    with pytest.raises(AuthorizationError, match="after '#'"):
        parse_redirect("https://imgur.com/?state=S1", expected_state="S1")


@pytest.mark.parametrize(
    "pasted, found",
    [
        ("", "Nothing was pasted"),
        ("   \n ", "Nothing was pasted"),
        ("hello there", "text of 11 characters"),
        ("!", "text of 1 character with"),
        ("g", "a single word of 1 character that"),
        ("12345", "too short"),
        ("not-a-pin-word", "single word"),
        ("https://imgur.com/", "no token, code or error"),
        ("foo=bar&baz=1", "fields baz, foo"),
    ],
)
def test_unreadable_input_says_what_it_found(pasted, found):
    with pytest.raises(AuthorizationError, match=found):
        parse_redirect(pasted)


def test_never_echoes_a_secret_when_refusing():
    long_secret = "Zq9" * 20
    for pasted in (
        long_secret,
        f"token {long_secret}",
        f"https://x.test/cb?state=S2#access_token={long_secret}",
        f"access_token={long_secret} trailing junk",
    ):
        try:
            parse_redirect(pasted, expected_state="S1")
        except AuthorizationError as exc:
            assert long_secret not in str(exc)


def test_mangled_token_is_refused():
    with pytest.raises(AuthorizationError, match="cut or mangled"):
        parse_redirect("access_token=abc%20def")


def test_not_text():
    with pytest.raises(AuthorizationError, match="text"):
        parse_redirect(None)  # type: ignore[arg-type]


def test_grant_repr_masks():
    grant = Grant("code", CODE, "S1")
    assert CODE not in repr(grant) and CODE not in str(grant) and "S1" in repr(grant)


def test_module_exports():
    assert oauth.DEFAULT_BASE_URL == "https://api.imgur.com"
