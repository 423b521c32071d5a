"""What is down right now: the dependencies ksales degrades around instead of dying (Telegram, KeyCRM).

A feature that loses its dependency marks it down with the reason and keeps retrying in the background;
the dashboard goes on serving and `/api/health` lists the reasons. Only a change of state is logged — one
line when something goes down, one when it is back — never one line per retry.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

from attrs import define, field, frozen

log = logging.getLogger(__name__)

TELEGRAM = "telegram"
KEYCRM = "keycrm"
SYNC = "sync"
STOCKS = "stocks"
RECONCILIATION = "reconciliation"


@define(eq=False)
class Health:
    """The components that are down, each with the latest reason. Safe to share between threads."""

    _down: dict[str, str] = field(factory=dict, init=False)
    _lock: threading.Lock = field(factory=threading.Lock, init=False)
    #: Components reported up or down at least once by this process (the rest are unknown yet).
    _seen: set[str] = field(factory=set, init=False)

    def down(self, component: str, reason: str) -> None:
        """`component` failed for `reason`; logged once when it goes down, not on every failed retry."""
        with self._lock:
            was_up = component not in self._down
            self._down[component] = reason
            self._seen.add(component)
        if was_up:
            log.warning("%s is down: %s (retrying in the background)", component, reason)

    def up(self, component: str) -> None:
        """`component` works (again); logged once when it comes back."""
        with self._lock:
            was_down = self._down.pop(component, None) is not None
            self._seen.add(component)
        if was_down:
            log.warning("%s is back", component)

    def is_up(self, component: str) -> bool:
        with self._lock:
            return component not in self._down

    def known(self, component: str) -> bool:
        """Whether `component` has been seen up or down since this process started."""
        with self._lock:
            return component in self._seen

    def reason(self, component: str) -> str | None:
        """Why `component` is down; None while it is up."""
        with self._lock:
            return self._down.get(component)

    def reasons(self) -> list[str]:
        """`component: reason` for everything that is down, by component name."""
        with self._lock:
            return [f"{name}: {reason}" for name, reason in sorted(self._down.items())]


@frozen
class Backoff:
    """Waits between retries: `first` seconds, doubling up to `cap`."""

    first: float
    cap: float

    def delays(self) -> Iterator[float]:
        delay = self.first
        while True:
            yield delay
            delay = min(delay * 2, self.cap)
