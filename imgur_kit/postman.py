"""Your keys and token as a Postman environment, for Imgur's own Postman collection.

Imgur's API documentation (https://apidocs.imgur.com/) is a Postman collection:
its "Run in Postman" button loads every endpoint into Postman. The collection's
requests read these environment variables, and this module fills them:

============  ==========  =====================================================
variable      type        what it holds, and where the collection uses it
============  ==========  =====================================================
clientId      default     your Client ID: ``Authorization: Client-ID {{clientId}}``
clientSecret  secret      your Client Secret: the "Generate Access Token" request
refreshToken  secret      your refresh token: the "Generate Access Token" request
accessToken   secret      your access token: ``Authorization: Bearer {{accessToken}}``
username      default     your Imgur user name: ``/3/account/{{username}}/...``
============  ==========  =====================================================

A variable the kit does not know (no Client Secret, no token yet) is left out
rather than written empty. The "Generate Access Token" request of the collection
sets ``accessToken`` again by itself whenever it runs.

How to use the file:

1. Install Postman (https://www.postman.com/downloads/), open
   https://apidocs.imgur.com/ and press "Run in Postman" to load Imgur's collection.
2. In Postman: Import (or File > Import), choose the exported file; it appears
   under Environments as "Imgur (imgur-kit)". Select it in the environment menu
   at the top right.
3. Run any request of the collection. When the access token has expired, run
   Account > "Generate Access Token".

Where the file goes: a path you choose, or by default
``postman/imgur.postman_environment.json`` in the kit's config folder (beside the
stored credentials). It holds your secrets in clear text, as every Postman
environment does, so it is written like the credentials file (mode 0600,
atomically), and never into a folder of notebooks (one named ``notebooks``, or one
holding ``.ipynb`` files): notebooks are shared and committed, and a secret beside
them travels with them.

Only live keys are exported: Imgur's collection talks to api.imgur.com, where the
sandbox's practice keys mean nothing.

Plain Python, the command line and the notebook widget all end in :func:`export_live`::

    from imgur_kit import postman
    print(postman.export_live())                  # or export_live("~/Downloads")
    # python -m imgur_kit export postman ~/Downloads/imgur.postman_environment.json
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional, Union

from .credentials import Credentials, config_dir, display_path, resolve, write_private_file
from .credentials.files import reason_of
from .errors import CredentialsError
from .tokens import Token

__all__ = [
    "API_DOCS_URL",
    "POSTMAN_CALLBACK_URL",
    "Variable",
    "default_path",
    "destination",
    "environment",
    "export_environment",
    "export_live",
    "summary",
    "variables",
]

#: Imgur's API documentation, which carries the "Run in Postman" button.
API_DOCS_URL = "https://apidocs.imgur.com/"
#: The callback URL to register an application with when Postman does the OAuth step.
POSTMAN_CALLBACK_URL = "https://www.getpostman.com/oauth2/callback"

ENVIRONMENT_NAME = "Imgur (imgur-kit)"
FILE_NAME = "imgur.postman_environment.json"


@dataclass(frozen=True, repr=False)
class Variable:
    """One environment variable; ``secret`` ones are masked in Postman's interface."""

    key: str
    value: str
    secret: bool = False

    def to_postman(self) -> dict:
        """The variable as Postman's environment format writes it."""
        return {"key": self.key, "value": self.value, "type": "secret" if self.secret else "default", "enabled": True}

    def __repr__(self) -> str:
        return f"Variable({self.key!r}, {'secret' if self.secret else repr(self.value)})"


def variables(credentials: Credentials, token: Optional[Token] = None) -> list[Variable]:
    """The collection's variables that *credentials* and *token* fill, in a fixed order."""
    if not isinstance(credentials, Credentials):
        raise CredentialsError(
            "The Postman export needs your Credentials (Client ID and Client Secret). "
            "Save them first (notebook 02, or python -m imgur_kit configure)."
        )
    found = [Variable("clientId", credentials.client_id)]
    if credentials.client_secret:
        found.append(Variable("clientSecret", credentials.client_secret, secret=True))
    if token is not None:
        if token.refresh_token:
            found.append(Variable("refreshToken", token.refresh_token, secret=True))
        if token.access_token:
            found.append(Variable("accessToken", token.access_token, secret=True))
        if token.account_username:
            found.append(Variable("username", token.account_username))
    return found


