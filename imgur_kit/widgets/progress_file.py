"""Where the account checklist remembers which steps are done.

A tiny JSON file (``account-progress.json``) in the kit's config folder, written
like the credentials store: folder 0700, file 0600, atomically (a temporary file
in the same folder, then ``os.replace``), so a crash never leaves half a file.
It holds only step keys, nothing secret.

Design note: design.md wants file I/O in ``credentials.py`` only. The core has no
general progress store yet; this class is the smallest stand-in and should move
there (as ``credentials.ProgressStore``) when the core grows one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from imgur_kit.credentials import config_dir

FILE_NAME = "account-progress.json"


class ProgressFile:
    """Load and save a set of done step keys. ``ProgressFile(directory)`` does no I/O."""

    def __init__(self, directory: Path | str | None = None):
        self._directory = Path(directory) if directory is not None else None

    @property
    def path(self) -> Path:
        """The file's path; the folder defaults to :func:`imgur_kit.credentials.config_dir`."""
        return (self._directory if self._directory is not None else config_dir()) / FILE_NAME

    def load(self) -> set[str]:
        """The keys saved so far; an absent or unreadable file counts as no progress
        (progress is a convenience: losing it must never stop anyone)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        done = data.get("done", []) if isinstance(data, dict) else []
        return {key for key in done if isinstance(key, str)}

    def save(self, done) -> Path:
        """Write *done* (an iterable of step keys) and return the file's path."""
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(path.parent, 0o700)
        except OSError:
            pass  # a folder we do not own (e.g. a shared override) still works
        fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"done": sorted(set(done))}, handle, indent=1)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return path
