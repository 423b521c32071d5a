"""Trend buckets (domain/trend.py)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ksales.domain.periods import Period
from ksales.domain.results import DayTotals
from ksales.domain.trend import Granularity, bucket_points, bucket_start

# 2026-11-26 is a Thursday.
THURSDAY = date(2026, 11, 26)


def test_bucket_start() -> None:
    assert bucket_start(THURSDAY, Granularity.DAY) == THURSDAY
    assert bucket_start(THURSDAY, Granularity.WEEK) == date(2026, 11, 23)
    assert bucket_start(date(2026, 11, 23), Granularity.WEEK) == date(2026, 11, 23)
    assert bucket_start(date(2026, 11, 29), Granularity.WEEK) == date(2026, 11, 23)
    assert bucket_start(THURSDAY, Granularity.MONTH) == date(2026, 11, 1)


def test_every_bucket_is_there_with_zeros() -> None:
    period = Period.custom(date(2026, 11, 1), date(2026, 11, 3))
    points = bucket_points(period, [DayTotals(date(2026, 11, 2), 2, Decimal(300))], Granularity.DAY)
    assert [(p.date, p.orders, p.revenue) for p in points] == [
        (date(2026, 11, 1), 0, Decimal(0)),
        (date(2026, 11, 2), 2, Decimal(300)),
        (date(2026, 11, 3), 0, Decimal(0)),
    ]


def test_partial_buckets_are_labelled_by_their_first_day_inside_the_period() -> None:
    # Sunday 1 November is the tail of a week that began in October.
    period = Period.custom(date(2026, 11, 1), date(2026, 11, 10))
    daily = [
        DayTotals(date(2026, 10, 31), 9, Decimal(900)),  # outside the period: left out
        DayTotals(date(2026, 11, 1), 1, Decimal(100)),
        DayTotals(date(2026, 11, 2), 1, Decimal(200)),
        DayTotals(date(2026, 11, 8), 1, Decimal(50)),
        DayTotals(date(2026, 11, 10), 2, Decimal(70)),
    ]
    points = bucket_points(period, daily, Granularity.WEEK)
    assert [(p.date, p.orders, p.revenue) for p in points] == [
        (date(2026, 11, 1), 1, Decimal(100)),
        (date(2026, 11, 2), 2, Decimal(250)),
        (date(2026, 11, 9), 2, Decimal(70)),
    ]
    monthly = bucket_points(Period.custom(date(2026, 10, 15), date(2026, 11, 10)), daily, Granularity.MONTH)
    assert [(p.date, p.orders) for p in monthly] == [(date(2026, 10, 15), 9), (date(2026, 11, 1), 5)]


@given(
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    length=st.integers(0, 120),
    granularity=st.sampled_from(Granularity),
    revenues=st.lists(st.integers(0, 10_000), max_size=130),
)
def test_buckets_keep_every_order_of_the_period(
    start: date, length: int, granularity: Granularity, revenues: list[int]
) -> None:
    period = Period.custom(start, start + timedelta(days=length))
    daily = [DayTotals(start + timedelta(days=i), 1, Decimal(r)) for i, r in enumerate(revenues)]
    points = bucket_points(period, daily, granularity)
    inside = [d for d in daily if d.day in period]
    assert sum(p.orders for p in points) == len(inside)
    assert sum(p.revenue for p in points) == sum(d.revenue for d in inside)
    labels = [p.date for p in points]
    assert labels == sorted(set(labels))
    assert labels[0] == period.start
    assert all(d in period for d in labels)
