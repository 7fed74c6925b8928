"""The command line: every step of the journey, from a terminal.

    python -m imgur_kit login                   # have keys? enter them, sign in, done
    python -m imgur_kit status                  # is the real Imgur open for you today?
    python -m imgur_kit configure               # enter and store your Client ID and Secret
    python -m imgur_kit whoami | upload PICTURE | delete IMAGE | logout
    python -m imgur_kit export postman PATH     # your keys as a Postman environment file
    python -m imgur_kit sandbox --port 8700     # run the local practice Imgur alone

Which Imgur: your own Client ID, saved or set in IMGUR_CLIENT_ID, means the real Imgur;
none means the local sandbox; --sandbox / --live (or IMGUR_KIT_MODE) force either.
Commands are a table (:data:`COMMANDS`): a new one is one function and one entry.
"""

# ruff: noqa: E402 - the check below runs before the imports that need the kit's packages
from __future__ import annotations

import sys

from imgur_kit import dependencies

if __name__ == "__main__":
    # `python -m imgur_kit` in the repository folder works with any Python: one without the kit's
    # packages hands the command to the project's .venv, or says what is missing, before it fails.
    dependencies.run_where_the_packages_are(sys.argv[1:])

import argparse
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from imgur_kit import steps
from imgur_kit.credentials import Credentials, display_path
from imgur_kit.errors import ImgurError
from imgur_kit.quick_login import ask_line, sign_in_in_terminal
from imgur_kit.screen import plain_text
from imgur_kit.steps import CAPTURE_PORT, SANDBOX, SANDBOX_PORT
from imgur_kit.steps.explaining import explain
from imgur_kit.uploads import picture_file_size


class Stop(Exception):
    """A sentence for the person and the exit status; raised by a command to end it."""

    def __init__(self, sentence: str, status: int = 1) -> None:
        super().__init__(sentence)
        self.status = status


def _session(args, *, check: bool = False):
    flag = {"sandbox": "--sandbox", "live": "--live"}.get(args.mode or "", "")
    return steps.open_session(args.mode, asked_by=flag or "the command line", profile=args.profile, check=check)


# -- the commands ------------------------------------------------------------------------------


def cmd_sandbox(args) -> int:
    """Run the sandbox in the foreground until Ctrl-C; other commands and notebooks attach to it."""
    running = steps.standalone_sandbox()
    if running is not None:
        raise Stop(
            f"A sandbox is already running at {running.base_url} (recorded in "
            f"{display_path(steps.address_file())}); the notebooks and commands use that one. "
            "Stop it first to start another."
        )
    state_dir = args.state_dir if args.state_dir is not None else steps.default_state_dir()
    if state_dir.exists() and not state_dir.is_dir():
        raise Stop(
            f"{display_path(state_dir)} is a file, not a folder: give --state-dir a folder (it is created if missing)."
        )
    from imgur_kit.sandbox import serve

    port, demo_callback = args.port, None
    if port is None:
        port, demo_callback = _own_sandbox_port()
    # The sandbox records its address once listening and removes it on stop, so every
    # notebook and command of this user attaches to it instead of starting its own.
    serve(
        port,
        host="127.0.0.1",
        state_dir=state_dir,
        address_file=steps.address_file(),
        seed=args.seed,
        demo_callback=demo_callback,
    )
    return 0


def _own_sandbox_port() -> tuple[int, Optional[str]]:
    """The sandbox's port when none was asked for: 8700, or on a JupyterHub the learner's own
    (shared with their notebooks), with their own callback for the demo app."""
    from imgur_kit.steps.ports import HubOptions
    from imgur_kit.steps.where import HUB, detect_environment

    if detect_environment() != HUB:
        return SANDBOX_PORT, None
    options = HubOptions.for_learner()
    return options.sandbox_port, options.demo_callback


def cmd_status(args) -> int:
    """The status check: the real Imgur by default; --sandbox runs it as a rehearsal."""
    rehearsal = args.mode == SANDBOX
    report = steps.status(_session(args) if rehearsal else None, rehearsal=rehearsal)
    print(report)
    if report.unreachable:
        raise Stop(
            f"The real Imgur could not be reached from this computer ({report.base_url}): you may be "
            "offline, or a proxy or firewall blocks it. Try again once you are online."
        )
    return 1 if report.problems else 0


def cmd_configure(args) -> int:
    """Ask for your Client ID and Secret, check them with Imgur, and store them for live mode."""
    session = _session(args)
    client_id = args.client_id or ask_line("Client ID: ")
    # getpass keeps the secret off the screen and out of the shell history.
    secret = ask_line("Client Secret (typing is hidden; Enter to skip): ", secret=True)
    credentials = Credentials(client_id=client_id, client_secret=secret or None)
    for warning in credentials.warnings():
        print(f"Note: {warning}")
    print(steps.save_credentials(session, credentials).sentence)
    return 0


