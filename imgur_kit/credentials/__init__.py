"""Client credentials: the value, where it is kept, and the one place that decides which to use.

- :mod:`.values`: :class:`Credentials`, a frozen value (pasted text cleaned, the secret
  masked in ``repr``).
- :mod:`.files`: the config folder and the one atomic, private writer every file of the
  kit goes through (0600, fsynced, renamed into place, locked across processes).
- :mod:`.store`: :class:`CredentialStore`, one JSON file per kind (live, sandbox) with
  named profiles inside.
- :mod:`.lookup`: :func:`resolve`, the lookup order (argument, environment, file, nothing).

Every name is importable from here, as ``from imgur_kit.credentials import Credentials``.
"""

from __future__ import annotations

from imgur_kit.credentials.files import FolderPermissionWarning, config_dir, display_path, locked, write_private_file
from imgur_kit.credentials.lookup import Resolved, resolve
from imgur_kit.credentials.store import CorruptStoreWarning, CredentialStore, StoredProfile
from imgur_kit.credentials.values import Credentials
from imgur_kit.pasted import clean_pasted

__all__ = [
    "CorruptStoreWarning",
    "CredentialStore",
    "Credentials",
    "FolderPermissionWarning",
    "Resolved",
    "StoredProfile",
    "clean_pasted",
    "config_dir",
    "display_path",
    "locked",
    "resolve",
    "write_private_file",
]
