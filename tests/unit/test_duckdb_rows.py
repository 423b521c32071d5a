"""The DuckDB column specs and the content hash follow the attrs fields of the domain types."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pytest

from ksales.adapters.duckdb.rows import content_hash, order_rows, product_row
from ksales.adapters.duckdb.tables import (
    BIGINT,
    BUYER,
    EXPENSE_COLUMNS,
    LINE,
    LINE_COLUMNS,
    ORDER,
    ORDER_COLUMNS,
    PRODUCT_COLUMNS,
    Column,
    Fields,
)
from ksales.domain.model import Buyer, Expense, Order, OrderLine, Product
from ksales.domain.rules import Rules

PLACED = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)

#: Every field set, none to its default: the hash must change with each of them.
FULL = Order(
    id=10,
    source_id=2,
    grand_total=Decimal("150.50"),
    created_at=PLACED,
    ordered_at=PLACED + timedelta(minutes=5),
    updated_at=PLACED + timedelta(hours=1),
    status_id=4,
    status_group_id=5,
    manager_id=15,
    buyer=Buyer(id=7, full_name="Олена", email="o@example.com", phone="+380501234567"),
    lines=(
        OrderLine(
            name="Tee",
            quantity=Decimal("1.5"),
            price_sold=Decimal("90.00"),
            product_id=3,
            offer_id=30,
            sku="T-1",
            price=Decimal("100.00"),
            purchased_price=Decimal("40.00"),
        ),
    ),
    expenses=(
        Expense(
            id=1,
            amount=Decimal("25.00"),
            expense_type_id=2,
            status="paid",
            payment_date=PLACED + timedelta(days=1),
        ),
    ),
    total_discount=Decimal("10.00"),
    shipping_price=Decimal("70.00"),
)


def _changed(value: Any) -> Any:
    """Another value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | Decimal):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, datetime):
        return value + timedelta(seconds=1)
    raise AssertionError(f"give FULL a value for this field (found {value!r}) so the test can change it")


