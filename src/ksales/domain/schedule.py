"""When scheduled work is due: the weekly full sync, the weekly report's slot."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from attrs import field, frozen

#: Deletions in KeyCRM are only found by full syncs: one runs this often while serving.
FULL_SYNC_EVERY = timedelta(days=7)

#: Weekday names as KSALES_WEEKLY_REPORT writes them, Monday first (`date.weekday()` order).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def full_sync_due(last_full: datetime | None, now: datetime) -> bool:
    """A full sync is due when there was none yet or the last one is FULL_SYNC_EVERY old."""
    return last_full is None or now - last_full >= FULL_SYNC_EVERY


def _weekday(instance: object, attribute: object, value: int) -> None:
    if not 0 <= value <= 6:
        raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {value}")


@frozen
class WeeklySlot:
    """A weekday (0 = Monday) and a shop-local time of day, e.g. Monday 09:00."""

    weekday: int = field(validator=_weekday)
    at: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"
