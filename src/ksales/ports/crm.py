"""The CRM the orders come from (KeyCRM, or the demo shop)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from attrs import frozen

from ksales.domain.model import Dictionaries, Order
from ksales.domain.search import OrderQuery


class WindowField(StrEnum):
    """Which timestamp a window selects on: `created_between` (matches ordered_at) or `updated_between`."""

    CREATED = "created"
    UPDATED = "updated"


@frozen
class TimeWindow:
    """A half-open UTC interval [start, end)."""

    start: datetime
    end: datetime


@frozen
class SkippedRecord:
    """An order record the CRM sent that could not be read; `order_id` names it when its id was readable.

    The id is what keeps an unreadable but existing order from being taken for a deleted one.
    """

    order_id: int | None
    reason: str

    def __str__(self) -> str:
        return f"{'?' if self.order_id is None else self.order_id}: {self.reason}"


@frozen
class OrderPage:
    """One page of orders, and the records of that page that could not be read."""

    orders: tuple[Order, ...]
    skipped: tuple[SkippedRecord, ...] = ()


@frozen
class SearchResult:
    orders: tuple[Order, ...]
    total: int


class Crm(Protocol):
    @property
    def requests(self) -> int:
        """How many requests this client has sent so far."""
        ...

    async def dictionaries(self) -> Dictionaries:
        """Sources, statuses, expense types, categories and products."""
        ...

    def orders(self, window: TimeWindow, by: WindowField) -> AsyncIterator[OrderPage]:
        """Every order whose `by` timestamp falls in the window, page by page."""
        ...

    async def search_orders(self, query: OrderQuery, limit: int = 5) -> SearchResult:
        """Live lookup by order id, buyer phone or e-mail; newest first, at most `limit`."""
        ...

    async def aclose(self) -> None: ...
