"""The Postman export writes only where a file of secrets may go.

Whatever sits at the path (a FIFO, a device node, a symlink into the notebooks), a git work
tree that would commit it, a trailing slash, a read-only home: each gets a sentence or the
right place, and nothing outside the one file is touched.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from imgur_kit import postman
from imgur_kit.credentials import Credentials
from imgur_kit.errors import CredentialsError

CREDS = Credentials("0123456789abcde", "5ecre7" + "a" * 34)


def exported(path) -> Path:
    return postman.export_environment(CREDS, None, path)


def test_a_fifo_at_the_path_is_not_replaced_by_a_file_of_secrets(tmp_path):
    fifo = tmp_path / "imgur.postman_environment.json"
    os.mkfifo(fifo)
    with pytest.raises(CredentialsError, match="FIFO"):
        exported(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_node_at_the_path_is_left_alone(tmp_path):
    device = tmp_path / "null-device"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers; the tests run as root
    with pytest.raises(CredentialsError, match="a device, not a regular file"):
        exported(device)
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_symlinked_folder_cannot_lead_into_the_notebooks(tmp_path):
    notebooks = tmp_path / "project" / "notebooks"
    notebooks.mkdir(parents=True)
    (tmp_path / "innocent").symlink_to(notebooks)
    with pytest.raises(CredentialsError, match="a folder of notebooks"):
        exported(tmp_path / "innocent" / "keys.json")
    with pytest.raises(CredentialsError, match="a folder of notebooks"):
        exported(tmp_path / "innocent")
    assert list(notebooks.iterdir()) == []


def test_a_symlinked_file_name_is_judged_by_where_it_points(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (tmp_path / "export.json").symlink_to(notebooks / "secrets.json")
    with pytest.raises(CredentialsError, match="a folder of notebooks"):
        exported(tmp_path / "export.json")
    assert not (notebooks / "secrets.json").exists()


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=30)


def test_inside_a_git_work_tree_only_an_ignored_file_is_written(tmp_path):
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    git("init", "-q", cwd=repo)
    with pytest.raises(CredentialsError, match="git does not ignore it") as refused:
        exported(repo / "data")
    assert "*.postman_environment.json" in str(refused.value)  # says how to ignore it
    assert ".gitignore" in str(refused.value)
    assert list((repo / "data").iterdir()) == []

    (repo / ".gitignore").write_text("*.postman_environment.json\n")
    written = exported(repo / "data")
    assert written == (repo / "data" / postman.FILE_NAME).resolve()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


def test_this_project_ignores_postman_environment_files():
    root = Path(__file__).resolve().parents[2]
    assert postman.GITIGNORE_LINE in (root / ".gitignore").read_text().splitlines()


def test_a_trailing_slash_names_a_folder_never_a_file(tmp_path):
    with pytest.raises(CredentialsError, match="does not exist"):
        exported(f"{tmp_path}/missing-folder/")
    assert not (tmp_path / "missing-folder").exists()
    (tmp_path / "there").mkdir()
    assert exported(f"{tmp_path}/there/") == (tmp_path / "there" / postman.FILE_NAME).resolve()


def test_a_read_only_home_does_not_stop_an_export_elsewhere(tmp_path, monkeypatch):
    home = tmp_path / "read-only-config"
    home.mkdir(mode=0o500)
    monkeypatch.setenv("IMGUR_KIT_CONFIG_DIR", str(home))
    target = tmp_path / "elsewhere"
    target.mkdir()
    written = exported(target)
    assert written.is_file() and stat.S_IMODE(written.stat().st_mode) == 0o600
    assert list(home.iterdir()) == []  # nothing was made in the read-only folder
    assert [p.name for p in target.iterdir()] == [postman.FILE_NAME]  # no lock left in the person's folder


@pytest.mark.parametrize("bad", ["dir\0name/", "x\0.json"])
def test_a_nul_in_the_path_is_a_sentence(bad, tmp_path, capsys):
    from imgur_kit.__main__ import main
    from imgur_kit.credentials import CredentialStore

    CredentialStore(kind="live").save(CREDS)
    with pytest.raises(CredentialsError, match="NUL"):
        exported(str(tmp_path) + "/" + bad)
    assert main(["export", "postman", str(tmp_path) + "/" + bad]) != 0
    err = capsys.readouterr().err
    assert "NUL" in err and "Traceback" not in err
