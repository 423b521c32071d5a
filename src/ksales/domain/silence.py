"""The silence alert (SPEC §7): no counted order for H hours while the weekday profile expects at least H.

The window is the last H hours, `(now − H, now]`, measured in real time (a DST change shifts the wall clock,
not the window) and it must lie wholly inside 09:00–21:00 local of one day. "Expects orders" is the
projection's 8-week weekday profile (SPEC §5): avg_orders(w) × (share(w, now) − share(w, now − H)), i.e.
the mean number of orders the same weekday of the last 8 complete weeks had in the same hours of the day.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from attrs import frozen

from ksales.domain.pace import WeekdayProfile

#: The hours of the day the silence is watched in (local time): shops sleep at night.
WATCH_FROM = time(9)
WATCH_UNTIL = time(21)


def window_start(now: datetime, hours: int) -> datetime:
    """`now` − H hours of real time, in `now`'s time zone."""
    return (now.astimezone(UTC) - timedelta(hours=hours)).astimezone(now.tzinfo)


def watched(now: datetime, hours: int) -> bool:
    """The whole window `(now − H, now]` lies inside 09:00–21:00 local of today."""
    start = window_start(now, hours)
    if start.date() != now.date():
        return False
    return start.time() >= WATCH_FROM and now.time() <= WATCH_UNTIL


def expected_orders(at_start: WeekdayProfile, at_now: WeekdayProfile, weekday: int) -> Decimal:
    """The profile's mean orders of `weekday` placed between the two cuts the profiles were taken at."""
    share = at_now.orders_share[weekday] - at_start.orders_share[weekday]
    return at_now.orders[weekday] * share


@frozen
class Silence:
    """What the silence alert says: how long, since when, and how many orders were expected in it."""

    hours: int
    since: datetime
    expected: Decimal


def starts(now: datetime, hours: int, orders_in_window: int, expected: Decimal, fresh: bool) -> bool:
    """A silence begins: fresh data, the window watched, no counted order in it, and ≥ H expected there.

    `fresh`: the store is known to be up to date (the sync succeeds); with stale data no order can arrive,
    and that is the sync alert's business, not a silence.
    """
    return fresh and watched(now, hours) and orders_in_window == 0 and expected >= hours


def persists(orders_since_start: int) -> bool:
    """A silence lasts until the first counted order placed after its window began (at any time of day)."""
    return orders_since_start == 0
