"""oauth against the sandbox: exchange of codes and PINs, refresh, and their failures."""

from __future__ import annotations

import pytest
import requests
from core_helpers import authorize, count

from imgur_kit import oauth
from imgur_kit.credentials import Credentials
from imgur_kit.errors import AuthorizationError, CredentialsError, NetworkError
from imgur_kit.oauth import Grant
from imgur_kit.tokens import Token


def test_token_flow_gives_a_full_token(sandbox, creds):
    token = authorize(sandbox, creds)
    assert isinstance(token, Token)
    assert token.refresh_token and token.account_username == sandbox.username
    assert token.expires_in() > 3600


def test_code_flow_exchanged(sandbox, creds):
    grant = authorize(sandbox, creds, response_type="code")
    assert isinstance(grant, Grant) and grant.kind == "code"
    token = oauth.exchange(creds, grant, base_url=sandbox.base_url)
    assert token.access_token and token.refresh_token and token.account_username == sandbox.username
    with pytest.raises(AuthorizationError, match="used already"):
        oauth.exchange(creds, grant, base_url=sandbox.base_url)  # codes are single-use


def test_pin_flow_exchanged(sandbox, creds):
    grant = authorize(sandbox, creds, response_type="pin")
    assert isinstance(grant, Grant) and grant.kind == "pin"
    with requests.Session() as session:
        token = oauth.exchange(creds, grant, base_url=sandbox.base_url, http=session)
    assert token.account_username == sandbox.username


def test_denied_in_the_sandbox(sandbox, creds):
    state = oauth.new_state()
    url = oauth.authorize_url(creds.client_id, state=state, base_url=sandbox.base_url)
    with pytest.raises(AuthorizationError, match="denied"):
        oauth.parse_redirect(sandbox.approve(url, allow=False), expected_state=state)


def test_refresh_gives_a_new_access_token(sandbox, creds, token):
    sandbox.clear_request_log()
    new = oauth.refresh(creds, token, base_url=sandbox.base_url)
    assert new.access_token != token.access_token
    assert new.refresh_token and new.account_username == token.account_username
    assert count(sandbox, "POST", "/oauth2/token") == 1


def test_refresh_keeps_the_old_refresh_token_when_none_comes_back(creds):
    from imgur_kit.sandbox import Sandbox

    with Sandbox(refresh_returns_refresh_token=False) as sandbox:
        app = sandbox.default_app
        creds = Credentials(app.client_id, app.client_secret)
        token = authorize(sandbox, creds)
        new = oauth.refresh(creds, token, base_url=sandbox.base_url)
        assert new.access_token != token.access_token
        assert new.refresh_token == token.refresh_token


def test_invalid_refresh_token_means_authorize_again(sandbox, creds, token):
    sandbox.revoke_tokens()
    with pytest.raises(AuthorizationError) as caught:
        oauth.refresh(creds, token, base_url=sandbox.base_url)
    text = str(caught.value)
    assert "Authorize again" in text and "Client ID and Secret are kept" in text
    assert token.refresh_token not in text and creds.client_secret not in text


def test_refresh_needs_a_secret_and_a_refresh_token(sandbox, creds, token):
    with pytest.raises(CredentialsError, match="Client Secret"):
        oauth.refresh(Credentials(creds.client_id), token, base_url=sandbox.base_url)
    with pytest.raises(AuthorizationError, match="no refresh token"):
        oauth.refresh(creds, Token(access_token=token.access_token), base_url=sandbox.base_url)


def test_wrong_secret_on_refresh_says_to_fix_the_secret_without_showing_it(sandbox, creds, token):
    wrong = Credentials(creds.client_id, "f" * 40)
    with pytest.raises(CredentialsError, match="did not accept the Client Secret") as caught:
        oauth.refresh(wrong, token, base_url=sandbox.base_url)
    message = str(caught.value)
    assert "f" * 40 not in message and token.refresh_token not in message
    assert "Authorize again" not in message and "settings/apps" in message
    assert oauth.refresh(creds, token, base_url=sandbox.base_url).access_token  # the token was never the problem


def test_wrong_secret_on_a_code_exchange_says_to_fix_the_secret(sandbox, creds):
    grant = authorize(sandbox, creds, response_type="code")
    with pytest.raises(CredentialsError, match="did not accept the Client Secret") as caught:
        oauth.exchange(Credentials(creds.client_id, "e" * 40), grant, base_url=sandbox.base_url)
    assert "used already" not in str(caught.value) and "e" * 40 not in str(caught.value)


def test_unreachable_token_endpoint_is_a_network_error(creds, token):
    with pytest.raises(NetworkError, match="127.0.0.1:9"):
        oauth.refresh(creds, token, base_url="http://127.0.0.1:9", timeout=2)


def test_token_endpoint_under_a_fault(sandbox, creds, token):
    sandbox.set_fault("over-capacity")
    from imgur_kit.errors import ServiceUnavailableError

    with pytest.raises(ServiceUnavailableError):
        oauth.refresh(creds, token, base_url=sandbox.base_url)
