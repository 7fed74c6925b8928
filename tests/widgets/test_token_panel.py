"""The token panel: who you are, expiry, refresh; against a real sandbox."""

from imgur_kit.credentials import CredentialStore


def test_no_token_yet_is_a_sentence(session):
    from imgur_kit.widgets import token_panel

    panel = token_panel(session)
    assert "Nobody is signed in yet" in panel.status.value
    panel.refresh_button.click()
    assert "Nobody is signed in yet" in panel.message.value


def test_shows_who_and_refreshes(signed_in):
    from imgur_kit.widgets import token_panel

    panel = token_panel(signed_in)
    assert "Signed in as sandbox-user" in panel.status.value
    assert "expires in" in panel.status.value
    old = signed_in.token.access_token
    panel.refresh_button.click()
    assert "Refreshed: a new access token" in panel.message.value
    new = CredentialStore(kind="sandbox").load().token.access_token
    assert new != old
    assert new not in panel.message.value and old not in panel.message.value
    assert "Signed in as sandbox-user" in panel.status.value


def test_revoked_tokens_are_a_sentence(signed_in, sandbox):
    from imgur_kit.widgets import token_panel

    sandbox.revoke_tokens()
    panel = token_panel(signed_in)
    assert "Problem:" in panel.status.value
    panel.refresh_button.click()
    assert "Problem:" in panel.message.value and "Traceback" not in panel.message.value
