"""connect(): sandbox or live, the reason in words, and a client that keeps its store up to date."""

from __future__ import annotations

import json

import pytest
from loopback import SandboxProcess, free_port

from imgur_kit import Credentials, CredentialsError, CredentialStore, oauth
from imgur_kit.credentials import config_dir
from imgur_kit.notebook import connect
from imgur_kit.steps import AttachedSandbox, SandboxHandle, detect_environment


def test_nothing_configured_means_sandbox_with_its_demo_app(capsys):
    kit = connect()
    banner = capsys.readouterr().out
    assert kit.mode == "sandbox"
    assert banner.startswith("Sandbox mode, because no Client ID of your own is saved or set: ")
    assert "with its demo app" in banner and "The rule: " in banner
    assert banner.count("\n") == 1  # one line
    assert kit.base_url.startswith("http://127.0.0.1:")
    assert kit.client.credits()["ClientLimit"] > 0
    assert kit.credentials.client_id == kit.sandbox.default_app.client_id


def test_connect_twice_shares_one_sandbox():
    assert connect(show=False).sandbox is connect(show=False).sandbox


def test_credentials_in_the_environment_mean_live(monkeypatch, sandbox, capsys):
    app = sandbox.default_app
    monkeypatch.setenv("IMGUR_CLIENT_ID", app.client_id)
    monkeypatch.setenv("IMGUR_KIT_BASE_URL", sandbox.base_url)  # a stand-in for api.imgur.com
    kit = connect()
    assert kit.mode == "live"
    assert "environment" in kit.reason
    assert capsys.readouterr().out.startswith(
        f"Live mode, because your Client ID {app.client_id[:4]}…{app.client_id[-4:]} was found in environment"
    )
    assert kit.client.credits()["ClientRemaining"] > 0


def test_forced_sandbox_wins_over_found_credentials(monkeypatch):
    monkeypatch.setenv("IMGUR_CLIENT_ID", "0123456789abcde")
    monkeypatch.setenv("IMGUR_KIT_MODE", "sandbox")
    kit = connect(show=False)
    assert kit.mode == "sandbox" and "IMGUR_KIT_MODE=sandbox" in kit.reason


def test_unknown_mode_is_a_sentence(monkeypatch):
    monkeypatch.setenv("IMGUR_KIT_MODE", "production")
    with pytest.raises(CredentialsError, match="'sandbox' or 'live'"):
        connect(show=False)


def test_live_without_credentials_explains_where_to_enter_them(monkeypatch):
    monkeypatch.setenv("IMGUR_KIT_MODE", "live")
    kit = connect(show=False, check=False)
    assert kit.mode == "live" and kit.credentials is None
    assert "No Client ID is saved yet" in kit.banner
    with pytest.raises(CredentialsError, match="imgur_kit.login()"):
        _ = kit.client


def test_live_and_unreachable_says_so_in_the_banner(monkeypatch):
    port = free_port()  # nothing listens there
    monkeypatch.setenv("IMGUR_CLIENT_ID", "0123456789abcde")
    monkeypatch.setenv("IMGUR_KIT_BASE_URL", f"http://127.0.0.1:{port}")
    kit = connect(show=False)
    assert "could not be reached" in kit.banner
    assert ".." not in kit.banner
    assert f"127.0.0.1:{port}" in kit.banner


def test_sandbox_credentials_are_stored_apart_from_live_ones():
    kit = connect(show=False)
    app = kit.sandbox.register_app(name="my first app")
    path = kit.store_credentials(Credentials(client_id=app.client_id, client_secret=app.client_secret))
    assert path.name == "sandbox-credentials.json"
    assert not (config_dir() / "credentials.json").exists()
    assert CredentialStore(kind="live").load() is None
    # A new session (a new notebook) continues with the saved practice app, still in the sandbox.
    again = connect(show=False)
    assert again.mode == "sandbox" and again.credentials.client_id == app.client_id
    assert "practice app saved in" in again.banner


def test_token_saved_in_one_notebook_is_used_in_the_next():
    kit = connect(show=False)
    url, state = kit.authorize_url()
    token = oauth.parse_redirect(kit.sandbox.approve(url), expected_state=state)
    kit.store_token(token)
    again = connect(show=False)
    assert again.token is not None and again.token.access_token == token.access_token
    assert again.client.account()["url"] == "sandbox-user"


