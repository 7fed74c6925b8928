"""One sentence for whatever went wrong, for every front end: the command line and the widgets.

The kit's own errors already say what happened and what to do; a missing package, input
that ended, or a refusal of the computer get a sentence of their own; anything else is
named with its kind and its first line, redacted, and the front end's way to report it.
Redacting is a second line of defence for messages the kit did not write: its own errors
never carry secrets, but a library's might.
"""

from __future__ import annotations

import errno
from pathlib import Path

from imgur_kit import dependencies
from imgur_kit.credentials import display_path
from imgur_kit.errors import ImgurError
from imgur_kit.redaction import redact
from imgur_kit.screen import plain_text

__all__ = ["REPORT_FROM_A_NOTEBOOK", "explain"]

#: What a widget suggests after an unexpected error.
REPORT_FROM_A_NOTEBOOK = "Try again; if it keeps happening, please report it with the steps that led here."


def explain(error: BaseException, *, report: str = REPORT_FROM_A_NOTEBOOK) -> str:
    """One sentence about *error* for a person, never a traceback; *report* ends an unexpected one."""
    if isinstance(error, ImgurError):
        return plain_text(str(error))
    if isinstance(error, ModuleNotFoundError) and error.name and not error.name.startswith("imgur_kit"):
        # A package this Python lacks is a set-up matter with a fix, not a fault of the kit.
        return dependencies.sentence([error.name.split(".")[0].replace("_", "-")])
    if isinstance(error, EOFError):
        return "Input ended before an answer was given; run the command again and type the answer."
    if isinstance(error, OSError):
        return _refusal(error)
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    detail = f": {plain_text(redact(detail))}" if detail else ""
    return f"Something unexpected went wrong ({type(error).__name__}{detail}). {report}"


def _refusal(error: OSError) -> str:
    if error.errno is None:  # the sandbox's own errors carry their sentence
        return plain_text(str(error))
    if error.errno == errno.EADDRINUSE:
        return (
            "That port on 127.0.0.1 is already in use (perhaps by a sandbox that is already running); "
            "choose another with --port."
        )
    what = plain_text(redact(error.strerror or type(error).__name__))
    where = f" ({plain_text(display_path(Path(error.filename)))})" if error.filename else ""
    return f"The computer refused: {what}{where}. Check the path, port or folder and try again."
