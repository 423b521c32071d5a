"""KeyCRM JSON → ksales domain objects, tolerant of the shapes real accounts return."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from ksales.adapters.keycrm.values import ZERO, first, mapping, records, text, to_datetime, to_decimal, to_int
from ksales.domain.model import (
    Buyer,
    Category,
    Expense,
    ExpenseType,
    Order,
    OrderLine,
    Product,
    Source,
    Status,
)
from ksales.domain.stock import Offer, OfferStock
from ksales.ports.crm import OfferPage, OrderPage, SkippedOffer, SkippedRecord, StockPage

log = logging.getLogger(__name__)

T = TypeVar("T")


class BadRecord(ValueError):
    """A record that cannot be read; `record_id` names it when it has a readable id."""

    def __init__(self, record_id: int | None, reason: str) -> None:
        super().__init__(reason)
        self.record_id = record_id
        self.reason = reason

    def skipped_record(self) -> SkippedRecord:
        """How `OrderPage.skipped` names this record."""
        return SkippedRecord(self.record_id, self.reason)


# --- orders -------------------------------------------------------------------------------------


def order_from_keycrm(payload: Mapping[str, Any], statuses: Mapping[int, Status]) -> Order:
    """One `OrderWithIncludes` record; raises `BadRecord` (naming the id) when it cannot be read."""
    order_id = to_int(payload.get("id")) if isinstance(payload, Mapping) else None
    if order_id is None:
        raw = payload.get("id") if isinstance(payload, Mapping) else None
        raise BadRecord(None, f"order without a readable id ({str(raw)[:30]!r})")
    try:
        return _order(order_id, payload, statuses)
    except (ValueError, TypeError, AttributeError) as exc:
        raise BadRecord(order_id, str(exc)) from None


def _order(order_id: int, payload: Mapping[str, Any], statuses: Mapping[int, Status]) -> Order:
    source_id = to_int(payload.get("source_id"))
    if source_id is None:
        raise ValueError(f"missing source_id {payload.get('source_id')!r}")
    ordered_at = to_datetime(payload.get("ordered_at"), "ordered_at")
    created_at = to_datetime(payload.get("created_at"), "created_at") or ordered_at
    if created_at is None:
        raise ValueError("missing created_at and ordered_at")
    status_id = to_int(payload.get("status_id"))
    status = mapping(payload.get("status"))
    if status_id is None and status is not None:
        status_id = to_int(status.get("id"))
    return Order(
        id=order_id,
        source_id=source_id,
        grand_total=to_decimal(payload.get("grand_total"), "grand_total"),
        created_at=created_at,
        ordered_at=ordered_at,
        updated_at=to_datetime(payload.get("updated_at"), "updated_at"),
        status_id=status_id,
        status_group_id=_status_group(payload, status, status_id, statuses),
        manager_id=_manager_id(payload),
        buyer=_buyer(payload.get("buyer")),
        lines=tuple(_line(item) for item in records(payload.get("products")) if isinstance(item, Mapping)),
        expenses=tuple(
            _expense(item) for item in records(payload.get("expenses")) if isinstance(item, Mapping)
        ),
        total_discount=to_decimal(payload.get("total_discount"), "total_discount", ZERO),
        shipping_price=to_decimal(payload.get("shipping_price"), "shipping_price", ZERO),
    )


def _status_group(
    payload: Mapping[str, Any],
    status: Mapping[str, Any] | None,
    status_id: int | None,
    statuses: Mapping[int, Status],
) -> int | None:
    group = to_int(payload.get("status_group_id"))
    if group is None and status is not None:
        group = to_int(status.get("group_id"))
    if group is None and status_id is not None and status_id in statuses:
        group = statuses[status_id].group_id
    return group


def _manager_id(payload: Mapping[str, Any]) -> int | None:
    manager = mapping(payload.get("manager"))
    found = to_int(manager.get("id")) if manager is not None else None
    return found if found is not None else to_int(payload.get("manager_id"))


def _buyer(value: Any) -> Buyer | None:
    buyer = mapping(value)
    buyer_id = to_int(buyer.get("id")) if buyer is not None else None
    if buyer is None or buyer_id is None:
        return None
    return Buyer(
        id=buyer_id,
        full_name=text(buyer.get("full_name")),
        email=text(buyer.get("email")),
        phone=text(buyer.get("phone")),
    )


def _line(item: Mapping[str, Any]) -> OrderLine:
    offer = mapping(item.get("offer")) or {}
    price = item.get("price")
    return OrderLine(
        name=text(item.get("name")) or "",
        quantity=to_decimal(item.get("quantity"), "line quantity"),
        # price_sold is the unit price after discounts; KeyCRM sends it on every line, price as a fallback.
        price_sold=to_decimal(item.get("price_sold"), "line price_sold", None)
        if item.get("price_sold") is not None
        else to_decimal(price, "line price", ZERO),
        product_id=first(to_int(offer.get("product_id")), to_int(item.get("product_id"))),
        offer_id=to_int(offer.get("id")),
        sku=text(item.get("sku")) or text(offer.get("sku")),
        price=None if price is None else to_decimal(price, "line price"),
        purchased_price=None
        if item.get("purchased_price") is None
        else to_decimal(item.get("purchased_price"), "line purchased_price"),
    )


def _expense(item: Mapping[str, Any]) -> Expense:
    expense_id = to_int(item.get("id"))
    if expense_id is None:
        raise ValueError(f"expense without a readable id ({str(item.get('id'))[:30]!r})")
    return Expense(
        id=expense_id,
        amount=to_decimal(item.get("amount"), "expense amount"),
        expense_type_id=to_int(item.get("expense_type_id")),
        status=text(item.get("status")),
        payment_date=to_datetime(item.get("payment_date"), "expense payment_date"),
    )


def page_from_keycrm(records: Iterable[Any], statuses: Mapping[int, Status]) -> OrderPage:
    """Every readable order of a page; the others are named in `skipped` and logged."""
    orders: list[Order] = []
    skipped: list[SkippedRecord] = []
    for record in records:
        try:
            orders.append(order_from_keycrm(record, statuses))
        except BadRecord as bad:
            log.warning("skipping KeyCRM order %s", bad.skipped_record())
            skipped.append(bad.skipped_record())
    return OrderPage(tuple(orders), tuple(skipped))


# --- stocks and offers ---------------------------------------------------------------------------


def offer_stock_from_keycrm(payload: Mapping[str, Any]) -> OfferStock:
    """One `OfferStocks` record (no product id: `GET /offers` has it); raises `BadRecord` naming the offer."""
    offer_id = _offer_id(payload)
    try:
        purchased = payload.get("purchased_price")
        return OfferStock(
            offer_id=offer_id,
            quantity=to_decimal(payload.get("quantity"), "quantity"),
            reserve=to_decimal(payload.get("reserve"), "reserve", ZERO),
            price=to_decimal(payload.get("price"), "price", ZERO),
            purchased_price=None if purchased is None else to_decimal(purchased, "purchased_price", None),
            sku=text(payload.get("sku")),
        )
    except (ValueError, TypeError, AttributeError) as exc:
        raise BadRecord(offer_id, str(exc)) from None


def offer_from_keycrm(payload: Mapping[str, Any]) -> Offer:
    """One `Offer` record: its product from `product_id`, else from the included `product`."""
    offer_id = _offer_id(payload)
    product = mapping(payload.get("product")) or {}
    return Offer(
        offer_id,
        first(to_int(payload.get("product_id")), to_int(product.get("id"))),
        text(payload.get("sku")),
    )


def _offer_id(payload: Mapping[str, Any]) -> int:
    offer_id = to_int(payload.get("id")) if isinstance(payload, Mapping) else None
    if offer_id is None:
        raw = payload.get("id") if isinstance(payload, Mapping) else None
        raise BadRecord(None, f"offer without a readable id ({str(raw)[:30]!r})")
    return offer_id


def stock_page_from_keycrm(records: Iterable[Any]) -> StockPage:
    """Every readable stock row of a page; the others are named in `skipped` and logged."""
    rows, skipped = _read_offers(records, offer_stock_from_keycrm, "stock of offer")
    return StockPage(tuple(rows), skipped)


def offer_page_from_keycrm(records: Iterable[Any]) -> OfferPage:
    offers, skipped = _read_offers(records, offer_from_keycrm, "offer")
    return OfferPage(tuple(offers), skipped)


def _read_offers(
    records: Iterable[Any], convert: Callable[[Mapping[str, Any]], T], what: str
) -> tuple[list[T], tuple[SkippedOffer, ...]]:
    read: list[T] = []
    skipped: list[SkippedOffer] = []
    for record in records:
        try:
            read.append(convert(record))
        except BadRecord as bad:
            skip = SkippedOffer(bad.record_id, bad.reason)
            log.warning("skipping KeyCRM %s %s", what, skip)
            skipped.append(skip)
    return read, tuple(skipped)


# --- dictionaries -------------------------------------------------------------------------------


def source_from_keycrm(payload: Mapping[str, Any]) -> Source:
    source_id = _required_id(payload, "source")
    return Source(
        source_id,
        text(payload.get("name")) or text(payload.get("alias")) or f"Source {source_id}",
        text(payload.get("currency_code")),
    )


def status_from_keycrm(payload: Mapping[str, Any]) -> Status:
    status_id = _required_id(payload, "status")
    return Status(
        status_id,
        text(payload.get("name")) or text(payload.get("alias")) or f"Status {status_id}",
        to_int(payload.get("group_id")),
    )


def expense_type_from_keycrm(payload: Mapping[str, Any]) -> ExpenseType:
    type_id = _required_id(payload, "expense type")
    alias = text(payload.get("alias"))
    return ExpenseType(type_id, text(payload.get("name")) or alias or f"Expense type {type_id}", alias)


def category_from_keycrm(payload: Mapping[str, Any]) -> Category:
    category_id = _required_id(payload, "category")
    return Category(
        category_id,
        text(payload.get("name")) or f"Category {category_id}",
        to_int(payload.get("parent_id")),
    )


def product_from_keycrm(
    payload: Mapping[str, Any], brand_field: str, brand_uuids: frozenset[str] = frozenset()
) -> Product:
    """A catalog product; its brand is the custom field named `brand_field` (or with one of those uuids)."""
    product_id = _required_id(payload, "product")
    return Product(
        product_id,
        text(payload.get("name")) or f"Product {product_id}",
        to_int(payload.get("category_id")),
        _brand(records(payload.get("custom_fields")), brand_field, brand_uuids),
    )


def _brand(fields: list[Any], brand_field: str, brand_uuids: frozenset[str]) -> str | None:
    wanted = brand_field.strip().casefold()
    for field in fields:
        if not isinstance(field, Mapping):
            continue
        name = (text(field.get("name")) or "").casefold()
        if name != wanted and text(field.get("uuid")) not in brand_uuids:
            continue
        value = field.get("value")
        # A select field: the value is a list of the chosen options; the brand is the first one.
        if isinstance(value, list):
            value = next((v for v in value if text(v)), None)
        return text(value)
    return None


def _required_id(payload: Mapping[str, Any], what: str) -> int:
    record_id = to_int(payload.get("id")) if isinstance(payload, Mapping) else None
    if record_id is None:
        raise BadRecord(None, f"{what} without a readable id")
    return record_id


def read_all(records: Iterable[Any], convert: Callable[[Mapping[str, Any]], T], what: str) -> list[T]:
    """Convert every readable dictionary record; log and leave out the others."""
    result: list[T] = []
    for record in records:
        try:
            result.append(convert(record))
        except (BadRecord, ValueError, TypeError, AttributeError) as exc:
            log.warning("skipping a KeyCRM %s record: %s", what, exc)
    return result