def test_refreshed_token_is_written_back_to_the_store():
    kit = connect(show=False)
    url, state = kit.authorize_url()
    first = oauth.parse_redirect(kit.sandbox.approve(url), expected_state=state)
    kit.store_token(first)
    kit.sandbox.expire_token(first.access_token)
    assert kit.client.account()["url"] == "sandbox-user"  # refreshed behind the scenes
    stored = json.loads(kit.store.path.read_text())
    assert first.access_token not in json.dumps(stored)
    assert kit.store.load().token.access_token == kit.token.access_token != first.access_token


def test_forget_token_logs_out_locally():
    kit = connect(show=False)
    url, state = kit.authorize_url()
    kit.store_token(oauth.parse_redirect(kit.sandbox.approve(url), expected_state=state))
    assert kit.forget_token() is True
    assert connect(show=False).token is None


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, "local"),
        ({"BINDER_LAUNCH_HOST": "https://mybinder.org/"}, "binder"),
        ({"BINDER_REPO_URL": "https://github.com/x/y", "JUPYTERHUB_SERVICE_PREFIX": "/user/x/"}, "binder"),
        ({"COLAB_RELEASE_TAG": "release-colab"}, "colab"),
        ({"JUPYTERHUB_SERVICE_PREFIX": "/user/ada/"}, "jupyterhub"),
        ({"JUPYTERHUB_USER": "ada"}, "jupyterhub"),
        ({"JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api"}, "jupyterhub"),
        ({"JUPYTERHUB_USER": " "}, "local"),
        ({"SSH_CONNECTION": "10.0.0.1 5555 10.0.0.2 22"}, "remote"),
    ],
)
def test_detect_environment(environ, expected):
    assert detect_environment(environ) == expected