def environment(credentials: Credentials, token: Optional[Token] = None, *, name: str = ENVIRONMENT_NAME) -> dict:
    """A Postman environment (the JSON that Postman's Import reads) holding *credentials* and *token*."""
    return {
        "id": str(uuid.uuid4()),
        "name": name,
        "values": [variable.to_postman() for variable in variables(credentials, token)],
        "_postman_variable_scope": "environment",
        "_postman_exported_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "_postman_exported_using": "imgur-kit",
    }


def default_path() -> Path:
    """Where the export goes when no path is given: ``postman/`` in the kit's config folder."""
    return config_dir() / "postman" / FILE_NAME


def _notebook_folder(folder: Path) -> Optional[Path]:
    """The folder of notebooks that *folder* is or lies in: one named ``notebooks``, or
    *folder* itself when it holds ``.ipynb`` files. None otherwise."""
    for candidate in (folder, *folder.parents):
        if candidate.name == "notebooks":
            return candidate
    return folder if any(folder.glob("*.ipynb")) else None


def destination(path: Union[str, Path, None] = None) -> Path:
    """Where the export will be written: *path* (a file, or a folder to put the file in), or the default.

    A path ending in ``/`` names a folder. Symlinks are resolved before any check, so
    the checks see where the bytes would really go. Raises
    :class:`~imgur_kit.errors.CredentialsError` with a sentence when the place cannot
    work: a folder that does not exist, a folder of notebooks, something other than a
    regular file at the path, or a git work tree that would not ignore the file.
    """
    if path is None or not str(path).strip():
        return default_path()
    text = str(path).strip()
    if "\0" in text:
        raise CredentialsError("The path holds a NUL character, which no file name may contain. Type the path again.")
    as_folder = text.endswith(("/", os.sep))
    try:
        target = Path(os.path.realpath(Path(text).expanduser()))
        is_folder = target.is_dir()
    except (OSError, ValueError, RuntimeError) as exc:
        raise CredentialsError(
            f"The path {text!r} cannot be used ({reason_of(exc)}). Choose another place for the Postman file "
            f"(the default is {display_path(default_path())})."
        ) from None
    if as_folder and not is_folder:
        raise CredentialsError(
            f"The folder {display_path(target)} does not exist (the path ends in a slash, so it names a "
            f"folder). Create it first, or choose another place (the default is {display_path(default_path())})."
        )
    if is_folder:
        target = target / FILE_NAME
    try:
        folder = target.parent
        writable = os.access(folder, os.W_OK | os.X_OK)
        folder_is_dir = folder.is_dir()
    except (OSError, ValueError, RuntimeError) as exc:
        raise CredentialsError(
            f"The path {text!r} cannot be used ({reason_of(exc)}). Choose another place for the Postman file "
            f"(the default is {display_path(default_path())})."
        ) from None
    if not folder_is_dir:
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise CredentialsError(
            f"The folder {display_path(folder)} {what}. Create it first, or choose "
            f"another place for the Postman file (the default is {display_path(default_path())})."
        )
    if not writable:
        raise CredentialsError(
            f"You cannot write into the folder {display_path(folder)}. Choose a folder of yours, "
            f"or leave the path empty for {display_path(default_path())}."
        )
    notebooks = _notebook_folder(folder)
    if notebooks is not None:
        raise CredentialsError(
            f"{display_path(target)} is inside {display_path(notebooks)}, a folder of notebooks. The file holds "
            "your Client Secret and tokens, and notebooks are shared and committed, so the kit does not write it "
            f"there. Choose a folder outside it, or leave the path empty for {display_path(default_path())}."
        )
    _refuse_unless_git_ignores(target)
    return target


