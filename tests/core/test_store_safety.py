"""The kit's files under faults: a full disk, two processes at once, killed saves, damage, chosen folders.

Everything here runs on real files: a real small filesystem (tmpfs) or a real
file-size limit makes the disk "full", and real processes save concurrently.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import uuid
import warnings

import pytest
from core_helpers import save_profiles

from imgur_kit.credentials import Credentials, CredentialStore, FolderPermissionWarning, resolve
from imgur_kit.errors import CredentialsError
from imgur_kit.steps.account import ProgressStore
from imgur_kit.tokens import Token

CLIENT_ID = "1a2b3c4d5e6f7a8"
SECRET = "0123456789abcdef0123456789abcdef01234567"
PAGE = 4096
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes and limits")


def profiles_of(store):
    return {name: store.load(name).credentials.client_id for name in store.profiles()}


def many_profiles(store, count):
    for i in range(count):
        store.save(Credentials(f"{i:015x}", SECRET), profile=f"profile-{i:03d}")


# --- a full disk ------------------------------------------------------------------------


def _mount_tiny_filesystem(folder):
    """A 64 kB tmpfs at ``folder`` where this machine allows it (root, as in CI); else None."""
    folder.mkdir()
    if os.geteuid() != 0:
        return None
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(folder)], capture_output=True, timeout=30
    )
    return folder if done.returncode == 0 else None


def _fill(folder, *, leave_pages):
    """Fill the filesystem of ``folder``, then free ``leave_pages`` pages: the next big write is cut short."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\0" * PAGE) == PAGE:
            pass
    except OSError:
        pass  # full
    finally:
        os.close(fd)
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave_pages * PAGE))


SHORT_WRITE_CHILD = r"""
import resource, signal, sys
from imgur_kit.credentials import CredentialStore, Credentials
from imgur_kit.errors import CredentialsError
# Past this size the kernel cuts write() short, then refuses (EFBIG): a disk that fills up mid-save.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    CredentialStore(sys.argv[1]).save(Credentials("fffffffffffffff", "f" * 40), profile="one-more")
except CredentialsError as exc:
    print("ERROR", exc)
else:
    print("SAVED")
"""


@posix_only
def test_a_save_cut_short_by_a_full_disk_fails_and_keeps_the_previous_file(tmp_path):
    folder = _mount_tiny_filesystem(tmp_path / "tiny")
    try:
        store = CredentialStore(tmp_path / "tiny")
        many_profiles(store, 80)  # about 10 kB: the next save needs three pages
        before = store.path.read_bytes()
        assert len(before) > 2 * PAGE
        if folder is not None:
            _fill(folder, leave_pages=1)
            with pytest.raises(CredentialsError, match="free space") as caught:
                store.save(Credentials("fffffffffffffff", "f" * 40), profile="one-more")
            message = str(caught.value)
        else:
            # No mount allowed here: a file-size limit cuts the write short the same way.
            child = subprocess.run(
                [sys.executable, "-c", SHORT_WRITE_CHILD, str(store.directory), str(PAGE)],
                capture_output=True,
                text=True,
                timeout=60,
            )
            message = child.stdout
            assert message.startswith("ERROR"), child.stdout + child.stderr
        assert "unchanged" in message and SECRET not in message
        assert store.path.read_bytes() == before  # every profile still readable
        assert len(store.profiles()) == 80
        assert not list(store.directory.glob(".*.tmp"))  # the cut temporary file, holding secrets, is gone
    finally:
        if folder is not None:
            subprocess.run(["umount", str(folder)], capture_output=True, timeout=30)


# --- two processes ----------------------------------------------------------------------


