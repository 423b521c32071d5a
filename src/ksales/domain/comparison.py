"""How a period's totals are set against the totals of the range it is compared with."""

from __future__ import annotations

from ksales.domain.money import average, change_pct
from ksales.domain.periods import Period
from ksales.domain.results import Comparison, Totals


def compare_totals(
    current: Totals, previous: Totals, previous_period: Period, until: str | None = None
) -> Comparison:
    """The earlier range's figures and the % change of revenue, orders and average check (None from 0)."""
    avg_check = average(current.revenue, current.orders)
    previous_avg = average(previous.revenue, previous.orders)
    return Comparison(
        start=previous_period.start,
        end=previous_period.end,
        orders=previous.orders,
        revenue=previous.revenue,
        avg_check=previous_avg,
        revenue_change_pct=change_pct(current.revenue, previous.revenue),
        orders_change_pct=change_pct(current.orders, previous.orders),
        avg_check_change_pct=change_pct(avg_check, previous_avg),
        until=until,
    )