def test_kit_errors_show_as_one_sentence_in_ipython(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        connect(show=True)
        capsys.readouterr()
        shell.run_cell(
            "from imgur_kit import NetworkError\n"
            "raise NetworkError('Could not reach api.imgur.com. Check your connection.')"
        )
        out = capsys.readouterr()
        shown = out.out + out.err
        assert "NetworkError: Could not reach api.imgur.com. Check your connection." in shown
        assert "Traceback" not in shown
        shell.run_cell("raise KeyError('plain')")  # other errors keep their traceback
        other = capsys.readouterr()
        assert "Traceback" in other.out + other.err
    finally:
        InteractiveShell.clear_instance()


# -- browser_url: sandbox pages for a browser on another machine (Binder) -------------

WHERE_VARIABLES = (
    "JUPYTERHUB_SERVICE_PREFIX",
    "JUPYTERHUB_USER",
    "JUPYTERHUB_API_URL",
    "JUPYTERHUB_PUBLIC_URL",
    "CODESPACES",
    "SSH_CONNECTION",
    "COLAB_RELEASE_TAG",
    "COLAB_GPU",
)


@pytest.fixture
def on_this_machine(monkeypatch):
    """No trace of Binder, JupyterHub, Colab or SSH in the environment."""
    import os

    for name in list(os.environ):
        if name.startswith("BINDER_") or name in WHERE_VARIABLES:
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture
def on_binder(on_this_machine):
    on_this_machine.setenv("BINDER_REPO_URL", "https://github.com/example/imgur-kit")
    on_this_machine.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada-imgur-kit-1a2b/")
    return on_this_machine


@pytest.fixture
def without_server_proxy(monkeypatch):
    """As if jupyter-server-proxy were not installed (a None entry blocks an import)."""
    import sys

    monkeypatch.setitem(sys.modules, "jupyter_server_proxy", None)


def test_browser_url_on_binder_goes_through_the_server_proxy(on_binder):
    kit = connect(show=False)
    port = kit.sandbox.port
    assert kit.environment == "binder"
    assert (
        kit.browser_url(kit.base_url + "/oauth2/addclient") == f"/user/ada-imgur-kit-1a2b/proxy/{port}/oauth2/addclient"
    )
    url, state = kit.authorize_url()
    shown = kit.browser_url(url)
    assert shown.startswith(f"/user/ada-imgur-kit-1a2b/proxy/{port}/oauth2/authorize?")
    assert shown.split("?", 1)[1] == url.split("?", 1)[1]  # client_id, response_type and state kept
    assert f"state={state}" in shown
    # The sandbox's root keeps its slash: its pages link relative to it.
    assert kit.browser_url(kit.base_url) == f"/user/ada-imgur-kit-1a2b/proxy/{port}/"
    assert kit.browser_note == ""


def test_browser_url_on_another_jupyterhub_adds_a_missing_slash(on_this_machine):
    on_this_machine.setenv("JUPYTERHUB_SERVICE_PREFIX", "/hub/user/ada")
    kit = connect(show=False)
    assert kit.environment == "jupyterhub"
    assert (
        kit.browser_url(kit.base_url + "/oauth2/addclient")
        == f"/hub/user/ada/proxy/{kit.sandbox.port}/oauth2/addclient"
    )


def test_browser_url_leaves_other_addresses_alone_on_binder(on_binder):
    kit = connect(show=False)
    for url in (
        "https://api.imgur.com/oauth2/addclient",
        "http://localhost:8765/callback?state=s",
        "http://127.0.0.1:1/oauth2/addclient",
    ):
        assert kit.browser_url(url) == url


def test_browser_url_is_unchanged_locally(on_this_machine):
    kit = connect(show=False)
    url = kit.base_url + "/oauth2/addclient"
    assert kit.environment == "local"
    assert kit.browser_url(url) == url and kit.browser_note == ""


def test_browser_url_is_unchanged_in_live_mode(on_binder):
    on_binder.setenv("IMGUR_KIT_MODE", "live")
    kit = connect(show=False, check=False)
    url = "https://api.imgur.com/oauth2/authorize?client_id=x&response_type=token"
    assert kit.browser_url(url) == url and kit.browser_note == ""


def test_remote_without_the_proxy_says_why_the_link_may_not_open(on_binder, without_server_proxy, capsys):
    kit = connect()
    url = kit.base_url + "/oauth2/addclient"
    assert kit.browser_url(url) == url
    note = kit.browser_note
    assert "jupyter-server-proxy" in note and "next cell" in note and kit.base_url in note
    assert note.count(". ") == 0 and note.endswith(".")  # one sentence
    assert capsys.readouterr().out.count("\n") == 1  # the banner stays one line


def test_remote_without_a_known_prefix_says_why(on_this_machine):
    on_this_machine.setenv("SSH_CONNECTION", "10.0.0.1 5555 10.0.0.2 22")
    kit = connect(show=False)
    url = kit.base_url + "/oauth2/addclient"
    assert kit.environment == "remote" and kit.browser_url(url) == url
    assert "may not open" in kit.browser_note and "next cell" in kit.browser_note


def test_connect_attaches_to_the_standalone_sandbox_and_its_helpers_work(isolated_environment):
    """One sandbox per user: with `python -m imgur_kit sandbox` running, notebooks use that one,
    and the notebooks' stand-in cells (register an app, press Allow) work through it."""
    with SandboxProcess(isolated_environment) as standalone:  # ready once it says so
        kit = connect(show=False)
        assert kit.mode == "sandbox" and kit.base_url == standalone.base_url
        assert isinstance(kit.sandbox, AttachedSandbox)  # the standalone one, in its own process
        app = kit.sandbox.register_app(
            name="through the form", auth_type="callback", callback_url="http://localhost:8765/callback"
        )
        assert kit.sandbox.app(app.client_id).client_secret == app.client_secret
        assert kit.sandbox.registered_apps()[-1].client_id == app.client_id  # what 02's stand-in looks for
        kit.store_credentials(Credentials(app.client_id, app.client_secret))
        url, state = kit.authorize_url()
        kit.store_token(oauth.parse_redirect(kit.sandbox.approve(url), expected_state=state))
        assert kit.client.account()["url"] == kit.sandbox.username
    # Stopped: the next connect() starts its own, on the same state folder, and finds the same apps.
    again = connect(show=False)
    assert not isinstance(again.sandbox, AttachedSandbox)
    assert again.credentials.client_id == app.client_id and again.token is not None
    # Both kinds are the one declared handle the session and the front ends rely on.
    assert isinstance(kit.sandbox, SandboxHandle) and isinstance(again.sandbox, SandboxHandle)


def test_a_refused_registration_through_an_attached_sandbox_is_the_forms_sentence(isolated_environment):
    with SandboxProcess(isolated_environment) as standalone:
        kit = connect(show=False)
        assert kit.base_url == standalone.base_url
        with pytest.raises(ValueError, match="ERROR: "):
            kit.sandbox.register_app(name="", callback_url="http://localhost:8765/callback")
