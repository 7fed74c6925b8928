"""The state folder: private when the sandbox makes it, survives damage, shared safely by two sandboxes."""

from __future__ import annotations

import json
import stat
import threading
import warnings

import pytest
import requests
from sandbox_helpers import png

from imgur_kit.sandbox import Sandbox, SandboxError, StateFolderWarning


def mode_of(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_folders_it_creates_are_private_and_files_0600(tmp_path):
    state_dir = tmp_path / "made" / "here"
    with Sandbox(state_dir=state_dir) as sandbox:
        auth = {"Authorization": f"Client-ID {sandbox.default_app.client_id}"}
        assert (
            requests.post(
                sandbox.base_url + "/3/image", headers=auth, files={"image": ("a.png", png())}, timeout=10
            ).status_code
            == 200
        )
    assert mode_of(tmp_path / "made") == 0o700
    assert mode_of(state_dir) == 0o700
    assert mode_of(state_dir / "images") == 0o700
    assert mode_of(state_dir / "sandbox-state.json") == 0o600
    assert all(mode_of(f) == 0o600 for f in (state_dir / "images").iterdir())


@pytest.mark.parametrize("mode", [0o755, 0o1777, 0o2770])
def test_a_folder_the_user_chose_keeps_its_mode(tmp_path, mode):
    chosen = tmp_path / "mine"
    chosen.mkdir()
    chosen.chmod(mode)
    # A group-writable folder is named in a warning (test_state_files.py); /tmp-like (sticky) is not.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StateFolderWarning)
        with Sandbox(state_dir=chosen) as sandbox:
            sandbox.register_app(name="kept")
    assert mode_of(chosen) == mode


DAMAGED = {
    "not JSON": "{not json",
    "a list": "[1, 2]",
    "apps not a list": json.dumps({"apps": 5}),
    "an app of the wrong shape": json.dumps({"apps": [{"client_id": 1}]}),
    "a field of the wrong type": json.dumps(
        {
            "apps": [
                {
                    "name": "x",
                    "auth_type": "callback",
                    "callback_url": "",
                    "client_id": ["not", "text"],
                    "client_secret": "s",
                }
            ]
        }
    ),
    "default id not text": json.dumps({"default_client_id": {"x": 1}}),
    "nested 200,000 deep": "[" * 200_000 + "]" * 200_000,
    "records not objects": json.dumps({"images": ["abc"], "albums": [None]}),
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_state_file_is_set_aside_and_reported(tmp_path, content):
    state_dir = tmp_path / "s"
    state_dir.mkdir()
    (state_dir / "sandbox-state.json").write_text(content)
    with pytest.warns(RuntimeWarning, match="unreadable"):
        with Sandbox(state_dir=state_dir) as sandbox:
            app = sandbox.default_app
            assert (
                requests.get(
                    sandbox.base_url + "/3/credits", timeout=10, headers={"Authorization": f"Client-ID {app.client_id}"}
                ).status_code
                == 200
            )
            [notice] = sandbox.notices
    aside = list(state_dir.glob("sandbox-state.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == content  # nothing lost
    assert str(aside[0]) in notice and "fresh state" in notice
    assert json.loads((state_dir / "sandbox-state.json").read_text())["default_client_id"] == app.client_id


def test_a_folder_in_place_of_the_state_file_is_a_sentence(tmp_path):
    (tmp_path / "sandbox-state.json").mkdir()
    with pytest.raises(SandboxError) as caught:
        Sandbox(state_dir=tmp_path).start()
    message = str(caught.value)
    assert "is a folder" in message and "Move that folder away" in message
    assert "Errno" not in message


def test_a_state_dir_that_is_a_file_is_a_sentence(tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(SandboxError, match="is a file, not a folder"):
        Sandbox(state_dir=afile).start()
    with pytest.raises(SandboxError, match="is a file, not a folder"):
        Sandbox(state_dir=afile / "below").start()
    assert afile.read_text() == "x"


def test_two_sandboxes_on_one_folder_lose_nothing(tmp_path):
    state_dir = tmp_path / "shared"
    with Sandbox(state_dir=state_dir) as first, Sandbox(state_dir=state_dir) as second:
        assert first.default_app == second.default_app  # one demo app per folder

        def register(sandbox, prefix):
            for n in range(15):
                answer = requests.post(
                    sandbox.base_url + "/oauth2/addclient",
                    timeout=10,
                    data={"name": f"{prefix}{n}", "auth_type": "no-callback", "email": "a@example.com", "captcha": "1"},
                )
                assert answer.status_code == 200

        workers = [
            threading.Thread(target=register, args=(first, "one-")),
            threading.Thread(target=register, args=(second, "two-")),
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        made = [
            a
            for a in json.loads((state_dir / "sandbox-state.json").read_text())["apps"]
            if a["name"].startswith(("one-", "two-"))
        ]
        assert len(made) == 30
        # Each sees what the other registered, at once: a token issued by one works on the other.
        app = [a for a in made if a["name"] == "two-3"][0]
        assert first.app(app["client_id"]) is not None
        landed = first.approve(
            f"{first.base_url}/oauth2/authorize?client_id={app['client_id']}&response_type=token&state=x"
        )
        token = landed.split("access_token=")[1].split("&")[0]
        me = requests.get(second.base_url + "/3/account/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert me.status_code == 200
    with Sandbox(state_dir=state_dir) as third:
        assert all(third.app(a["client_id"]).name == a["name"] for a in made)


def test_a_state_file_removed_while_running_is_written_again(tmp_path):
    with Sandbox(state_dir=tmp_path) as sandbox:
        demo = sandbox.default_app
        (tmp_path / "sandbox-state.json").unlink()
        kept = sandbox.register_app(name="after")
        assert sandbox.default_app == demo
    with Sandbox(state_dir=tmp_path) as again:
        assert again.default_app == demo and again.app(kept.client_id) == kept
