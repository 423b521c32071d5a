"""Same time of day and the projection to a running period's end (SPEC §5)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from attrs import frozen

from ksales.domain.model import Order
from ksales.domain.money import ZERO, round2
from ksales.domain.periods import Period, PeriodKind

if TYPE_CHECKING:  # results.py holds a Projection in its Summary
    from ksales.domain.results import DayTotals, Totals

#: The complete Monday–Sunday weeks before the current one that the weekday profile averages.
PROFILE_WEEKS = 8
#: Periods that run to the end of a unit (the day, the Sunday, the month's last day).
RUNNING = frozenset({PeriodKind.TODAY, PeriodKind.WEEK, PeriodKind.MONTH})


def cut_time(now: datetime) -> time:
    """The local time of day a period ending today stops at: `now` to the second."""
    return now.time().replace(microsecond=0, tzinfo=None)


def seconds_of_day(moment: time) -> int:
    """Seconds since local midnight: how the store compares an order's time of day with a cut."""
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def local_seconds(order: Order, timezone: tzinfo) -> int:
    """The order's local time of day (`ordered_at`, else `created_at`) in seconds since midnight."""
    return seconds_of_day(order.placed_at.astimezone(timezone).time())


def until_label(until: time | None) -> str | None:
    """The comparison's `until`, to the minute (`"10:42"`)."""
    return None if until is None else f"{until.hour:02d}:{until.minute:02d}"


def unit_end(period: Period) -> date | None:
    """The last day of the unit a running period belongs to; None for any other period."""
    match period.kind:
        case PeriodKind.TODAY:
            return period.end
        case PeriodKind.WEEK:
            return period.start + timedelta(days=6)
        case PeriodKind.MONTH:
            end = period.start
            return end.replace(day=calendar.monthrange(end.year, end.month)[1])
        case _:
            return None


def profile_weeks(today: date) -> Period:
    """The 8 complete Monday–Sunday weeks before the week of `today`."""
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7 * PROFILE_WEEKS), monday - timedelta(days=1))


@frozen
class Projection:
    """The expected revenue and orders at the end of the running period's unit."""

    revenue: Decimal
    orders: int


@frozen
class WeekdayProfile:
    """Per weekday (Monday = 0): the mean day and the part of it placed before the cut."""

    revenue: tuple[Decimal, ...]
    orders: tuple[Decimal, ...]
    revenue_share: tuple[Decimal, ...]
    orders_share: tuple[Decimal, ...]

    @classmethod
    def of(cls, weeks: Period, whole: Iterable[DayTotals], before: Iterable[DayTotals]) -> WeekdayProfile:
        """The profile of the days of `weeks` from their whole totals and their totals before the cut."""
        counts = [0] * 7
        for day in weeks.dates():
            counts[day.weekday()] += 1
        revenue, orders = [ZERO] * 7, [ZERO] * 7
        early_revenue, early_orders = [ZERO] * 7, [ZERO] * 7
        for row in whole:
            if row.day in weeks:
                revenue[row.day.weekday()] += row.revenue
                orders[row.day.weekday()] += row.orders
        for row in before:
            if row.day in weeks:
                early_revenue[row.day.weekday()] += row.revenue
                early_orders[row.day.weekday()] += row.orders

        def share(part: Decimal, total: Decimal) -> Decimal:
            return part / total if total else ZERO

        return cls(
            revenue=tuple(r / counts[w] if counts[w] else ZERO for w, r in enumerate(revenue)),
            orders=tuple(o / counts[w] if counts[w] else ZERO for w, o in enumerate(orders)),
            revenue_share=tuple(share(early_revenue[w], revenue[w]) for w in range(7)),
            orders_share=tuple(share(early_orders[w], orders[w]) for w in range(7)),
        )


def project(so_far: Totals, today: date, end: date, profile: WeekdayProfile) -> Projection:
    """So far + the rest of today by the profile's intraday share + the mean of each later day's weekday."""
    w = today.weekday()
    revenue = so_far.revenue + profile.revenue[w] * (1 - profile.revenue_share[w])
    orders = Decimal(so_far.orders) + profile.orders[w] * (1 - profile.orders_share[w])
    day = today + timedelta(days=1)
    while day <= end:
        revenue += profile.revenue[day.weekday()]
        orders += profile.orders[day.weekday()]
        day += timedelta(days=1)
    return Projection(round2(revenue), int(orders.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
