"""The comparison arithmetic (domain/comparison.py)."""

from datetime import date
from decimal import Decimal

from ksales.domain.comparison import compare_totals
from ksales.domain.periods import Period
from ksales.domain.results import Totals

OCTOBER = Period.custom(date(2026, 10, 1), date(2026, 10, 31))


def test_changes_against_the_earlier_range() -> None:
    comparison = compare_totals(Totals(4, Decimal(1900)), Totals(1, Decimal(750)), OCTOBER)
    assert (comparison.start, comparison.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (comparison.orders, comparison.revenue, comparison.avg_check) == (1, Decimal(750), Decimal(750))
    assert comparison.revenue_change_pct == Decimal("153.33")
    assert comparison.orders_change_pct == Decimal("300.00")
    # Average check 475 against 750.
    assert comparison.avg_check_change_pct == Decimal("-36.67")


def test_no_change_from_nothing() -> None:
    comparison = compare_totals(Totals(2, Decimal(500)), Totals(0, Decimal(0)), OCTOBER)
    assert comparison.avg_check == Decimal("0.00")
    assert comparison.revenue_change_pct is None
    assert comparison.orders_change_pct is None
    assert comparison.avg_check_change_pct is None


def test_a_drop_to_nothing_is_minus_100() -> None:
    comparison = compare_totals(Totals(0, Decimal(0)), Totals(3, Decimal(900)), OCTOBER)
    assert comparison.revenue_change_pct == comparison.orders_change_pct == Decimal("-100.00")
    assert comparison.avg_check_change_pct == Decimal("-100.00")
