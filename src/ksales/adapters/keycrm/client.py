"""KeyCrmClient: the `Crm` port over the KeyCRM Open API (httpx, async)."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from ksales.adapters.keycrm.http import DEFAULT_TIMEOUT, PAGE_SIZE, KeyCrmHttp
from ksales.adapters.keycrm.limiter import Monotonic, Sleep, SlidingWindowLimiter
from ksales.adapters.keycrm.mapping import (
    category_from_keycrm,
    expense_type_from_keycrm,
    offer_page_from_keycrm,
    page_from_keycrm,
    product_from_keycrm,
    read_all,
    source_from_keycrm,
    status_from_keycrm,
    stock_page_from_keycrm,
)
from ksales.domain.errors import CrmRejected, CrmUnavailable
from ksales.domain.model import Dictionaries, Status
from ksales.domain.search import OrderQuery, QueryKind
from ksales.ports.crm import OfferPage, OrderPage, SearchResult, StockPage, TimeWindow, WindowField
from ksales.ports.health import StatusBoard

log = logging.getLogger(__name__)

ORDER_INCLUDES = "buyer,products.offer,manager,expenses,status"
_FORMAT = "%Y-%m-%d %H:%M:%S"


def keycrm_between(window: TimeWindow) -> str | None:
    """KeyCRM's inclusive, whole-second `A, B` filter selecting exactly the half-open window [start, end).

    KeyCRM keeps whole seconds, so a timestamp t is in [start, end) exactly when
    ceil(start) <= t <= ceil(end) - 1 s: consecutive windows neither overlap nor leave a gap.
    None when the window holds no whole second.
    """
    first = _ceil_second(window.start)
    last = _ceil_second(window.end) - timedelta(seconds=1)
    if last < first:
        return None
    return f"{first.strftime(_FORMAT)}, {last.strftime(_FORMAT)}"


def _ceil_second(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    whole = moment.replace(microsecond=0)
    return whole if whole == moment else whole + timedelta(seconds=1)


class KeyCrmClient:
    """Reads orders and dictionaries from KeyCRM within `rate_limit` requests per `rate_window` seconds."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        rate_limit: int = 60,
        brand_field: str = "Brand",
        *,
        rate_window: float = 60.0,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Monotonic = time.monotonic,
        rng: random.Random | None = None,
        max_attempts: int = 8,
        status: StatusBoard | None = None,
    ) -> None:
        self.brand_field = brand_field
        # A tenth of the limit is kept for interactive requests (the bot's /search), so that a sync with
        # a backlog never makes a person wait for a minute's worth of queued pages.
        self.limiter = SlidingWindowLimiter(
            rate_limit, rate_window, clock=clock, sleep=sleep, reserve=rate_limit // 10
        )
        #: The stock snapshot's pages never take more than half the limit in any minute (SPEC §4).
        self.snapshot_limiter = SlidingWindowLimiter(
            max(rate_limit // 2, 1), rate_window, clock=clock, sleep=sleep
        )
        self._http = KeyCrmHttp(
            base_url,
            api_key,
            self.limiter,
            timeout=timeout,
            transport=transport,
            sleep=sleep,
            rng=rng,
            max_attempts=max_attempts,
            status=status,
        )
        self._statuses: dict[int, Status] | None = None

    @property
    def requests(self) -> int:
        return self._http.requests

    async def dictionaries(self) -> Dictionaries:
        """Sources, statuses, expense types, categories and products (brand from the custom field)."""
        sources = read_all(await self._all("order/source", "sources"), source_from_keycrm, "source")
        statuses = read_all(await self._all("order/status", "statuses"), status_from_keycrm, "status")
        self._statuses = {s.id: s for s in statuses}
        expense_types = read_all(
            await self._all("order/expense-type", "expense types"), expense_type_from_keycrm, "expense type"
        )
        categories = read_all(
            await self._all("products/categories", "categories"), category_from_keycrm, "category"
        )
        uuids = await self._brand_field_uuids()
        products = read_all(
            await self._all("products", "products", {"include": "custom_fields"}),
            lambda record: product_from_keycrm(record, self.brand_field, uuids),
            "product",
        )
        return Dictionaries(
            tuple(sources), tuple(statuses), tuple(expense_types), tuple(categories), tuple(products)
        )

    async def orders(self, window: TimeWindow, by: WindowField) -> AsyncIterator[OrderPage]:
        """Every order whose `by` timestamp is in [start, end); `created` matches KeyCRM's ordered_at."""
        between = keycrm_between(window)
        if between is None:
            return
        statuses = await self._status_index()
        params = {"include": ORDER_INCLUDES, "sort": "id", f"filter[{by.value}_between]": between}
        async for data in self._http.pages("order", params, f"GET /order ({by.value}_between {between})"):
            yield page_from_keycrm(data, statuses)

    async def count_orders(self, window: TimeWindow) -> int:
        """KeyCRM's `total` for the window's `created_between`, read from a one-order page."""
        between = keycrm_between(window)
        if between is None:
            return 0
        params: dict[str, str | int] = {"filter[created_between]": between, "limit": 1, "page": 1}
        body = await self._http.get("order", params, f"GET /order (count, created_between {between})")
        total = body.get("total") if isinstance(body, Mapping) else None
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            raise CrmUnavailable(f"KeyCRM answered a count of orders ({between}) without a total")
        return total

    async def search_orders(
        self, query: OrderQuery, limit: int = 5, *, interactive: bool = True
    ) -> SearchResult:
        """By id (`GET /order/{id}`, 404 → nothing), buyer phone or e-mail; newest first."""
        statuses = await self._status_index()
        if query.kind is QueryKind.ID:
            order_id = int(query.value)
            body = await self._http.get(
                f"order/{order_id}",
                {"include": ORDER_INCLUDES},
                f"GET /order/{order_id}",
                missing_ok=True,
                interactive=interactive,
            )
            if not isinstance(body, Mapping):
                return SearchResult((), 0)
            found = page_from_keycrm([body], statuses).orders[: max(limit, 0)]
            return SearchResult(found, len(found))
        key, value = (
            ("buyer_phone", f"+{query.value}")
            if query.kind is QueryKind.PHONE
            else ("buyer_email", query.value)
        )
        params: dict[str, str | int] = {
            "include": ORDER_INCLUDES,
            "sort": "-id",
            f"filter[{key}]": value,
            "limit": min(max(limit, 1), PAGE_SIZE),
            "page": 1,
        }
        body = await self._http.get("order", params, f"GET /order (search by {key})", interactive=interactive)
        data = body.get("data") if isinstance(body, Mapping) else None
        page = page_from_keycrm(data if isinstance(data, list) else [], statuses)
        orders = sorted(page.orders, key=lambda o: (o.placed_at, o.id), reverse=True)[: max(limit, 0)]
        total = body.get("total") if isinstance(body, Mapping) else None
        return SearchResult(tuple(orders), max(total if isinstance(total, int) else 0, len(page.orders)))

    async def stocks(self) -> AsyncIterator[StockPage]:
        """`GET /offers/stocks`, every page: quantity, reserve and prices per offer."""
        async for data in self._http.pages(
            "offers/stocks", {}, "GET /offers/stocks", limiter=self.snapshot_limiter
        ):
            yield stock_page_from_keycrm(data)

    async def offers(self) -> AsyncIterator[OfferPage]:
        """`GET /offers?include=product`, every page, by id: each offer's product."""
        params = {"include": "product", "sort": "id"}
        async for data in self._http.pages("offers", params, "GET /offers", limiter=self.snapshot_limiter):
            yield offer_page_from_keycrm(data)

    async def aclose(self) -> None:
        await self._http.aclose()

    def __repr__(self) -> str:
        return f"KeyCrmClient({self._http!r}, rate_limit={self.limiter.limit}/{self.limiter.window:g}s)"

    # --- helpers ------------------------------------------------------------------------------
    async def _all(self, path: str, what: str, params: Mapping[str, str] | None = None) -> list[Any]:
        records: list[Any] = []
        async for data in self._http.pages(path, params or {}, f"GET /{path} ({what})"):
            records.extend(data)
        return records

    async def _status_index(self) -> Mapping[int, Status]:
        """Statuses by id, for orders that carry neither `status_group_id` nor an included status."""
        if self._statuses is None:
            statuses = read_all(await self._all("order/status", "statuses"), status_from_keycrm, "status")
            self._statuses = {s.id: s for s in statuses}
        return self._statuses

    async def _brand_field_uuids(self) -> frozenset[str]:
        """Uuids of the product custom field named like the brand field (matched by name as well)."""
        try:
            body = await self._http.get(
                "custom-fields", {"filter[model]": "crm_product"}, "GET /custom-fields (product fields)"
            )
        except CrmRejected as exc:
            log.warning("cannot list product custom fields, matching the brand by name only: %s", exc)
            return frozenset()
        fields = body.get("data") if isinstance(body, Mapping) else body
        wanted = self.brand_field.strip().casefold()
        return frozenset(
            str(f["uuid"])
            for f in (fields if isinstance(fields, list) else [])
            if isinstance(f, Mapping)
            and f.get("uuid")
            and str(f.get("name", "")).strip().casefold() == wanted
        )
