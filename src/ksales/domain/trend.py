"""Trend buckets: how a period's daily figures are grouped into days, weeks or months."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from ksales.domain.money import ZERO
from ksales.domain.periods import Period
from ksales.domain.results import DayTotals, TrendPoint


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def bucket_start(day: date, granularity: Granularity) -> date:
    """The first day of the day/week (Monday)/month bucket holding `day`."""
    match granularity:
        case Granularity.DAY:
            return day
        case Granularity.WEEK:
            return day - timedelta(days=day.weekday())
        case Granularity.MONTH:
            return day.replace(day=1)


def bucket_points(
    period: Period, daily: Iterable[DayTotals], granularity: Granularity
) -> tuple[TrendPoint, ...]:
    """Every bucket of the period, zeros included, labelled by its first date inside the period."""
    revenue: dict[date, Decimal] = {}
    orders: dict[date, int] = {}
    for day in period.dates():
        label = max(bucket_start(day, granularity), period.start)
        revenue.setdefault(label, ZERO)
        orders.setdefault(label, 0)
    for row in daily:
        if row.day in period:
            label = max(bucket_start(row.day, granularity), period.start)
            revenue[label] += row.revenue
            orders[label] += row.orders
    return tuple(TrendPoint(label, revenue[label], orders[label]) for label in sorted(revenue))
