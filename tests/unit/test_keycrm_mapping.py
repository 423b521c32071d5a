"""KeyCRM payloads (field names from the vendor spec, shapes seen on real accounts) → domain objects."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ksales.adapters.keycrm.mapping import (
    BadRecord,
    category_from_keycrm,
    expense_type_from_keycrm,
    order_from_keycrm,
    page_from_keycrm,
    product_from_keycrm,
    source_from_keycrm,
    status_from_keycrm,
)
from ksales.adapters.keycrm.values import to_datetime
from ksales.domain.model import Buyer, Expense, OrderLine, Status
from ksales.ports.crm import SkippedRecord

STATUSES = {1: Status(1, "New", 1), 12: Status(12, "Returned", 6)}

#: The vendor's OrderWithIncludes example, trimmed to what ksales reads (plus neighbours it ignores).
VENDOR_ORDER = {
    "id": 22,
    "parent_id": 1,
    "source_uuid": "4815162342",
    "source_id": 11,
    "status_id": 1,
    "status_group_id": 1,
    "grand_total": 122.5,
    "promocode": "MERRYCHRISTMAS",
    "total_discount": 30.5,
    "expenses_sum": 20.5,
    "shipping_price": 2.5,
    "payment_status": "paid",
    "created_at": "2020-05-16 17:00:07",
    "ordered_at": "2020-05-16 17:00:07",
    "updated_at": "2020-05-16 17:00:07",
    "closed_at": "2020-05-16 17:00:07",
    "buyer": {"id": 1, "full_name": "John Doe", "email": "john.doe@mail.app", "phone": "+1 555-234-1234"},
    "products": [
        {
            "name": "Iphone XS max 256gb",
            "sku": "001-242",
            "price": 124.5,
            "price_sold": 124.5,
            "purchased_price": 124.5,
            "discount_percent": 11.5,
            "quantity": 1,
            "unit_type": "кг",
            "offer": {"id": 22, "product_id": 22, "sku": "sku001", "price": 123.5},
        }
    ],
    "manager": {"id": 1, "first_name": "John", "full_name": "John Doe", "status": "active"},
    "status": {"id": 1, "name": "Hot", "alias": "hot", "group_id": 1},
    "expenses": [
        {
            "id": 2233,
            "destination_id": 2,
            "expense_type_id": 2,
            "amount": 123.5,
            "description": "Доставка",
            "status": "paid",
            "payment_date": "2021-02-21 14:44:00",
        }
    ],
}


def test_the_vendor_example_maps_field_by_field() -> None:
    order = order_from_keycrm(VENDOR_ORDER, STATUSES)
    stamp = datetime(2020, 5, 16, 17, 0, 7, tzinfo=UTC)
    assert (order.id, order.source_id, order.status_id, order.status_group_id) == (22, 11, 1, 1)
    assert (order.grand_total, order.total_discount, order.shipping_price) == (
        Decimal("122.5"),
        Decimal("30.5"),
        Decimal("2.5"),
    )
    assert order.created_at == order.ordered_at == order.updated_at == stamp
    assert order.manager_id == 1
    assert order.buyer == Buyer(1, "John Doe", "john.doe@mail.app", "+1 555-234-1234")
    assert order.lines == (
        OrderLine(
            name="Iphone XS max 256gb",
            quantity=Decimal(1),
            price_sold=Decimal("124.5"),
            product_id=22,
            offer_id=22,
            sku="001-242",
            price=Decimal("124.5"),
            purchased_price=Decimal("124.5"),
        ),
    )
    assert order.expenses == (
        Expense(2233, Decimal("123.5"), 2, "paid", datetime(2021, 2, 21, 14, 44, tzinfo=UTC)),
    )


def test_strings_for_ids_and_money_and_fractional_quantities() -> None:
    payload = {
        **VENDOR_ORDER,
        "id": "22",
        "source_id": "11",
        "status_id": "12",
        "status_group_id": None,
        "status": None,
        "grand_total": "1 000.10".replace(" ", ""),
        "total_discount": None,
        "shipping_price": "0",
        "products": [{"name": "Сир", "quantity": "0.25", "price_sold": "400.00", "offer": None}],
    }
    order = order_from_keycrm(payload, STATUSES)
    assert order.id == 22 and order.source_id == 11
    assert order.status_group_id == 6  # from the status dictionary
    assert order.grand_total == Decimal("1000.10") and order.total_discount == 0
    line = order.lines[0]
    assert (line.quantity, line.price_sold, line.product_id, line.offer_id, line.price) == (
        Decimal("0.25"),
        Decimal("400.00"),
        None,
        None,
        None,
    )
    assert line.revenue == Decimal("100")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-10 14:30:00", datetime(2026, 1, 10, 14, 30, tzinfo=UTC)),
        ("2026-01-10T14:30:00", datetime(2026, 1, 10, 14, 30, tzinfo=UTC)),
        ("2026-01-10T14:30:00Z", datetime(2026, 1, 10, 14, 30, tzinfo=UTC)),
        ("2026-01-10 18:30:00+04:00", datetime(2026, 1, 10, 14, 30, tzinfo=UTC)),
        ("2026-01-10T14:30:00.000000Z", datetime(2026, 1, 10, 14, 30, tzinfo=UTC)),
        ("2026-01-10", datetime(2026, 1, 10, tzinfo=UTC)),
    ],
)
def test_timestamps_in_every_shape_are_utc(text: str, expected: datetime) -> None:
    parsed = to_datetime(text, "t")
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() is not None and parsed.tzinfo == UTC


def test_missing_manager_buyer_offer_expenses_and_status_group() -> None:
    payload = {
        key: value
        for key, value in VENDOR_ORDER.items()
        if key not in ("manager", "buyer", "expenses", "status_group_id", "status", "ordered_at")
    }
    payload["manager_id"] = 15
    payload["products"] = [{"name": "Без товару", "quantity": 2, "price_sold": 10}]
    order = order_from_keycrm(payload, {})
    assert order.manager_id == 15
    assert order.buyer is None and order.expenses == () and order.status_group_id is None
    assert order.ordered_at is None and order.placed_at == order.created_at
    assert order.lines[0].product_id is None and order.lines[0].revenue == 20


def test_status_group_from_the_included_status() -> None:
    payload = {**VENDOR_ORDER, "status_group_id": None, "status": {"id": 1, "group_id": 5}}
    assert order_from_keycrm(payload, {}).status_group_id == 5


def test_a_buyer_without_an_id_is_no_buyer_and_a_null_manager_falls_back() -> None:
    payload = {**VENDOR_ORDER, "buyer": {"id": None, "full_name": "Guest"}, "manager": None, "manager_id": 7}
    order = order_from_keycrm(payload, STATUSES)
    assert order.buyer is None and order.manager_id == 7


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"ordered_at": "yesterday"}, "ordered_at"),
        ({"updated_at": "2026-13-45 00:00:00"}, "updated_at"),
        ({"grand_total": "12,5 грн"}, "grand_total"),
        ({"grand_total": None}, "grand_total"),
        ({"grand_total": "NaN"}, "grand_total"),
        ({"source_id": None}, "source_id"),
        ({"created_at": None, "ordered_at": None}, "created_at"),
        ({"products": [{"name": "x", "quantity": "two", "price_sold": 1}]}, "quantity"),
        ({"expenses": [{"amount": 1}]}, "expense"),
    ],
)
def test_a_bad_record_names_its_id_and_the_reason(change: dict[str, object], reason: str) -> None:
    with pytest.raises(BadRecord) as caught:
        order_from_keycrm({**VENDOR_ORDER, **change}, STATUSES)
    assert caught.value.record_id == 22
    record = caught.value.skipped_record()
    assert record == SkippedRecord(22, caught.value.reason) and reason in record.reason
    assert str(record).startswith("22: ") and reason in str(record)


def test_a_page_skips_bad_records_and_keeps_the_rest() -> None:
    records = [
        VENDOR_ORDER,
        {**VENDOR_ORDER, "id": 23, "ordered_at": "32.13.2026"},
        {**VENDOR_ORDER, "id": None},
        {**VENDOR_ORDER, "id": "abc"},
        "not even an object",
        {**VENDOR_ORDER, "id": 24},
    ]
    page = page_from_keycrm(records, STATUSES)
    assert [o.id for o in page.orders] == [22, 24]
    assert len(page.skipped) == 4
    assert page.skipped[0].order_id == 23 and str(page.skipped[0]).startswith("23: ")
    assert all(s.order_id is None and str(s).startswith("?: ") for s in page.skipped[1:])


def test_dictionaries() -> None:
    source = source_from_keycrm({"id": 1, "name": "My shop source", "alias": "x", "currency_code": "USD"})
    assert (source.id, source.name, source.currency_code) == (1, "My shop source", "USD")
    status = status_from_keycrm({"id": "4", "name": "Hot", "alias": "hot", "group_id": 6})
    assert (status.id, status.name, status.group_id) == (4, "Hot", 6)
    expense_type = expense_type_from_keycrm({"id": 2, "name": None, "alias": "delivery"})
    assert (expense_type.name, expense_type.alias) == ("delivery", "delivery")
    assert category_from_keycrm({"id": 3, "name": "Взуття", "parent_id": 1.0}).parent_id == 1
    assert category_from_keycrm({"id": 1, "name": "Одяг", "parent_id": None}).parent_id is None


@pytest.mark.parametrize(
    ("fields", "brand"),
    [
        ([{"uuid": "CT_1", "name": "Brand", "type": "select", "value": ["Acme", "Other"]}], "Acme"),
        ([{"uuid": "CT_1", "name": "brand ", "value": "Zed"}], "Zed"),
        ([{"uuid": "CT_9", "name": "Бренд", "value": ["Nova"]}], "Nova"),  # matched by the field's uuid
        ([{"uuid": "CT_1", "name": "Brand", "value": []}], None),
        ([{"uuid": "CT_2", "name": "Material", "value": "cotton"}], None),
        ([], None),
    ],
)
def test_the_brand_is_the_first_value_of_the_brand_field(
    fields: list[dict[str, object]], brand: str | None
) -> None:
    payload = {"id": 5, "name": "Сукня", "category_id": 2, "custom_fields": fields}
    product = product_from_keycrm(payload, "Brand", frozenset({"CT_9"}))
    assert (product.id, product.name, product.category_id, product.brand) == (5, "Сукня", 2, brand)
