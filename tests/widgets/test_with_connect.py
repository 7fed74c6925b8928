"""The widgets over the real notebook.connect(mode="sandbox"), as the notebooks use them."""

import pytest
from widget_links import link_of

from imgur_kit.credentials import CredentialStore


@pytest.fixture
def connected():
    from imgur_kit.notebook import connect

    session = connect(mode="sandbox", show=False)
    yield session
    session.sandbox.stop()  # its config folder is this test's own: nobody reuses it


def test_journey_through_the_widgets(connected):
    from imgur_kit.widgets import authorize_panel, credentials_form, token_panel, upload_panel

    sandbox = connected.sandbox
    app = sandbox.register_app(name="journey", auth_type="no-callback")
    form = credentials_form(connected)
    form.client_id.value = app.client_id
    form.secret.value = app.client_secret
    form.save_button.click()
    assert "Saved practice app" in form.message.value
    assert connected.credentials.client_id == app.client_id

    panel = authorize_panel(connected)
    panel.paste.value = sandbox.approve(link_of(panel))  # the labelled "browser" step of notebook 03
    panel.use_button.click()
    assert "Found an access token for sandbox-user" in panel.message.value
    assert CredentialStore(kind="sandbox").load().token is not None

    assert "Signed in as sandbox-user" in token_panel(connected).status.value
    upload = upload_panel(connected)
    upload.upload_button.click()
    assert "Uploaded:" in upload.message.value
