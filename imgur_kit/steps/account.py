"""The steps from "no Imgur account" to "an application registered", as data, and the saved progress.

The checklist widget shows these as checkboxes; without widgets,
:func:`print_account_steps` prints the same list. Keys are stable (they are
what the saved progress remembers, in :class:`ProgressStore`), texts may be
reworded freely.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from imgur_kit.credentials.files import config_dir, locked, parse_json, read_small_file, write_private_file


@dataclass(frozen=True)
class Step:
    """One thing to do: a stable *key*, the *group* it belongs to, and the *text* shown."""

    key: str
    group: str
    text: str


WEB = "Sign up on the web"
APP = "If the web says sign-up is not possible in your region: use the mobile app"
REGISTER = "Register your application"

STEPS: tuple[Step, ...] = (
    Step("web-signup", WEB, 'Open imgur.com, choose Sign in, then "need an account?", and fill in the form.'),
    Step(
        "web-done",
        WEB,
        "Finished sign-up on the web (verifying your phone number if asked). If the page "
        "says sign-up is not possible in your region, use the mobile-app steps instead.",
    ),
    Step("app-install", APP, "Install the Imgur app on your phone from the Play Store or App Store."),
    Step(
        "app-google",
        APP,
        'In the app, choose "Continue with Google" and pick the Google account to use '
        "(this route needs no phone verification).",
    ),
    Step("app-username", APP, "Choose a username that is available and tap Done."),
    Step("app-settings", APP, "Open the settings (top right corner of the app)."),
    Step(
        "app-edit-profile", APP, 'Choose "Edit profile": the account has no password yet, because Google signed you in.'
    ),
    Step(
        "app-forgot",
        APP,
        'Under Password, choose "Forgot Password?" and enter the Gmail address you signed in with, then "Send email".',
    ),
    Step("app-reset-mail", APP, "Open the e-mail from Imgur and press its reset-password button."),
    Step(
        "app-new-password",
        APP,
        "Set a new password: at least 6 characters, with at least one letter "
        "and one number (check one with the password checker).",
    ),
    Step("app-web-signin", APP, "Sign in on the Imgur website with your username or e-mail and the new password."),
    Step(
        "register-app",
        REGISTER,
        "Registered an application at api.imgur.com/oauth2/addclient "
        "(the authorization-type chooser says what to pick).",
    ),
    Step(
        "got-credentials", REGISTER, "Copied the Client ID and Client Secret from the page (they also come by e-mail)."
    ),
    Step("stored-credentials", REGISTER, "Stored them with the credentials form (or python -m imgur_kit configure)."),
)


def needed_steps(done) -> list[Step]:
    """The steps that still matter: the web and the app route are alternatives, so once
    either has ended with an account, the other one is no longer listed."""
    done = set(done)
    web_ok = "web-done" in done
    app_ok = "app-web-signin" in done
    needed = []
    for step in STEPS:
        if step.group == WEB and app_ok and not web_ok:
            continue
        if step.group == APP and web_ok:
            continue
        needed.append(step)
    return needed


def progress_line(done) -> str:
    """A one-line summary such as "3 of 5 steps done; next: Register ..."."""
    needed = needed_steps(done)
    done = set(done)
    remaining = [step for step in needed if step.key not in done]
    if not remaining:
        return f"All {len(needed)} steps done: you have an account and a registered application."
    finished = len(needed) - len(remaining)
    return f"{finished} of {len(needed)} steps done; next: {remaining[0].text}"


def print_account_steps(done=()) -> None:
    """Print the checklist as text, ticking the keys in *done* (the "no widgets?" alternative)."""
    done = set(done)
    group = None
    for step in STEPS:
        if step.group != group:
            group = step.group
            print(f"\n{group}")
        mark = "x" if step.key in done else " "
        print(f"  [{mark}] {step.text}")
    print("\n" + progress_line(done))


class ProgressStore:
    """Which steps of the account checklist are done: a small private JSON file.

    It lives beside the credentials (``account-progress.json`` in :func:`config_dir`)
    and holds step keys only, nothing secret. Progress is a convenience, so an absent
    or unreadable file reads as "nothing done yet" rather than stopping anyone.
    The constructor does no I/O.
    """

    FILE_NAME = "account-progress.json"

    def __init__(self, directory: Optional[Path] = None) -> None:
        self._directory = Path(directory).expanduser() if directory is not None else None

    @property
    def path(self) -> Path:
        """The progress file (its folder read from the environment when not given)."""
        return (self._directory if self._directory is not None else config_dir()) / self.FILE_NAME

    def load(self) -> set[str]:
        """The keys of the steps saved as done."""
        try:
            data = parse_json(read_small_file(self.path))
        except (OSError, ValueError):
            return set()
        done = data.get("done", []) if isinstance(data, dict) else []
        return {key for key in done if isinstance(key, str)}

    def save(self, done: Iterable[str]) -> Path:
        """Record ``done`` (step keys) as the steps finished; returns the file's path."""
        payload = json.dumps({"done": sorted(set(done))}, indent=1).encode("utf-8") + b"\n"
        return write_private_file(self.path, payload)

    def mark(self, step: str, done: bool = True) -> Path:
        """Record one step as done (or not), keeping what other windows saved meanwhile."""
        with locked(self.path):
            steps = self.load()
            steps = steps | {step} if done else steps - {step}
            return self.save(steps)
