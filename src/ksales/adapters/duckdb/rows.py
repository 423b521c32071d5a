"""Orders to table rows and back, and the content hash that tells an update from a no-op.

Rows travel to DuckDB as one `VARCHAR[]` parameter per column and are cast back in SQL
(`unnest(?::VARCHAR[])::DECIMAL(18, 2)`): exact for Decimals, and far faster than `executemany`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from ksales.adapters.duckdb.schema import MONEY, QUANTITY
from ksales.domain.model import Buyer, Expense, Order, OrderLine
from ksales.domain.rules import Rules, SalesType, business_day, is_canceled, is_excluded, sales_type_of

Cell = str | None
Row = tuple[Cell, ...]

#: Columns written for each table, with the SQL type each VARCHAR is cast to.
ORDER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "BIGINT"),
    ("source_id", "BIGINT"),
    ("status_id", "BIGINT"),
    ("status_group_id", "BIGINT"),
    ("manager_id", "BIGINT"),
    ("grand_total", MONEY),
    ("total_discount", MONEY),
    ("shipping_price", MONEY),
    ("created_at", "TIMESTAMP"),
    ("ordered_at", "TIMESTAMP"),
    ("updated_at", "TIMESTAMP"),
    ("placed_at", "TIMESTAMP"),
    ("buyer_id", "BIGINT"),
    ("buyer_name", "VARCHAR"),
    ("buyer_email", "VARCHAR"),
    ("buyer_phone", "VARCHAR"),
    ("content_hash", "VARCHAR"),
    ("business_day", "DATE"),
    ("excluded", "BOOLEAN"),
    ("canceled", "BOOLEAN"),
    ("b2b", "BOOLEAN"),
)
_FLAGS = (("business_day", "DATE"), ("excluded", "BOOLEAN"), ("canceled", "BOOLEAN"), ("b2b", "BOOLEAN"))
LINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("order_id", "BIGINT"),
    ("position", "INTEGER"),
    ("name", "VARCHAR"),
    ("quantity", QUANTITY),
    ("price_sold", MONEY),
    ("product_id", "BIGINT"),
    ("offer_id", "BIGINT"),
    ("sku", "VARCHAR"),
    ("price", MONEY),
    ("purchased_price", MONEY),
    ("placed_at", "TIMESTAMP"),
    ("source_id", "BIGINT"),
    *_FLAGS,
)
EXPENSE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("order_id", "BIGINT"),
    ("position", "INTEGER"),
    ("id", "BIGINT"),
    ("amount", MONEY),
    ("expense_type_id", "BIGINT"),
    ("status", "VARCHAR"),
    ("payment_date", "TIMESTAMP"),
    ("paid", "BOOLEAN"),
    ("source_id", "BIGINT"),
    *_FLAGS,
    ("first_paid", "BOOLEAN"),
    ("first_paid_of_type", "BOOLEAN"),
)


def cell(value: object) -> Cell:
    """One value as the text DuckDB casts back exactly."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return to_utc_naive(value).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_utc_naive(moment: datetime) -> datetime:
    """The UTC wall time of an instant (naive datetimes are taken as UTC already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_utc_naive(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=UTC)


def _canonical(value: object) -> object:
    if isinstance(value, Decimal):
        return "0" if value == 0 else format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def content_hash(order: Order) -> str:
    """A digest equal for two orders exactly when they compare equal (same instants, same amounts)."""
    buyer = order.buyer
    parts: list[object] = [
        order.id,
        order.source_id,
        order.grand_total,
        order.created_at,
        order.ordered_at,
        order.updated_at,
        order.status_id,
        order.status_group_id,
        order.manager_id,
        order.total_discount,
        order.shipping_price,
        None if buyer is None else (buyer.id, buyer.full_name, buyer.email, buyer.phone),
    ]
    for line in order.lines:
        parts.append(
            tuple(
                _canonical(v)
                for v in (
                    line.name,
                    line.quantity,
                    line.price_sold,
                    line.product_id,
                    line.offer_id,
                    line.sku,
                    line.price,
                    line.purchased_price,
                )
            )
        )
    parts.append("expenses")
    for e in order.expenses:
        parts.append(
            tuple(_canonical(v) for v in (e.id, e.amount, e.expense_type_id, e.status, e.payment_date))
        )
    text = repr([_canonical(p) for p in parts])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def order_rows(order: Order, rules: Rules, digest: str) -> tuple[Row, list[Row], list[Row]]:
    """The order's row and the rows of its lines and expenses, derived columns included."""
    flags = (
        business_day(order, rules.timezone),
        is_excluded(order, rules),
        is_canceled(order, rules),
        sales_type_of(order, rules) is SalesType.B2B,
    )
    buyer = order.buyer or Buyer(id=0)
    values = (
        order.id,
        order.source_id,
        order.status_id,
        order.status_group_id,
        order.manager_id,
        order.grand_total,
        order.total_discount,
        order.shipping_price,
        order.created_at,
        order.ordered_at,
        order.updated_at,
        order.placed_at,
        order.buyer_id,
        buyer.full_name,
        buyer.email,
        buyer.phone,
        digest,
        *flags,
    )
    shared = (order.placed_at, order.source_id, *flags)
    lines = [
        tuple(
            cell(v)
            for v in (
                order.id,
                position,
                line.name,
                line.quantity,
                line.price_sold,
                line.product_id,
                line.offer_id,
                line.sku,
                line.price,
                line.purchased_price,
                *shared,
            )
        )
        for position, line in enumerate(order.lines)
    ]
    # The first paid expense of the order, and of each type: counting them counts orders.
    first_paid = next((i for i, e in enumerate(order.expenses) if e.is_paid), None)
    first_of_type: dict[int, int] = {}
    for i, e in enumerate(order.expenses):
        if e.is_paid and e.expense_type_id is not None:
            first_of_type.setdefault(e.expense_type_id, i)
    expenses = [
        tuple(
            cell(v)
            for v in (
                order.id,
                position,
                e.id,
                e.amount,
                e.expense_type_id,
                e.status,
                e.payment_date,
                e.is_paid,
                order.source_id,
                *flags,
                position == first_paid,
                e.expense_type_id is not None and first_of_type.get(e.expense_type_id) == position,
            )
        )
        for position, e in enumerate(order.expenses)
    ]
    return tuple(cell(v) for v in values), lines, expenses


