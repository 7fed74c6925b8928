"""The command line: the journey without a notebook, the mode rule, and sentences instead of tracebacks.

A second sandbox *process* stands in for the real Imgur: live mode reaches it
through IMGUR_KIT_BASE_URL, and it knows apps that the kit's own sandbox does not.
A closed port stands in for a computer that is offline.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from loopback import SandboxProcess, free_port

from imgur_kit import steps
from imgur_kit.__main__ import main
from imgur_kit.credentials import CredentialStore

PICTURE = Path(steps.bundled_picture())
# login listens on the app's callback; a free port here, so that no test holds the kit's usual 8765.
CALLBACK = ["--callback", f"http://localhost:{free_port()}/callback"]


class PrintedLines(io.TextIOBase):
    """Stands in for sys.stdout while a command runs in another thread: keeps what it prints
    and lets the test wait (with a bound) for a line, instead of polling with sleeps."""

    def __init__(self) -> None:
        self.text = ""
        self._changed = threading.Condition()

    def write(self, text: str) -> int:
        with self._changed:
            self.text += text
            self._changed.notify_all()
        return len(text)

    def line_with(self, words: str, timeout: float = 30) -> str:
        """The first printed line that contains ``words``, waited for at most ``timeout`` seconds."""

        def found():
            return next((line.strip() for line in self.text.splitlines() if words in line), None)

        with self._changed:
            line = self._changed.wait_for(found, timeout)
        assert line, f"nothing with {words!r} was printed in {timeout:.0f} s:\n{self.text}"
        return line


@pytest.fixture
def live_standin_process(tmp_path, monkeypatch):
    """A second sandbox process standing in for the real Imgur, with its own config folder."""
    with SandboxProcess(tmp_path / "standin-config", tmp_path / "standin-state") as standin:
        monkeypatch.setenv("IMGUR_KIT_BASE_URL", standin.base_url)
        yield steps.AttachedSandbox(steps.sandboxes.SandboxAddress(standin.base_url, standin.pid, standin.state_dir))


def run_cli(args, stdin_text="", monkeypatch=None):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin_text))
    return main(args)


def test_sandbox_command_serves_pages_and_api_until_interrupted(tmp_path):
    proc = SandboxProcess(tmp_path / "config", tmp_path / "state")
    base = proc.base_url
    try:
        form = requests.get(f"{base}/oauth2/addclient", timeout=5)
        assert form.status_code == 200 and "Application name" in form.text
        consent = requests.get(
            f"{base}/oauth2/authorize", params={"client_id": "0123456789abcde", "response_type": "token"}, timeout=5
        )
        assert "Woah there" in consent.text  # unknown client: the live service's error page
        api = requests.get(f"{base}/3/credits", timeout=5)
        assert api.status_code == 401 and api.json()["success"] is False
    finally:
        output = proc.stop()
    assert base in output
    assert "Traceback" not in output


def test_sandbox_commands_attach_to_the_standalone_sandbox_which_keeps_its_demo_app(
    isolated_environment, monkeypatch, capsys
):
    proc = SandboxProcess(isolated_environment)  # this user's own sandbox
    try:
        attached = steps.standalone_sandbox()
        assert attached is not None and attached.base_url == proc.base_url
        demo = attached.default_app
        assert run_cli(["--sandbox", "upload", str(PICTURE)], monkeypatch=monkeypatch) == 0
        out = capsys.readouterr().out
        assert f"Uploaded: {proc.base_url}/" in out
        assert "The link works as long as the sandbox" in out
        assert steps.stop_sandboxes() == 0  # nothing was started in this process
        assert steps.open_session("sandbox", check=False).credentials.client_id == demo.client_id
    finally:
        proc.stop()
    assert not steps.address_file().exists()  # a stopped sandbox leaves no address behind

    proc = SandboxProcess(isolated_environment)
    try:
        again = steps.standalone_sandbox()
        assert again.base_url == proc.base_url
        assert again.default_app.client_id == demo.client_id  # the same demo app after a restart
        assert again.default_app.client_secret == demo.client_secret
    finally:
        output = proc.stop()
    assert demo.client_id in output and demo.client_secret in output  # it prints both practice values

    # With no standalone sandbox running, a command starts its own and says the link dies with it.
    assert run_cli(["--sandbox", "upload", str(PICTURE)], monkeypatch=monkeypatch) == 0
    assert "This command started its own sandbox, which stops when the command ends" in capsys.readouterr().out


def test_a_second_standalone_sandbox_is_refused_in_words(isolated_environment, monkeypatch, capsys):
    with SandboxProcess(isolated_environment):
        assert run_cli(["sandbox", "--port", "0"], monkeypatch=monkeypatch) == 1
        assert "A sandbox is already running at http://127.0.0.1:" in capsys.readouterr().err


def test_login_whoami_upload_logout_in_the_sandbox(monkeypatch, capsys):
    # login waits for a paste; a second thread plays the person who clicks Allow.
    reader, writer = os.pipe()
    monkeypatch.setattr(sys, "stdin", os.fdopen(reader))
    captured, printed = sys.stdout, PrintedLines()
    monkeypatch.setattr(sys, "stdout", printed)
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("code", main(["--sandbox", "login", *CALLBACK])))
    thread.start()
    sandbox = steps.shared_sandbox()
    link = printed.line_with("/oauth2/authorize?")
    with os.fdopen(writer, "w") as paste:
        paste.write("  " + sandbox.approve(link) + "  \n")
    thread.join(timeout=30)
    monkeypatch.setattr(sys, "stdout", captured)  # back to pytest's capture for the commands below
    assert result["code"] == 0
    assert "Signed in as sandbox-user" in printed.text
    assert CredentialStore(kind="sandbox").load().token is not None
    assert not CredentialStore(kind="live").path.exists()

    assert run_cli(["--sandbox", "whoami"], monkeypatch=monkeypatch) == 0
    assert "Signed in as sandbox-user" in capsys.readouterr().out

    assert run_cli(["--sandbox", "upload", str(PICTURE), "--title", "hello"], monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert "Uploaded: http://127.0.0.1:" in out
    link = out.split("Uploaded: ")[1].split()[0]
    assert requests.get(link, timeout=5).content == PICTURE.read_bytes()

    assert run_cli(["logout", "--sandbox"], monkeypatch=monkeypatch) == 0  # the flag works after the command too
    assert "token was removed" in capsys.readouterr().out
    assert run_cli(["--sandbox", "whoami"], monkeypatch=monkeypatch) == 1
    assert "Not signed in" in capsys.readouterr().err


def test_login_with_a_forged_state_is_refused_in_words(monkeypatch, capsys):
    sandbox = steps.shared_sandbox()
    from imgur_kit import oauth

    foreign = oauth.authorize_url(sandbox.default_app.client_id, state="someone-else", base_url=sandbox.base_url)
    code = run_cli(
        ["--sandbox", "login", *CALLBACK], stdin_text=sandbox.approve(foreign) + "\n", monkeypatch=monkeypatch
    )
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("AuthorizationError: ") and "state" in err
    assert "Traceback" not in err


def test_configure_a_practice_app_goes_to_the_sandbox_store(monkeypatch, capsys):
    app = steps.shared_sandbox().register_app(name="cli app", auth_type="no-callback")
    code = run_cli(
        ["--sandbox", "configure", "--client-id", f"Client-ID {app.client_id} "],
        stdin_text=app.client_secret + "\n",
        monkeypatch=monkeypatch,
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Saved practice app" in out and app.client_secret not in out
    stored = CredentialStore(kind="sandbox").load()
    assert stored.credentials.client_id == app.client_id
    assert stored.credentials.client_secret == app.client_secret
    assert not CredentialStore(kind="live").path.exists()


def test_configure_with_a_real_id_is_verified_by_imgur_and_stored_for_live_mode(
    live_standin_process, monkeypatch, capsys
):
    app = live_standin_process.register_app(name="my real app", auth_type="no-callback")
    code = run_cli(
        ["configure", "--client-id", app.client_id], stdin_text=app.client_secret + "\n", monkeypatch=monkeypatch
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Imgur accepted" in out and "From now on the kit uses the real Imgur" in out
    assert app.client_secret not in out and "(secret )" not in out
    assert CredentialStore(kind="live").load().credentials.client_secret == app.client_secret
    assert not CredentialStore(kind="sandbox").path.exists()
    # The next command picks live mode by itself: no flag, no IMGUR_KIT_MODE.
    assert steps.open_session(check=False).mode == "live"
    assert run_cli(["upload", str(PICTURE)], monkeypatch=monkeypatch) == 0
    assert f"Uploaded: {live_standin_process.base_url}/" in capsys.readouterr().out


def test_configure_while_offline_saves_unverified_with_a_sentence(monkeypatch, capsys):
    port = free_port()
    monkeypatch.setenv("IMGUR_KIT_BASE_URL", f"http://127.0.0.1:{port}")
    code = run_cli(
        ["configure", "--client-id", "0123456789abcde"],
        stdin_text="0123456789abcdef0123456789abcdef01234567\n",
        monkeypatch=monkeypatch,
    )
    out = capsys.readouterr().out
    assert code == 0
    assert f"unverified, because 127.0.0.1:{port} could not be reached from this computer" in out
    assert "python -m imgur_kit status" in out
    assert CredentialStore(kind="live").load().credentials.client_id == "0123456789abcde"


def test_configure_with_an_id_imgur_refuses_saves_nothing(live_standin_process, monkeypatch, capsys):
    code = run_cli(["configure", "--client-id", "0123456789abcde"], stdin_text="\n", monkeypatch=monkeypatch)
    assert code == 1
    assert "Client ID" in capsys.readouterr().err
    assert not CredentialStore(kind="live").path.exists()


def test_status_checks_the_real_imgur_by_default(live_standin_process, monkeypatch, capsys):
    assert run_cli(["status"], monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"The real Imgur, asked just now at {live_standin_process.base_url}:")
    assert "Rehearsal" not in out and "[ok] API host reachable" in out


def test_status_offline_says_so_and_exits_non_zero(monkeypatch, capsys):
    monkeypatch.setenv("IMGUR_KIT_BASE_URL", f"http://127.0.0.1:{free_port()}")
    assert run_cli(["status"], monkeypatch=monkeypatch) == 1
    captured = capsys.readouterr()
    assert "The real Imgur could not be reached from this computer" in captured.err
    assert "Traceback" not in captured.out + captured.err


def test_status_in_the_sandbox_is_a_labelled_rehearsal(monkeypatch, capsys):
    assert run_cli(["--sandbox", "status"], monkeypatch=monkeypatch) == 0
    out = capsys.readouterr().out
    assert out.startswith("Rehearsal: these answers come from the local sandbox")
    steps.shared_sandbox().set_fault("error-1024")
    assert run_cli(["status", "--sandbox"], monkeypatch=monkeypatch) == 1
    assert "[PROBLEM] Authorize page" in capsys.readouterr().out


# -- no traceback for any input -------------------------------------------------------------


def run_cli_process(args, *, stdin=subprocess.DEVNULL, env_extra=None, config_dir=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMGUR_")}
    env["IMGUR_KIT_CONFIG_DIR"] = str(config_dir)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "imgur_kit", *args], stdin=stdin, env=env, capture_output=True, text=True, timeout=60
    )


def test_end_of_input_at_a_prompt_is_a_sentence(tmp_path):
    done = run_cli_process(["configure"], config_dir=tmp_path)  # configure < /dev/null
    assert done.returncode == 1
    assert "Input ended before an answer was given" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_busy_port_is_a_sentence(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = run_cli_process(
            ["sandbox", "--port", str(port), "--state-dir", str(tmp_path / "s")], config_dir=tmp_path
        )
    assert done.returncode != 0
    assert "already in use" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("port", ["70000", "eighty"])
def test_an_invalid_port_is_a_sentence(port, tmp_path):
    done = run_cli_process(["sandbox", "--port", port], config_dir=tmp_path)
    assert done.returncode != 0 and "is not a port number" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_bad_base_url_is_a_sentence(tmp_path):
    done = run_cli_process(["status"], env_extra={"IMGUR_KIT_BASE_URL": "http://[::1"}, config_dir=tmp_path)
    assert done.returncode == 1
    assert "IMGUR_KIT_BASE_URL is set to 'http://[::1', which is not a web address" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_an_unreadable_picture_is_a_sentence(tmp_path):
    done = run_cli_process(["--sandbox", "upload", str(tmp_path / "missing.png")], config_dir=tmp_path)
    assert done.returncode == 1 and "Cannot upload it: There is no file at" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    pipe = tmp_path / "picture.png"
    os.mkfifo(pipe)  # opening it would block until something writes: the CLI must not open it
    done = run_cli_process(["--sandbox", "upload", str(pipe)], config_dir=tmp_path)
    assert done.returncode == 1 and "is not a regular file" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_file_that_is_no_picture_is_refused_before_anything_starts(tmp_path):
    keys = tmp_path / "credentials.json"  # a slip of the finger: the key file, not the picture
    keys.write_text('{"client_secret": "0123456789abcdef0123456789abcdef01234567"}')
    done = run_cli_process(["--sandbox", "upload", str(keys)], config_dir=tmp_path)
    assert done.returncode == 1
    assert f"Cannot upload it: {keys} does not look like a picture or a video" in done.stderr
    assert "Uploading" not in done.stderr  # no progress bar: nothing was sent
    assert not (tmp_path / "sandbox").exists()  # no sandbox was started either
    assert "0123456789abcdef" not in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_very_long_path_is_shortened_in_the_sentence(tmp_path):
    done = run_cli_process(["--sandbox", "upload", "a" * 5000], config_dir=tmp_path)
    assert done.returncode == 1 and "Cannot upload it" in done.stderr
    assert "a" * 300 not in done.stderr and "Traceback" not in done.stderr


def test_a_state_dir_that_is_a_file_is_a_sentence(tmp_path):
    afile = tmp_path / "not-a-folder"
    afile.write_text("x")
    done = run_cli_process(["sandbox", "--port", "0", "--state-dir", str(afile)], config_dir=tmp_path)
    assert done.returncode == 1 and "is a file, not a folder" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_every_option_has_help_and_no_notebook_words():
    from imgur_kit.__main__ import build_parser

    parser = build_parser()
    texts = [parser.format_help()]
    for action in parser._subparsers._group_actions:
        for name, sub in action.choices.items():
            texts.append(sub.format_help())
            for option in sub._actions:
                assert option.help, f"{name}: {option.option_strings or option.dest} has no help"
    for action in parser._actions:
        assert action.help, action
    text = "\n".join(texts)
    assert "--sandbox" in text and "--live" in text
    assert "notebook" not in text.lower() and " cell" not in text.lower()


def test_login_asks_for_own_keys_saves_them_live_and_signs_in(live_standin_process, monkeypatch, capsys):
    """`python -m imgur_kit login` on a fresh machine: keys typed at the prompts are live keys."""
    app = live_standin_process.register_app(name="mine", auth_type="no-callback")
    reader, writer = os.pipe()
    monkeypatch.setattr(sys, "stdin", os.fdopen(reader))
    typing = os.fdopen(writer, "w")
    typing.write(f"{app.client_id}\n{app.client_secret}\n")
    typing.flush()
    printed = PrintedLines()
    monkeypatch.setattr(sys, "stdout", printed)
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("code", main(["login", *CALLBACK])))
    thread.start()
    link = printed.line_with("/oauth2/authorize?")
    assert link.startswith(live_standin_process.base_url), printed.text
    typing.write(live_standin_process.approve(link) + "\n")
    typing.close()
    thread.join(timeout=30)
    seen = printed.text
    assert result["code"] == 0, seen
    assert "Client ID: " in seen and "Imgur accepted" in seen and "Signed in as sandbox-user" in seen
    assert app.client_secret not in seen
    stored = CredentialStore(kind="live").load()
    assert stored.credentials.client_id == app.client_id and stored.token is not None
    assert not CredentialStore(kind="sandbox").path.exists()


def test_upload_shows_a_progress_bar_and_says_the_link_dies_with_its_own_sandbox(tmp_path):
    done = run_cli_process(["--sandbox", "upload", str(PICTURE)], config_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Uploading: 100%|" in done.stderr  # tqdm's bar, on stderr
    assert "Uploaded: http://127.0.0.1:" in done.stdout
    assert "This command started its own sandbox" in done.stdout


def test_the_sandbox_port_and_the_sign_in_capture_port_differ_as_the_help_says(capsys):
    """The sandbox listens where the help says, and leaves the demo app's callback port free."""
    from imgur_kit import sandbox
    from imgur_kit.sandbox.state import DEFAULT_CALLBACK
    from imgur_kit.steps.loopback_capture import callback_url_for

    assert sandbox.SANDBOX_PORT == steps.SANDBOX_PORT != steps.CAPTURE_PORT
    assert DEFAULT_CALLBACK == callback_url_for(steps.CAPTURE_PORT)
    with pytest.raises(SystemExit):
        main(["sandbox", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"default {steps.SANDBOX_PORT}; {steps.CAPTURE_PORT} stays free for the sign-in capture" in help_text


def test_a_damaged_credentials_file_is_named_by_a_public_error(tmp_path):
    (tmp_path / "credentials.json").write_text("[[[[", encoding="utf-8")
    done = run_cli_process(["--live", "whoami"], config_dir=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("CredentialsError: The credentials file"), done.stderr
    assert "_Damaged" not in done.stderr and "Traceback" not in done.stderr


def test_a_warning_is_a_note_not_a_pointer_into_the_source(tmp_path):
    state = tmp_path / "sandbox"
    state.mkdir()
    (state / "sandbox-state.json").write_text('{"apps": 5, "tokens": "x"}', encoding="utf-8")
    done = run_cli_process(["--sandbox", "whoami"], config_dir=tmp_path)
    assert "Note: The sandbox state file was unreadable" in done.stderr, done.stderr
    assert ".py:" not in done.stderr and "Warning:" not in done.stderr