def cmd_login(args) -> int:
    """Enter your keys (if none are saved), open the sign-in link, paste where you land: signed in."""
    sign_in_in_terminal(
        client_id=args.client_id,
        mode=args.mode,
        profile=args.profile,
        response_type=args.response_type,
        callback=args.callback,
    )
    return 0


def cmd_whoami(args) -> int:
    """Show the account the stored token belongs to and when the token expires."""
    session = _session(args)
    if session.token is None:
        raise Stop("Not signed in: no user token is stored. Run 'python -m imgur_kit login' first.")
    print(steps.who_am_i(session))
    return 0


def _link_lifetime(session) -> str:
    """Whether a sandbox link printed by this command still works once it has ended."""
    if session.mode != SANDBOX:
        return ""
    if isinstance(session.sandbox, steps.AttachedSandbox):
        return (
            f"The link works as long as the sandbox at {session.base_url} runs, and again after it restarts "
            "(it keeps the pictures)."
        )
    return (
        "This command started its own sandbox, which stops when the command ends, and the link with it; "
        "run 'python -m imgur_kit sandbox' in another terminal to keep links working."
    )


def cmd_upload(args) -> int:
    """Upload a picture with a progress bar and print its link (and how to delete it)."""
    picture = Path(args.picture).expanduser()
    try:
        size = picture_file_size(picture)  # before the sandbox starts; a pipe is refused unopened
    except ImgurError as error:
        raise Stop(f"Cannot upload it: {error}") from None
    session = _session(args)
    from tqdm import tqdm  # only the upload command needs it

    with tqdm(total=size, unit="B", unit_scale=True, desc="Uploading", file=sys.stderr, mininterval=0.1) as bar:

        def progress(sent: int, total: int) -> None:
            bar.total = total
            bar.update(sent - bar.n)

        image = steps.upload_picture(session, picture, title=args.title, progress=progress)
    print(f"Uploaded: {image['link']}")
    print(
        f"To delete it later: python -m imgur_kit{' --sandbox' if session.mode == SANDBOX else ''} "
        f"delete {image['deletehash']}"
    )
    lifetime = _link_lifetime(session)
    if lifetime:
        print(lifetime)
    return 0


def cmd_delete(args) -> int:
    """Delete an uploaded picture by its id (signed in) or its deletehash."""
    session = _session(args)
    session.client.delete_image(args.image)
    print(f"Deleted {args.image}.")
    return 0


def cmd_logout(args) -> int:
    """Remove the stored user token; the client credentials stay."""
    session = _session(args)
    removed = session.forget_token()
    print("Signed out: the stored token was removed." if removed else "No stored token to remove.")
    return 0


def cmd_export(args) -> int:
    """Write your live keys and token as a Postman environment for Imgur's Postman collection."""
    if args.mode == SANDBOX:
        raise Stop(
            "The Postman export takes your own (live) keys: Imgur's Postman collection talks to the real "
            "Imgur, where the sandbox's practice keys do not work. Run it without --sandbox."
        )
    from imgur_kit import postman

    print(postman.export_live(args.path, profile=args.profile))
    return 0


# -- the command table --------------------------------------------------------------------------


def _port(text: str) -> int:
    # Only the number is read here; the sandbox itself says which numbers are ports.
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number; use one from 1024 to 65535") from None


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"{text!r} is not a seed; use a whole number from 0 to {2**32 - 1}")
    return value


def _sandbox_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--port",
        type=_port,
        default=None,
        help=f"port on 127.0.0.1 to listen on (default {SANDBOX_PORT}; {CAPTURE_PORT} stays free for the "
        "sign-in capture; on a JupyterHub, your own port; 0 picks any free port)",
    )
    p.add_argument(
        "--state-dir",
        type=Path,
        default=None,
        help="folder that keeps apps, tokens and pictures across restarts "
        "(default: the 'sandbox' folder in the kit's config folder)",
    )
    p.add_argument(
        "--seed",
        type=_seed,
        default=None,
        help="which public gallery to make (a whole number; the same seed gives the same gallery on every "
        "machine; default: the one kept in the state folder)",
    )


def _configure_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--client-id", default=None, help="your Client ID (asked for when left out)")


def _login_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--client-id",
        default=None,
        help="your Client ID (asked for when none is saved yet; the secret is always asked for)",
    )
    p.add_argument(
        "--response-type",
        choices=["token", "code", "pin"],
        default="token",
        help="what Imgur hands back after Allow: a token (default), a code, or a PIN to copy",
    )
    p.add_argument(
        "--callback",
        default=None,
        metavar="URL",
        help=f"the callback URL registered for your app (default: the sandbox app's own, else "
        f"http://localhost:{CAPTURE_PORT}/callback); on this computer the kit listens there for Imgur's answer",
    )


