"""The sandbox's own files: one JSON state file plus one file per image.

Writes are atomic (a temporary file in the same folder, then ``os.replace``)
so a sandbox killed mid-write never leaves a half-written state behind, and a
restarted sandbox (notebook 02, then 03, then 04) finds what the last one made.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import warnings
from pathlib import Path
from typing import Optional

STATE_FILE = "sandbox-state.json"
IMAGES_DIR = "images"


class Store:
    """Reads and writes the state of one sandbox under ``directory``."""

    def __init__(self, directory: "str | os.PathLike[str]") -> None:
        # No I/O here: the folder is made on the first write.
        self.directory = Path(directory)

    @property
    def state_path(self) -> Path:
        """The JSON state file."""
        return self.directory / STATE_FILE

    def load(self) -> Optional[dict]:
        """The saved state, or None when there is none (or it was unreadable)."""
        try:
            text = self.state_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            return data
        except ValueError:
            # A sandbox is disposable: keep the bad file for inspection and
            # start afresh rather than refuse to run.
            backup = self.state_path.with_name(f"{STATE_FILE}.corrupt-{int(time.time())}")
            os.replace(self.state_path, backup)
            warnings.warn(f"The sandbox state file was unreadable; it was moved to {backup} "
                          "and the sandbox starts empty.", RuntimeWarning, stacklevel=2)
            return None

    def save(self, data: dict) -> None:
        """Write the state atomically."""
        self._atomic_write(self.state_path, json.dumps(data, indent=1, sort_keys=True).encode())

    def write_blob(self, image_id: str, content: bytes) -> None:
        """Keep an image's bytes."""
        self._atomic_write(self.directory / IMAGES_DIR / image_id, content)

    def read_blob(self, image_id: str) -> Optional[bytes]:
        """An image's bytes, or None when the file is gone."""
        try:
            return (self.directory / IMAGES_DIR / image_id).read_bytes()
        except FileNotFoundError:
            return None

    def delete_blob(self, image_id: str) -> None:
        """Forget an image's bytes."""
        try:
            (self.directory / IMAGES_DIR / image_id).unlink()
        except FileNotFoundError:
            pass

    @staticmethod
    def _atomic_write(path: Path, content: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
