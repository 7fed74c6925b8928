"""The Postman export: the documented environment format, secrets typed as secrets, 0600, never beside notebooks."""

from __future__ import annotations

import json
import os
import re
import stat
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from imgur_kit import postman
from imgur_kit.credentials import Credentials, CredentialStore, config_dir
from imgur_kit.errors import CredentialsError
from imgur_kit.tokens import Token

CLIENT_ID = "0123456789abcde"
SECRET = "5ecre7" + "a" * 34
ACCESS = "acce55" + "b" * 34
REFRESH = "re7re5" + "c" * 34


@pytest.fixture
def creds():
    return Credentials(CLIENT_ID, SECRET)


@pytest.fixture
def token():
    return Token(
        access_token=ACCESS,
        refresh_token=REFRESH,
        account_username="someone",
        expires_at=datetime.now(timezone.utc) + timedelta(days=30),
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_file_is_a_postman_environment_with_the_collections_variables(tmp_path, creds, token):
    written = postman.export_environment(creds, token, tmp_path / "imgur.json")
    document = json.loads(written.read_text(encoding="utf-8"))

    assert document["_postman_variable_scope"] == "environment"
    assert document["name"] == "Imgur (imgur-kit)"
    uuid.UUID(document["id"])  # Postman identifies environments by a UUID
    datetime.fromisoformat(document["_postman_exported_at"].replace("Z", "+00:00"))
    values = {v["key"]: v for v in document["values"]}
    assert list(values) == ["clientId", "clientSecret", "refreshToken", "accessToken", "username"]
    for variable in document["values"]:
        assert set(variable) == {"key", "value", "type", "enabled"} and variable["enabled"] is True
    assert {k: (v["value"], v["type"]) for k, v in values.items()} == {
        "clientId": (CLIENT_ID, "default"),
        "clientSecret": (SECRET, "secret"),
        "refreshToken": (REFRESH, "secret"),
        "accessToken": (ACCESS, "secret"),
        "username": ("someone", "default"),
    }


def test_only_what_is_known_is_exported(tmp_path):
    written = postman.export_environment(Credentials(CLIENT_ID), None, tmp_path / "anon.json")
    document = json.loads(written.read_text(encoding="utf-8"))
    assert [v["key"] for v in document["values"]] == ["clientId"]


def test_the_file_is_private_and_a_chosen_folder_keeps_its_mode(tmp_path, creds, token):
    chosen = tmp_path / "Downloads"
    chosen.mkdir()
    os.chmod(chosen, 0o755)
    written = postman.export_environment(creds, token, chosen)  # a folder: the file goes inside
    assert written == chosen / "imgur.postman_environment.json"
    assert mode(written) == 0o600
    assert mode(chosen) == 0o755, "the person's own folder must not be re-permissioned"
    assert [p.name for p in chosen.iterdir()] == ["imgur.postman_environment.json"], (
        "nothing but the export is left in the person's folder: no temporary file, no lock file"
    )


def test_the_default_place_is_the_config_folder(creds, token):
    written = postman.export_environment(creds, token)
    assert written == config_dir() / "postman" / "imgur.postman_environment.json"
    assert mode(written) == 0o600 and mode(written.parent) == 0o700


def test_exporting_again_replaces_the_file(tmp_path, creds, token):
    target = tmp_path / "imgur.json"
    postman.export_environment(creds, None, target)
    postman.export_environment(creds, token, target)
    keys = [v["key"] for v in json.loads(target.read_text())["values"]]
    assert "accessToken" in keys


@pytest.mark.parametrize(
    "where", ["notebooks/imgur.json", "notebooks", "project/notebooks/sub/imgur.json", "loose/imgur.json"]
)
def test_never_into_a_folder_of_notebooks(tmp_path, creds, token, where):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "project" / "notebooks" / "sub").mkdir(parents=True)
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "Untitled.ipynb").write_text("{}")
    with pytest.raises(CredentialsError) as refused:
        postman.export_environment(creds, token, tmp_path / where)
    message = str(refused.value)
    assert "a folder of notebooks" in message and "Choose a folder outside it" in message
    assert SECRET not in message and ACCESS not in message
    assert not list(tmp_path.rglob("*.json")), "nothing may be written there"


def test_a_missing_folder_is_a_sentence_not_a_traceback(tmp_path, creds):
    with pytest.raises(CredentialsError, match=r"does not exist\. Create it first"):
        postman.export_environment(creds, None, tmp_path / "no" / "such" / "imgur.json")
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(CredentialsError, match=r"is a file, not a folder"):
        postman.export_environment(creds, None, tmp_path / "a-file" / "imgur.json")


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this user cannot write into (root ignores modes, so there: /proc)."""
    if os.geteuid() == 0:
        return Path("/proc")
    folder = tmp_path / "read-only"
    folder.mkdir()
    os.chmod(folder, 0o500)
    return folder


def test_an_unwritable_folder_is_a_sentence(tmp_path, creds, token):
    folder = unwritable_folder(tmp_path)
    with pytest.raises(CredentialsError) as refused:
        postman.export_environment(creds, token, folder / "imgur.json")
    assert re.search(r"cannot write into the folder|is not writable", str(refused.value)), refused.value
    assert not (folder / "imgur.json").exists()
    assert SECRET not in str(refused.value)


def test_export_live_uses_the_live_keys_and_names_variables_not_values(creds, token):
    store = CredentialStore(kind="live")
    store.save(creds)
    store.save_token(token)
    sentence = postman.export_live()
    assert "clientId, clientSecret (secret), refreshToken (secret), accessToken (secret), username" in sentence
    assert "~/" in sentence or str(config_dir()) in sentence
    for secret in (SECRET, ACCESS, REFRESH):
        assert secret not in sentence


def test_export_live_refuses_sandbox_keys(creds):
    CredentialStore(kind="sandbox").save(creds)  # practice keys only
    with pytest.raises(CredentialsError, match="no live Imgur keys to export"):
        postman.export_live()
    assert not postman.default_path().exists()


def test_variables_repr_masks_secrets(creds, token):
    shown = repr(postman.variables(creds, token))
    assert CLIENT_ID in shown and "someone" in shown
    for secret in (SECRET, ACCESS, REFRESH):
        assert secret not in shown