def _upload_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("picture", help="path of the picture to upload")
    p.add_argument("--title", default=None, help="a title for the picture")


def _delete_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("image", help="the image id (signed in) or its deletehash")


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "kind", choices=["postman"], help="what to write: 'postman', a Postman environment for Imgur's collection"
    )
    p.add_argument(
        "path",
        nargs="?",
        default=None,
        help="a file, or a folder to put imgur.postman_environment.json in (default: the 'postman' "
        "folder in the kit's config folder); it holds your secrets, readable by you alone",
    )


@dataclass(frozen=True)
class Command:
    """One subcommand: what it does (``run``), its one-line help, and its own arguments."""

    run: Callable[[argparse.Namespace], int]
    help: str
    arguments: Optional[Callable[[argparse.ArgumentParser], None]] = None


COMMANDS: dict[str, Command] = {
    "login": Command(cmd_login, "have keys? enter them and sign in (the quick way)", _login_arguments),
    "status": Command(cmd_status, "is the real Imgur open for you today? (--sandbox: a rehearsal)"),
    "configure": Command(
        cmd_configure, "enter, check and store your Client ID and Client Secret", _configure_arguments
    ),
    "whoami": Command(cmd_whoami, "who the stored token belongs to"),
    "upload": Command(cmd_upload, "upload a picture", _upload_arguments),
    "delete": Command(cmd_delete, "delete an uploaded picture", _delete_arguments),
    "logout": Command(cmd_logout, "remove the stored user token"),
    "export": Command(cmd_export, "write your keys and token as a Postman environment file", _export_arguments),
    "sandbox": Command(cmd_sandbox, "run the local practice Imgur in the foreground", _sandbox_arguments),
}


def _mode_options(parser: argparse.ArgumentParser, default) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--sandbox",
        dest="mode",
        action="store_const",
        const="sandbox",
        default=default,
        help="use the local practice Imgur (the one 'python -m imgur_kit sandbox' runs, if any)",
    )
    group.add_argument(
        "--live",
        dest="mode",
        action="store_const",
        const="live",
        default=default,
        help="use the real Imgur (or the host IMGUR_KIT_BASE_URL names)",
    )
    parser.add_argument(
        "--profile",
        default=default if default is not None else "default",
        help="name of the saved keys to use (default: 'default')",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``python -m imgur_kit``."""
    parser = argparse.ArgumentParser(
        prog="python -m imgur_kit", description=__doc__.split("\n\n")[0], epilog=steps.MODE_RULE
    )
    _mode_options(parser, None)
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="what to do; each command has its own --help"
    )
    for name, command in COMMANDS.items():
        p = sub.add_parser(name, help=command.help, description=command.help)
        # The mode options work after the command too; SUPPRESS keeps one given before it.
        _mode_options(p, argparse.SUPPRESS)
        if command.arguments is not None:
            command.arguments(p)
    return parser


def _sentence_for(error: BaseException) -> str:
    said = explain(error, report="Please report it with the command you ran.")
    return f"{error.kind}: {said}" if isinstance(error, ImgurError) else said


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    # A warning is a sentence for the person, not a pointer into the kit's source.
    print(f"Note: {message}", file=sys.stderr if file is None else file)


class _PlainStream:
    """A terminal stream that passes on text without escape sequences or control characters.

    Much of what a command prints was chosen by a server or a file (links, titles, account
    names, error words); wrapping the streams once, here, covers every line any command prints.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        # The progress bar redraws its line with a leading carriage return; nothing else may.
        shown = plain_text(text, keep_carriage_return=True)
        try:
            return self._stream.write(shown)
        except UnicodeEncodeError:
            # A terminal in a narrower encoding (ASCII, Latin-1) gets "?" for what it cannot show.
            encoding = getattr(self._stream, "encoding", None) or "ascii"
            return self._stream.write(shown.encode(encoding, "replace").decode(encoding))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def _plain_output() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _PlainStream(sys.stdout), _PlainStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def main(argv: Optional[list[str]] = None) -> int:
    """Run the command line; every failure is printed as a sentence, with a non-zero exit status."""
    args = build_parser().parse_args(argv)
    warnings.showwarning = _show_warning
    with _plain_output():
        try:
            return COMMANDS[args.command].run(args)
        except Stop as stop:
            print(stop, file=sys.stderr)
            return stop.status
        except KeyboardInterrupt:
            print("Stopped.", file=sys.stderr)
            return 130
        except Exception as error:  # noqa: BLE001 - no input may end in a traceback
            print(_sentence_for(error), file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
