"""Imgur's password rule, checked locally: the password never leaves this machine.

Imgur's "Change Password" and "Reset Password" screens say "6 characters minimum,
1 letter, 1 number required". :func:`password_problems` answers which of those three
parts a candidate password misses, so a person can find a valid password before
typing it into the app. No ipywidgets here: the function is the "no widgets?"
alternative to :func:`imgur_kit.widgets.password_checker`.
"""

from __future__ import annotations

MIN_LENGTH = 6

#: The rule, word for word as the person will meet it on Imgur's screens.
RULE_TEXT = "6 characters minimum, 1 letter, 1 number required"

RULE_LENGTH = f"at least {MIN_LENGTH} characters"
RULE_LETTER = "at least one letter"
RULE_NUMBER = "at least one number"


def password_problems(password: str | None) -> list[str]:
    """Return the parts of Imgur's password rule that *password* does not meet.

    An empty list means the password is acceptable. The result only names
    rules; it never contains the password or any part of it.
    """
    password = password or ""
    unmet = []
    if len(password) < MIN_LENGTH:
        unmet.append(RULE_LENGTH)
    if not any(ch.isalpha() for ch in password):
        unmet.append(RULE_LETTER)
    # ASCII digits only: a superscript "²" passes str.isdigit() but is not
    # what the mobile keyboard's number row types, nor what Imgur checks for.
    if not any(ch in "0123456789" for ch in password):
        unmet.append(RULE_NUMBER)
    return unmet


def password_verdict(password: str | None) -> str:
    """One sentence saying whether *password* meets the rule, and if not, what is missing.

    The sentence never repeats the password (it may sit in a notebook output).
    """
    if not password:
        return f"Type a password to check it. Imgur's rule: {RULE_TEXT}."
    unmet = password_problems(password)
    if not unmet:
        return f"This password meets Imgur's rule ({RULE_TEXT}). It was checked here only and was not sent anywhere."
    return "This password still needs " + _join(unmet) + "."


def _join(parts: list[str]) -> str:
    """Join phrases as English does: "a", "a and b", "a, b and c"."""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]
