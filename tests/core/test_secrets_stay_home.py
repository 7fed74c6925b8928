"""A secret goes only to the origin it belongs to, never in clear text, and loopback never through a proxy.

Each test sets up what a person could meet (a token endpoint that redirects, a company proxy
in HTTP_PROXY, a typo of http for https, a name and password in the base URL) with real
servers on 127.0.0.1, and holds where the secret went.
"""

from __future__ import annotations

import json

import pytest
from core_helpers import HostileServer

from imgur_kit import ImgurClient, ImgurError, oauth
from imgur_kit.__main__ import main
from imgur_kit.credentials import Credentials
from imgur_kit.errors import AuthorizationError, ServiceUnavailableError
from imgur_kit.tokens import Token

TOKEN_ANSWER = json.dumps(
    {"access_token": "a" * 40, "refresh_token": "b" * 40, "expires_in": 3600, "token_type": "bearer"}
).encode()

# Names no resolver knows (RFC 2606): only a proxy could ever carry a request there.
FAR_AWAY = "http://api.imgur.invalid"


@pytest.fixture
def servers():
    made = []

    def make(*args, **kwargs):
        server = HostileServer(*args, **kwargs)
        made.append(server)
        return server

    yield make
    for server in made:
        server.close()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_refresh_is_never_sent_on_through_a_redirect(servers, status):
    elsewhere = servers(200, {"Content-Type": "application/json"}, TOKEN_ANSWER)
    redirecting = servers(status, {"Location": elsewhere.url + "/oauth2/token"}, b"")
    creds = Credentials("0123456789abcde", "c" * 40)

    with pytest.raises(AuthorizationError) as caught:
        oauth.refresh(creds, Token("d" * 40, refresh_token="e" * 40), base_url=redirecting.url)

    assert elsewhere.hits == 0  # neither the Client Secret nor the refresh token went on
    assert f"HTTP {status}" in str(caught.value) and "redirect" in str(caught.value)
    assert "c" * 40 not in str(caught.value) and "e" * 40 not in str(caught.value)


def test_a_code_or_pin_is_never_sent_on_through_a_redirect(servers):
    elsewhere = servers(200, {"Content-Type": "application/json"}, TOKEN_ANSWER)
    redirecting = servers(307, {"Location": elsewhere.url + "/oauth2/token"}, b"")
    creds = Credentials("0123456789abcde", "c" * 40)
    for grant in (oauth.Grant("code", "f" * 40), oauth.Grant("pin", "12345678")):
        with pytest.raises(AuthorizationError):
            oauth.exchange(creds, grant, base_url=redirecting.url)
    assert elsewhere.hits == 0


def test_loopback_goes_around_a_proxy_whatever_no_proxy_says(servers, sandbox, monkeypatch):
    proxy = servers(502, {"Content-Type": "text/html"}, b"<h1>502 Bad Gateway</h1>")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.org")
    monkeypatch.setenv("no_proxy", "example.org")
    app = sandbox.register_app(name="proxied", auth_type="anonymous", callback_url="http://localhost/")

    with ImgurClient(Credentials(app.client_id, app.client_secret), base_url=sandbox.base_url) as client:
        assert client.credits()["ClientLimit"] > 0
        uploaded = client.upload(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", title="behind a proxy")
        assert client.image(uploaded["id"])["title"] == "behind a proxy"
    assert proxy.hits == 0  # neither the picture nor the Client ID reached the proxy


def test_live_calls_still_use_the_persons_proxy(servers, monkeypatch):
    proxy = servers(502, {"Content-Type": "text/html"}, b"<h1>502 Bad Gateway</h1>")
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("http_proxy", proxy.url)

    with ImgurClient(Credentials("0123456789abcde"), base_url=FAR_AWAY, retries=0) as client:
        with pytest.raises(ServiceUnavailableError):
            client.credits()
    assert proxy.hits == 1


def test_a_secret_is_not_sent_over_plain_http_to_another_computer(servers, monkeypatch):
    proxy = servers(200, {"Content-Type": "application/json"}, TOKEN_ANSWER)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("http_proxy", proxy.url)
    creds = Credentials("0123456789abcde", "c" * 40)
    token = Token("d" * 40, refresh_token="e" * 40)

    with pytest.raises(ImgurError, match="https://"):
        oauth.refresh(creds, token, base_url=FAR_AWAY)
    with pytest.raises(ImgurError, match="https://"):
        oauth.exchange(creds, oauth.Grant("pin", "12345678"), base_url=FAR_AWAY)
    with ImgurClient(creds, token=token, base_url=FAR_AWAY) as client:
        with pytest.raises(ImgurError, match="unencrypted"):
            client.account()
    assert proxy.hits == 0


def test_plain_http_on_loopback_stays_allowed(sandbox, creds, token):
    with ImgurClient(creds, token=token, base_url=sandbox.base_url) as client:
        assert client.account()["url"]
    assert oauth.refresh(creds, token, base_url=sandbox.base_url).access_token


def test_a_name_and_password_in_the_base_url_are_never_shown_or_sent(sandbox, monkeypatch, capsys):
    parts = sandbox.base_url.split("//", 1)
    with_userinfo = f"{parts[0]}//ada:hunter2secret@{parts[1]}"

    assert "hunter2secret" not in oauth.authorize_url("0123456789abcde", base_url=with_userinfo)
    with ImgurClient(Credentials("0123456789abcde"), base_url=with_userinfo) as client:
        assert "hunter2secret" not in client.base_url and "hunter2secret" not in repr(client)

    app = sandbox.register_app(name="userinfo", auth_type="anonymous", callback_url="http://localhost/")
    monkeypatch.setenv("IMGUR_KIT_BASE_URL", with_userinfo)
    monkeypatch.setenv("IMGUR_CLIENT_ID", app.client_id)
    main(["status"])
    shown = capsys.readouterr()
    assert "hunter2secret" not in shown.out + shown.err
    assert sandbox.base_url.split("//", 1)[1] in shown.out + shown.err
