"""The reference Crm: orders and dictionaries held in dicts, answered the way the Crm port promises."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from datetime import datetime
from typing import Literal, TypeAlias

from ksales.domain.model import Dictionaries, Order
from ksales.domain.search import OrderQuery, QueryKind
from ksales.ports.crm import OrderPage, SearchResult, SkippedRecord, TimeWindow, WindowField

PAGE_SIZE = 50

#: What one call asked for: the dictionaries, the orders of a window, or a search.
Asked: TypeAlias = Literal["dictionaries"] | tuple[TimeWindow, WindowField] | OrderQuery


class InMemoryCrm:
    """Implements `Crm` over `by_id` and `catalog`; a test changes them to change the shop.

    Orders come by id, `page_size` to a page (one request each). An order in `unreadable` (id → reason)
    stands for a record the CRM sends but that cannot be read: its windows name it as a `SkippedRecord`,
    and no search finds it. `failures` makes the request of that number (see `requests`) raise;
    `asked` lists what each call asked for.
    """

    def __init__(
        self,
        orders: Iterable[Order] = (),
        catalog: Dictionaries | None = None,
        *,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.by_id: dict[int, Order] = {o.id: o for o in orders}
        self.catalog = catalog or Dictionaries()
        self.page_size = page_size
        self.unreadable: dict[int, str] = {}
        self.failures: dict[int, Exception] = {}
        self.asked: list[Asked] = []
        self.requests = 0

    async def dictionaries(self) -> Dictionaries:
        self._ask("dictionaries")
        return self.catalog

    async def orders(self, window: TimeWindow, by: WindowField) -> AsyncIterator[OrderPage]:
        """Every order whose placement (`created`) or `updated_at` is in [start, end), by id."""
        self._ask((window, by))
        matching = sorted((o for o in self.by_id.values() if _in(window, _stamp(o, by))), key=lambda o: o.id)
        for offset in range(0, max(len(matching), 1), self.page_size):
            if offset:
                self._request()
            yield self._page(matching[offset : offset + self.page_size])

    async def search_orders(self, query: OrderQuery, limit: int = 5) -> SearchResult:
        """The readable orders matching the query, newest placement first; `total` counts them all."""
        self._ask(query)
        found = sorted(
            (o for o in self.by_id.values() if o.id not in self.unreadable and matches(o, query)),
            key=lambda o: (o.placed_at, o.id),
            reverse=True,
        )
        return SearchResult(tuple(found[: max(limit, 0)]), len(found))

    async def aclose(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"InMemoryCrm({len(self.by_id)} orders, {self.requests} requests)"

    def _page(self, orders: list[Order]) -> OrderPage:
        return OrderPage(
            tuple(o for o in orders if o.id not in self.unreadable),
            tuple(SkippedRecord(o.id, self.unreadable[o.id]) for o in orders if o.id in self.unreadable),
        )

    def _ask(self, what: Asked) -> None:
        self.asked.append(what)
        self._request()

    def _request(self) -> None:
        self.requests += 1
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
