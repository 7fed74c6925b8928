"""The command line: every notebook step without a notebook.

    python -m imgur_kit sandbox --port 8700     # run the local Imgur alone
    python -m imgur_kit status                  # the live status check
    python -m imgur_kit configure               # enter and store Client ID and Secret
    python -m imgur_kit login                   # authorize: open the link, paste where you landed
    python -m imgur_kit whoami | upload PICTURE | logout

``--sandbox`` / ``--live`` force the mode, as ``IMGUR_KIT_MODE`` does for the notebooks.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional

from imgur_kit import oauth, preflight
from imgur_kit.client import ImgurClient
from imgur_kit.credentials import Credentials, display_path
from imgur_kit.errors import ImgurError
from imgur_kit.notebook import Connection, connect
from imgur_kit.tokens import Token, mask


def _connection(args) -> Connection:
    return connect(mode=args.mode, profile=args.profile, show=False, check=False)


def cmd_sandbox(args) -> int:
    """Run the sandbox in the foreground until Ctrl-C."""
    from imgur_kit.sandbox import SandboxError, serve

    try:
        serve(args.port, host="127.0.0.1", state_dir=args.state_dir)
    except SandboxError as error:  # a bad or busy port, an unusable state folder: its sentence
        print(error, file=sys.stderr)
        return 1
    return 0


def cmd_status(args) -> int:
    """Print the live status check; exit 1 when a problem was found."""
    kit = _connection(args)
    print(kit.banner)
    findings = preflight.run_all(kit.credentials, kit.token, base_url=kit.base_url)
    print(preflight.summarize(findings))
    return 1 if any(f.status == preflight.PROBLEM for f in findings) else 0


def cmd_configure(args) -> int:
    """Ask for the Client ID and Secret, check them against the API, and store them."""
    kit = _connection(args)
    client_id = args.client_id or input("Client ID: ")
    # getpass keeps the secret off the screen and out of the shell history.
    secret = getpass.getpass("Client Secret (input hidden, Enter to skip): ") if sys.stdin.isatty() \
        else sys.stdin.readline()
    credentials = Credentials(client_id=client_id, client_secret=secret or None)
    for warning in credentials.warnings():
        print(f"Note: {warning}")
    with ImgurClient(credentials, base_url=kit.base_url) as client:
        client.credits()
        print(f"Imgur accepted the Client ID; {client.rate_limits.summary()}")
    path = kit.save_credentials(credentials)
    print(f"Saved client credentials for profile {args.profile!r} in {display_path(path)} (secret {mask(credentials.client_secret)}).")
    return 0


def cmd_login(args) -> int:
    """Print an authorize link, read where the browser ended, and store the token."""
    kit = _connection(args)
    url, state = kit.authorize_url(response_type=args.response_type)
    print("Open this link in your browser, sign in, and click Allow:")
    print(f"  {url}")
    print("Then paste the address your browser ended on (or the PIN) and press Enter:")
    pasted = sys.stdin.readline()
    result = oauth.parse_redirect(pasted, expected_state=state)
    token = result if isinstance(result, Token) else oauth.exchange(kit.credentials, result, base_url=kit.base_url)
    path = kit.save_token(token)
    print(f"Signed in as {token.account_username or 'an unnamed account'}; token saved in {display_path(path)}.")
    return 0


def cmd_whoami(args) -> int:
    """Show the account the stored token belongs to and when the token expires."""
    kit = _connection(args)
    if kit.token is None:
        print("Not signed in: no user token is stored. Run 'python -m imgur_kit login' first.")
        return 1
    account = kit.client.account()
    expires = kit.client.token.expires_at
    print(f"Signed in as {account.get('url')} (account id {account.get('id')}); "
          f"token expires {expires:%Y-%m-%d %H:%M} UTC." if expires else
          f"Signed in as {account.get('url')} (account id {account.get('id')}).")
    return 0


def cmd_upload(args) -> int:
    """Upload a picture and print its link (and the deletehash that removes it)."""
    kit = _connection(args)
    image = kit.client.upload(Path(args.picture), title=args.title)
    print(f"Uploaded: {image['link']}")
    print(f"To delete it later: python -m imgur_kit delete {image['deletehash']}")
    return 0


def cmd_delete(args) -> int:
    """Delete an uploaded picture by its id (signed in) or its deletehash."""
    kit = _connection(args)
    kit.client.delete_image(args.image)
    print(f"Deleted {args.image}.")
    return 0


def cmd_logout(args) -> int:
    """Remove the stored user token; the client credentials stay."""
    kit = _connection(args)
    removed = kit.forget_token()
    print("Signed out: the stored token was removed." if removed else "No stored token to remove.")
    return 0


COMMANDS: Dict[str, Callable] = {
    "sandbox": cmd_sandbox, "status": cmd_status, "configure": cmd_configure, "login": cmd_login,
    "whoami": cmd_whoami, "upload": cmd_upload, "delete": cmd_delete, "logout": cmd_logout,
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``python -m imgur_kit``."""
    parser = argparse.ArgumentParser(prog="python -m imgur_kit", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--sandbox", dest="mode", action="store_const", const="sandbox",
                      help="use the local sandbox (keeps its state in the config folder)")
    mode.add_argument("--live", dest="mode", action="store_const", const="live", help="use the real Imgur")
    parser.add_argument("--profile", default="default", help="credentials profile (default: %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sandbox", help="run the local Imgur in the foreground")
    p.add_argument("--port", type=int, default=8700,
                   help="default %(default)s; 8765 is left free for the OAuth loopback capture")
    p.add_argument("--state-dir", type=Path, default=None, help="keep apps and tokens across restarts here")
    sub.add_parser("status", help="is Imgur open today? (the live status check)")
    p = sub.add_parser("configure", help="enter and store your Client ID and Client Secret")
    p.add_argument("--client-id", default=None)
    p = sub.add_parser("login", help="authorize this app for your account")
    p.add_argument("--response-type", choices=["token", "code", "pin"], default="token")
    sub.add_parser("whoami", help="who the stored token belongs to")
    p = sub.add_parser("upload", help="upload a picture")
    p.add_argument("picture")
    p.add_argument("--title", default=None)
    p = sub.add_parser("delete", help="delete an uploaded picture")
    p.add_argument("image", help="the image id (signed in) or its deletehash")
    sub.add_parser("logout", help="remove the stored user token")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line; errors are printed as sentences, with exit status 1."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ImgurError as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
