"""Cohorts, segments and the customer list of the hand-worked shop (tests/customer_shop.py), both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.domain.customers import Segment
from ksales.domain.errors import InvalidParameter
from ksales.domain.filters import Filters
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.periods import Period
from ksales.domain.rules import SalesType
from ksales.ports.store import OrderChanges, SalesStore
from ksales.services.analytics import AnalyticsService
from ksales.services.params import ReportRequest
from tests.customer_shop import CUSTOMER_ORDERS, NOVEMBER
from tests.shop import DICTIONARIES, NOW, RULES


@pytest.fixture(params=["memory", "duckdb"])
def analytics(request: pytest.FixtureRequest) -> Iterator[AnalyticsService]:
    store: SalesStore = (
        InMemorySalesStore(RULES) if request.param == "memory" else DuckDbSalesStore(None, RULES)
    )
    store.save_dictionaries(DICTIONARIES)
    store.apply(OrderChanges(CUSTOMER_ORDERS))
    yield AnalyticsService(store, RULES, MilestoneConfig(), FixedClock(NOW))
    store.close()


def november(**filters: object) -> ReportRequest:
    return ReportRequest(NOVEMBER, Filters(**filters))  # type: ignore[arg-type]


def grid(analytics: AnalyticsService, request: ReportRequest, months: int = 3) -> list[tuple[object, ...]]:
    report = analytics.cohorts(request, months)
    return [
        (c.month, c.size, [(m.k, m.active, m.retention_pct, m.revenue) for m in c.months])
        for c in report.cohorts
    ]


def test_retail_cohorts_of_the_hand_worked_shop(analytics: AnalyticsService) -> None:
    d = Decimal
    assert grid(analytics, november()) == [
        ("2026-09", 2, [(0, 2, d(100), d(150)), (1, 1, d(50), d(200)), (2, 1, d(50), d(300))]),
        # E's first order (October, B2B) makes the cohort, though retail sees it only in November
        ("2026-10", 2, [(0, 1, d(50), d(100)), (1, 1, d(50), d(40))]),
        ("2026-11", 2, [(0, 2, d(100), d(90))]),
    ]


def test_cohort_sizes_take_no_filter_but_activity_does(analytics: AnalyticsService) -> None:
    d = Decimal
    assert grid(analytics, november(sales_type=SalesType.B2B), 2) == [
        ("2026-10", 2, [(0, 1, d(50), d(1000)), (1, 0, d(0), d(0))]),
        ("2026-11", 2, [(0, 0, d(0), d(0))]),
    ]
    assert grid(analytics, november(source_id=2), 1) == [("2026-11", 2, [(0, 0, d(0), d(0))])]


def test_a_period_ending_mid_month_cuts_the_activity_at_its_end(analytics: AnalyticsService) -> None:
    d = Decimal
    request = ReportRequest(Period.custom(date(2026, 11, 1), date(2026, 11, 12)))
    # by 12 Nov: A has not come back yet, D has not bought (15 Nov), F once (5 Nov)
    assert grid(analytics, request) == [
        ("2026-09", 2, [(0, 2, d(100), d(150)), (1, 1, d(50), d(200)), (2, 0, d(0), d(0))]),
        ("2026-10", 2, [(0, 1, d(50), d(100)), (1, 1, d(50), d(40))]),
        ("2026-11", 1, [(0, 1, d(100), d(10))]),
    ]


def test_time_to_second_purchase_is_the_median_over_second_orders_in_the_period(
    analytics: AnalyticsService,
) -> None:
    # E: 15 Oct → 10 Nov (26 days, B2B then retail: every sales type counts); F: 5 → 26 Nov (21 days).
    # A's and C's second orders fell in October (C's on its first day).
    assert analytics.cohorts(november()).time_to_second_purchase_days == Decimal("23.5")
    october = ReportRequest(Period.custom(date(2026, 10, 1), date(2026, 10, 31)))
    # A: 5 Sep → 10 Oct (35 days); C: two orders on 3 Oct (0 days)
    assert analytics.cohorts(october).time_to_second_purchase_days == Decimal("17.5")
    september = ReportRequest(Period.custom(date(2026, 9, 1), date(2026, 9, 30)))
    assert analytics.cohorts(september).time_to_second_purchase_days is None


def test_twelve_cohorts_by_default_and_the_months_bounds(analytics: AnalyticsService) -> None:
    report = analytics.cohorts(november())
    assert [c.month for c in report.cohorts][:2] == ["2025-12", "2026-01"]
    assert [len(c.months) for c in report.cohorts] == list(range(12, 0, -1))
    assert analytics.cohorts(november(), 36).cohorts[0].month == "2023-12"
    for months in (0, 37):
        with pytest.raises(InvalidParameter):
            analytics.cohorts(november(), months)


def test_retail_segments_as_of_the_period_end(analytics: AnalyticsService) -> None:
    rows = {
        r.segment: (r.customers, r.revenue, r.avg_orders, r.avg_recency_days)
        for r in analytics.segments(november()).segments
    }
    d = Decimal
    assert list(rows) == list(Segment)
    assert rows == {
        Segment.LOST: (0, d(0), d(0), d(0)),
        Segment.AT_RISK: (1, d(100), d(2), d(58)),
        Segment.CHAMPIONS: (1, d(600), d(3), d(10)),
        Segment.LOYAL: (0, d(0), d(0), d(0)),
        Segment.PROMISING: (1, d(20), d(2), d(4)),
        Segment.FIRST_TIMER: (2, d(110), d(1), d("17.5")),
        Segment.ONE_TIME: (1, d(50), d(1), d(71)),
    }


def test_customers_who_moved_to_at_risk_in_the_period(analytics: AnalyticsService) -> None:
    # C (two orders on 3 Oct) was 28 days away on 31 Oct (under the 30-day floor), 58 days on 30 Nov
    assert analytics.segments(november()).moved_to_at_risk == 1
    october = ReportRequest(Period.custom(date(2026, 10, 1), date(2026, 10, 31)))
    # on 31 Oct: B (one order) is never at risk; A came back on 10 Oct; nobody else has two orders yet
    assert analytics.segments(october).moved_to_at_risk == 0
    december = ReportRequest(Period.custom(date(2026, 12, 1), date(2026, 12, 31)))
    # by 31 Dec: F (5 and 26 Nov) is 35 days away, over 1.5 × 21; A (41 days, under 1.5 × 38) is not;
    # C was at risk already on 30 Nov
    assert analytics.segments(december).moved_to_at_risk == 1


def test_segments_follow_the_sales_type_only(analytics: AnalyticsService) -> None:
    every = {r.segment: r.customers for r in analytics.segments(november(sales_type=SalesType.ALL)).segments}
    assert every[Segment.PROMISING] == 2  # E: 15 Oct and 10 Nov
    assert every[Segment.FIRST_TIMER] == 1
    by_source = analytics.segments(november(source_id=2)).segments
    assert by_source == analytics.segments(november()).segments


def test_the_customer_list_by_revenue_with_the_latest_contacts(analytics: AnalyticsService) -> None:
    listed = analytics.customer_list(november())
    assert [(c.buyer_id, c.revenue) for c in listed.customers] == [
        (1, 600),
        (3, 100),
        (4, 70),
        (2, 50),
        (5, 40),
        (6, 20),
    ]
    (c,) = analytics.customer_list(november(), Segment.AT_RISK).customers
    assert (c.name, c.phone, c.email) == ("Buyer C", "380670000333", "c@example.com")  # the canceled order's
    assert (c.orders, c.first_order, c.last_order, c.recency_days) == (
        2,
        date(2026, 10, 3),
        date(2026, 10, 3),
        58,
    )
    assert c.interval_days == Decimal(0)
    assert "380670000333" not in repr(c)
    assert [c.buyer_id for c in analytics.customer_list(november(), limit=2).customers] == [1, 3]
    assert analytics.customer_list(november(), Segment.LOYAL).customers == ()
