"""The "no widgets?" side: the session's plain steps, wording, and the lazy, light package."""

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

import imgur_kit.widgets as widgets_package
from imgur_kit import steps
from imgur_kit.credentials import Credentials, CredentialStore
from imgur_kit.errors import AuthError, AuthorizationError
from imgur_kit.steps.explaining import explain
from imgur_kit.steps.words import duration_words, expiry_words
from imgur_kit.widgets.phrasing import STANDS_IN


def test_plain_modules_do_not_import_ipywidgets():
    code = (
        "import sys, imgur_kit.widgets, imgur_kit.steps, imgur_kit.steps.password_rule, "
        "imgur_kit.steps.auth_types, imgur_kit.steps.account, imgur_kit.steps.loopback_capture, "
        "imgur_kit.credentials; print('ipywidgets' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_factories_are_exported_sorted_and_resolvable():
    assert widgets_package.__all__ == sorted(widgets_package.__all__)
    for name in widgets_package.__all__:
        factory = getattr(widgets_package, name)
        assert callable(factory) and factory.__doc__, name
        assert "No widgets?" in factory.__doc__, name
    with pytest.raises(AttributeError):
        widgets_package.no_such_widget  # noqa: B018


def test_unexpected_errors_become_sentences_without_secrets():
    secret = "0123456789abcdef0123456789abcdef01234567"
    text = explain(RuntimeError(f"boom with access_token={secret}\nsecond line"))
    assert text.startswith("Something unexpected went wrong (RuntimeError: boom")
    assert secret not in text and "second line" not in text
    assert explain(AuthorizationError("Access was denied.")) == "Access was denied."
    assert "refused" in explain(PermissionError(13, "Permission denied"))


def test_time_in_words():
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert duration_words(315360000) == "10 years"
    assert duration_words(3600) == "1 hour"
    assert duration_words(59) == "59 seconds"
    assert expiry_words(now + timedelta(days=28), now=now) == "expires in 28 days (2026-01-29 00:00 UTC)"
    assert expiry_words(now - timedelta(minutes=5), now=now).startswith("expired 5 minutes ago")
    assert expiry_words(None) == "no expiry time was given"


def test_the_whole_journey_in_plain_python(session, sandbox):
    app = sandbox.register_app(name="plain", auth_type="no-callback")
    creds = Credentials(client_id=app.client_id, client_secret=app.client_secret)
    checked = steps.check_credentials(session, creds)
    assert checked.accepted is True and checked.sentence.startswith("The sandbox knows practice app")
    saved = steps.save_credentials(session, creds)
    assert saved.kind == "sandbox" and "Saved practice app" in saved.sentence

    url, state = session.authorize_url()
    token, sentence = steps.finish_authorization(session, sandbox.approve(url), state)
    assert sentence.startswith("Found an access token for sandbox-user")
    assert token.access_token not in sentence
    assert steps.who_am_i(session).startswith("Signed in as sandbox-user")
    assert steps.refresh_now(session).startswith("Refreshed: a new access token")
    # The client owns the token; the refreshed one went to the store through its callback.
    assert CredentialStore(kind="sandbox").load().token.access_token == session.client.token.access_token

    ticks = []
    data = steps.upload_picture(
        session, steps.bundled_picture(), title="plain", progress=lambda sent, total: ticks.append((sent, total))
    )
    assert ticks and ticks[-1][0] == ticks[-1][1]
    assert steps.upload_sentence(data).startswith(f"Uploaded: {data['link']}")


def test_plain_errors_are_the_kits_own(session, live_standin):
    with pytest.raises(AuthError, match="Invalid client_id"):  # the real Imgur (stand-in) refuses
        steps.save_credentials(session, Credentials("0123456789abcde"))
    assert not CredentialStore(kind="live").path.exists()  # a refused key is not saved
    with pytest.raises(AuthorizationError, match="Nobody is signed in yet"):
        steps.who_am_i(session)
    with pytest.raises(AuthorizationError, match="Nobody is signed in yet"):
        steps.refresh_now(session)


def test_reprs_are_short_stable_and_point_to_the_plain_way(signed_in):
    """A widget's repr is its text/plain output: what nbval compares and what a
    front end without widgets shows. It must hold no port, state, time or secret."""
    from imgur_kit.preflight import Finding
    from imgur_kit.widgets import (
        account_checklist,
        auth_type_chooser,
        authorize_panel,
        credentials_form,
        password_checker,
        rate_limit_meter,
        status_panel,
        token_panel,
        upload_panel,
    )

    made = [
        account_checklist(),
        password_checker(),
        auth_type_chooser(),
        credentials_form(signed_in),
        authorize_panel(signed_in),
        token_panel(signed_in),
        upload_panel(signed_in),
        rate_limit_meter(signed_in.client),
        status_panel([Finding("x", "ok", "fine.")]),
    ]
    for widget in made:
        text = repr(widget)
        assert text.startswith("A widget: the ") and f". {STANDS_IN} No widgets? " in text
        # The text/plain part that static viewers show is the whole sentence (ipywidgets cuts at 110).
        assert widget._repr_mimebundle_()["text/plain"] == text
        assert str(signed_in.sandbox.base_url.rsplit(":", 1)[1]) not in text
        assert signed_in.token.access_token not in text


def test_the_widget_check_reads_as_a_sentence_where_widgets_cannot_show():
    """Notebook 00's check: GitHub and nbviewer show its text/plain part, which must not look like
    ``HBox(children=(BoundedIntText(...`` (the very symptom notebook 00 calls "widgets not working")."""
    from imgur_kit.widgets import widget_check

    check = widget_check()
    plain = check._repr_mimebundle_()["text/plain"]
    assert plain == (
        "A widget: a number box, and beside it a label that repeats the number as you change it. It takes "
        "the place of this text when the cell runs in JupyterLab or another front end that draws widgets."
    )
    assert "children=" not in plain
    assert check.number.description == "Type a number:"  # an accessible name for the box
