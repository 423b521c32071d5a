"""Cohort retention, segments and the customer list (SPEC §5, §6), from the store's customer queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from attrs import evolve

from ksales.domain.customers import (
    DEFAULT_MONTHS,
    MAX_MONTHS,
    MIN_MONTHS,
    Cohort,
    CohortMonth,
    CohortReport,
    CustomerList,
    CustomerRow,
    Segment,
    SegmentReport,
    SegmentRow,
    cohort_months,
    interval_days,
    months_after,
)
from ksales.domain.errors import InvalidParameter
from ksales.domain.filters import Filters, Scope
from ksales.domain.money import ZERO, average, percent
from ksales.domain.periods import Period
from ksales.ports.store import SalesStore
from ksales.services.params import parse_limit

#: Rows of the customer list: its default and its maximum (a calling list, not an export of everyone).
LIST_DEFAULT, LIST_MAXIMUM = 50, 500


def parse_months(value: str | None) -> int:
    """`months`: how many cohorts, 1–36 (default 12)."""
    return parse_limit(value, default=DEFAULT_MONTHS, maximum=MAX_MONTHS, name="months")


def parse_segment(value: str | None) -> Segment | None:
    if value is None or not value.strip():
        return None
    try:
        return Segment(value.strip().lower())
    except ValueError:
        names = ", ".join(s.value for s in Segment)
        raise InvalidParameter("segment", f"segment must be one of {names}") from None


def parse_list_limit(value: str | None) -> int:
    return parse_limit(value, default=LIST_DEFAULT, maximum=LIST_MAXIMUM)


def checked_months(months: int) -> int:
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise InvalidParameter("months", f"months must be an integer from {MIN_MONTHS} to {MAX_MONTHS}")
    return months


def checked_limit(limit: int) -> int:
    if not 1 <= limit <= LIST_MAXIMUM:
        raise InvalidParameter("limit", f"limit must be an integer from 1 to {LIST_MAXIMUM}")
    return limit


def cohorts(store: SalesStore, period: Period, filters: Filters, scope: Scope, months: int) -> CohortReport:
    """The `months` cohorts ending with the period's end month; activity up to the period's end."""
    first = cohort_months(period.end, months)[0]
    facts = store.cohort_facts(evolve(scope, start=first, end=period.end))
    cells = {(c.cohort, c.k): c for c in facts.cells}
    sizes = dict(facts.sizes)
    rows = []
    for month in cohort_months(period.end, months):
        size = sizes.get(month, 0)
        row = []
        for k in range(months_after(month, period.end) + 1):
            cell = cells.get((month, k))
            active = cell.active if cell else 0
            row.append(CohortMonth(k, active, percent(active, size), cell.revenue if cell else ZERO))
        rows.append(Cohort(month.strftime("%Y-%m"), size, tuple(row)))
    median = store.time_to_second_order(period.start, period.end)
    return CohortReport(period, filters, tuple(rows), median)


def segments(store: SalesStore, period: Period, filters: Filters) -> SegmentReport:
    """Every segment as of the period's end, under the sales type filter only."""
    rows = tuple(
        SegmentRow(
            t.segment,
            t.customers,
            t.revenue,
            average(Decimal(t.orders), t.customers),
            average(Decimal(t.recency_days), t.customers),
        )
        for t in store.segment_totals(period.end, filters.sales_type)
    )
    moved = store.customers_entering(
        Segment.AT_RISK, period.start - timedelta(days=1), period.end, filters.sales_type
    )
    return SegmentReport(period, filters, rows, moved)


def customer_list(
    store: SalesStore, period: Period, filters: Filters, segment: Segment | None, limit: int
) -> CustomerList:
    as_of = period.end
    rows = tuple(
        CustomerRow(
            f.buyer_id,
            f.name,
            f.phone,
            f.email,
            f.orders,
            f.revenue,
            f.first_order,
            f.last_order,
            (as_of - f.last_order).days,
            interval_days(f.orders, f.first_order, f.last_order),
        )
        for f in store.customer_facts(as_of, filters.sales_type, segment, limit)
    )
    return CustomerList(period, filters, segment, limit, rows)
