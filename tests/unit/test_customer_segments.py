"""The segment rules of SPEC §5 at every boundary, and the small helpers beside them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ksales.domain.customers import (
    Segment,
    cohort_months,
    interval_days,
    median_days,
    months_after,
    segment_of,
)

AS_OF = date(2026, 11, 30)


def seen(orders: int, recency: int, span: int = 0) -> Segment:
    """The segment of a customer with `orders` orders over `span` days, the last `recency` days ago."""
    last = AS_OF - timedelta(days=recency)
    return segment_of(orders, last - timedelta(days=span), last, AS_OF)


@pytest.mark.parametrize(
    ("orders", "recency", "span", "expected"),
    [
        # R = 60 / 61: active or not, for one and for three orders
        (1, 60, 0, Segment.FIRST_TIMER),
        (1, 61, 0, Segment.ONE_TIME),
        (3, 60, 200, Segment.CHAMPIONS),
        (3, 61, 200, Segment.LOYAL),
        # R = 365 / 366: lost, whatever else holds
        (1, 365, 0, Segment.ONE_TIME),
        (1, 366, 0, Segment.LOST),
        (3, 365, 600, Segment.LOYAL),
        (3, 366, 600, Segment.LOST),
        (2, 366, 0, Segment.LOST),
        # F = 1 / 2 / 3 while recent and within their interval
        (1, 0, 0, Segment.FIRST_TIMER),
        (2, 10, 100, Segment.PROMISING),
        (3, 10, 100, Segment.CHAMPIONS),
        # 1.5 × interval above the 30-day floor: I = 40 → at risk after 60 days
        (2, 60, 40, Segment.PROMISING),
        (2, 61, 40, Segment.AT_RISK),
        # I = 50 (3 orders over 100 days) → 75
        (3, 75, 100, Segment.LOYAL),
        (3, 76, 100, Segment.AT_RISK),
        # a fractional threshold: I = 21 → 31.5
        (2, 31, 21, Segment.PROMISING),
        (2, 32, 21, Segment.AT_RISK),
        # the floor: I = 10 → 15, but never at risk within 30 days
        (2, 30, 10, Segment.PROMISING),
        (2, 31, 10, Segment.AT_RISK),
        (3, 30, 20, Segment.CHAMPIONS),
        (3, 31, 20, Segment.AT_RISK),
        # two orders on one day: I = 0, so the floor alone decides
        (2, 30, 0, Segment.PROMISING),
        (2, 31, 0, Segment.AT_RISK),
        # one order is never at risk
        (1, 200, 0, Segment.ONE_TIME),
    ],
)
def test_segment_rules_at_every_boundary(orders: int, recency: int, span: int, expected: Segment) -> None:
    assert seen(orders, recency, span) is expected


def test_every_customer_falls_in_exactly_one_segment_in_spec_order() -> None:
    assert [s.value for s in Segment] == [
        "lost",
        "at_risk",
        "champions",
        "loyal",
        "promising",
        "first_timer",
        "one_time",
    ]
    found = {seen(f, r, s) for f in (1, 2, 3, 7) for r in range(0, 400, 7) for s in (0, 13, 90, 500)}
    assert found == set(Segment)


def test_interval_is_days_between_first_and_last_over_orders_minus_one() -> None:
    assert interval_days(1, AS_OF, AS_OF) is None
    assert interval_days(3, date(2026, 1, 1), date(2026, 1, 22)) == Decimal("10.50")
    assert interval_days(4, date(2026, 1, 1), date(2026, 1, 2)) == Decimal("0.33")


def test_median_is_the_middle_or_the_mean_of_the_two_middle_values() -> None:
    assert median_days([]) is None
    assert median_days([7]) == Decimal("7.0")
    assert median_days([9, 1, 4]) == Decimal("4.0")
    assert median_days([26, 21]) == Decimal("23.5")


def test_cohort_months_end_with_the_month_of_the_end() -> None:
    assert cohort_months(date(2026, 2, 15), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert cohort_months(date(2026, 2, 28), 1) == [date(2026, 2, 1)]
    assert months_after(date(2025, 12, 31), date(2026, 1, 1)) == 1
    assert months_after(date(2026, 1, 1), date(2026, 1, 31)) == 0
