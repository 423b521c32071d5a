"""A tiny hand-made shop whose every figure can be worked out on paper (used by unit tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from ksales.domain.model import (
    Buyer,
    Category,
    Dictionaries,
    Expense,
    ExpenseType,
    Order,
    OrderLine,
    Product,
    Source,
    Status,
)
from ksales.domain.rules import Rules

KYIV = ZoneInfo("Europe/Kyiv")
RULES = Rules(KYIV, frozenset({15}), frozenset({9}), frozenset({42}))
#: 2026-11-26 12:30 in Kyiv: the shop's orders of the day (placed at 12:00) are before now (same time of day).
NOW = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)

DICTIONARIES = Dictionaries(
    sources=(Source(1, "Instagram"), Source(2, "Telegram"), Source(3, "Shopify"), Source(9, "Old shop")),
    statuses=(Status(1, "New", 1), Status(5, "Done", 5), Status(6, "Canceled", 6), Status(42, "Refused", 5)),
    expense_types=(ExpenseType(1, "Delivery"), ExpenseType(2, "Commission")),
    categories=(
        Category(1, "Clothing"),
        Category(11, "Dresses", 1),
        Category(111, "Maxi dresses", 11),
        Category(12, "Shirts", 1),
        Category(2, "Shoes"),
    ),
    products=(
        Product(100, "Maxi dress", 111, "Zara"),
        Product(101, "Dress", 11, "zara "),
        Product(102, "Shirt", 12, "Mango"),
        Product(103, "Sneakers", 2, None),
        Product(104, "Orphan", 777, "Nike"),
    ),
)


def at(day: int, hour: int = 12, month: int = 11) -> datetime:
    """A Kyiv local time in 2026 as UTC."""
    return datetime(2026, month, day, hour, tzinfo=KYIV).astimezone(UTC)


def line(product_id: int | None, quantity: str, price: str, name: str = "Line") -> OrderLine:
    return OrderLine(name, Decimal(quantity), Decimal(price), product_id)


def make_order(order_id: int, placed: datetime, total: str, *lines: OrderLine, **fields: object) -> Order:
    values: dict[str, object] = {
        "id": order_id,
        "source_id": 1,
        "grand_total": Decimal(total),
        "created_at": placed,
        "ordered_at": placed,
        "updated_at": placed,
        "status_id": 5,
        "status_group_id": 5,
        "lines": lines,
    }
    values.update(fields)
    return Order(**values)  # type: ignore[arg-type]


ORDERS = (
    # Buyer 1: first order in October, returns in November.
    make_order(1, at(10, month=10), "1000", line(100, "1", "1000"), buyer=Buyer(1, "Olena")),
    make_order(
        2,
        at(26),
        "1500",
        line(100, "1", "1000"),
        line(102, "1", "500"),
        buyer=Buyer(1, "Olena"),
        expenses=(Expense(21, Decimal(80), 1, "paid"), Expense(22, Decimal(10), 2, "canceled")),
    ),
    # Buyer 2: new in November; Telegram; a fractional quantity.
    make_order(3, at(25), "750", line(103, "1.5", "500"), buyer=Buyer(2, "Ivan"), source_id=2),
    # B2B order (manager 15), no buyer.
    make_order(4, at(26), "10000", line(102, "20", "500"), manager_id=15),
    # Canceled: a return; its paid expense still counts.
    make_order(
        5,
        at(24),
        "2000",
        line(101, "2", "1000"),
        buyer=Buyer(3, "Anna"),
        status_id=6,
        status_group_id=6,
        expenses=(Expense(51, Decimal(60), 1, None),),
    ),
    # Extra canceled status id 42.
    make_order(6, at(23), "300", line(None, "1", "300", "Gift wrap"), status_id=42, status_group_id=5),
    # Excluded source 9: left out of everything.
    make_order(7, at(26), "99999", line(100, "1", "99999"), source_id=9, buyer=Buyer(4, "Ghost")),
    # Placed just after local midnight on the 26th (22:30 UTC on the 25th); an orphan-category product.
    make_order(
        8,
        datetime(2026, 11, 25, 22, 30, tzinfo=UTC),
        "400",
        line(104, "1", "250"),
        line(None, "2", "75", "Custom print"),
        buyer=Buyer(2, "Ivan"),
        source_id=3,
    ),
)
