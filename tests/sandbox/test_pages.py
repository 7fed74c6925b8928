"""The pages a person sees: registration, consent, PIN, landing, error pages."""

from __future__ import annotations

import re

import pytest
from sandbox_helpers import authorize_url

LABELS = [
    "Application name:",
    "Authorization type:",
    "OAuth 2 authorization with a callback URL",
    "OAuth 2 authorization without a callback URL",
    "Anonymous usage without user authorization",
    "Authorization callback URL:",
    "Application website (optional):",
    "Email:",
    "Description:",
    "I'm not a robot",
]


def register(http, sandbox, **overrides):
    fields = {
        "name": "My app",
        "auth_type": "callback",
        "callback_url": "http://localhost:8888/callback",
        "website": "",
        "email": "me@example.com",
        "description": "rehearsal",
        "captcha": "1",
    }
    fields.update(overrides)
    fields = {k: v for k, v in fields.items() if v is not None}
    return http.post(f"{sandbox.base_url}/oauth2/addclient", data=fields)


def test_home_page_links_to_registration(http, sandbox):
    r = http.get(sandbox.base_url + "/")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert 'href="./oauth2/addclient"' in r.text  # relative: works under a proxy's path prefix
    assert "Signed in as <strong>sandbox-user</strong>" in r.text


def test_registration_form_has_every_label_tied_to_an_input(http, sandbox):
    r = http.get(sandbox.base_url + "/oauth2/addclient")
    assert r.status_code == 200
    for label in LABELS:
        assert label in r.text
    for target in re.findall(r'<label for="([^"]+)">', r.text):
        assert f'id="{target}"' in r.text
    assert "sandbox-user" in r.text  # says who is signed in


def test_registration_issues_id_and_secret(http, sandbox):
    r = register(http, sandbox)
    assert r.status_code == 200
    client_id = re.search(r'id="client-id">([^<]+)<', r.text).group(1)
    secret = re.search(r'id="client-secret">([^<]+)<', r.text).group(1)
    assert re.fullmatch(r"[0-9a-f]{15}", client_id)
    assert re.fullmatch(r"[0-9a-f]{40}", secret)
    check = http.get(sandbox.base_url + "/3/credits", headers={"Authorization": f"Client-ID {client_id}"})
    assert check.status_code == 200


def test_unticked_captcha_is_invalid(http, sandbox):
    r = register(http, sandbox, captcha=None)
    assert "ERROR: Invalid Captcha" in r.text
    assert 'id="client-id"' not in r.text
    assert 'value="My app"' in r.text  # what was typed is kept


@pytest.mark.parametrize("auth_type", ["callback", "anonymous"])
def test_missing_callback_is_an_error(http, sandbox, auth_type):
    r = register(http, sandbox, callback_url="", auth_type=auth_type)
    assert "callback URL is required" in r.text
    assert 'id="client-id"' not in r.text


def test_no_callback_app_needs_no_callback_url(http, sandbox):
    r = register(http, sandbox, callback_url="", auth_type="no-callback")
    assert 'id="client-id"' in r.text


@pytest.mark.parametrize("field, value", [("name", ""), ("email", "nope"), ("auth_type", "weird")])
def test_other_missing_fields_are_errors(http, sandbox, field, value):
    r = register(http, sandbox, **{field: value})
    assert "ERROR:" in r.text and 'id="client-id"' not in r.text


HOSTILE = '<script>alert("x")</script>&<b>'


def test_hostile_application_name_is_escaped_everywhere(http, sandbox):
    done = register(http, sandbox, name=HOSTILE, description=HOSTILE)
    assert HOSTILE not in done.text and "&lt;script&gt;" in done.text
    again = register(http, sandbox, name=HOSTILE, captcha=None)
    assert HOSTILE not in again.text and "&lt;script&gt;" in again.text
    app = sandbox.register_app(name=HOSTILE)
    consent = http.get(authorize_url(sandbox, app, state='"><script>x</script>'))
    assert HOSTILE not in consent.text and "<script>x" not in consent.text
    assert "&lt;script&gt;" in consent.text


def test_consent_page_has_allow_and_deny(http, sandbox, app):
    r = http.get(authorize_url(sandbox, app))
    assert r.status_code == 200
    assert re.search(r"<button[^>]*>Allow</button>", r.text)
    assert re.search(r"<button[^>]*>Deny</button>", r.text)
    assert app.name in r.text and "sandbox-user" in r.text


@pytest.mark.parametrize(
    "query", ["client_id=000000000000000&response_type=token", "response_type=token", "client_id=&response_type=token"]
)
def test_unknown_client_gets_woah_page(http, sandbox, query):
    r = http.get(f"{sandbox.base_url}/oauth2/authorize?{query}")
    assert r.status_code == 400
    assert "Woah there! The information you sent wasn't quite correct" in r.text


def test_unknown_response_type_gets_woah_page(http, sandbox, app):
    r = http.get(authorize_url(sandbox, app, response_type="banana"))
    assert "Woah there!" in r.text


def test_pin_page_shows_the_pin(http, sandbox, app):
    landing = sandbox.approve(authorize_url(sandbox, app, response_type="pin"))
    r = http.get(landing)
    pin = re.search(r'id="pin">([^<]+)<', r.text).group(1)
    assert re.fullmatch(r"[0-9a-f]{10}", pin)


def test_landing_page_shows_where_it_landed(http, sandbox):
    app = sandbox.register_app(name="nocb", auth_type="no-callback")
    landing = sandbox.approve(authorize_url(sandbox, app, state="abc"))
    assert landing.startswith(sandbox.base_url + "/oauth2/landing?state=abc#access_token=")
    r = http.get(landing)  # requests drops the fragment, as browsers do
    assert 'id="landed-url"' in r.text and "state=abc" in r.text
    assert "location.href" in r.text  # the page shows the fragment through script


def test_album_page_and_not_found(http, sandbox):
    r = http.get(sandbox.base_url + "/nothing-here")
    assert r.status_code == 404 and "Not found" in r.text
    assert http.get(sandbox.base_url + "/a/nope123").status_code == 404


def test_app_lookup_shows_what_the_settings_page_would(sandbox):
    app = sandbox.register_app(name="lookup", callback_url="http://localhost:9123/callback")
    assert sandbox.app(app.client_id).callback_url == "http://localhost:9123/callback"
    assert sandbox.app("0123456789abcde") is None and sandbox.app(None) is None
