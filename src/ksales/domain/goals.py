"""Monthly revenue goals (KSALES_GOALS): a month, a sales type and the revenue aimed at."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attrs import field, frozen

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
