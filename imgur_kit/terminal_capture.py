"""The terminal's sign-in answer: Imgur's redirect caught on this computer, or a paste nobody sees.

The notebook's quick login listens on the app's callback (``http://localhost:8765/callback``)
and catches Imgur's redirect itself; the terminal does the same with the same listener,
:class:`~imgur_kit.steps.loopback_capture.LoopbackCapture`, which takes only an answer
carrying the sign-in's state. Where it cannot listen (a terminal on another computer than
the browser, a callback that is not on this computer, a port another program holds), it
says so before the link is opened, with what the browser will show, and waits for a paste.

While it listens, the prompt takes a paste too: whichever comes first ends the wait (at a
terminal both are watched at once; piped input is read line by line, and at its end the
listener may still answer). What is pasted carries the tokens, so the terminal does not
echo it (echo is off while the prompt waits, as ``getpass`` does), and nothing here prints it.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
from collections.abc import Iterator
from typing import Any, Optional
from urllib.parse import urlsplit

from imgur_kit.steps import LOCAL, Session
from imgur_kit.steps.loopback_capture import (
    CALLBACK_PATH,
    CAPTURE_PORT,
    HAND_BACK_PAGE,
    LoopbackCapture,
    busy_port_advice,
    callback_url_for,
)
from imgur_kit.steps.where import detect_environment

#: What the browser shows once the terminal has the answer.
DONE_TEXT = "Received. You can close this tab and go back to your terminal."
WRONG_STATE_TEXT = (
    "This listener was not waiting for this sign-in: the answer's state belongs to another sign-in (an "
    "older link, or someone else's), so it was ignored and nothing was kept. Copy this page's whole address "
    "from the address bar and paste it into your own terminal; if you started a newer sign-in since, use "
    "that one's link."
)
#: The hand-back page in a terminal's words.
HAND_BACK_TEXT = HAND_BACK_PAGE.replace("the notebook's paste box", "the terminal's prompt").replace(
    "notebook", "terminal"
)
#: The waits of the prompt between two looks at the listener, in seconds.
_LOOK_EVERY = 0.2


def callback_for(session: Session, given: Optional[str] = None) -> str:
    """The callback the app was registered with: *given*, else the sandbox app's own, else the kit's."""
    if given:
        return given.strip()
    sandbox, credentials = session.sandbox, session.credentials
    app = sandbox.app(credentials.client_id) if sandbox is not None and credentials is not None else None
    return app.callback_url if app is not None and app.callback_url else callback_url_for(CAPTURE_PORT)


def listen(session: Session, state: str, callback: str) -> tuple[Optional[LoopbackCapture], str]:
    """Listen for Imgur's redirect when this terminal can, and say what the browser will show.

    Returns the running capture (or None when the answer must be pasted) and the sentence
    to print before the link is opened.
    """
    paste = "copy the whole address from the browser's address bar and paste it here (what you paste is not shown)."
    environment = detect_environment()
    if environment != LOCAL:
        return None, (
            f"This terminal runs on another computer than your browser ({environment}), so the kit cannot catch "
            f"Imgur's answer. After Allow your browser goes to {callback}, which may show \"This site can't be "
            f'reached" there: that is expected; {paste}'
        )
    parts = urlsplit(callback)
    if parts.scheme != "http" or parts.hostname not in ("localhost", "127.0.0.1") or not parts.port:
        return None, (
            f"Your app's callback is {callback}, not an address on this computer, so the kit cannot catch Imgur's "
            f"answer. After Allow your browser goes there; {paste} (If the app's callback is "
            f"{callback_url_for(CAPTURE_PORT)}, run login with --callback {callback_url_for(CAPTURE_PORT)}.)"
        )
    path = parts.path or CALLBACK_PATH
    capture = LoopbackCapture(parts.port, path=path, state=state)
    capture.done_text, capture.wrong_state_text, capture.hand_back_page = DONE_TEXT, WRONG_STATE_TEXT, HAND_BACK_TEXT
    try:
        capture.start()
    except OSError:
        return None, busy_port_advice(parts.port, path)
    minutes = round(capture.timeout / 60)
    return capture, (
        f'The kit listens on {capture.url} for Imgur\'s answer: after Allow your browser shows "{DONE_TEXT}" '
        f"and the sign-in goes on here by itself. If your app was registered with another callback, your browser "
        f"goes there instead (an address on this computer that nothing serves shows \"This site can't be "
        f'reached"): then {paste} The kit listens for {minutes} minutes; a paste works at any time. '
        "(Another callback? Run login with --callback URL.)"
    )


def wait_for_answer(capture: Optional[LoopbackCapture], prompt: str, stream: Any = None) -> str:
    """The address the browser ended on: caught by *capture*, or pasted at *prompt* (not echoed).

    Raises EOFError when the input ends and no answer can come any more.
    """
    stream = sys.stdin if stream is None else stream
    try:
        with _echo_off(stream):
            print(prompt, end="", flush=True)  # once echo is off: a paste right after the prompt stays unseen
            line = _first_answer(capture, stream)
    finally:
        if capture is not None:
            capture.stop()
    print()  # the person's Enter was not echoed either: end the prompt's line
    return line


def _first_answer(capture: Optional[LoopbackCapture], stream: Any) -> str:
    fd = _terminal(stream)
    if fd is not None and os.name != "nt":
        return _answer_at_a_terminal(capture, stream, fd)
    # Piped input (or a console select() cannot watch): lines as they come; at the input's end,
    # the browser's answer may still arrive while the listener runs.
    while True:
        line = stream.readline()
        if capture is not None and capture.result is not None:
            return capture.result
        if line.strip():
            return line.strip()
        if not line:
            if capture is not None and capture.running and capture.wait(capture.timeout) is not None:
                return capture.result or ""
            raise EOFError("the input ended before an address was pasted")


def _answer_at_a_terminal(capture: Optional[LoopbackCapture], stream: Any, fd: int) -> str:
    # A terminal hands over one line per read, so watching its descriptor misses nothing buffered.
    ended = False
    while True:
        if capture is not None and capture.result is not None:
            return capture.result
        listening = capture is not None and capture.running
        if ended:
            if not listening:
                raise EOFError("the input ended before an address was pasted")
            capture.wait(_LOOK_EVERY)  # type: ignore[union-attr]  # listening: not None
            continue
        ready, _, _ = select.select([fd], [], [], _LOOK_EVERY if listening else None)
        if not ready:
            continue
        line = stream.readline()
        if not line:
            ended = True
        elif line.strip():
            return line.strip()


def _terminal(stream: Any) -> Optional[int]:
    """The descriptor of *stream* when it is a terminal, else None."""
    try:
        fd = stream.fileno()
        return fd if os.isatty(fd) else None
    except (AttributeError, OSError, ValueError):
        return None


@contextlib.contextmanager
def _echo_off(stream: Any) -> Iterator[None]:
    """The terminal does not show what is typed or pasted (as getpass), then shows it again."""
    fd = _terminal(stream)
    try:
        import termios

        before = termios.tcgetattr(fd) if fd is not None else None
    except (ImportError, OSError):  # not POSIX, or not a terminal after all
        before = None
    if fd is None or before is None:
        yield
        return
    quiet = list(before)
    quiet[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSADRAIN, quiet)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, before)