@posix_only
def test_two_processes_saving_the_same_file_lose_nothing(tmp_path):
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Event()
    workers = [spawn.Process(target=save_profiles, args=(str(tmp_path), f"w{n}", 25, start)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    store = CredentialStore(tmp_path)
    assert sorted(store.profiles()) == sorted(f"w{n}-{i}" for n in (1, 2) for i in range(25))


# --- killed saves -----------------------------------------------------------------------


def test_temporary_files_left_by_killed_saves_are_removed_on_the_next_save(tmp_path):
    store = CredentialStore(tmp_path)
    store.save(Credentials(CLIENT_ID, SECRET))
    # What a process killed between writing and renaming leaves: the writer's own temp names.
    left = [tmp_path / f".credentials.json.{uuid.uuid4().hex[:16]}.tmp" for _ in range(3)]
    for path in left:
        path.write_text(json.dumps({"client_secret": SECRET}))
    unrelated = tmp_path / ".notes.txt.tmp"
    unrelated.write_text("mine")
    store.save_token(Token(access_token="a1" * 20))
    assert not any(path.exists() for path in left)
    assert unrelated.read_text() == "mine"  # only the kit's own temporary files are touched
    progress = ProgressStore(tmp_path)
    stale = tmp_path / f".account-progress.json.{uuid.uuid4().hex[:16]}.tmp"
    stale.write_text("{}")
    progress.mark("sign-up")
    assert not stale.exists() and progress.load() == {"sign-up"}


def test_a_real_kill_during_saves_leaves_whole_files_and_no_secret_behind(tmp_path):
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys\n"
                "from imgur_kit.credentials import CredentialStore, Credentials\n"
                "store = CredentialStore(sys.argv[1])\n"
                "i = 0\n"
                "while True:\n"
                "    store.save(Credentials('%015x' % i, 'e' * 40), profile='p%d' % (i % 50)); i += 1\n"
                "    if i == 20: print('saving', flush=True)\n"
            ),
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "saving"  # twenty saves done, more under way
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=60)
        child.stdout.close()
    store = CredentialStore(tmp_path)
    assert store.profiles()  # whole JSON, readable
    store.save(Credentials(CLIENT_ID, SECRET))
    assert not list(tmp_path.glob(".*.tmp"))


# --- damaged files --------------------------------------------------------------------


def test_json_nested_too_deep_is_a_damaged_file_that_is_moved_aside_whole(tmp_path):
    store = CredentialStore(tmp_path)
    deep = b"[" * 200_000 + b"]" * 200_000
    store.path.write_bytes(deep)
    with pytest.raises(CredentialsError, match="damaged") as caught:
        store.load()
    assert str(store.path) in str(caught.value)
    with pytest.warns(UserWarning, match="moved to"):
        store.save(Credentials(CLIENT_ID, SECRET))
    assert store.last_backup.read_bytes() == deep
    assert store.load().credentials.client_id == CLIENT_ID
    progress = ProgressStore(tmp_path)
    progress.path.write_bytes(b'{"done": ' + deep + b"}")
    assert progress.load() == set()  # progress is a convenience: unreadable reads as nothing done


def test_a_stored_value_that_cannot_be_sent_is_an_error_naming_the_file(tmp_path):
    store = CredentialStore(tmp_path)
    store.path.write_text(
        json.dumps({"profiles": {"default": {"client_id": "1a2b3c4\nd5e6f7a8", "client_secret": SECRET}}})
    )
    with pytest.raises(CredentialsError, match="line break") as caught:
        store.load()
    assert str(store.path) in str(caught.value) and SECRET not in str(caught.value)


# --- folders a person chose -------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("mode, warns", [(0o1777, True), (0o755, False), (0o2770, True), (0o700, False)])
def test_a_folder_the_person_chose_keeps_its_mode(tmp_path, mode, warns):
    folder = tmp_path / "chosen"
    folder.mkdir()
    os.chmod(folder, mode)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        CredentialStore(folder).save(Credentials(CLIENT_ID, SECRET))
        ProgressStore(folder).save({"sign-up"})
    assert stat.S_IMODE(folder.stat().st_mode) == mode
    assert stat.S_IMODE((folder / "credentials.json").stat().st_mode) == 0o600
    said = [str(w.message) for w in caught if issubclass(w.category, FolderPermissionWarning)]
    assert bool(said) == warns
    if warns:
        assert f"{mode:04o}" in said[0] and "other users" in said[0]