def columns_of(rows: Sequence[Row], width: int) -> list[list[Cell]]:
    """Transpose rows into one list per column (the statement's parameters)."""
    return [[row[i] for row in rows] for i in range(width)]


def unnest_select(columns: Iterable[tuple[str, str]]) -> str:
    """`SELECT unnest(?::VARCHAR[])::T AS c, …` over one list parameter per column."""
    return "SELECT " + ", ".join(f"unnest(?::VARCHAR[])::{kind} AS {name}" for name, kind in columns)


# --- reading back --------------------------------------------------------------------------------

ORDER_SELECT = (
    "SELECT id, source_id, grand_total, created_at, ordered_at, updated_at, status_id, status_group_id,"
    " manager_id, buyer_id, buyer_name, buyer_email, buyer_phone, total_discount, shipping_price"
    " FROM orders WHERE id = ?"
)
LINES_SELECT = (
    "SELECT name, quantity, price_sold, product_id, offer_id, sku, price, purchased_price"
    " FROM order_lines WHERE order_id = ? ORDER BY position"
)
EXPENSES_SELECT = (
    "SELECT id, amount, expense_type_id, status, payment_date FROM order_expenses"
    " WHERE order_id = ? ORDER BY position"
)


def order_from_rows(
    row: Sequence[Any], lines: Iterable[Sequence[Any]], expenses: Iterable[Sequence[Any]]
) -> Order:
    """Rebuild an `Order` from the rows of `ORDER_SELECT`, `LINES_SELECT` and `EXPENSES_SELECT`."""
    (oid, source, total, created, ordered, updated, status, group, manager, buyer_id, *rest) = row
    name, email, phone, discount, shipping = rest
    return Order(
        id=oid,
        source_id=source,
        grand_total=total,
        created_at=created.replace(tzinfo=UTC),
        ordered_at=from_utc_naive(ordered),
        updated_at=from_utc_naive(updated),
        status_id=status,
        status_group_id=group,
        manager_id=manager,
        buyer=None if buyer_id is None else Buyer(buyer_id, name, email, phone),
        lines=tuple(OrderLine(*line) for line in lines),
        expenses=tuple(
            Expense(
                id=e[0], amount=e[1], expense_type_id=e[2], status=e[3], payment_date=from_utc_naive(e[4])
            )
            for e in expenses
        ),
        total_discount=discount,
        shipping_price=shipping,
    )
