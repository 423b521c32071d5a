"""The silence alert's facts from the store: counted orders in a window, and what the profile expected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from ksales.domain.filters import Scope
from ksales.domain.pace import WeekdayProfile, cut_time, profile_weeks
from ksales.domain.rules import SalesType
from ksales.domain.silence import Silence, expected_orders, persists, starts, watched, window_start
from ksales.ports.store import SalesStore

_SECOND = timedelta(seconds=1)


class SilenceWatch:
    """Whether no counted order (any sales type) came for `hours` while the weekday profile expected some."""

    def __init__(self, store: SalesStore, timezone: tzinfo, hours: int) -> None:
        self.store = store
        self.timezone = timezone
        self.hours = hours

    def orders_between(self, start: datetime, end: datetime) -> int:
        """Counted orders placed in `(start, end]`, to the second, by their local time (any sales type)."""
        # The store counts orders placed before a local time of day on a scope's last day: [a, b) = b − a,
        # and (start, end] = [start + 1 s, end + 1 s) since the store keeps whole seconds.
        first = (start.astimezone(UTC).replace(microsecond=0) + _SECOND).astimezone(self.timezone)
        last = (end.astimezone(UTC).replace(microsecond=0) + _SECOND).astimezone(self.timezone)
        if last <= first:
            return 0
        day = first.date()
        upto = self.store.totals_until(Scope(day, last.date(), SalesType.ALL), cut_time(last)).orders
        before = self.store.totals_until(Scope(day, day, SalesType.ALL), cut_time(first)).orders
        return upto - before

    def begun(self, now: datetime, fresh: bool) -> Silence | None:
        """The silence that holds at `now`, with what was expected in it; None when there is none."""
        local = now.astimezone(self.timezone)
        start = window_start(local, self.hours)
        if not fresh or not watched(local, self.hours):
            return None  # stale data, or outside the watched hours: nothing to count
        if self.orders_between(start, local):
            return None
        weeks = profile_weeks(local.date())
        over = Scope(weeks.start, weeks.end, SalesType.ALL)
        whole = self.store.daily(over)
        at_start = WeekdayProfile.of(weeks, whole, self.store.daily_before(over, cut_time(start)))
        at_now = WeekdayProfile.of(weeks, whole, self.store.daily_before(over, cut_time(local)))
        expected = expected_orders(at_start, at_now, local.weekday())
        if not starts(local, self.hours, 0, expected, fresh):
            return None
        return Silence(self.hours, start, expected)

    def lasts(self, started_at: datetime, now: datetime) -> bool:
        """A silence told at `started_at` still holds: no counted order since its window began."""
        return persists(self.orders_between(window_start(started_at, self.hours), now))
