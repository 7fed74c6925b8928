"""The notebooks' stand-in cells ask imgur_kit.steps.rehearsal whether the person did the step.

Each step is done here the way a person does it, over real loopback HTTP: the
registration form posted as a browser posts it, the credentials form typed into
and its buttons pressed, Allow pressed and the address handed to the authorize
panel, Upload pressed. Before, the check says "not done" and the sentence says
the cell did it for them and how to do it themselves; after, it says "already".
"""

from __future__ import annotations

import re

import pytest
import requests

from imgur_kit.steps import rehearsal
from imgur_kit.tokens import mask

FORM = {
    "name": "Typed in a browser",
    "auth_type": "callback",
    "callback_url": "http://localhost:8765/callback",
    "email": "me@example.com",
    "description": "by hand",
}


def test_registration_on_the_sandbox_form_is_seen(session, sandbox):
    assert rehearsal.registered_app(session) is None
    assert "registered the app for you" in rehearsal.sentence(session, "register", False)
    assert "To do it yourself" in rehearsal.sentence(session, "register", False)

    page = requests.post(sandbox.base_url + "/oauth2/addclient", data={**FORM, "captcha": "1"}, timeout=10)
    client_id = re.search(r'id="client-id">([0-9a-f]{15})<', page.text).group(1)

    app = rehearsal.registered_app(session)
    assert app is not None and app.client_id == client_id and app.name == FORM["name"]
    said = rehearsal.sentence(session, "register", True)
    assert said.startswith("When this cell ran, you had registered an app on the sandbox form already")
    assert client_id in said and app.client_secret not in said


def test_the_demo_app_is_not_a_registration(session, sandbox):
    assert sandbox.default_app.client_id == session.credentials.client_id
    assert sandbox.registered_apps() == []


def test_keys_typed_into_the_form_and_saved_are_seen(make_session, sandbox):
    from imgur_kit.widgets import credentials_form

    app = sandbox.register_app(**FORM)
    kit = make_session()
    assert not rehearsal.credentials_saved(kit)
    form = credentials_form(kit)
    form.client_id.value = app.client_id
    form.secret.value = app.client_secret
    form.verify_button.click()
    form.save_button.click()
    assert rehearsal.credentials_saved(kit)
    said = rehearsal.sentence(kit, "save keys", True)
    assert said.startswith("When this cell ran, your keys were saved already") and mask(app.client_id) in said
    assert app.client_secret not in said


def test_allow_pressed_and_address_used_is_seen(session, sandbox):
    from imgur_kit.widgets import authorize_panel

    assert not rehearsal.token_saved(session)
    assert "pressed Allow" in rehearsal.sentence(session, "authorize", False)
    panel = authorize_panel(session)
    panel.paste.value = sandbox.approve(panel.url)  # the person pastes where the browser ended
    panel.use_button.click()
    assert rehearsal.token_saved(session)
    said = rehearsal.sentence(session, "authorize", True)
    assert said == "When this cell ran, a user token was saved already (signed in as sandbox-user), so it did nothing."


def test_live_mode_stand_ins_only_say_what_to_do(live_standin):
    from imgur_kit import steps

    kit = steps.open_session("live", check=False)
    assert rehearsal.registered_app(kit) is None
    for step in rehearsal.STEPS:
        assert rehearsal.sentence(kit, step, False).startswith("Live mode: this cell does nothing."), step


def test_an_unknown_step_is_refused_in_words(session):
    with pytest.raises(ValueError, match="step must be one of register, save keys"):
        rehearsal.sentence(session, "dance", False)
