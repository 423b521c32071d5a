"""The Arrow batches write exactly what the former text cells cast in SQL wrote (`unnest(?::VARCHAR[])::T`).

The reference below is that former form, kept here only as the oracle: every column of the orders, lines and
expenses tables, for generated orders and for the edges (sub-cent Decimals, None everywhere, unicode names,
the largest ids, instants with offsets and microseconds).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings

from ksales.adapters.duckdb.rows import Row, arrow_table, order_rows, to_utc_naive
from ksales.adapters.duckdb.tables import EXPENSE_COLUMNS, LINE_COLUMNS, ORDER_COLUMNS, Column
from ksales.domain.model import Buyer, Expense, Order, OrderLine
from ksales.domain.rules import Rules
from tests import strategies

TABLES = (("orders", ORDER_COLUMNS), ("order_lines", LINE_COLUMNS), ("order_expenses", EXPENSE_COLUMNS))


def _text(value: Any) -> str | None:
    """A value as the text cell the rows used to travel as."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return to_utc_naive(value).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _both(
    columns: Sequence[Column], rows: Sequence[Row]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    connection = duckdb.connect()
    typed = ", ".join(f"{c.name} {c.sql_type}" for c in columns)
    connection.execute(f"CREATE TABLE by_text ({typed})")
    connection.execute(f"CREATE TABLE by_arrow ({typed})")
    select = ", ".join(f"unnest(?::VARCHAR[])::{c.sql_type}" for c in columns)
    connection.execute(
        f"INSERT INTO by_text SELECT {select}", [[_text(row[i]) for row in rows] for i in range(len(columns))]
    )
    batch = arrow_table(columns, rows)  # noqa: F841 (scanned by name)
    connection.execute("INSERT INTO by_arrow SELECT * FROM batch")
    names = ", ".join(c.name for c in columns)
    read = [
        connection.execute(f"SELECT {names} FROM {t} ORDER BY ALL").fetchall()
        for t in ("by_text", "by_arrow")
    ]
    connection.close()
    return read[0], read[1]


def _check(orders: Sequence[Order], rules: Rules) -> None:
    built = [order_rows(o, rules, f"digest {o.id}") for o in orders]
    for at, (table, columns) in enumerate(TABLES):
        rows: list[Row] = [row for b in built for row in ([b[0]] if at == 0 else b[at])]
        by_text, by_arrow = _both(columns, rows)
        assert by_arrow == by_text, table


@settings(max_examples=40, deadline=None)
@given(strategies.order_sets(max_size=12), strategies.rules)
def test_arrow_rows_equal_the_text_cells_for_generated_orders(orders: list[Order], rules: Rules) -> None:
    _check(orders, rules)


PLACED = datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))
EDGES = Order(
    id=2**63 - 1,
    source_id=2**62,
    manager_id=15,
    grand_total=Decimal("0.005"),  # half a kopiyka: rounded half away from zero, like the text cast
    created_at=PLACED,
    updated_at=datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    buyer=Buyer(id=-(2**63), full_name="Олена ґїє 🧡 tail", email=None, phone=""),
    lines=(
        OrderLine(name="Сумка «люкс»", quantity=Decimal("0.0005"), price_sold=Decimal("-0.005")),
        OrderLine(
            name="",
            quantity=Decimal("1E+3"),
            price_sold=Decimal("9999999999999999.99"),
            product_id=2**63 - 1,
            price=Decimal("-0.015"),
            purchased_price=Decimal("0"),
        ),
        OrderLine(name="x", quantity=Decimal("-0"), price_sold=Decimal("1.2345")),
    ),
    expenses=(
        Expense(id=1, amount=Decimal("0.005"), payment_date=PLACED),
        Expense(id=2**63 - 1, amount=Decimal("-12.345"), expense_type_id=3, status="paid"),
    ),
    total_discount=Decimal("-0.005"),
    shipping_price=Decimal("12.3"),
)


@pytest.mark.parametrize("rules", [Rules(), Rules(excluded_source_ids=frozenset({2**62}))])
def test_arrow_rows_equal_the_text_cells_at_the_edges(rules: Rules) -> None:
    _check([EDGES, Order(id=1, source_id=1, grand_total=Decimal(0), created_at=PLACED)], rules)


def test_a_value_too_large_for_its_column_is_refused_as_a_conversion_error() -> None:
    rows = [(Decimal("10000000000000000"),)]  # 17 integer digits: DECIMAL(18, 2) holds 16
    with pytest.raises(duckdb.ConversionException):
        arrow_table([Column("amount", "DECIMAL(18, 2)")], rows)
    with pytest.raises(duckdb.ConversionException):
        duckdb.execute("SELECT '10000000000000000'::DECIMAL(18, 2)")
