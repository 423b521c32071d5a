from __future__ import annotations

from datetime import datetime, timedelta

from attrs import define


@define
class FixedClock:
    """A clock that says what it is told; `advance` moves it."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant

    def advance(self, delta: timedelta) -> None:
        self.instant = self.instant + delta
