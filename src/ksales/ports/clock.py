from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Where the current time comes from (the only `now()` lives in the real adapter)."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...
