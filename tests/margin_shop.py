"""A small shop with purchase prices, worked by hand in tests/unit/test_margin.py (SPEC §5)."""

from __future__ import annotations

from decimal import Decimal

from ksales.domain.model import Expense, OrderLine
from tests.shop import at, make_order


def costed(
    product_id: int | None, quantity: str, price: str, cost: str | None, name: str = "Line"
) -> OrderLine:
    return OrderLine(
        name,
        Decimal(quantity),
        Decimal(price),
        product_id,
        purchased_price=None if cost is None else Decimal(cost),
    )


MARGIN_ORDERS = (
    # 1550 with 50 of shipping; Zara maxi dress at cost 600, Mango shirt with a zero (unknown) purchase price.
    make_order(
        1,
        at(10),
        "1550",
        costed(100, "1", "1000", "600"),
        costed(102, "1", "500", "0"),
        expenses=(Expense(11, Decimal(80), 1, "paid"),),
    ),
    # Unbranded sneakers, a fractional quantity: cost 1.5 × 200.50 = 300.75.
    make_order(2, at(11), "750", costed(103, "1.5", "500", "200.50")),
    # Canceled: its lines are no sales and no cost of goods.
    make_order(3, at(12), "2000", costed(100, "2", "1000", "600"), status_id=6, status_group_id=6),
    # A line without a product and without a purchase price.
    make_order(4, at(12), "300", costed(None, "1", "300", None, "Gift wrap")),
)
