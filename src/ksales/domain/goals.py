"""Monthly revenue goals: set by an admin, from KSALES_GOALS, or suggested from last year (SPEC §5)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum

from attrs import field, frozen

from ksales.domain.money import ZERO, percent, round2
from ksales.domain.rules import SalesType


def _first_of_month(instance: object, attribute: object, value: date) -> None:
    if value.day != 1:
        raise ValueError(f"a goal's month is its first day, got {value.isoformat()}")


def _positive(instance: object, attribute: object, value: Decimal) -> None:
    if not value.is_finite() or value <= 0:
        raise ValueError(f"a goal must be a positive amount, got {value}")


@frozen
class MonthlyGoal:
    """Revenue aimed at for one calendar month and sales type."""

    month: date = field(validator=_first_of_month)
    sales_type: SalesType
    amount: Decimal = field(validator=_positive)


class GoalSource(StrEnum):
    SET = "set"
    ENV = "env"
    SUGGESTED = "suggested"


#: The suggested goal's growth is held within −50 % … +100 %.
MIN_GROWTH = Decimal("-0.5")
MAX_GROWTH = Decimal(1)


def month_key(month: date) -> str:
    """`YYYY-MM`, how the API and the bot name a goal's month."""
    return f"{month.year:04d}-{month.month:02d}"


def add_months(month: date, months: int) -> date:
    """The first of the month `months` away from the month of `month`."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def suggested_goal(year_ago: Decimal, recent: Decimal, recent_year_ago: Decimal) -> Decimal | None:
    """The same month a year ago × (1 + g), g = the 3 months before ÷ the same 3 a year earlier − 1, clamped.

    None when either side of g is 0, or when the month a year ago sold nothing (no positive goal).
    """
    if not recent or not recent_year_ago:
        return None
    growth = min(max(recent / recent_year_ago - 1, MIN_GROWTH), MAX_GROWTH)
    amount = round2(year_ago * (1 + growth))
    return amount if amount > 0 else None


def choose_goal(
    month: date,
    sales_type: SalesType,
    stored: Iterable[MonthlyGoal],
    configured: Iterable[MonthlyGoal],
    suggestion: Decimal | None,
) -> tuple[Decimal, GoalSource] | None:
    """The admin's goal, else `KSALES_GOALS`' value, else the suggestion (None when there is none)."""
    for goals, source in ((stored, GoalSource.SET), (configured, GoalSource.ENV)):
        for goal in goals:
            if goal.month == month and goal.sales_type is sales_type:
                return goal.amount, source
    if suggestion is None:
        return None
    return suggestion, GoalSource.SUGGESTED


@frozen
class GoalStatus:
    """A month's goal for a sales type and how the month stands against it (SPEC §5 Goals)."""

    month: str
    sales_type: SalesType
    amount: Decimal
    source: GoalSource
    progress_pct: Decimal
    projected_pct: Decimal
    on_pace: bool
    needed_per_day: Decimal


def goal_status(
    month: date,
    sales_type: SalesType,
    chosen: tuple[Decimal, GoalSource],
    revenue: Decimal,
    projection: Decimal | None,
    days_left: int,
) -> GoalStatus:
    """Progress, projected %, on pace and the amount needed per day left (today included).

    A finished month (`projection` None) is projected at what it made and needs nothing more per day.
    """
    amount, source = chosen
    progress = percent(revenue, amount)
    if projection is None:
        return GoalStatus(
            month_key(month), sales_type, amount, source, progress, progress, revenue >= amount, ZERO
        )
    needed = ZERO if revenue >= amount or days_left <= 0 else round2((amount - revenue) / days_left)
    return GoalStatus(
        month_key(month),
        sales_type,
        amount,
        source,
        progress,
        percent(projection, amount),
        projection >= amount,
        needed,
    )
