"""`DemoCrm`: the `Crm` port over the generated demo shop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta, tzinfo

import attrs

from ksales.adapters.demo.catalog import build_products, dictionaries
from ksales.adapters.demo.generator import ID_STRIDE, DayGenerator, buyer_id_for_phone
from ksales.adapters.demo.stock import StockPlan, stock_levels, stock_plans
from ksales.domain.model import Dictionaries, Order
from ksales.domain.search import OrderQuery, QueryKind
from ksales.domain.stock import Offer, OfferStock
from ksales.ports.clock import Clock
from ksales.ports.crm import OfferPage, OrderPage, SearchResult, StockPage, TimeWindow, WindowField
from ksales.ports.request_meter import count_request

PAGE_SIZE = 50
#: Two years and a month, so that a year-ago comparison of last month has data.
HISTORY_DAYS = 760
DEFAULT_ORDERS_PER_YEAR = 20_000
#: An order's last change comes at most this long after it was placed.
MAX_UPDATE_DELAY = timedelta(days=9)


class DemoCrm:
    """A deterministic synthetic shop: the same seed and the same clock give the same orders."""

    def __init__(
        self,
        clock: Clock,
        *,
        seed: int,
        timezone: tzinfo,
        orders_per_year: int = DEFAULT_ORDERS_PER_YEAR,
        history_days: int = HISTORY_DAYS,
    ) -> None:
        self.clock = clock
        self.seed = seed
        self.timezone = timezone
        self.history_days = history_days
        self.per_day = orders_per_year / 365.25
        self._products, prices = build_products(seed)
        self._generator = DayGenerator(seed, self.timezone, self._products, prices)
        self._stock_plans = stock_plans(seed, self._products, prices, self._generator.shares(), self.per_day)
        self._requests = 0
        self._days: dict[tuple[date, datetime], list[Order]] = {}

    @property
    def requests(self) -> int:
        return self._requests

    def _request(self, requests: int = 1) -> None:
        self._requests += requests
        count_request(requests)

    @property
    def first_day(self) -> date:
        return self._today() - timedelta(days=self.history_days)

    def _today(self) -> date:
        return self.clock.now().astimezone(self.timezone).date()

    async def dictionaries(self) -> Dictionaries:
        self._request(5)
        return dictionaries(self.seed)

    def day_orders(self, day: date) -> list[Order]:
        """Orders placed on a shop-local day, as they stand now (cached per day and instant)."""
        now = self._minute()
        if not self.first_day <= day <= self._today():
            return []
        key = (day, now)
        if key not in self._days:
            if len(self._days) > 4000:
                self._days.clear()
            number = (day - self.first_day).days
            self._days[key] = self._generator.orders(day, number, self._expected(day), now)
        return self._days[key]

    def _minute(self) -> datetime:
        """Statuses are computed as of the current minute, so that one sync sees one consistent shop."""
        return self.clock.now().replace(second=0, microsecond=0)

    def _expected(self, day: date) -> float:
        return self._generator.expected_orders(day, self.first_day, self._today(), self.per_day)

    def all_orders(self) -> list[Order]:
        """The whole shop as it stands now."""
        return [
            o
            for offset in range(self.history_days + 1)
            for o in self.day_orders(self.first_day + timedelta(offset))
        ]

    async def orders(self, window: TimeWindow, by: WindowField) -> AsyncIterator[OrderPage]:
        # Generating is CPU work on the event loop: give way to the server between days and pages,
        # as a network client would while waiting for KeyCRM.
        await asyncio.sleep(0)
        lead = MAX_UPDATE_DELAY if by is WindowField.UPDATED else timedelta(0)
        first = (window.start - lead).astimezone(self.timezone).date() - timedelta(days=1)
        last = window.end.astimezone(self.timezone).date() + timedelta(days=1)
        matching: list[Order] = []
        day = first
        while day <= last:
            await asyncio.sleep(0)
            for order in self.day_orders(day):
                stamp = order.placed_at if by is WindowField.CREATED else order.updated_at
                if stamp is not None and window.start <= stamp < window.end:
                    matching.append(order)
            day += timedelta(days=1)
        self._request()
        if not matching:
            yield OrderPage(())
            return
        for offset in range(0, len(matching), PAGE_SIZE):
            if offset:
                self._request()
                await asyncio.sleep(0)
            yield OrderPage(tuple(matching[offset : offset + PAGE_SIZE]))

    async def count_orders(self, window: TimeWindow) -> int:
        self._request()
        first = max(window.start.astimezone(self.timezone).date() - timedelta(days=1), self.first_day)
        last = min(window.end.astimezone(self.timezone).date() + timedelta(days=1), self._today())
        # From the placement times alone (an order placed after now does not exist yet): counting the
        # whole history must not cost generating it, on the event loop the dashboard answers from.
        now = self._minute()
        count, day = 0, first
        while day <= last:
            count += sum(
                1
                for placed in self._generator.placements(day, self._expected(day))
                if window.start <= placed < window.end and placed <= now
            )
            day += timedelta(days=1)
        return count

    async def search_orders(
        self, query: OrderQuery, limit: int = 5, *, interactive: bool = True
    ) -> SearchResult:
        self._request()
        if query.kind is QueryKind.ID:
            order_id = int(query.value)
            day = self.first_day + timedelta(days=order_id // ID_STRIDE)
            found = [o for o in self.day_orders(day) if o.id == order_id]
            return SearchResult(tuple(found), len(found))
        if query.kind is QueryKind.PHONE:
            wanted = buyer_id_for_phone(query.value)
            found = [o for o in self.all_orders() if wanted is not None and o.buyer_id == wanted]
        else:
            found = [o for o in self.all_orders() if o.buyer and (o.buyer.email or "").lower() == query.value]
        found.sort(key=lambda o: (o.placed_at, o.id), reverse=True)
        return SearchResult(tuple(found[:limit]), len(found))

    def stock_now(self) -> list[OfferStock]:
        """Every offer's stock as it stands now (run down by the orders placed so far), by offer id."""
        return sorted(
            stock_levels(self._stock_plans, self._today(), self.day_orders), key=lambda r: r.offer_id
        )

    async def stocks(self) -> AsyncIterator[StockPage]:
        await asyncio.sleep(0)
        rows = [attrs.evolve(r, product_id=None) for r in self.stock_now()]
        for offset in range(0, len(rows), PAGE_SIZE):
            self._request()
            yield StockPage(tuple(rows[offset : offset + PAGE_SIZE]))

    async def offers(self) -> AsyncIterator[OfferPage]:
        offers = [Offer(p.offer_id, p.product_id, p.sku) for p in sorted(self._stock_plans, key=_offer_id)]
        for offset in range(0, len(offers), PAGE_SIZE):
            self._request()
            yield OfferPage(tuple(offers[offset : offset + PAGE_SIZE]))

    async def aclose(self) -> None:
        self._days.clear()


def _offer_id(plan: StockPlan) -> int:
    return plan.offer_id
