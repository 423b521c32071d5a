"""Orders and the CRM dictionaries, as ksales keeps them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from attrs import field, frozen


def _aware(_: object, attribute: Any, value: Any) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{getattr(attribute, 'name', 'timestamp')} must be timezone-aware")


@frozen
class Buyer:
    id: int
    full_name: str | None = None
    email: str | None = None
    phone: str | None = None


@frozen
class OrderLine:
    """One product line of an order. `product_id` is None for lines without a catalog product."""

    name: str
    quantity: Decimal
    price_sold: Decimal
    product_id: int | None = None
    offer_id: int | None = None
    sku: str | None = None
    price: Decimal | None = None
    purchased_price: Decimal | None = None

    @property
    def revenue(self) -> Decimal:
        return self.price_sold * self.quantity


@frozen
class Expense:
    """A cost attached to an order (delivery, commission…). A `canceled` status means it was not paid."""

    id: int
    amount: Decimal
    expense_type_id: int | None = None
    status: str | None = None
    payment_date: datetime | None = field(default=None, validator=_aware)

    @property
    def is_paid(self) -> bool:
        return (self.status or "").lower() != "canceled"


@frozen
class Order:
    id: int
    source_id: int
    grand_total: Decimal
    created_at: datetime = field(validator=_aware)
    ordered_at: datetime | None = field(default=None, validator=_aware)
    updated_at: datetime | None = field(default=None, validator=_aware)
    status_id: int | None = None
    status_group_id: int | None = None
    manager_id: int | None = None
    buyer: Buyer | None = None
    lines: tuple[OrderLine, ...] = ()
    expenses: tuple[Expense, ...] = ()
    total_discount: Decimal = Decimal(0)
    shipping_price: Decimal = Decimal(0)

    @property
    def placed_at(self) -> datetime:
        """When the order was placed: `ordered_at`, falling back to `created_at`."""
        return self.ordered_at or self.created_at

    @property
    def buyer_id(self) -> int | None:
        return self.buyer.id if self.buyer else None


@frozen
class Source:
    id: int
    name: str
    currency_code: str | None = None


@frozen
class Status:
    id: int
    name: str
    group_id: int | None = None


@frozen
class ExpenseType:
    id: int
    name: str
    alias: str | None = None


@frozen
class Category:
    id: int
    name: str
    parent_id: int | None = None


@frozen
class Product:
    id: int
    name: str
    category_id: int | None = None
    brand: str | None = None


@frozen
class Dictionaries:
    """Everything the CRM lists besides orders, fetched before the orders of a full sync."""

    sources: tuple[Source, ...] = ()
    statuses: tuple[Status, ...] = ()
    expense_types: tuple[ExpenseType, ...] = ()
    categories: tuple[Category, ...] = ()
    products: tuple[Product, ...] = ()
