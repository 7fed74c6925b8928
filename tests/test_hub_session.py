"""A learner's kernel on a JupyterHub: the banner, their own ports and callback, the capture there.

The hub's variables are set as JupyterHub sets them for a learner's server; everything
else is real (connect(), the sandbox, the capture listener over loopback HTTP). The real
hub, with real learners as Unix users, is tests/hub/test_a_class_on_a_hub.py.
"""

from __future__ import annotations

import os
import socket
import stat

import pytest
import requests

from imgur_kit.notebook import connect
from imgur_kit.steps.ports import learner_ports, ports_file, read_ports

PUBLIC = "https://hub.example.org/user/ada/"


@pytest.fixture
def on_a_hub(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("BINDER_", "JUPYTERHUB_")) or name in ("SSH_CONNECTION", "CODESPACES"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("JUPYTERHUB_USER", "ada")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada/")
    monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api")
    monkeypatch.setenv("JUPYTERHUB_PUBLIC_URL", PUBLIC)
    return monkeypatch


def test_a_learner_gets_ports_of_their_own_kept_private_and_stable(on_a_hub):
    kit = connect(show=False)
    ports = read_ports()
    assert ports is not None and ports.sandbox != ports.capture
    assert stat.S_IMODE(ports_file().stat().st_mode) == 0o600
    assert stat.S_IMODE(ports_file().parent.stat().st_mode) == 0o700
    assert kit.sandbox.port == ports.sandbox and kit.capture_port == ports.capture
    assert learner_ports() == ports  # the same after a restart


def test_the_banner_says_jupyterhub_and_why(on_a_hub):
    kit = connect(show=False)
    assert kit.environment == "jupyterhub"
    assert "This notebook runs on JupyterHub (JUPYTERHUB_USER is set), on your own server at /user/ada/" in kit.banner
    assert kit.callback_url() in kit.banner


def test_the_callback_and_the_links_go_through_the_learners_own_server(on_a_hub):
    kit = connect(show=False)
    callback = f"{PUBLIC}proxy/{kit.capture_port}/callback"
    assert kit.callback_url() == callback
    assert kit.sandbox.default_app.callback_url == callback  # the demo app's too
    assert kit.capture_target(callback) == (kit.capture_port, "/callback")
    assert kit.capture_target("http://localhost:8765/callback") is None  # unreachable from the learner's browser
    assert kit.capture_target("https://hub.example.org/user/bob/proxy/2000/callback") is None
    assert kit.browser_url(kit.base_url + "/oauth2/addclient") == f"/user/ada/proxy/{kit.sandbox.port}/oauth2/addclient"


def test_without_the_hubs_public_address_the_learner_pastes(on_a_hub):
    on_a_hub.delenv("JUPYTERHUB_PUBLIC_URL")
    kit = connect(show=False)
    assert kit.callback_url() == f"http://localhost:{kit.capture_port}/callback"
    assert kit.capture_target(kit.callback_url()) is None
    assert "c.JupyterHub.public_url" in kit.banner


def test_the_chooser_recommends_the_learners_own_callback(on_a_hub):
    from imgur_kit.widgets import auth_type_chooser

    kit = connect(show=False)
    chooser = auth_type_chooser(session=kit)
    assert chooser.recommendation.where == "hub" and chooser.recommendation.flow == "capture"
    assert chooser.recommendation.callback_url == kit.callback_url()


def test_the_authorize_panel_captures_what_the_hub_passes_on(on_a_hub):
    """jupyter-server-proxy passes the browser's Host and Origin on: the hub's, not localhost."""
    from imgur_kit.widgets import authorize_panel

    kit = connect(show=False)
    panel = authorize_panel(kit)
    assert panel.capture_url.value == kit.callback_url()
    panel.start_capture()
    try:
        assert f"Listening on {kit.callback_url()}" in panel.capture_status.value
        landing = kit.sandbox.approve(panel.url)
        # Another site's page cannot post there, whatever Host it names.
        other = requests.post(
            f"http://127.0.0.1:{kit.capture_port}/callback",
            data=landing,
            headers={"Origin": "https://evil.example", "Host": "hub.example.org", "Content-Type": "text/plain"},
            timeout=10,
        )
        assert other.status_code == 403
        # The hand-back page's own post, as the hub's proxy passes it on.
        answer = requests.post(
            f"http://127.0.0.1:{kit.capture_port}/callback",
            data=landing,
            headers={"Origin": "https://hub.example.org", "Host": "hub.example.org", "Content-Type": "text/plain"},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        assert panel.capture is not None and panel.capture.wait(10) is not None
        assert kit.token is not None and "Found an access token" in panel.message.value
    finally:
        panel.stop_capture()


def test_the_listeners_answer_their_own_user():
    from imgur_kit.sandbox import Sandbox
    from imgur_kit.sandbox.peers import UNKNOWN, peer_uid, same_user

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname()) as client:
            accepted, _ = server.accept()
            with accepted:
                found = peer_uid(accepted)
                assert found in (os.geteuid(), UNKNOWN)
                assert same_user(accepted)
                if found != UNKNOWN:
                    assert not same_user(accepted, uid=os.geteuid() + 1)
            assert client
    with Sandbox() as sandbox:  # and the sandbox answers this user as always
        assert requests.get(sandbox.base_url + "/oauth2/addclient", timeout=10).status_code == 200
