"""Every listener checks the sign-in's ``state`` first, and a busy capture port gets the right advice.

Any page open in the browser can send ``GET http://localhost:PORT/callback?error=access_denied``
(an ``<img>`` tag is enough), and on a shared server another person's redirect can land on
this listener. Neither may end a sign-in or be kept; the other person is told to paste.
"""

import socket

import pytest
import requests
from widget_links import link_of

from imgur_kit.steps.loopback_capture import (
    LoopbackCapture,
    busy_port_advice,
    callback_url_for,
    free_capture_port,
    port_is_free,
)


def test_a_listener_cannot_be_made_without_the_state_it_waits_for():
    for missing in (None, ""):
        with pytest.raises(ValueError, match="state"):
            LoopbackCapture(0, state=missing)


def test_the_quick_login_listener_ignores_an_answer_without_its_state(make_session, live_standin, free_port):
    from imgur_kit.widgets import login_widget

    callback = callback_url_for(free_port)
    app = live_standin.register_app(name="quick login app", callback_url=callback)
    widget = login_widget(make_session())
    widget.callback_url.value = callback
    widget.client_id.value = app.client_id
    widget.secret.value = app.client_secret
    try:
        # A cross-site request from any page: no state, an error.
        planted = requests.get(f"http://127.0.0.1:{free_port}/callback?error=access_denied", timeout=5)
        assert planted.status_code == 400
        assert widget.capture.running and widget.capture.result is None
        assert "denied" not in widget.message.value.lower()

        landing = live_standin.approve(link_of(widget))
        requests.post(f"http://127.0.0.1:{free_port}/callback", data=landing, timeout=10)
        assert widget.capture.wait(timeout=30) == landing
        assert "Signed in as sandbox-user" in widget.message.value
    finally:
        widget.stop()


def test_someone_elses_redirect_is_told_to_paste_into_their_own_notebook():
    with LoopbackCapture(0, timeout=30, state="mine") as capture:
        base = f"http://127.0.0.1:{capture.port}/callback"
        theirs = base + "?state=theirs#access_token=" + "t" * 40 + "&refresh_token=" + "r" * 40
        answer = requests.post(base, data=theirs.encode(), timeout=5)
        assert answer.status_code == 400
        assert "not waiting for this sign-in" in answer.text
        assert "paste it into the paste box of your own notebook" in answer.text
        assert "still waiting" not in answer.text  # not true for the person who reads it
        assert capture.running and capture.result is None  # nothing of theirs kept


def test_a_busy_capture_port_is_named_with_a_free_one_and_the_risk():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        assert not port_is_free(taken)
        free = free_capture_port(taken)
        assert free != taken and port_is_free(free)
        advice = busy_port_advice(taken)
        assert f"Port {taken} is taken" in advice
        assert "would receive your sign-in" in advice
        assert callback_url_for(free) in advice and "paste" in advice


def test_the_chooser_never_advises_a_port_another_program_holds(free_port):
    from imgur_kit.steps.where import CAPTURE_PORT
    from imgur_kit.widgets import auth_type_chooser

    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", CAPTURE_PORT))
        holder.listen()
    except OSError:
        holder.close()
        holder = None  # something on this machine holds it already: the same situation
    try:
        chooser = auth_type_chooser("local")
        assert chooser.port != CAPTURE_PORT
        assert callback_url_for(CAPTURE_PORT) not in chooser.answer.value
        assert callback_url_for(chooser.port) in chooser.answer.value
    finally:
        if holder is not None:
            holder.close()
