"""Only regular files the sandbox wrote, opened safely: what someone plants in the state folder
(a link to another file, a second name of it, a FIFO) is never served, never written through,
and never waited on; a folder others can write is named in a warning."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import pytest
import requests
from sandbox_helpers import png

from imgur_kit.sandbox import Sandbox, SandboxError, StateFolderWarning

SECRET = b"-----BEGIN OPENSSH PRIVATE KEY-----\nnot really, but it must not leave this machine\n"


@pytest.fixture
def uploaded(tmp_path):
    """A sandbox with a state folder, one uploaded picture's file, and a secret beside the folder."""
    secret = tmp_path / "id_rsa"
    secret.write_bytes(SECRET)
    secret.chmod(0o600)
    with Sandbox(state_dir=tmp_path / "state") as sandbox:
        auth = {"Authorization": f"Client-ID {sandbox.default_app.client_id}"}
        files = {"image": ("a.png", png())}
        answer = requests.post(sandbox.base_url + "/3/image", headers=auth, files=files, timeout=10)
        data = answer.json()["data"]
        yield sandbox, tmp_path / "state" / "images" / data["id"], data["link"], secret


def replace_with(blob, how: str, secret) -> None:
    blob.unlink()
    if how == "a symbolic link to another file":
        blob.symlink_to(secret)
    elif how == "a second name of another file":
        os.link(secret, blob)
    else:
        os.mkfifo(blob)


@pytest.mark.parametrize("how", ["a symbolic link to another file", "a second name of another file", "a FIFO"])
def test_a_picture_file_replaced_by_something_else_is_not_served(uploaded, how):
    sandbox, blob, link, secret = uploaded
    assert requests.get(link, timeout=10).content == png()
    # The secret is as long as the picture, so that a size check alone would not save it.
    secret.write_bytes((SECRET * 10)[: len(png())])
    replace_with(blob, how, secret)
    answer = requests.get(link, timeout=10)  # a FIFO must not hang it: the read is bounded
    assert answer.status_code == 404
    assert SECRET[:20] not in answer.content


def test_a_picture_folder_replaced_by_a_link_is_not_served_from(uploaded):
    sandbox, blob, link, secret = uploaded
    images = blob.parent
    elsewhere = images.parent / "elsewhere"
    images.rename(elsewhere)
    images.symlink_to(elsewhere)
    assert requests.get(link, timeout=10).status_code == 404


def test_a_link_planted_at_the_lock_file_is_refused_and_its_target_untouched(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    target = tmp_path / "precious.txt"
    target.write_bytes(b"the start of a file someone cares about\n")
    (state / ".sandbox-state.lock").symlink_to(target)
    with pytest.raises(SandboxError) as refused:
        Sandbox(state_dir=state).start().stop()
    assert target.read_bytes() == b"the start of a file someone cares about\n"
    assert str(state / ".sandbox-state.lock") in str(refused.value) and "symbolic link" in str(refused.value)


def test_a_dangling_link_at_the_lock_file_makes_no_file_where_it_points(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    (state / ".sandbox-state.lock").symlink_to(tmp_path / "made-by-the-sandbox")
    with pytest.raises(SandboxError):
        Sandbox(state_dir=state).start().stop()
    assert not (tmp_path / "made-by-the-sandbox").exists()


def test_a_second_name_of_another_file_at_the_lock_file_is_refused(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    target = tmp_path / "precious.txt"
    target.write_bytes(b"the start of a file someone cares about\n")
    os.link(target, state / ".sandbox-state.lock")
    with pytest.raises(SandboxError, match="second name"):
        Sandbox(state_dir=state).start().stop()
    assert target.read_bytes() == b"the start of a file someone cares about\n"


@pytest.mark.parametrize("name", ["sandbox-state.json", ".sandbox-state.lock"])
def test_a_fifo_in_the_state_folder_is_a_sentence_naming_it_not_a_hang(tmp_path, name):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    os.mkfifo(state / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMGUR_")}
    env["IMGUR_KIT_CONFIG_DIR"] = str(tmp_path / "config")
    # In a process of its own: before the fix, the sandbox waited forever for a writer.
    finished = subprocess.run(
        [sys.executable, "-m", "imgur_kit", "sandbox", "--port", "0", "--state-dir", str(state)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    said = finished.stdout + finished.stderr
    assert finished.returncode != 0
    assert str(state / name) in said and "FIFO" in said
    assert "Traceback" not in said


def test_a_state_folder_others_can_write_is_named_in_a_warning(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.warns(StateFolderWarning) as warned:
        with Sandbox(state_dir=shared) as sandbox:
            sandbox.register_app(name="mine")
    sentence = str(warned[0].message)
    assert str(shared) in sentence and "other users" in sentence and f"chmod 700 {shared}" in sentence
    # Only the owner may write (or, as /tmp, others may only remove their own files): no warning.
    for mode in (0o700, 0o755, 0o1777):
        shared.chmod(mode)
        with warnings.catch_warnings():
            warnings.simplefilter("error", StateFolderWarning)
            with Sandbox(state_dir=shared) as sandbox:
                sandbox.register_app(name="mine")
