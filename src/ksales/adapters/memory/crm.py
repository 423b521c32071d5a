"""The reference Crm: orders and dictionaries held in dicts, answered the way the Crm port promises."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable
from datetime import datetime
from typing import Literal, TypeAlias

import attrs

from ksales.domain.model import Dictionaries, Order
from ksales.domain.search import OrderQuery, QueryKind
from ksales.domain.stock import Offer, OfferStock
from ksales.ports.crm import (
    OfferPage,
    OrderPage,
    SearchResult,
    SkippedOffer,
    SkippedRecord,
    StockPage,
    TimeWindow,
    WindowField,
)
from ksales.ports.request_meter import count_request

PAGE_SIZE = 50

#: What one call asked for: the dictionaries, the orders of a window, or a search.
Asked: TypeAlias = (
    Literal["dictionaries", "stocks", "offers"]
    | tuple[TimeWindow, WindowField]
    | tuple[Literal["count"], TimeWindow]
    | OrderQuery
)


class InMemoryCrm:
    """Implements `Crm` over `by_id` and `catalog`; a test changes them to change the shop.

    Orders come by id, `page_size` to a page (one request each). An order in `unreadable` (id → reason)
    stands for a record the CRM sends but that cannot be read: its windows name it as a `SkippedRecord`,
    and no search finds it. `failures` makes the request of that number (see `requests`) raise;
    `asked` lists what each call asked for.

    `stock` is the shop's stock by offer id, `product_id` included: `stocks()` answers it without the
    product (as KeyCRM's stock list does) and `offers()` with it. An offer in `unreadable_stock` (id →
    reason) stands for a stock row that cannot be read: `stocks()` names it as a `SkippedOffer`.
    """

    def __init__(
        self,
        orders: Iterable[Order] = (),
        catalog: Dictionaries | None = None,
        *,
        stock: Iterable[OfferStock] = (),
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.by_id: dict[int, Order] = {o.id: o for o in orders}
        self.stock: dict[int, OfferStock] = {row.offer_id: row for row in stock}
        self.unreadable_stock: dict[int, str] = {}
        self.catalog = catalog or Dictionaries()
        self.page_size = page_size
        self.unreadable: dict[int, str] = {}
        self.failures: dict[int, Exception] = {}
        self.asked: list[Asked] = []
        self.requests = 0

    async def dictionaries(self) -> Dictionaries:
        await self._ask("dictionaries")
        return self.catalog

    async def orders(self, window: TimeWindow, by: WindowField) -> AsyncIterator[OrderPage]:
        """Every order whose placement (`created`) or `updated_at` is in [start, end), by id."""
        await self._ask((window, by))
        matching = sorted((o for o in self.by_id.values() if _in(window, _stamp(o, by))), key=lambda o: o.id)
        for offset in range(0, max(len(matching), 1), self.page_size):
            if offset:
                await self._request()
            yield self._page(matching[offset : offset + self.page_size])

    async def search_orders(
        self, query: OrderQuery, limit: int = 5, *, interactive: bool = True
    ) -> SearchResult:
        """The readable orders matching the query, newest placement first; `total` counts them all."""
        await self._ask(query)
        found = sorted(
            (o for o in self.by_id.values() if o.id not in self.unreadable and matches(o, query)),
            key=lambda o: (o.placed_at, o.id),
            reverse=True,
        )
        return SearchResult(tuple(found[: max(limit, 0)]), len(found))

    async def count_orders(self, window: TimeWindow) -> int:
        """Orders placed in the window, unreadable ones too (the CRM's `total` counts every record)."""
        await self._ask(("count", window))
        return sum(1 for o in self.by_id.values() if _in(window, o.placed_at))

    async def stocks(self) -> AsyncIterator[StockPage]:
        """The stock by offer id, without its product, `page_size` offers to a page."""
        await self._ask("stocks")
        rows = [self.stock[i] for i in sorted(self.stock)]
        for offset in range(0, max(len(rows), 1), self.page_size):
            if offset:
                await self._request()
            page = rows[offset : offset + self.page_size]
            yield StockPage(
                tuple(
                    attrs.evolve(r, product_id=None) for r in page if r.offer_id not in self.unreadable_stock
                ),
                tuple(
                    SkippedOffer(r.offer_id, self.unreadable_stock[r.offer_id])
                    for r in page
                    if r.offer_id in self.unreadable_stock
                ),
            )

    async def offers(self) -> AsyncIterator[OfferPage]:
        """Every offer of `stock` with its product, by id."""
        await self._ask("offers")
        offers = [Offer(r.offer_id, r.product_id, r.sku) for _, r in sorted(self.stock.items())]
        for offset in range(0, max(len(offers), 1), self.page_size):
            if offset:
                await self._request()
            yield OfferPage(tuple(offers[offset : offset + self.page_size]))

    async def aclose(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"InMemoryCrm({len(self.by_id)} orders, {self.requests} requests)"

    def _page(self, orders: list[Order]) -> OrderPage:
        return OrderPage(
            tuple(o for o in orders if o.id not in self.unreadable),
            tuple(SkippedRecord(o.id, self.unreadable[o.id]) for o in orders if o.id in self.unreadable),
        )

    async def _ask(self, what: Asked) -> None:
        self.asked.append(what)
        await self._request()

    async def _request(self) -> None:
        # A request is an await point, as over the network: jobs sharing this CRM interleave here.
        await asyncio.sleep(0)
        self.requests += 1
        count_request()
        failure = self.failures.pop(self.requests, None)
        if failure is not None:
            raise failure


def matches(order: Order, query: OrderQuery) -> bool:
    """Whether a search for `query` finds `order`: its id, its buyer's phone digits, its buyer's e-mail."""
    buyer = order.buyer
    match query.kind:
        case QueryKind.ID:
            return str(order.id) == query.value
        case QueryKind.PHONE:
            return buyer is not None and re.sub(r"\D", "", buyer.phone or "") == query.value
        case QueryKind.EMAIL:
            return buyer is not None and (buyer.email or "").lower() == query.value.lower()


def _stamp(order: Order, by: WindowField) -> datetime | None:
    return order.placed_at if by is WindowField.CREATED else order.updated_at


def _in(window: TimeWindow, moment: datetime | None) -> bool:
    return moment is not None and window.start <= moment < window.end
