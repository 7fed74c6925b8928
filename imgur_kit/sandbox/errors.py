"""The sandbox's one exception: something about its port or its state folder stops it.

It is an ``OSError`` (a port and a folder are operating-system resources), so a
command line that reports ``OSError`` as a sentence reports these too; each
message is one sentence that says what happened and what to do.
"""

from __future__ import annotations


class SandboxError(OSError):
    """The sandbox cannot start or keep its state; ``str()`` says what to do."""

    def __str__(self) -> str:
        # OSError's own __str__ would print "[Errno ...]" forms; ours is the sentence.
        return str(self.args[0]) if self.args else "The sandbox could not start."


class SandboxPortError(SandboxError, ValueError):
    """The port is not a port number (also a ``ValueError``), or it is taken."""


class StateFolderWarning(UserWarning):
    """The sandbox's state folder can be changed by other users (the warning's text says how to fix it)."""
