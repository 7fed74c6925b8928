"""Whatever sits at a path the kit reads is checked before it is used.

A FIFO at a file the kit reads would hang every command; a symlink planted as a lock file
would have the kit truncate another file; keys in a file another user owns would sign the
person in to a stranger's app. Each case here is set up for real in a temporary config folder.
"""

from __future__ import annotations

import json
import os
import stat
import threading

import pytest

from imgur_kit.__main__ import main
from imgur_kit.credentials import Credentials, CredentialStore
from imgur_kit.credentials.files import FolderPermissionWarning
from imgur_kit.errors import CredentialsError

CLIENT_ID = "0123456789abcde"


def finishes(target, bound=30):
    """Run ``target`` in a thread; what it returned, or a failure if it is still waiting after ``bound`` s."""
    result = []
    worker = threading.Thread(target=lambda: result.append(target()), daemon=True)
    worker.start()
    worker.join(bound)
    assert not worker.is_alive(), "the kit waited on the path instead of refusing it"
    return result[0]


@pytest.mark.parametrize("name", ["credentials.json", "sandbox-credentials.json", "sandbox.json"])
def test_a_fifo_where_the_kit_reads_hangs_nothing(isolated_environment, capsys, name):
    isolated_environment.mkdir(mode=0o700)
    os.mkfifo(isolated_environment / name)
    finishes(lambda: main(["--sandbox", "whoami"]))
    finishes(lambda: main(["status", "--sandbox"]))
    shown = capsys.readouterr()
    if name != "sandbox.json":  # the sandbox record is optional: without it the kit starts its own sandbox
        assert "FIFO" in shown.err and name in shown.err
    assert "Traceback" not in shown.err


def test_the_checklist_progress_file_cannot_hang_the_checklist(isolated_environment):
    from imgur_kit.steps.account import ProgressStore

    isolated_environment.mkdir(mode=0o700)
    os.mkfifo(isolated_environment / "account-progress.json")
    finishes(lambda: ProgressStore().load())


def test_a_lock_file_planted_as_a_symlink_does_not_truncate_its_target(isolated_environment, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    isolated_environment.mkdir(mode=0o700)
    (isolated_environment / ".credentials.json.lock").symlink_to(victim)
    try:
        CredentialStore().save(Credentials(CLIENT_ID, "c" * 40))
    except CredentialsError:
        pass  # refusing is right too; what matters is the other file
    assert victim.read_text() == "precious"


def test_keys_in_a_file_someone_else_owns_are_not_used(isolated_environment, capsys):
    isolated_environment.mkdir(mode=0o700)
    planted = isolated_environment / "credentials.json"
    planted.write_text(
        json.dumps({"format": 1, "profiles": {"default": {"client_id": CLIENT_ID, "client_secret": "f" * 40}}})
    )
    os.chown(planted, 12345, 12345)  # the tests run as root, as CI does

    with pytest.raises(CredentialsError, match="belongs to") as caught:
        CredentialStore().load()
    assert "not to you" in str(caught.value)
    assert main(["whoami"]) != 0
    assert "belongs to" in capsys.readouterr().err


def test_keys_in_a_folder_others_can_write_come_with_a_warning(isolated_environment):
    isolated_environment.mkdir(mode=0o700)
    CredentialStore().save(Credentials(CLIENT_ID, "c" * 40))
    os.chmod(isolated_environment, 0o777)
    assert stat.S_IMODE(isolated_environment.stat().st_mode) == 0o777
    with pytest.warns(FolderPermissionWarning, match="could have been put there by someone else"):
        assert CredentialStore().load().credentials.client_id == CLIENT_ID
