"""The authorize panel: link with state, paste box, local capture; against a real sandbox."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from widget_links import link_of

from imgur_kit.credentials import CredentialStore


@pytest.fixture
def panel(session):
    from imgur_kit.widgets import authorize_panel

    return authorize_panel(session)


def test_link_carries_a_fresh_state_and_opens_a_new_tab(panel):
    url = link_of(panel)
    assert 'target="_blank"' in panel.link.value
    assert parse_qs(urlsplit(url).query)["state"] == [panel.state]
    first = panel.state
    panel.new_link_button.click()
    assert panel.state != first
    assert panel.paste.description == "Paste where your browser ended:"


def test_pasting_the_landing_address_stores_the_token(panel, sandbox, all_text):
    landing = sandbox.approve(link_of(panel))
    access_token = parse_qs(urlsplit(landing).fragment)["access_token"][0]
    panel.paste.value = landing
    panel.use_button.click()
    assert panel.paste.value == ""  # the address held the token
    assert "Found an access token for sandbox-user" in panel.message.value
    assert "expires in" in panel.message.value
    stored = CredentialStore(kind="sandbox").load()
    assert stored.token.access_token == access_token
    assert panel.session.token.access_token == access_token
    assert access_token not in all_text(panel)


def test_code_flow_is_exchanged(session, sandbox):
    from imgur_kit.widgets import authorize_panel

    panel = authorize_panel(session, response_type="code")
    landing = sandbox.approve(link_of(panel))
    assert "code=" in landing
    panel.paste.value = landing
    panel.use_button.click()
    assert "Found an authorization code and exchanged it" in panel.message.value
    assert CredentialStore(kind="sandbox").load().token is not None


def test_denial_is_a_sentence(panel, sandbox):
    panel.paste.value = sandbox.approve(link_of(panel), allow=False)
    panel.use_button.click()
    assert "Problem: Access was denied" in panel.message.value
    assert CredentialStore(kind="sandbox").load() is None


def test_forged_state_is_refused(panel, sandbox):
    landing = sandbox.approve(link_of(panel))
    forged = landing.replace(f"state={panel.state}", "state=someone-elses-state")
    panel.paste.value = forged
    panel.use_button.click()
    assert "state" in panel.message.value and "does not match" in panel.message.value
    assert panel.session.token is None


def test_a_stale_link_is_refused(panel, sandbox):
    landing = sandbox.approve(link_of(panel))
    panel.new_link_button.click()
    panel.paste.value = landing
    panel.use_button.click()
    assert "does not match" in panel.message.value


def test_empty_and_garbage_pastes_are_sentences(panel):
    panel.use_button.click()
    assert "The paste box is empty" in panel.message.value
    panel.paste.value = "I clicked allow but nothing happened"
    panel.use_button.click()
    assert "Problem:" in panel.message.value and "Traceback" not in panel.message.value


def test_remote_kernels_explain_why_to_paste(make_session):
    from imgur_kit.widgets import authorize_panel

    panel = authorize_panel(make_session(environment="binder"))
    assert not hasattr(panel, "capture_button")
    assert "Binder" in panel.capture_status.value and "paste" in panel.capture_status.value


def test_capture_catches_the_redirect_over_loopback(sandbox, make_session, free_port):
    from imgur_kit.widgets import authorize_panel

    callback = f"http://localhost:{free_port}/callback"
    app = sandbox.register_app(name="capture", auth_type="callback", callback_url=callback)
    panel = authorize_panel(make_session(app))
    panel.capture_url.value = callback
    panel.capture_button.click()
    assert "Listening on" in panel.capture_status.value
    landing = sandbox.approve(link_of(panel))
    assert landing.startswith(callback)
    # What the browser does: load the callback page (no fragment sent), run its script (POST href).
    local = landing.replace("localhost", "127.0.0.1", 1)
    page = requests.get(local.split("#", 1)[0], timeout=5)
    assert "location.href" in page.text
    requests.post(local.split("?", 1)[0], data=landing.encode(), timeout=5)
    assert panel.capture.wait(5) == landing
    assert "Found an access token for sandbox-user" in panel.message.value
    assert "redirect arrived" in panel.capture_status.value
    assert CredentialStore(kind="sandbox").load().token is not None


def test_capture_on_a_busy_port_says_what_to_do(panel, free_port):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        panel.capture_url.value = f"http://localhost:{busy.getsockname()[1]}/callback"
        panel.capture_button.click()
    assert "is taken by another program" in panel.capture_status.value
    assert "would receive your sign-in" in panel.capture_status.value  # why it matters
    assert panel.capture is None
    panel.capture_url.value = "https://example.com/callback"
    panel.capture_button.click()
    assert "needs a callback like http://localhost" in panel.capture_status.value


def test_without_a_client_id_the_link_says_what_to_do(sandbox, live_session_without_keys):
    from imgur_kit.widgets import authorize_panel

    bare = live_session_without_keys(sandbox.base_url)
    panel = authorize_panel(bare)
    assert "Problem: No Client ID is saved yet" in panel.link.value
    assert panel.state is None


def test_a_paste_stops_a_waiting_capture(panel, sandbox, free_port):
    panel.capture_url.value = f"http://localhost:{free_port}/callback"
    panel.capture_button.click()
    capture = panel.capture
    assert capture.running
    panel.paste.value = sandbox.approve(link_of(panel))
    panel.use_button.click()
    assert "Found an access token" in panel.message.value
    assert not capture.running and panel.capture is None
    assert "Stopped listening" in panel.capture_status.value


def test_a_pasted_address_leaves_the_widget_before_use(panel, sandbox):
    landing = sandbox.approve(link_of(panel))
    access_token = parse_qs(urlsplit(landing).fragment)["access_token"][0]
    panel.paste.value = landing
    assert panel.paste.value == "" and panel.paste.continuous_update is False
    assert access_token not in repr(panel.paste.get_state())
    assert "Received an address" in panel.paste.placeholder
    panel.use_button.click()
    assert "Found an access token for sandbox-user" in panel.message.value
    assert "Received" not in panel.paste.placeholder


def test_capture_field_starts_with_the_apps_registered_callback(make_session, sandbox):
    from imgur_kit import Credentials
    from imgur_kit.widgets import authorize_panel

    app = sandbox.register_app(name="mine", callback_url="http://localhost:9123/callback")
    kit = make_session()
    kit.store_credentials(Credentials(client_id=app.client_id, client_secret=app.client_secret))
    assert authorize_panel(kit).capture_url.value == "http://localhost:9123/callback"


def test_use_pressed_before_the_address_arrives_uses_it_on_arrival(session, sandbox):
    """In a browser the click can overtake the box's value; the panel then uses the address when it lands."""
    from imgur_kit.widgets import authorize_panel

    panel = authorize_panel(session)
    panel.use_button.click()
    assert "The paste box is empty" in panel.message.value
    panel.paste.value = sandbox.approve(panel.url)
    assert "Found an access token for sandbox-user" in panel.message.value