def _work_tree_of(folder: Path) -> Optional[Path]:
    """The git work tree *folder* lies in (the nearest folder holding ``.git``), or None."""
    for candidate in (folder, *folder.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


#: The line that keeps every Postman environment file out of a repository.
GITIGNORE_LINE = "*.postman_environment.json"


def _refuse_unless_git_ignores(target: Path) -> None:
    # Inside a git work tree the file of secrets is one `git add .` from a commit:
    # write it only where git itself says it is ignored.
    tree = _work_tree_of(target.parent)
    if tree is None:
        return
    import subprocess  # deferred: only an export into a work tree needs it

    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        checked = subprocess.run(
            ["git", "check-ignore", "-q", "--", str(target)],
            cwd=target.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=10,
        )
        ignored = checked.returncode == 0
    except (OSError, subprocess.SubprocessError):
        ignored = False  # no git to ask: the file is treated as one a commit would take
    if not ignored:
        raise CredentialsError(
            f"{display_path(target)} is inside the git work tree {display_path(tree)}, and git does not ignore it, "
            "so this file of secrets could be committed. Add the line "
            f"{GITIGNORE_LINE} to {display_path(tree / '.gitignore')} and export again, or choose a folder "
            f"outside the work tree (the default is {display_path(default_path())})."
        )


def export_environment(
    credentials: Credentials,
    token: Optional[Token] = None,
    path: Union[str, Path, None] = None,
    *,
    name: str = ENVIRONMENT_NAME,
) -> Path:
    """Write the Postman environment of *credentials* and *token* to *path*; return the file's path.

    *path* is a file or an existing folder; empty means :func:`default_path`. The
    file is written 0600 and atomically, and never into a folder of notebooks
    (see the module docstring). Raises :class:`~imgur_kit.errors.CredentialsError`
    with a sentence when there is nothing to export or the place cannot work.
    """
    document = environment(credentials, token, name=name)
    target = destination(path)
    payload = json.dumps(document, indent=2).encode("utf-8") + b"\n"
    # The writer makes only the folders it creates private; a folder the person chose keeps its mode.
    # The person's folder keeps only the export: its lock lives in the config folder.
    return write_private_file(target, payload, lock_beside=False)


def summary(path: Path, credentials: Credentials, token: Optional[Token] = None) -> str:
    """A sentence saying where the export went and which variables it holds (names only, never values)."""
    filled = variables(credentials, token)
    names = ", ".join(f"{v.key} (secret)" if v.secret else v.key for v in filled)
    missing = (
        ""
        if token is not None
        else (
            " There is no token yet, so accessToken and refreshToken are not in it: authorize first "
            "(notebook 03) and export again, or run Account > Generate Access Token in Postman."
        )
    )
    return (
        f"Wrote the Postman environment {ENVIRONMENT_NAME!r} to {display_path(path)} (readable by you "
        f"alone) with {names}.{missing} In Postman: Import, choose the file, then select the environment "
        f'at the top right; Imgur\'s collection is behind "Run in Postman" on {API_DOCS_URL}.'
    )


NO_LIVE_KEYS = (
    "There are no live Imgur keys to export: none are saved and IMGUR_CLIENT_ID is not set. Imgur's Postman "
    "collection talks to the real Imgur, where the sandbox's practice keys do not work. Save your own Client ID "
    "and Client Secret first (notebook 02, or python -m imgur_kit configure), then export again."
)


def export_live(path: Union[str, Path, None] = None, *, profile: str = "default") -> str:
    """Export the live keys and token the kit would use (see :func:`imgur_kit.credentials.resolve`)
    to *path* (default :func:`default_path`); return a sentence saying where and what.

    Raises :class:`~imgur_kit.errors.CredentialsError` with a sentence when no live
    keys are configured or the place cannot work.
    """
    found = resolve(profile=profile)
    if found.credentials is None:
        raise CredentialsError(NO_LIVE_KEYS)
    written = export_environment(found.credentials, found.token, path)
    return summary(written, found.credentials, found.token)
