"""Customers who come back (SPEC §5 Cohorts, Segments): cohort months, segments, their figures.

The rules here are the reference: the in-memory store classifies with `segment_of` directly and the
DuckDB store's SQL mirrors it (the contract tests hold the two together).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from attrs import frozen

from ksales.domain.filters import Filters
from ksales.domain.money import round2
from ksales.domain.periods import Period

#: A recency beyond this (days) is lost, within `ACTIVE_DAYS` still active.
LOST_DAYS = 365
ACTIVE_DAYS = 60
#: At risk: the recency passes 1.5 × the customer's own interval, and at least this many days.
AT_RISK_FLOOR_DAYS = 30
MIN_MONTHS, MAX_MONTHS, DEFAULT_MONTHS = 1, 36, 12
TENTH = Decimal("0.1")


class Segment(StrEnum):
    """In the order of SPEC §5: the first rule that holds gives a customer's segment."""

    LOST = "lost"
    AT_RISK = "at_risk"
    CHAMPIONS = "champions"
    LOYAL = "loyal"
    PROMISING = "promising"
    FIRST_TIMER = "first_timer"
    ONE_TIME = "one_time"


def segment_of(orders: int, first_order: date, last_order: date, as_of: date) -> Segment:
    """The segment of a customer with `orders` counted orders between the two days, seen on `as_of`."""
    recency = (as_of - last_order).days
    if recency > LOST_DAYS:
        return Segment.LOST
    # R > 1.5 × (last − first) ÷ (F − 1), in whole numbers: 2R(F − 1) > 3(last − first).
    span = (last_order - first_order).days
    if orders >= 2 and recency > AT_RISK_FLOOR_DAYS and 2 * recency * (orders - 1) > 3 * span:
        return Segment.AT_RISK
    if orders >= 3:
        return Segment.CHAMPIONS if recency <= ACTIVE_DAYS else Segment.LOYAL
    if orders == 2:
        return Segment.PROMISING
    return Segment.FIRST_TIMER if recency <= ACTIVE_DAYS else Segment.ONE_TIME


def interval_days(orders: int, first_order: date, last_order: date) -> Decimal | None:
    """Days from first to last order ÷ (orders − 1), half-up to 2 decimals; None for one order."""
    if orders < 2:
        return None
    return round2(Decimal((last_order - first_order).days) / Decimal(orders - 1))


def median_days(values: Sequence[int]) -> Decimal | None:
    """The median (mean of the two middle values when even), half-up to 1 decimal; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        value = Decimal(ordered[middle])
    else:
        value = Decimal(ordered[middle - 1] + ordered[middle]) / 2
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_after(cohort: date, day: date) -> int:
    """How many calendar months `day` falls after the month of `cohort` (0 = the same month)."""
    return (day.year - cohort.year) * 12 + day.month - cohort.month


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def cohort_months(end: date, months: int) -> list[date]:
    """The first days of the `months` calendar months ending with the month of `end`, oldest first."""
    last = month_start(end)
    return [add_months(last, -back) for back in range(months - 1, -1, -1)]


# --- What the store aggregates ---------------------------------------------------------------


@frozen
class CohortCell:
    """Customers of the cohort (its first month) active in month `k` after it, and their revenue."""

    cohort: date
    k: int
    active: int
    revenue: Decimal


@frozen
class CohortFacts:
    sizes: tuple[tuple[date, int], ...]
    cells: tuple[CohortCell, ...]


@frozen
class SegmentTotals:
    """A segment's customers, their revenue to date and the sums of their orders and recencies."""

    segment: Segment
    customers: int
    revenue: Decimal
    orders: int
    recency_days: int


@frozen
class CustomerFacts:
    """One buyer's counted orders up to a day, with the contacts of the latest order seen."""

    buyer_id: int
    name: str | None
    phone: str | None
    email: str | None
    orders: int
    revenue: Decimal
    first_order: date
    last_order: date

    def __repr__(self) -> str:  # contacts stay out of logs and tracebacks
        return f"CustomerFacts(buyer_id={self.buyer_id}, orders={self.orders})"


# --- The reports -----------------------------------------------------------------------------


@frozen
class CohortMonth:
    k: int
    active: int
    retention_pct: Decimal
    revenue: Decimal


@frozen
class Cohort:
    month: str
    size: int
    months: tuple[CohortMonth, ...]


@frozen
class CohortReport:
    period: Period
    filters: Filters
    cohorts: tuple[Cohort, ...]
    time_to_second_purchase_days: Decimal | None


@frozen
class SegmentRow:
    segment: Segment
    customers: int
    revenue: Decimal
    avg_orders: Decimal
    avg_recency_days: Decimal


@frozen
class SegmentReport:
    period: Period
    filters: Filters
    segments: tuple[SegmentRow, ...]
    #: At risk at the period's end, not at risk the day before it began.
    moved_to_at_risk: int


@frozen
class CustomerRow:
    buyer_id: int
    name: str | None
    phone: str | None
    email: str | None
    orders: int
    revenue: Decimal
    first_order: date
    last_order: date
    recency_days: int
    interval_days: Decimal | None

    def __repr__(self) -> str:  # contacts stay out of logs and tracebacks
        return f"CustomerRow(buyer_id={self.buyer_id}, orders={self.orders})"


@frozen
class CustomerList:
    period: Period
    filters: Filters
    segment: Segment | None
    limit: int
    customers: tuple[CustomerRow, ...]
