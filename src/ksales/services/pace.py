"""The pace of a running period: same-time cuts, the projection and the month's goal (SPEC §5).

Plain functions over the store, used by `AnalyticsService.summary` and `AnalyticsService.goals`; the goals
admins change go through `GoalService`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from attrs import evolve, frozen

from ksales.domain.errors import InvalidParameter
from ksales.domain.filters import Filters, Scope
from ksales.domain.goals import (
    GoalSource,
    GoalStatus,
    MonthlyGoal,
    add_months,
    choose_goal,
    goal_status,
    month_key,
    suggested_goal,
)
from ksales.domain.pace import RUNNING, Projection, WeekdayProfile, cut_time, profile_weeks, project, unit_end
from ksales.domain.periods import Period, PeriodKind
from ksales.domain.results import Totals
from ksales.domain.rules import SalesType
from ksales.ports.store import SalesStore

#: Goals are kept for these sales types, each its own (`all` is not the sum).
GOAL_SALES_TYPES = (SalesType.RETAIL, SalesType.B2B, SalesType.ALL)
#: Cut totals over more days than this read the whole days apart from the last (`cut_totals`).
SPLIT_DAYS = 31
#: The largest goal an admin may set (the store keeps DECIMAL(18, 2)).
MAX_GOAL = Decimal("1e15")


def cut_for(period: Period, now: datetime) -> time | None:
    """The time of day the period and its comparison stop at on their last day; None unless it ends today."""
    return cut_time(now) if period.end == now.date() else None


def cut_totals(store: SalesStore, scope: Scope, until: time | None, canceled: bool = False) -> Totals:
    """The scope's totals (or returns), the last day cut at `until` when there is a cut.

    Over more than `SPLIT_DAYS`, the whole days before the last are the plain totals (read from the
    rollups) and only the last day's orders are cut: a year's cut totals read one day of orders, not a year
    of them. A month of orders costs less read once than as two queries (measured on the bench store).
    """
    if until is None:
        return store.returns(scope) if canceled else store.totals(scope)
    if (scope.end - scope.start).days < SPLIT_DAYS:
        return store.totals_until(scope, until, canceled)
    last = evolve(scope, start=scope.end)
    whole = evolve(scope, end=scope.end - timedelta(days=1))
    before = store.returns(whole) if canceled else store.totals(whole)
    cut = store.totals_until(last, until, canceled)
    return Totals(before.orders + cut.orders, before.revenue + cut.revenue)


def projection(
    store: SalesStore, period: Period, scope: Scope, so_far: Totals, now: datetime
) -> Projection | None:
    """The expected revenue and orders at the end of a running period's unit; None for other periods."""
    end = unit_end(period)
    today = now.date()
    if end is None or period.kind not in RUNNING or period.end != today:
        return None
    weeks = profile_weeks(today)
    over = scope.over(weeks)
    profile = WeekdayProfile.of(weeks, store.daily(over), store.daily_before(over, cut_time(now)))
    return project(so_far, today, end, profile)


def _month_revenue(store: SalesStore, start: date, months: int, sales_type: SalesType) -> Decimal:
    end = add_months(start, months) - timedelta(days=1)
    return store.totals(Scope(start, end, sales_type)).revenue


def suggestion(store: SalesStore, month: date, sales_type: SalesType) -> Decimal | None:
    """The same month a year ago grown by the last 3 complete months' growth over a year (clamped)."""
    year_ago = add_months(month, -12)
    recent = _month_revenue(store, add_months(month, -3), 3, sales_type)
    earlier = _month_revenue(store, add_months(month, -15), 3, sales_type)
    return suggested_goal(_month_revenue(store, year_ago, 1, sales_type), recent, earlier)


def chosen_goal(
    store: SalesStore, configured: Sequence[MonthlyGoal], month: date, sales_type: SalesType
) -> tuple[Decimal, GoalSource] | None:
    """The month's goal for the sales type and where it comes from (set, env, suggested), or None."""
    stored = [g for g in store.goals() if g.month == month]
    found = choose_goal(month, sales_type, stored, configured, None)
    if found is not None:
        return found
    suggested = suggestion(store, month, sales_type)
    return None if suggested is None else (suggested, GoalSource.SUGGESTED)


def goal_for(
    store: SalesStore,
    configured: Sequence[MonthlyGoal],
    period: Period,
    filters: Filters,
    revenue: Decimal,
    projected: Projection | None,
    today: date,
) -> GoalStatus | None:
    """The goal status of a `month` or `last_month` view without a source, category or brand filter."""
    if period.kind not in (PeriodKind.MONTH, PeriodKind.LAST_MONTH):
        return None
    if filters.source_id is not None or filters.narrows_lines:
        return None
    month = period.start
    chosen = chosen_goal(store, configured, month, filters.sales_type)
    if chosen is None:
        return None
    if period.kind is PeriodKind.LAST_MONTH:
        return goal_status(month, filters.sales_type, chosen, revenue, None, 0)
    end = unit_end(period) or period.end
    amount = projected.revenue if projected is not None else revenue
    return goal_status(month, filters.sales_type, chosen, revenue, amount, (end - today).days + 1)


@frozen
class GoalRow:
    """One sales type's goal for a month and its source (both None when there is no goal)."""

    sales_type: SalesType
    amount: Decimal | None
    source: GoalSource | None


@frozen
class MonthGoals:
    """`GET /api/goals`: each sales type's goal for the month."""

    month: str
    goals: tuple[GoalRow, ...]


def month_goals(store: SalesStore, configured: Sequence[MonthlyGoal], month: date) -> MonthGoals:
    rows = []
    for sales_type in GOAL_SALES_TYPES:
        chosen = chosen_goal(store, configured, month, sales_type)
        rows.append(GoalRow(sales_type, *(chosen or (None, None))))
    return MonthGoals(month_key(month), tuple(rows))


def parse_month(value: str | None, today: date, field: str = "month") -> date:
    """`YYYY-MM` as the month's first day; absent or empty means this month."""
    if value is None or not value.strip():
        return today.replace(day=1)
    text = value.strip()
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(text)
        return date(int(year), int(month), 1)
    except ValueError:
        raise InvalidParameter(field, "month must be YYYY-MM, e.g. 2026-12") from None


def parse_goal_amount(value: object, field: str = "amount") -> Decimal:
    """A positive amount below MAX_GOAL with at most 2 decimals (a number or its text; spaces allowed)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidParameter(field, "amount must be a positive number")
    text = str(value).replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except ArithmeticError:
        raise InvalidParameter(field, "amount must be a positive number") from None
    if not amount.is_finite() or amount <= 0 or amount >= MAX_GOAL:
        raise InvalidParameter(field, "amount must be a positive number below 10¹⁵")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidParameter(field, "amount may have at most 2 decimals")
    return amount.quantize(Decimal("0.01"))


def parse_goal_sales_type(value: object, field: str = "sales_type") -> SalesType:
    if value is None or value == "":
        return SalesType.RETAIL
    try:
        return SalesType(str(value).strip().lower())
    except ValueError:
        raise InvalidParameter(field, "sales_type must be one of retail, b2b, all") from None


class GoalService:
    """The goals admins set and clear (bot `/goal`, the page); kept in the store, so they survive restarts."""

    def __init__(self, store: SalesStore) -> None:
        self.store = store

    def set(self, month: date, sales_type: SalesType, amount: Decimal) -> MonthlyGoal:
        goal = MonthlyGoal(month, sales_type, amount)
        self.store.set_goal(goal)
        return goal

    def clear(self, month: date, sales_type: SalesType) -> bool:
        return self.store.delete_goal(month, sales_type)
