"""The application layer: one mode rule for every front end, and keys that never cross stores."""

from __future__ import annotations

import pytest

from imgur_kit import Credentials, CredentialsError, CredentialStore, steps


@pytest.mark.parametrize(
    "forced, env_mode, env_id, stored, expected",
    [
        (None, None, None, False, "sandbox"),  # nothing configured
        (None, None, "0123456789abcde", False, "live"),  # own Client ID in the environment
        (None, None, None, True, "live"),  # own Client ID saved in the live store
        (None, "sandbox", "0123456789abcde", True, "sandbox"),  # IMGUR_KIT_MODE forces
        (None, "live", None, False, "live"),
        ("sandbox", "live", "0123456789abcde", True, "sandbox"),  # --sandbox / mode= beats everything
        ("live", None, None, False, "live"),
    ],
)
def test_the_one_mode_rule(monkeypatch, forced, env_mode, env_id, stored, expected):
    if env_mode:
        monkeypatch.setenv("IMGUR_KIT_MODE", env_mode)
    if env_id:
        monkeypatch.setenv("IMGUR_CLIENT_ID", env_id)
    if stored:
        CredentialStore(kind="live").save(Credentials("fedcba987654321", "f" * 40))
    choice = steps.choose_mode(forced, asked_by="--" + (forced or ""))
    assert choice.mode == expected
    assert choice.forced == bool(forced or env_mode)
    assert choice.reason and "." not in choice.reason[-1:]  # completes "... mode, because <reason>."


def test_practice_apps_in_the_sandbox_store_never_make_live_mode():
    CredentialStore(kind="sandbox").save(Credentials("0123456789abcde", "e" * 40))
    assert steps.choose_mode().mode == "sandbox"


def test_every_banner_states_the_rule_in_one_sentence(monkeypatch):
    sandbox_banner = steps.open_session().banner
    monkeypatch.setenv("IMGUR_KIT_MODE", "live")
    live_banner = steps.open_session(check=False).banner
    for banner in (sandbox_banner, live_banner):
        assert banner.endswith(steps.MODE_RULE) and banner.count(steps.MODE_RULE) == 1
        assert "but" not in banner.split(steps.MODE_RULE)[0].split(":")[0]  # the decision never contradicts itself
    assert steps.MODE_RULE.count(". ") == 0


@pytest.mark.parametrize("value", ["http://[::1", "api.imgur.com", "ftp://x", "http://h:port"])
def test_a_bad_base_url_is_a_sentence(monkeypatch, value):
    monkeypatch.setenv("IMGUR_KIT_BASE_URL", value)
    with pytest.raises(CredentialsError, match="not a web address the kit can use"):
        steps.live_base_url()


def test_no_path_writes_sandbox_keys_into_the_live_store_or_the_reverse(live_standin):
    kit = steps.open_session()
    assert kit.mode == "sandbox"
    practice = kit.sandbox.register_app(name="practice")
    own = live_standin.register_app(name="own")
    live, sandbox = CredentialStore(kind="live"), CredentialStore(kind="sandbox")

    steps.save_credentials(kit, Credentials(practice.client_id, practice.client_secret))
    assert sandbox.load().credentials.client_id == practice.client_id and not live.path.exists()
    url, state = kit.authorize_url()
    steps.finish_authorization(kit, kit.sandbox.approve(url), state)  # a practice token: sandbox store
    assert sandbox.load().token is not None and not live.path.exists()

    steps.save_credentials(kit, Credentials(own.client_id, own.client_secret))  # own keys: live store
    assert live.load().credentials.client_id == own.client_id
    assert sandbox.load().credentials.client_id == practice.client_id  # untouched
    assert kit.mode == "live" and kit.store.kind == "live"
    url, state = kit.authorize_url()
    steps.finish_authorization(kit, live_standin.approve(url), state)
    assert live.load().token is not None
    assert sandbox.load().token.access_token != live.load().token.access_token
    assert own.client_secret not in sandbox.path.read_text()
    assert practice.client_secret not in live.path.read_text()
    # The next session (a new notebook, a new command) picks live by itself.
    assert steps.open_session(check=False).mode == "live"


def test_forced_sandbox_saves_own_keys_for_later_but_stays_in_the_sandbox(live_standin, monkeypatch):
    monkeypatch.setenv("IMGUR_KIT_MODE", "sandbox")
    kit = steps.open_session()
    own = live_standin.register_app(name="own")
    saved = steps.save_credentials(kit, Credentials(own.client_id, own.client_secret))
    assert saved.kind == "live" and saved.verified
    assert "stays in the sandbox because IMGUR_KIT_MODE=sandbox is set" in saved.sentence
    assert kit.mode == "sandbox" and not CredentialStore(kind="sandbox").path.exists()
