"""The Client ID and Client Secret as one frozen value.

Pasted text is cleaned (:mod:`imgur_kit.pasted`), the secret is masked in ``repr``,
format oddities only warn, and values that cannot be sent in a header are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from imgur_kit.pasted import HEX15 as _HEX15
from imgur_kit.pasted import HEX40 as _HEX40
from imgur_kit.pasted import checked_client_id, checked_secret
from imgur_kit.tokens import mask
from imgur_kit.wording import counted


@dataclass(frozen=True, repr=False)
class Credentials:
    """An application's Client ID and (optional) Client Secret.

    Values are cleaned as pasted text; an empty Client ID is a :class:`CredentialsError`.
    ``repr`` shows the Client ID (not secret: it travels in every request) and masks the secret.
    """

    client_id: str
    client_secret: Optional[str] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "client_id", checked_client_id(self.client_id))
        object.__setattr__(self, "client_secret", checked_secret(self.client_secret))

    def warnings(self) -> list:
        """Sentences about values that do not look like Imgur's usual format. Never refuses."""
        found = []
        if not _HEX15.match(self.client_id):
            found.append(
                f"The Client ID has {counted(len(self.client_id), 'character')}; Imgur's are usually 15 lowercase "
                "hexadecimal characters (0-9, a-f). If calls fail with 'Invalid client_id', copy it again."
            )
        if self.client_secret is None:
            found.append(
                "No Client Secret was given: anonymous calls work, but authorizing and refreshing tokens need it."
            )
        elif not _HEX40.match(self.client_secret):
            found.append(
                f"The Client Secret has {counted(len(self.client_secret), 'character')}; Imgur's are usually 40 "
                "hexadecimal characters. If refreshing fails, copy it again (or generate a new one)."
            )
        if self.client_secret and self.client_secret == self.client_id:
            found.append("The Client ID and Client Secret are the same value; one was probably pasted twice.")
        return found

    def __repr__(self) -> str:
        secret = f"'{mask(self.client_secret)}'" if self.client_secret else "None"
        # A Client ID is not secret, but a long odd value may be something pasted in the wrong field.
        client_id = repr(self.client_id) if len(self.client_id) < 24 else f"'{mask(self.client_id)}'"
        return f"Credentials(client_id={client_id}, client_secret={secret})"

    __str__ = __repr__
