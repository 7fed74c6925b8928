"""The Postman export panel: a labelled path field and a button that writes the live keys, or says why not."""

from __future__ import annotations

import json
import stat

import pytest

from imgur_kit import postman
from imgur_kit.credentials import Credentials, CredentialStore
from imgur_kit.tokens import Token

SECRET = "5ecre7" + "d" * 34
ACCESS = "acce55" + "e" * 34
REFRESH = "re7re5" + "f" * 34


@pytest.fixture
def panel():
    from imgur_kit.widgets import postman_export_panel

    return postman_export_panel()


@pytest.fixture
def live_keys():
    store = CredentialStore(kind="live")
    store.save(Credentials("0123456789abcde", SECRET))
    store.save_token(Token(access_token=ACCESS, refresh_token=REFRESH, account_username="someone"))


def test_every_control_is_labelled(panel):
    assert panel.path.description == "Save the Postman environment file as:"
    assert panel.path.placeholder.endswith("postman/imgur.postman_environment.json")
    assert panel.export_button.description == "Export for Postman"
    assert "Postman export" in repr(panel) and "export_live" in repr(panel)


def test_export_to_the_default_place(panel, live_keys, all_text):
    panel.export_button.click()
    assert "Wrote the Postman environment" in panel.message.value
    written = postman.default_path()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert {v["key"] for v in json.loads(written.read_text())["values"]} == {
        "clientId",
        "clientSecret",
        "refreshToken",
        "accessToken",
        "username",
    }
    for secret in (SECRET, ACCESS, REFRESH):
        assert secret not in all_text(panel)


def test_export_to_a_chosen_folder(panel, live_keys, tmp_path):
    panel.path.value = str(tmp_path)
    panel.export_button.click()
    assert (tmp_path / "imgur.postman_environment.json").exists()
    assert str(tmp_path) in panel.message.value


def test_a_folder_of_notebooks_is_refused_with_a_sentence(panel, live_keys, tmp_path):
    (tmp_path / "notebooks").mkdir()
    panel.path.value = str(tmp_path / "notebooks" / "imgur.json")
    panel.export_button.click()
    assert "Problem:" in panel.message.value and "a folder of notebooks" in panel.message.value
    assert "Traceback" not in panel.message.value
    assert not (tmp_path / "notebooks" / "imgur.json").exists()


def test_sandbox_keys_are_not_exported(panel, session):
    session.store_credentials(session.credentials)  # the sandbox's demo app: practice keys only
    panel.export_button.click()
    assert "Problem:" in panel.message.value and "no live Imgur keys to export" in panel.message.value
    assert not postman.default_path().exists()
