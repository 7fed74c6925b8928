"""What every handler needs: the state, the credits, the faults and the options."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from .credits import Credits
from .faults import Faults
from .state import State


@dataclass
class Context:
    """Shared by all request handlers of one sandbox."""

    state: State
    credits: Credits
    faults: Faults
    token_lifetime: int = 315360000
    expired_token_status: int = 403
    refresh_returns_refresh_token: bool = True
    rotate_refresh_tokens: bool = False
    #: A random key only this sandbox (and its 0600 address record) knows: with it the sandbox
    #: proves to a reader of the record that it is the one that wrote it (see site_pages.proof).
    proof_key: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)
