"""The CRM the orders come from (KeyCRM, or the demo shop)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from attrs import frozen

from ksales.domain.model import Dictionaries, Order
from ksales.domain.search import OrderQuery
from ksales.domain.stock import Offer, OfferStock


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
class SkippedOffer:
    """A stock or offer record the CRM sent that could not be read; `offer_id` names it when readable."""

    offer_id: int | None
    reason: str

    def __str__(self) -> str:
        return f"{'?' if self.offer_id is None else self.offer_id}: {self.reason}"


@frozen
class StockPage:
    """One page of `GET /offers/stocks`: the offers' stock (without `product_id`) and the unreadable rows."""

    rows: tuple[OfferStock, ...]
    skipped: tuple[SkippedOffer, ...] = ()


@frozen
class OfferPage:
    """One page of `GET /offers`: which product each offer belongs to, and the unreadable records."""

    offers: tuple[Offer, ...]
    skipped: tuple[SkippedOffer, ...] = ()


@frozen
class SearchResult:
    orders: tuple[Order, ...]
    total: int


class Crm(Protocol):
    @property
    def requests(self) -> int:
        """How many requests this client has sent so far, for every job (a job counts its own with
        `request_meter.counting()`; an implementation calls `count_request()` for each request)."""
        ...

    async def dictionaries(self) -> Dictionaries:
        """Sources, statuses, expense types, categories and products."""
        ...

    def orders(self, window: TimeWindow, by: WindowField) -> AsyncIterator[OrderPage]:
        """Every order whose `by` timestamp falls in the window, page by page."""
        ...

    async def search_orders(
        self, query: OrderQuery, limit: int = 5, *, interactive: bool = True
    ) -> SearchResult:
        """Live lookup by order id, buyer phone or e-mail; newest first, at most `limit`.

        An interactive lookup (the bot's `/search`) goes ahead of queued sync requests; the sync's own
        lookups pass `interactive=False`.
        """
        ...

    async def count_orders(self, window: TimeWindow) -> int:
        """How many orders were placed in the window (`created_between`), by one `limit=1` request."""
        ...

    def stocks(self) -> AsyncIterator[StockPage]:
        """Every offer's current stock, page by page (KeyCRM keeps no history of it)."""
        ...

    def offers(self) -> AsyncIterator[OfferPage]:
        """Every offer with its product, page by page."""
        ...

    async def aclose(self) -> None: ...
