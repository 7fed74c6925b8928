"""The credentials form, driven by .value and .click() against a real sandbox."""

import stat

import pytest

from imgur_kit.credentials import CredentialStore


@pytest.fixture
def form(connection):
    from imgur_kit.widgets import credentials_form

    return credentials_form(connection)


def test_labels(form):
    assert form.client_id.description == "Client ID:"
    assert form.secret.description == "Client Secret:"
    assert form.verify_button.description == "Verify" and form.save_button.description == "Save"
    assert form.client_id.style.description_width == "initial"


def test_verify_then_save_a_new_app(form, sandbox, isolated_environment, all_text):
    app = sandbox.register_app(name="my app", auth_type="callback")
    form.client_id.value = f"  Client-ID {app.client_id}\n"   # paste-forgiving
    form.secret.value = f'"{app.client_secret}"'
    form.verify_button.click()
    assert form.secret.value == ""                     # emptied as soon as read
    assert form.client_id.value == app.client_id       # shown cleaned
    assert "Imgur accepted Client ID" in form.message.value
    assert "requests left today" in form.message.value
    form.save_button.click()                           # secret kept from Verify, not asked twice
    assert "Saved Client ID" in form.message.value
    path = CredentialStore(kind="sandbox").path
    assert str(path) in form.message.value and str(isolated_environment) in str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = CredentialStore(kind="sandbox").load()
    assert stored.credentials.client_id == app.client_id
    assert stored.credentials.client_secret == app.client_secret
    assert form.connection.credentials.client_id == app.client_id
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
    assert "Problem:" in message and "Invalid client_id" in message
    assert "Note: The Client ID has 9 characters" in message


def test_well_formed_but_unregistered_id(form):
    form.client_id.value = "0123456789abcde"
    form.verify_button.click()
    assert "Invalid client_id" in form.message.value


def test_over_capacity_is_a_sentence(form, sandbox):
    sandbox.set_fault("over-capacity")
    form.client_id.value = sandbox.default_app.client_id
    form.verify_button.click()
    assert "Problem:" in form.message.value
    assert "over capacity" in form.message.value.lower()
    assert "<html" not in form.message.value.lower()


def test_network_down_is_a_sentence(make_connection, free_port):
    from imgur_kit.widgets import credentials_form

    connection = make_connection()
    connection.base_url = f"http://127.0.0.1:{free_port}"
    form = credentials_form(connection)
    form.client_id.value = "0123456789abcde"
    form.verify_button.click()
    assert "Problem:" in form.message.value
    assert "Traceback" not in form.message.value
    assert str(free_port) in form.message.value or "reach" in form.message.value.lower()


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
    assert form.secret.continuous_update is False   # arrives whole, not keystroke by keystroke
    assert form.secret.placeholder == f"received {app.client_secret[:4]}…{app.client_secret[-4:]}; press Verify or Save"
    assert app.client_secret not in repr(form.secret.get_state())
    form.client_id.value = app.client_id
    form.save_button.click()                          # the secret taken earlier is the one saved
    assert CredentialStore(kind="sandbox").load().credentials.client_secret == app.client_secret
    assert form.secret.placeholder == "40 characters; emptied once read"
