"""The quick login widget: keys in, checked by the real Imgur (a stand-in), signed in, first upload.

A second sandbox stands in for the real Imgur through IMGUR_KIT_BASE_URL; the
session starts in sandbox mode, as on a fresh machine.
"""

import requests
from widget_links import link_of

from imgur_kit.credentials import CredentialStore


def test_local_sign_in_is_the_link_allow_and_upload(make_session, live_standin, free_port, all_text):
    from imgur_kit.widgets import login_widget

    callback = f"http://localhost:{free_port}/callback"
    app = live_standin.register_app(name="my real app", callback_url=callback)
    widget = login_widget(make_session())
    widget.callback_url.value = callback  # typing, not a click
    widget.client_id.value = app.client_id
    widget.secret.value = app.client_secret
    assert "Imgur accepted" in widget.message.value
    assert widget.session.mode == "live" and widget.session.base_url == live_standin.base_url
    assert CredentialStore(kind="live").load().credentials.client_secret == app.client_secret
    assert not CredentialStore(kind="sandbox").path.exists()
    assert widget.paste_row not in widget.children  # locally nothing is pasted

    # Click 1: the link; click 2: Allow. The browser lands on the callback, whose page hands the address back.
    capture = widget.capture
    landing = live_standin.approve(link_of(widget))
    assert landing.startswith(callback)
    requests.post(f"http://127.0.0.1:{free_port}/callback", data=landing, timeout=10)
    assert capture.wait(timeout=30) == landing
    assert "Signed in as sandbox-user" in widget.message.value
    assert widget.upload_button.layout.display is None  # offered once signed in

    widget.upload_button.click()  # click 3: the first authorized upload
    assert widget.uploaded["link"].startswith(live_standin.base_url)
    assert "Uploaded:" in widget.message.value
    assert app.client_secret not in all_text(widget)
    assert CredentialStore(kind="live").load().token is not None


def test_on_binder_the_address_is_pasted(make_session, live_standin, all_text):
    from imgur_kit.widgets import login_widget

    app = live_standin.register_app(name="binder app", auth_type="no-callback")
    widget = login_widget(make_session(environment="binder"), client_id=app.client_id)
    assert widget.paste_row in widget.children and widget.capture is None
    landing = live_standin.approve(link_of(widget))
    widget.paste.value = landing
    assert widget.paste.value == ""  # the token-bearing address left the widget
    widget.use_button.click()
    assert "Signed in as sandbox-user" in widget.message.value
    assert landing not in all_text(widget)


def test_a_tab_opened_before_the_secret_arrived_still_signs_in(make_session, live_standin):
    """The Client ID arrives first, the secret a moment later: the link opened in between stays good."""
    from imgur_kit.widgets import login_widget

    app = live_standin.register_app(name="quick fingers", auth_type="no-callback")
    widget = login_widget(make_session(environment="binder"))
    widget.client_id.value = app.client_id
    opened = link_of(widget)  # clicked as soon as it showed
    widget.secret.value = app.client_secret
    assert "and Client Secret" in widget.message.value
    assert link_of(widget) == opened
    widget.paste.value = live_standin.approve(opened)
    widget.use_button.click()
    assert "Signed in as sandbox-user" in widget.message.value

    other = live_standin.register_app(name="another app", auth_type="no-callback")
    widget.client_id.value = other.client_id  # another app: a new link, the old one's state is gone
    assert link_of(widget) != opened and f"client_id={other.client_id}" in link_of(widget)


def test_offline_keys_are_saved_unverified_and_imgur_refusals_are_sentences(
    make_session, live_standin, free_port, monkeypatch
):
    from imgur_kit.widgets import login_widget

    widget = login_widget(make_session(), client_id="0123456789abcde")
    assert "Problem:" in widget.message.value and "Invalid client_id" in widget.message.value
    assert not CredentialStore(kind="live").path.exists()

    monkeypatch.setenv("IMGUR_KIT_BASE_URL", f"http://127.0.0.1:{free_port}")
    offline = login_widget(make_session(), client_id="0123456789abcde")
    assert "unverified, because" in offline.message.value and "Traceback" not in offline.message.value
    assert CredentialStore(kind="live").load().credentials.client_id == "0123456789abcde"
    offline.stop()


def test_saved_live_keys_are_used_as_the_terminal_login_uses_them(live_standin, all_text):
    from imgur_kit import steps
    from imgur_kit.credentials import Credentials
    from imgur_kit.widgets import login_widget

    app = live_standin.register_app(name="saved before", auth_type="no-callback")
    CredentialStore(kind="live").save(Credentials(app.client_id, app.client_secret))
    session = steps.open_session(check=False)
    assert session.mode == "live"
    widget = login_widget(session)
    assert widget.client_id.value == app.client_id
    assert "Imgur accepted" in widget.message.value and link_of(widget).startswith(live_standin.base_url)
    assert app.client_secret not in all_text(widget)
    widget.stop()


def test_with_the_sandbox_forced_the_practice_app_signs_in(monkeypatch, all_text):
    from imgur_kit import steps
    from imgur_kit.widgets import login_widget

    monkeypatch.setenv("IMGUR_KIT_MODE", "sandbox")
    session = steps.open_session()
    widget = login_widget(session)
    widget.stop()
    assert widget.client_id.value == session.sandbox.default_app.client_id
    assert "Saved practice app" in widget.message.value
    widget.use(session.sandbox.approve(link_of(widget)))
    assert "Signed in as sandbox-user" in widget.message.value
    assert not CredentialStore(kind="live").path.exists()


def test_a_callback_with_an_impossible_port_offers_the_paste_box(monkeypatch):
    from imgur_kit import steps
    from imgur_kit.widgets import login_widget

    monkeypatch.setenv("IMGUR_KIT_MODE", "sandbox")
    widget = login_widget(steps.open_session())
    widget.callback_url.value = "http://localhost:99999/callback"  # a typo: no port goes that high
    assert widget.capture is None and widget.paste_row in widget.children
    assert "not on this computer" in widget.message.value
    widget.use(widget.session.sandbox.approve(link_of(widget)))
    assert "Signed in as sandbox-user" in widget.message.value
