"""Run-time faults, each one a behaviour reported of the live service.

A fault touches only the requests it would touch live (registration closed
only affects the addclient form; Error 1024 only the authorize page; the
newer 429 only the API), and ``times=N`` makes it clear itself after N hits,
so a test can show a client recovering from one bad answer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable, Optional


def _addclient(path: str) -> bool:
    return path.startswith("/oauth2/addclient")


def _authorize(path: str) -> bool:
    return path.startswith("/oauth2/authorize")


def _api(path: str) -> bool:
    return path.startswith("/3/")


def _everything(path: str) -> bool:
    return True


#: name -> (which paths it touches, default options)
FAULTS: dict[str, tuple] = {
    "registration-closed": (_addclient, {}),
    "error-1024": (_authorize, {}),
    "region-blocked": (_everything, {}),
    # form "html" (the cache's Varnish page) or "json" (a 403/500 envelope without request).
    "over-capacity": (_everything, {"status": 503, "form": "html"}),
    "rate-limited": (_api, {}),
    "slow": (_everything, {"seconds": 2.0}),
    "drop": (_everything, {}),
}


@dataclass
class Fault:
    """The fault in force: its name, options and how many hits are left."""

    name: str
    options: dict = field(default_factory=dict)
    times: Optional[int] = None


class Faults:
    """Holds at most one fault at a time; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Optional[Fault] = None

    def set(self, name: Optional[str], *, times: Optional[int] = None, **options) -> None:
        """Switch a fault on (None clears it)."""
        if name is None:
            with self._lock:
                self._current = None
            return
        if name not in FAULTS:
            raise ValueError(f"Unknown fault {name!r}; choose one of {', '.join(sorted(FAULTS))}, or None.")
        if times is not None and times < 1:
            raise ValueError("times must be a positive number of requests, or None for 'until cleared'.")
        merged = dict(FAULTS[name][1])
        merged.update(options)
        with self._lock:
            self._current = Fault(name, merged, times)

    def hit(self, path: str) -> Optional[Fault]:
        """The fault that applies to a request on ``path`` (counting it), or None."""
        with self._lock:
            fault = self._current
            if fault is None:
                return None
            applies: Callable[[str], bool] = FAULTS[fault.name][0]
            if not applies(path):
                return None
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self._current = None
            return fault
