"""Links to sandbox pages are shown as the person's browser can open them.

On Binder the browser runs elsewhere, so a widget shows ``session.browser_url(url)``
(through jupyter-server-proxy), while the kit keeps checking the URL and state it made.
Only environment variables are set here; the session works it out itself.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from widget_links import link_in

PREFIX = "/user/ada-imgur-kit-1a2b/"


@pytest.fixture
def binder(monkeypatch):
    for name in list(os.environ):
        if name.startswith("BINDER_") or name in ("JUPYTERHUB_SERVICE_PREFIX", "SSH_CONNECTION", "CODESPACES"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BINDER_REPO_URL", "https://github.com/example/imgur-kit")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", PREFIX)
    return monkeypatch


def test_authorize_link_goes_through_the_proxy_but_the_kit_keeps_its_state(make_session, sandbox, binder):
    from imgur_kit.widgets import authorize_panel

    panel = authorize_panel(make_session(environment="binder"))
    shown = link_in(panel.link.value)
    assert shown.startswith(f"{PREFIX}proxy/{sandbox.port}/oauth2/authorize?")
    assert parse_qs(urlsplit(shown).query)["state"] == [panel.state]
    assert panel.url.startswith(sandbox.base_url + "/oauth2/authorize?")
    assert urlsplit(shown).query == urlsplit(panel.url).query
    # The answer from the real URL is still accepted by the state the panel holds.
    panel.paste.value = sandbox.approve(panel.url)
    panel.use_button.click()
    assert panel.token is not None and "Problem" not in panel.message.value
    assert "may not open" not in panel.capture_status.value  # the proxy is there: no warning


def test_authorize_link_is_unchanged_on_a_local_kernel(session, sandbox):
    from imgur_kit.widgets import authorize_panel

    panel = authorize_panel(session)
    assert link_in(panel.link.value) == panel.url and panel.url.startswith(sandbox.base_url)


def test_without_the_proxy_the_panel_says_why_the_link_may_not_open(make_session, sandbox, binder):
    from imgur_kit.widgets import authorize_panel

    binder.setitem(sys.modules, "jupyter_server_proxy", None)  # as if it were not installed
    panel = authorize_panel(make_session(environment="binder"))
    assert link_in(panel.link.value) == panel.url
    assert "jupyter-server-proxy" in panel.capture_status.value
    assert "next cell" in panel.capture_status.value


def test_registration_link_on_binder_and_locally(make_session, sandbox, binder):
    from imgur_kit.widgets import registration_link

    remote = registration_link(make_session(environment="binder"))
    assert remote.url == sandbox.base_url + "/oauth2/addclient"
    assert link_in(remote.value) == f"{PREFIX}proxy/{sandbox.port}/oauth2/addclient"
    assert "rehearsal" in remote.value and "may not open" not in remote.value
    local = registration_link(make_session(environment="local"))
    assert link_in(local.value) == sandbox.base_url + "/oauth2/addclient"
    assert repr(local).startswith("A widget: the link to the registration form. It takes the place of this text")


def test_registration_link_without_the_proxy_carries_the_note(make_session, binder):
    from imgur_kit.widgets import registration_link

    binder.setitem(sys.modules, "jupyter_server_proxy", None)
    link = registration_link(make_session(environment="binder"))
    assert "jupyter-server-proxy" in link.value


def test_registration_link_in_live_mode_is_imgurs(binder, live_session_without_keys):
    from imgur_kit.widgets import registration_link

    live = live_session_without_keys("https://api.imgur.com", environment="binder")
    link = registration_link(live)
    assert link_in(link.value) == "https://api.imgur.com/oauth2/addclient"
    assert "Imgur's registration form" in link.value


def test_uploaded_picture_link_goes_through_the_proxy(make_session, sandbox, binder):
    from imgur_kit import oauth
    from imgur_kit.widgets import upload_panel

    kit = make_session(environment="binder")
    url, state = kit.authorize_url()
    kit.store_token(oauth.parse_redirect(sandbox.approve(url), expected_state=state))
    panel = upload_panel(kit)
    panel.upload_button.click()  # the kit's own picture by default
    link = panel.result["link"]
    assert link_in(panel.message.value.split("<br>", 1)[1]) == f"{PREFIX}proxy/{sandbox.port}" + urlsplit(link).path
    assert panel.image.value  # the preview still came from the real link
