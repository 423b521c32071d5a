"""When scheduled work is due (domain/schedule.py)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ksales.domain.schedule import FULL_SYNC_EVERY, WeeklySlot, full_sync_due

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def test_a_first_full_sync_is_always_due() -> None:
    assert full_sync_due(None, NOW)


def test_a_full_sync_is_due_a_week_after_the_last() -> None:
    assert timedelta(days=7) == FULL_SYNC_EVERY
    assert not full_sync_due(NOW - timedelta(days=6, hours=23, minutes=59), NOW)
    assert full_sync_due(NOW - timedelta(days=7), NOW)
    assert full_sync_due(NOW - timedelta(days=30), NOW)
    assert not full_sync_due(NOW + timedelta(minutes=5), NOW)  # a clock that stepped back


def test_due_compares_instants_not_wall_clocks() -> None:
    # 14:00 Kyiv (UTC+2) a week ago is 12:00 UTC: exactly due.
    last = datetime(2026, 11, 19, 14, tzinfo=ZoneInfo("Europe/Kyiv"))
    assert full_sync_due(last, NOW)
    assert not full_sync_due(last + timedelta(seconds=1), NOW)


def test_weekly_slot() -> None:
    slot = WeeklySlot(0, time(9, 0))
    assert str(slot) == "mon 09:00"
    assert str(WeeklySlot(6, time(18, 30))) == "sun 18:30"
    with pytest.raises(ValueError, match="weekday"):
        WeeklySlot(7, time(9, 0))
