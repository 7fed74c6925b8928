"""Credentials values, the 0600 store, and the one lookup order."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from imgur_kit.credentials import Credentials, CredentialStore, Resolved, clean_pasted, config_dir, resolve
from imgur_kit.errors import CredentialsError
from imgur_kit.tokens import Token

CLIENT_ID = "1a2b3c4d5e6f7a8"
SECRET = "0123456789abcdef0123456789abcdef01234567"
ACCESS = "a1" * 20
REFRESH = "b2" * 20
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


# --- pasted values --------------------------------------------------------------------


@pytest.mark.parametrize(
    "pasted",
    [
        CLIENT_ID,
        f"  {CLIENT_ID}\n",
        f'"{CLIENT_ID}"',
        f"'{CLIENT_ID}'",
        f"<{CLIENT_ID}>",
        f"\u201c{CLIENT_ID}\u201d",
        f"Client-ID {CLIENT_ID}",
        f"client-id {CLIENT_ID}",
        f"Client ID: {CLIENT_ID}",
        f"client_id={CLIENT_ID}",
        f"Authorization: Client-ID {CLIENT_ID}",
        f"\u200b{CLIENT_ID}\u00a0",
        f"Client ID\t{CLIENT_ID}\tClient secret\t{SECRET}",
        f"My first app   {CLIENT_ID}   https://localhost:8888/callback",
        f"https://api.imgur.com/oauth2/authorize?client_id={CLIENT_ID}&response_type=token",
    ],
)
def test_client_id_survives_pasting(pasted):
    assert clean_pasted(pasted, field="client_id") == CLIENT_ID
    assert Credentials(pasted).client_id == CLIENT_ID


@pytest.mark.parametrize(
    "pasted",
    [
        SECRET,
        f" '{SECRET}' ",
        f"Client secret: {SECRET}",
        f"client_secret={SECRET}",
        f"Client ID: {CLIENT_ID} Client secret: {SECRET}",
        f"client_id={CLIENT_ID} {SECRET}",
    ],
)
def test_secret_survives_pasting(pasted):
    assert Credentials(CLIENT_ID, pasted).client_secret == SECRET


def test_empty_client_id_is_refused_with_advice():
    for empty in ("", "   ", '""', None):
        with pytest.raises(CredentialsError, match="settings/apps"):
            Credentials(empty)  # type: ignore[arg-type]
    with pytest.raises(ValueError):  # CredentialsError is also a ValueError
        Credentials("")
    with pytest.raises(CredentialsError):
        Credentials(12345)  # type: ignore[arg-type]


def test_empty_secret_is_none():
    assert Credentials(CLIENT_ID, "  ").client_secret is None


def test_format_warnings_never_refuse():
    good = Credentials(CLIENT_ID, SECRET)
    assert good.warnings() == []
    odd = Credentials("123456789012345678", "nothex")
    found = odd.warnings()
    assert len(found) == 2
    assert "15" in found[0] and "40" in found[1]
    assert "No Client Secret" in Credentials(CLIENT_ID).warnings()[0]
    assert any("same value" in w for w in Credentials(CLIENT_ID, CLIENT_ID).warnings())


def test_a_one_character_client_id_is_counted_in_the_singular():
    assert Credentials("c").warnings()[0].startswith("The Client ID has 1 character; Imgur's are usually 15")


def test_repr_never_shows_the_secret():
    creds = Credentials(CLIENT_ID, SECRET)
    for text in (repr(creds), str(creds), f"{creds!r}", repr({"c": creds})):
        assert SECRET not in text
        assert CLIENT_ID in text and "0123…4567" in text


def test_credentials_are_frozen_values():
    creds = Credentials(CLIENT_ID, SECRET)
    assert creds == Credentials(f" {CLIENT_ID} ", SECRET)
    with pytest.raises(dataclasses.FrozenInstanceError):
        creds.client_id = "x"  # type: ignore[misc]


# --- config folder ------------------------------------------------------------------


def test_config_dir_override_and_default(monkeypatch, tmp_path):
    monkeypatch.setenv("IMGUR_KIT_CONFIG_DIR", str(tmp_path / "here"))
    assert config_dir() == tmp_path / "here"
    assert config_dir({"IMGUR_KIT_CONFIG_DIR": "~/x"}) == config_dir({"IMGUR_KIT_CONFIG_DIR": "~/x"}).expanduser()
    default = config_dir({})
    assert "imgur-kit" in str(default)


def test_store_constructor_does_no_io(tmp_path):
    store = CredentialStore(tmp_path / "not-yet")
    assert store.path == tmp_path / "not-yet" / "credentials.json"
    assert not (tmp_path / "not-yet").exists()
    assert CredentialStore(tmp_path, kind="sandbox").path.name == "sandbox-credentials.json"
    with pytest.raises(CredentialsError):
        CredentialStore(tmp_path, kind="staging")


def test_store_follows_the_config_dir_by_default(isolated_environment):
    store = CredentialStore()
    store.save(Credentials(CLIENT_ID, SECRET))
    assert store.path == isolated_environment / "credentials.json"
    assert store.path.exists()


# --- the store ------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    return CredentialStore(tmp_path / "config")


def test_save_and_load_round_trip(store):
    assert store.load() is None
    path = store.save(Credentials(CLIENT_ID, SECRET))
    assert path == store.path
    loaded = store.load()
    assert loaded.credentials == Credentials(CLIENT_ID, SECRET) and loaded.token is None


@posix_only
def test_permissions_are_0700_and_0600(store):
    old_umask = os.umask(0o022)  # a typical, permissive umask must not matter
    try:
        store.save(Credentials(CLIENT_ID, SECRET))
        store.save_token(Token(access_token=ACCESS, refresh_token=REFRESH))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_atomic_write_leaves_no_temporary_files(store):
    for i in range(5):
        store.save(Credentials(CLIENT_ID, SECRET), profile=f"p{i}")
        store.save_token(Token(access_token=ACCESS), profile=f"p{i}")
    # Beside the file only its (empty) lock file: no temporary file survives a save.
    assert sorted(p.name for p in store.directory.iterdir()) == [".credentials.json.lock", "credentials.json"]
    assert (store.directory / ".credentials.json.lock").stat().st_size == 0
    json.loads(store.path.read_text())  # always whole JSON


def test_token_kept_for_the_same_client_id_and_dropped_for_another(store):
    store.save(Credentials(CLIENT_ID, SECRET))
    token = Token(access_token=ACCESS, refresh_token=REFRESH, expires_at=datetime(2035, 1, 1, tzinfo=timezone.utc))
    store.save_token(token)
    store.save(Credentials(CLIENT_ID, "f" * 40))  # new secret, same app
    assert store.load().token == token
    store.save(Credentials("fedcba987654321", SECRET))  # another app: the token is not its token
    assert store.load().token is None


def test_profiles_are_separate(store):
    store.save(Credentials(CLIENT_ID, SECRET))
    store.save(Credentials("fedcba987654321"), profile="work")
    assert store.profiles() == ["default", "work"]
    assert store.load("work").credentials.client_id == "fedcba987654321"
    assert store.load("missing") is None


def test_sandbox_and_live_never_mix(tmp_path):
    live = CredentialStore(tmp_path)
    sandbox = CredentialStore(tmp_path, kind="sandbox")
    live.save(Credentials(CLIENT_ID, SECRET))
    assert sandbox.load() is None
    sandbox.save(Credentials("fedcba987654321"))
    assert live.load().credentials.client_id == CLIENT_ID


def test_delete_token_is_a_local_logout(store):
    store.save(Credentials(CLIENT_ID, SECRET))
    store.save_token(Token(access_token=ACCESS))
    assert store.delete_token() is True
    assert store.load().token is None and store.load().credentials.client_id == CLIENT_ID
    assert store.delete_token() is False
    assert ACCESS not in store.path.read_text()


def test_token_only_profile_and_delete(store):
    store.save_token(Token(access_token=ACCESS), profile="t")
    assert store.load("t").credentials is None and store.load("t").token.access_token == ACCESS
    assert store.delete_token("t") is True
    assert store.load("t") is None
    store.save(Credentials(CLIENT_ID))
    assert store.delete() is True and store.delete() is False
    assert store.load() is None


def test_delete_on_a_missing_file_creates_nothing(store):
    assert store.delete() is False and store.delete_token() is False
    assert not store.directory.exists()


@pytest.mark.parametrize("content", [b"{not json", b"[]", b"\xff\xfe", b'{"profiles": []}', b""])
def test_corrupt_file_is_an_error_naming_the_file(store, content):
    store.directory.mkdir(parents=True)
    store.path.write_bytes(content)
    with pytest.raises(CredentialsError) as caught:
        store.load()
    assert str(store.path) in str(caught.value)
    assert "nothing is lost" in str(caught.value)


def test_saving_over_a_corrupt_file_moves_it_aside_first(store):
    store.directory.mkdir(parents=True)
    store.path.write_bytes(b"{ this was my only copy")
    with pytest.warns(UserWarning, match="moved to"):
        store.save(Credentials(CLIENT_ID, SECRET))
    backups = list(store.directory.glob("credentials.json.corrupt-*"))
    assert len(backups) == 1 and backups[0] == store.last_backup
    assert backups[0].read_bytes() == b"{ this was my only copy"
    assert store.load().credentials.client_id == CLIENT_ID


def test_a_folder_where_the_file_should_be(store):
    # An unreadable store, made in a way that holds even for root (who reads any
    # file whatever its mode bits, so chmod 000 proves nothing in CI).
    store.path.mkdir(parents=True)
    with pytest.raises(CredentialsError, match="folder"):
        store.load()


def test_unwritable_location_is_a_credentials_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CredentialsError, match="IMGUR_KIT_CONFIG_DIR"):
        CredentialStore(blocker / "sub").save(Credentials(CLIENT_ID))


def test_stored_file_holds_no_secret_in_a_repr(store):
    assert SECRET not in repr(store)


# --- resolve: the lookup order --------------------------------------------------------


def test_nothing_configured(store):
    found = resolve(store=store, environ={})
    assert found == Resolved(None, None, "nothing configured", "default")


def test_argument_wins_over_environment_and_file(store):
    store.save(Credentials("fedcba987654321", "f" * 40))
    env = {"IMGUR_CLIENT_ID": "eeeeeeeeeeeeeee", "IMGUR_CLIENT_SECRET": "e" * 40}
    found = resolve(CLIENT_ID, SECRET, store=store, environ=env)
    assert found.source == "argument"
    assert found.credentials == Credentials(CLIENT_ID, SECRET)


def test_environment_wins_over_file(store):
    store.save(Credentials("fedcba987654321", "f" * 40))
    env = {
        "IMGUR_CLIENT_ID": f" {CLIENT_ID} ",
        "IMGUR_CLIENT_SECRET": SECRET,
        "IMGUR_ACCESS_TOKEN": ACCESS,
        "IMGUR_REFRESH_TOKEN": REFRESH,
    }
    found = resolve(store=store, environ=env)
    assert found.source == "environment (IMGUR_CLIENT_ID)"
    assert found.credentials == Credentials(CLIENT_ID, SECRET)
    assert found.token.access_token == ACCESS and found.token.refresh_token == REFRESH


def test_environment_refresh_token_alone_means_refresh_first(store):
    found = resolve(
        store=store,
        environ={"IMGUR_CLIENT_ID": CLIENT_ID, "IMGUR_CLIENT_SECRET": SECRET, "IMGUR_REFRESH_TOKEN": REFRESH},
    )
    assert found.token.refresh_token == REFRESH and found.token.is_expired()


def test_file_is_used_last_and_named(store):
    store.save(Credentials(CLIENT_ID, SECRET))
    store.save_token(Token(access_token=ACCESS))
    found = resolve(store=store, environ={})
    assert found.source == f"file {store.path}"
    assert found.credentials.client_id == CLIENT_ID and found.token.access_token == ACCESS
    store.save(Credentials("fedcba987654321"), profile="work")
    work = resolve(profile="work", store=store, environ={})
    assert "work" in work.source and work.profile == "work"


def test_argument_uses_the_stored_token_of_the_same_app_only(store):
    store.save(Credentials(CLIENT_ID, SECRET))
    store.save_token(Token(access_token=ACCESS))
    assert resolve(CLIENT_ID, SECRET, store=store, environ={}).token.access_token == ACCESS
    assert resolve("fedcba987654321", store=store, environ={}).token is None


def test_sources_do_not_mix(store):
    found = resolve(CLIENT_ID, store=store, environ={"IMGUR_CLIENT_SECRET": SECRET})
    assert found.credentials.client_secret is None


def test_default_environment_and_store_are_the_real_ones(monkeypatch, isolated_environment):
    monkeypatch.setenv("IMGUR_CLIENT_ID", CLIENT_ID)
    assert resolve().source == "environment (IMGUR_CLIENT_ID)"
    monkeypatch.delenv("IMGUR_CLIENT_ID")
    CredentialStore().save(Credentials(CLIENT_ID))
    assert resolve().source == f"file {isolated_environment / 'credentials.json'}"


def test_corrupt_file_does_not_block_an_argument(store):
    store.directory.mkdir(parents=True)
    store.path.write_text("{")
    assert resolve(CLIENT_ID, store=store, environ={}).credentials.client_id == CLIENT_ID
    with pytest.raises(CredentialsError):
        resolve(store=store, environ={})


def test_paths_under_home_are_shown_with_a_tilde(monkeypatch, tmp_path):
    from imgur_kit.credentials import display_path

    monkeypatch.setenv("HOME", str(tmp_path))
    assert (
        display_path(tmp_path / ".config" / "imgur-kit" / "credentials.json") == "~/.config/imgur-kit/credentials.json"
    )
    assert display_path(Path("/etc/imgur-kit/credentials.json")) == "/etc/imgur-kit/credentials.json"
