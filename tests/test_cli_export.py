"""``python -m imgur_kit export postman PATH``: exit status 0 and a sentence, or 1 and a sentence saying why."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from imgur_kit import postman
from imgur_kit.__main__ import main
from imgur_kit.credentials import Credentials, CredentialStore
from imgur_kit.tokens import Token

SECRET = "5ecre7" + "4" * 34
ACCESS = "acce55" + "5" * 34
REFRESH = "fe7fe5" + "6" * 34


@pytest.fixture
def live_keys():
    store = CredentialStore(kind="live")
    store.save(Credentials("0123456789abcde", SECRET))
    store.save_token(Token(access_token=ACCESS, refresh_token=REFRESH, account_username="someone"))


def run(args, capsys):
    status = main(args)
    out, err = capsys.readouterr()
    for secret in (SECRET, ACCESS, REFRESH):
        assert secret not in out + err
    assert "Traceback" not in out + err
    return status, out, err


def test_export_to_a_chosen_file(live_keys, tmp_path, capsys):
    target = tmp_path / "imgur.postman_environment.json"
    status, out, err = run(["export", "postman", str(target)], capsys)
    assert status == 0, err
    assert f"Wrote the Postman environment 'Imgur (imgur-kit)' to {target}" in out
    assert "accessToken (secret)" in out and "Import" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["_postman_variable_scope"] == "environment"


def test_export_without_a_path_uses_the_config_folder(live_keys, capsys):
    status, out, _ = run(["export", "postman"], capsys)
    assert status == 0
    assert postman.default_path().exists()


def test_a_missing_folder_exits_1_with_a_sentence(live_keys, tmp_path, capsys):
    status, out, err = run(["export", "postman", str(tmp_path / "nowhere" / "x.json")], capsys)
    assert status == 1 and out == ""
    assert "does not exist. Create it first" in err


def test_an_unwritable_folder_exits_1_with_a_sentence(live_keys, tmp_path, capsys):
    if os.geteuid() == 0:
        folder = "/proc"  # root ignores modes; nobody may create files here
    else:
        folder = tmp_path / "read-only"
        folder.mkdir()
        os.chmod(folder, 0o500)
    status, _, err = run(["export", "postman", f"{folder}/x.json"], capsys)
    assert status == 1
    assert "cannot write into the folder" in err or "is not writable" in err


def test_a_folder_of_notebooks_exits_1_with_a_sentence(live_keys, tmp_path, capsys):
    (tmp_path / "notebooks").mkdir()
    status, _, err = run(["export", "postman", str(tmp_path / "notebooks")], capsys)
    assert status == 1 and "a folder of notebooks" in err
    assert not list((tmp_path / "notebooks").iterdir())


def test_no_live_keys_exits_1_with_a_sentence(capsys):
    status, _, err = run(["export", "postman"], capsys)
    assert status == 1
    assert "no live Imgur keys to export" in err and "python -m imgur_kit configure" in err
    assert not postman.default_path().exists()


def test_sandbox_mode_is_refused_with_a_sentence(live_keys, capsys):
    status, _, err = run(["--sandbox", "export", "postman"], capsys)
    assert status == 1 and "sandbox's practice keys do not work" in err
    assert not postman.default_path().exists()


def test_the_module_runs_as_a_program(live_keys, tmp_path):
    target = tmp_path / "from-the-shell.json"
    done = subprocess.run(
        [sys.executable, "-m", "imgur_kit", "export", "postman", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )
    assert done.returncode == 0, done.stderr
    assert target.exists() and SECRET not in done.stdout + done.stderr
