"""What every handler needs: the state, the credits, the faults and the options."""

from __future__ import annotations

from dataclasses import dataclass

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