def variants(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """(field path, a copy of `value` differing in that one field) for every field, nested ones too."""
    for field in attrs.fields(type(value)):
        current = getattr(value, field.name)
        where = f"{path}.{field.name}"
        if isinstance(current, tuple):
            assert current, f"give FULL at least one element in {where}"
            for inner_path, inner in variants(current[0], f"{where}[0]"):
                yield inner_path, attrs.evolve(value, **{field.name: (inner, *current[1:])})
            yield f"{where} (one more)", attrs.evolve(value, **{field.name: (*current, current[0])})
        elif attrs.has(type(current)):
            for inner_path, inner in variants(current, where):
                yield inner_path, attrs.evolve(value, **{field.name: inner})
            yield f"{where} (none)", attrs.evolve(value, **{field.name: None})
        else:
            yield where, attrs.evolve(value, **{field.name: _changed(current)})


def test_the_content_hash_covers_every_field_of_an_order_its_buyer_lines_and_expenses() -> None:
    digest = content_hash(FULL)
    changed = dict(variants(FULL, "order"))
    assert {
        "order.shipping_price",
        "order.buyer.phone",
        "order.buyer (none)",
        "order.lines[0].purchased_price",
        "order.lines (one more)",
        "order.expenses[0].payment_date",
    } <= changed.keys()
    same = [path for path, other in changed.items() if content_hash(other) == digest]
    assert same == [], f"the content hash ignores {same}"


def test_equal_orders_hash_alike() -> None:
    kyiv = timezone(timedelta(hours=3))
    same = attrs.evolve(
        FULL,
        grand_total=Decimal("150.500"),
        created_at=PLACED.astimezone(kyiv),
        total_discount=Decimal("1E+1"),
        lines=(attrs.evolve(FULL.lines[0], quantity=Decimal("1.50")),),
    )
    assert same == FULL
    assert content_hash(same) == content_hash(FULL)
    assert content_hash(attrs.evolve(FULL, shipping_price=Decimal("-0"), total_discount=Decimal(0))) == (
        content_hash(attrs.evolve(FULL, shipping_price=Decimal(0), total_discount=Decimal("0.00")))
    )


def test_a_spec_out_of_step_with_the_fields_is_refused() -> None:
    with pytest.raises(TypeError, match=r"no column for \['email', 'full_name', 'phone'\]"):
        Fields(Buyer, {"id": BIGINT})
    with pytest.raises(TypeError, match=r"no field \['nickname'\]"):
        Fields(
            Product,
            {"id": BIGINT, "name": "VARCHAR", "category_id": BIGINT, "brand": "VARCHAR", "nickname": "x"},
        )


def test_columns_follow_the_fields_and_embedded_values_are_inlined() -> None:
    assert [c.name for c in LINE.columns] == [f.name for f in attrs.fields(OrderLine)]
    assert BUYER.columns[:2] == (Column("buyer_id", BIGINT), Column("buyer_name", "VARCHAR"))
    assert ORDER.select.startswith("id, source_id, grand_total, created_at")
    assert "buyer_id, buyer_name, buyer_email, buyer_phone, total_discount" in ORDER.select
    assert ORDER.values(attrs.evolve(FULL, buyer=None))[9:13] == (None, None, None, None)


@pytest.mark.parametrize(
    ("fields", "entity", "elsewhere"),
    [
        (ORDER, FULL, {"lines": FULL.lines, "expenses": FULL.expenses}),
        (
            ORDER,
            attrs.evolve(FULL, buyer=None, ordered_at=None),
            {"lines": FULL.lines, "expenses": FULL.expenses},
        ),
        (LINE, FULL.lines[0], {}),
        (LINE, OrderLine("Cap", Decimal(1), Decimal(5)), {}),
    ],
)
def test_values_build_back_into_the_entity(
    fields: Fields[Any], entity: Any, elsewhere: dict[str, Any]
) -> None:
    # DuckDB hands timestamps back as naive UTC wall times.
    row = [
        v.astimezone(UTC).replace(tzinfo=None) if isinstance(v, datetime) else v
        for v in fields.values(entity)
    ]
    assert fields.build(row, **elsewhere) == entity


@pytest.mark.parametrize(
    ("rows", "columns"),
    [
        (lambda: [order_rows(FULL, Rules(), "digest")[0]], ORDER_COLUMNS),
        (lambda: order_rows(FULL, Rules(), "digest")[1], LINE_COLUMNS),
        (lambda: order_rows(FULL, Rules(), "digest")[2], EXPENSE_COLUMNS),
        (lambda: [product_row(Product(1, "Tee", 3, " Acme "))], PRODUCT_COLUMNS),
    ],
)
def test_rows_have_a_value_for_each_column(rows: Callable[[], list[tuple[Any, ...]]], columns: Any) -> None:
    assert all(len(row) == len(columns) for row in rows())


def test_rows_carry_the_derived_columns() -> None:
    order, lines, expenses = order_rows(FULL, Rules(), "digest")
    named = dict(zip((c.name for c in ORDER_COLUMNS), order, strict=True))
    assert named["placed_at"] == FULL.placed_at and named["content_hash"] == "digest"
    assert (named["business_day"], named["b2b"], named["buyer_name"]) == (date(2025, 5, 1), True, "Олена")
    line = dict(zip((c.name for c in LINE_COLUMNS), lines[0], strict=True))
    assert (line["order_id"], line["position"], line["quantity"], line["source_id"]) == (
        10,
        0,
        Decimal("1.5"),
        2,
    )
    expense = dict(zip((c.name for c in EXPENSE_COLUMNS), expenses[0], strict=True))
    assert (expense["paid"], expense["first_paid"], expense["first_paid_of_type"]) == (True, True, True)
    product = dict(
        zip((c.name for c in PRODUCT_COLUMNS), product_row(Product(1, "Tee", 3, " Acme ")), strict=True)
    )
    assert (product["brand"], product["brand_key"]) == (" Acme ", "acme")
