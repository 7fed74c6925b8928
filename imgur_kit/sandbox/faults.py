"""Run-time faults, each one a behaviour reported of the live service, and each one row of ``FAULTS``.

A fault touches only the requests it would touch live (registration closed
only affects the addclient form; Error 1024 only the authorize page; the
newer 429 only the API), and ``times=N`` makes it clear itself after N hits,
so a test can show a client recovering from one bad answer. A new fault is a
row: which paths it touches, what it answers (in ``fault_pages.py``), and its
default options.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable, Optional

from . import fault_pages
from .fault_pages import Outcome
from .messages import Request


def _addclient(path: str) -> bool:
    return path.startswith("/oauth2/addclient")


def _authorize(path: str) -> bool:
    return path.startswith("/oauth2/authorize")


def _api(path: str) -> bool:
    return path.startswith("/3/")


def _everything(path: str) -> bool:
    return True


@dataclass(frozen=True)
class FaultKind:
    """One row of the fault table: the paths it touches, its answer, its default options."""

    touches: Callable[[str], bool]
    answer: Callable[[dict, Request], Outcome]
    defaults: dict = field(default_factory=dict)


FAULTS: dict[str, FaultKind] = {
    "registration-closed": FaultKind(_addclient, fault_pages.registration_closed),
    "error-1024": FaultKind(_authorize, fault_pages.error_1024),
    "region-blocked": FaultKind(_everything, fault_pages.region_blocked),
    # form "html" (the cache's Varnish page) or "json" (a 403/500 envelope without request).
    "over-capacity": FaultKind(_everything, fault_pages.over_capacity, {"status": 503, "form": "html"}),
    "rate-limited": FaultKind(_api, fault_pages.rate_limited),
    "slow": FaultKind(_everything, fault_pages.slow, {"seconds": 2.0}),
    "drop": FaultKind(_everything, fault_pages.drop),
}


@dataclass
class Fault:
    """The fault in force: its name, options and how many hits are left."""

    name: str
    options: dict = field(default_factory=dict)
    times: Optional[int] = None

    def answer(self, req: Request) -> Outcome:
        """What the request gets instead: an answer, None (the usual one), or ``fault_pages.DROP``."""
        return FAULTS[self.name].answer(self.options, req)


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
        merged = {**FAULTS[name].defaults, **options}
        with self._lock:
            self._current = Fault(name, merged, times)

    def hit(self, path: str) -> Optional[Fault]:
        """The fault that applies to a request on ``path`` (counting it), or None."""
        with self._lock:
            fault = self._current
            if fault is None or not FAULTS[fault.name].touches(path):
                return None
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    self._current = None
            return fault