@posix_only
def test_a_read_only_folder_is_not_made_writable_nor_written_into(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    os.chmod(folder, 0o500)
    try:
        with pytest.raises(CredentialsError, match=r"not writable \(mode 0500\), so nothing was saved"):
            CredentialStore(folder).save(Credentials(CLIENT_ID, SECRET))
        with pytest.raises(CredentialsError, match="not writable"):
            ProgressStore(folder).save({"sign-up"})
        assert stat.S_IMODE(folder.stat().st_mode) == 0o500
        assert list(folder.iterdir()) == []
    finally:
        os.chmod(folder, 0o700)


@posix_only
def test_folders_the_kit_creates_are_private_and_their_parent_untouched(tmp_path):
    parent = tmp_path / "shared"
    parent.mkdir()
    os.chmod(parent, 0o755)
    old_umask = os.umask(0o022)
    try:
        CredentialStore(parent / "a" / "b").save(Credentials(CLIENT_ID))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((parent / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((parent / "a" / "b").stat().st_mode) == 0o700
    assert stat.S_IMODE(parent.stat().st_mode) == 0o755


# --- values that cannot be sent ---------------------------------------------------------

BAD = {
    "line break": "1a2b3c4\nd5e6f7a8",
    "control character": "1a2b3c4\x07d5e6f7a8",
    "non-ASCII character": "1a2b3c4d5e6f7\u0430",  # a Cyrillic a
    "emoji": "1a2b3c4d5e6f7\U0001f600",
}


@pytest.mark.parametrize("value", BAD.values(), ids=BAD.keys())
def test_a_client_id_that_cannot_be_sent_is_refused_without_showing_it(value):
    with pytest.raises(CredentialsError, match="Client ID contains") as caught:
        Credentials(value, SECRET)
    assert value not in str(caught.value)
    with pytest.raises(CredentialsError) as caught:
        resolve(environ={"IMGUR_CLIENT_ID": value}, store=CredentialStore())
    assert "IMGUR_CLIENT_ID" in str(caught.value) and value not in str(caught.value)


@pytest.mark.parametrize("bad", ["\n", "\x00", "\u00e9", " "])
def test_a_secret_or_token_that_cannot_be_sent_is_refused_without_showing_it(bad):
    secret = SECRET[:20] + bad + SECRET[20:]
    with pytest.raises(CredentialsError, match="Client Secret contains") as caught:
        Credentials(CLIENT_ID, secret)
    assert SECRET[:20] not in str(caught.value)
    token = "a1" * 10 + bad + "a1" * 10
    with pytest.raises(CredentialsError, match="access token contains") as caught:
        Token(access_token=token)
    assert "a1a1a1" not in str(caught.value)
    with pytest.raises(CredentialsError) as caught:
        resolve(environ={"IMGUR_CLIENT_ID": CLIENT_ID, "IMGUR_ACCESS_TOKEN": token}, store=CredentialStore())
    assert "IMGUR_ACCESS_TOKEN" in str(caught.value) and "a1a1a1" not in str(caught.value)


def test_full_width_digits_are_read_as_plain_ones():
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in CLIENT_ID)
    assert Credentials(full_width).client_id == CLIENT_ID


def test_a_secret_pasted_into_the_client_id_field_is_refused_and_never_shown():
    with pytest.raises(CredentialsError, match="shape of a Client Secret") as caught:
        Credentials(SECRET)
    assert SECRET not in str(caught.value) and SECRET not in repr(caught.value)
    with pytest.raises(CredentialsError):
        Credentials(f"Client ID: {SECRET}")


def test_an_overlong_paste_is_refused_with_its_size():
    with pytest.raises(CredentialsError, match="characters long"):
        Credentials("Bearer " * 5000 + CLIENT_ID)
