from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """The wall clock: the one place ksales reads the current time."""

    def now(self) -> datetime:
        return datetime.now(UTC)
