"""The credentials form, driven by .value and .click() against a real sandbox."""

import stat

import pytest

from imgur_kit.credentials import CredentialStore


@pytest.fixture
def form(session):
    from imgur_kit.widgets import credentials_form

    return credentials_form(session)


def test_labels(form):
    assert form.client_id.description == "Client ID:"
    assert form.secret.description == "Client Secret:"
    assert form.verify_button.description == "Verify" and form.save_button.description == "Save"
    assert form.client_id.style.description_width == "initial"


def test_verify_then_save_a_new_app(form, sandbox, isolated_environment, all_text):
    app = sandbox.register_app(name="my app", auth_type="callback")
    form.client_id.value = f"  Client-ID {app.client_id}\n"  # paste-forgiving
    form.secret.value = f'"{app.client_secret}"'
    form.verify_button.click()
    assert form.secret.value == ""  # emptied as soon as read
    assert form.client_id.value == app.client_id  # shown cleaned
    assert "The sandbox knows practice app" in form.message.value
    assert "requests left today" in form.message.value
    form.save_button.click()  # secret kept from Verify, not asked twice
    assert "Saved practice app Client ID" in form.message.value
    assert not CredentialStore(kind="live").path.exists()  # practice apps never reach the live store
    path = CredentialStore(kind="sandbox").path
    assert str(path) in form.message.value and str(isolated_environment) in str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = CredentialStore(kind="sandbox").load()
    assert stored.credentials.client_id == app.client_id
    assert stored.credentials.client_secret == app.client_secret
    assert form.session.credentials.client_id == app.client_id
    assert app.client_secret not in all_text(form)
    assert app.client_secret[:4] + "…" + app.client_secret[-4:] in form.message.value  # masked
    assert app.client_secret not in repr(form)
    assert app.client_secret in path.read_text()  # the 0600 file is the only place it lives


def test_empty_client_id_is_a_sentence(form):
    form.secret.value = "f" * 40
    form.verify_button.click()
    assert "Problem: The Client ID is empty" in form.message.value
    assert form.secret.value == ""
    assert "Traceback" not in form.message.value


def test_unknown_client_id_is_a_sentence_with_format_warning(form):
    form.client_id.value = "not-an-id"
    form.verify_button.click()
    message = form.message.value
    assert "The sandbox only knows its own practice apps" in message
    assert "Note: The Client ID has 9 characters" in message


def test_an_id_the_sandbox_does_not_know_is_offered_for_the_real_imgur(form):
    form.client_id.value = "0123456789abcde"
    form.verify_button.click()
    message = form.message.value
    assert "only knows its own practice apps" in message and "keeps it for live mode" in message
    assert "does not recognise" not in message and "Invalid client_id" not in message
    assert not CredentialStore(kind="sandbox").path.exists()


def test_over_capacity_is_a_sentence(form, sandbox):
    sandbox.set_fault("over-capacity")
    form.client_id.value = sandbox.default_app.client_id
    form.verify_button.click()
    assert "Problem:" in form.message.value
    assert "over capacity" in form.message.value.lower()
    assert "<html" not in form.message.value.lower()


def test_own_keys_with_imgur_offline_are_saved_unverified(form, free_port, monkeypatch):
    monkeypatch.setenv("IMGUR_KIT_BASE_URL", f"http://127.0.0.1:{free_port}")  # nothing listens: offline
    form.client_id.value = "0123456789abcde"
    form.secret.value = "0123456789abcdef0123456789abcdef01234567"
    form.save_button.click()
    message = form.message.value
    assert "unverified, because" in message and f"127.0.0.1:{free_port} could not be reached" in message
    assert "python -m imgur_kit status" in message
    assert CredentialStore(kind="live").load().credentials.client_id == "0123456789abcde"
    assert not CredentialStore(kind="sandbox").path.exists()
    assert form.session.mode == "live"


def test_own_keys_are_verified_by_the_real_imgur_and_saved_for_live_mode(form, live_standin, monkeypatch):
    app = live_standin.register_app(name="my real app")  # known to the stand-in, not to the sandbox
    form.client_id.value = app.client_id
    form.secret.value = app.client_secret
    form.save_button.click()
    message = form.message.value
    assert "Imgur accepted Client ID" in message and "From now on the kit uses the real Imgur" in message
    assert CredentialStore(kind="live").load().credentials.client_secret == app.client_secret
    assert not CredentialStore(kind="sandbox").path.exists()
    assert form.session.mode == "live" and form.session.base_url == live_standin.base_url
    assert form.session.client.credits()["ClientLimit"] > 0


def test_save_without_a_secret_says_so(form, sandbox):
    form.client_id.value = sandbox.default_app.client_id
    form.save_button.click()
    assert "no Client Secret" in form.message.value
    assert CredentialStore(kind="sandbox").load().credentials.client_secret is None


def test_saving_nothing_is_a_sentence_and_writes_nothing(form):
    form.save_button.click()
    assert "Problem: The Client ID is empty" in form.message.value
    assert not CredentialStore(kind="sandbox").path.exists()


def test_a_typed_secret_leaves_the_widget_at_once(form, sandbox):
    # Saved widget state would otherwise carry a secret that was typed but never submitted.
    app = sandbox.register_app(name="typed only")
    form.secret.value = app.client_secret
    assert form.secret.value == ""
    assert form.secret.continuous_update is False  # arrives whole, not keystroke by keystroke
    assert form.secret.placeholder == f"received {app.client_secret[:4]}…{app.client_secret[-4:]}; press Verify or Save"
    assert app.client_secret not in repr(form.secret.get_state())
    form.client_id.value = app.client_id
    form.save_button.click()  # the secret taken earlier is the one saved
    assert CredentialStore(kind="sandbox").load().credentials.client_secret == app.client_secret
    assert form.secret.placeholder == "40 characters; emptied once read"
