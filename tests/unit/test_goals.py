"""Monthly revenue goals (domain/goals.py)."""

from datetime import date
from decimal import Decimal

import pytest

from ksales.domain.goals import MonthlyGoal
from ksales.domain.rules import SalesType


def test_a_goal_is_a_month_a_sales_type_and_an_amount() -> None:
    goal = MonthlyGoal(date(2026, 12, 1), SalesType.B2B, Decimal(900000))
    assert (goal.month, goal.sales_type, goal.amount) == (date(2026, 12, 1), SalesType.B2B, Decimal(900000))


@pytest.mark.parametrize(
    ("month", "amount"),
    [
        (date(2026, 12, 2), Decimal(100)),  # not the first of the month
        (date(2026, 12, 1), Decimal(0)),
        (date(2026, 12, 1), Decimal(-1)),
        (date(2026, 12, 1), Decimal("NaN")),
    ],
)
def test_invalid_goals_are_refused(month: date, amount: Decimal) -> None:
    with pytest.raises(ValueError, match="goal"):
        MonthlyGoal(month, SalesType.RETAIL, amount)
