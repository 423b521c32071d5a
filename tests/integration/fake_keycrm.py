"""A fake KeyCRM Open API (Starlette, served by uvicorn on 127.0.0.1) following the vendor spec.

The truth is held as domain objects (`FakeKeyCrm.orders`, `.dictionaries`) and rendered into the
vendor's JSON shapes — with the variations real accounts show (string ids, `T`/`Z`/offset timestamps,
money as strings, missing manager/buyer/offer, status group only in the status dictionary) — so that a
test can compare what the store holds with the truth itself.
"""

from __future__ import annotations

import asyncio
import random
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from ksales.domain.model import (
    Buyer,
    Category,
    Dictionaries,
    Expense,
    ExpenseType,
    Order,
    OrderLine,
    Product,
    Source,
    Status,
)
from ksales.domain.stock import OfferStock

API_KEY = "test-secret-key-123"
BRAND_FIELD = "Brand"
BRAND_UUID = "CT_1002"
STATUS_GROUPS = {1: 1, 2: 1, 3: 2, 4: 4, 5: 5, 6: 6, 7: 6}


@attrs.define
class Fault:
    status: int = 503
    stall: float = 0.0  # seconds to hold the request before answering (the client should time out)
    retry_after: str | None = None


class FakeTime:
    """A monotonic clock that moves only when someone sleeps on it (share it with the client and server)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


class FakeKeyCrm:
    def __init__(
        self,
        api_key: str = API_KEY,
        rate_limit: int = 100_000,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_key = api_key
        self.rate_limit, self.window, self.clock = rate_limit, window, clock
        self.lock = threading.Lock()
        self.orders: dict[int, Order] = {}
        self.dictionaries = Dictionaries()
        #: The stock by offer id, each offer's product included (served by `/offers/stocks` and `/offers`).
        self.stock: dict[int, OfferStock] = {}
        self.stock_overrides: dict[int, dict[str, Any]] = {}  # raw fields laid over a stock row
        self.faults: dict[int, Fault] = {}  # by the number of the request that should fail
        #: An outage: every request from this number on gets the fault (None: no outage).
        self.down_from: int | None = None
        self.outage = Fault(503)
        self.overrides: dict[int, dict[str, Any]] = {}  # raw fields laid over an order's rendering
        self.received = 0
        self._version = 0  # bumped on every change of the orders (see `_orders`' cache)
        self._found: dict[tuple[tuple[str, str], ...], tuple[dict[int, Order], int, list[Order]]] = {}
        self.rejected_429 = 0
        self.paths: list[str] = []
        self.arrivals: deque[float] = deque()
        #: When each request arrived (on `clock`), for tests that count requests per minute.
        self.times: list[float] = []
        self.base_url = ""
        self.app = Starlette(
            routes=[
                Mount(
                    "/v1",
                    routes=[
                        Route("/order", self._orders),
                        Route("/order/source", self._list(lambda d: d.sources, _source)),
                        Route("/order/status", self._list(lambda d: d.statuses, _status)),
                        Route("/order/expense-type", self._list(lambda d: d.expense_types, _expense_type)),
                        Route("/order/{order_id}", self._order),
                        Route("/products/categories", self._list(lambda d: d.categories, _category)),
                        Route("/products", self._list(lambda d: d.products, _product)),
                        Route("/custom-fields", self._custom_fields),
                        Route("/offers", self._offers),
                        Route("/offers/stocks", self._stocks),
                    ],
                )
            ]
        )

    # --- the data, for tests ----------------------------------------------------------------
    def load(self, dictionaries: Dictionaries, orders: list[Order]) -> None:
        with self.lock:
            self.dictionaries = dictionaries
            self.orders = {o.id: o for o in orders}
            self._version += 1
            self.faults, self.received, self.rejected_429, self.paths = {}, 0, 0, []
            self.overrides = {}
            self.arrivals.clear()

    def load_stock(self, rows: list[OfferStock]) -> None:
        """Replace the stock (and forget corrupted rows); the request counters are left alone."""
        with self.lock:
            self.stock = {row.offer_id: row for row in rows}
            self.stock_overrides = {}

    def corrupt_stock(self, offer_id: int, **fields: Any) -> None:
        """Serve these raw field values in the offer's stock row (to make it unreadable)."""
        with self.lock:
            self.stock_overrides[offer_id] = fields

    def put(self, order: Order) -> None:
        with self.lock:
            self.orders[order.id] = order
            self._version += 1

    def delete(self, order_id: int) -> None:
        with self.lock:
            self.orders.pop(order_id, None)
            self._version += 1

    def corrupt(self, order_id: int, **fields: Any) -> None:
        """Serve these raw field values in the order's JSON (to make it unreadable)."""
        with self.lock:
            self.overrides[order_id] = fields
            self._version += 1

    def _render(self, order: Order, includes: set[str], statuses: dict[int, Status]) -> dict[str, Any]:
        return {**render_order(order, includes, statuses), **self.overrides.get(order.id, {})}

    def drop_faults(self, status: int) -> None:
        """Forget the faults with this status that have not fired yet."""
        with self.lock:
            self.faults = {n: f for n, f in self.faults.items() if f.status != status}

    def go_down(self, after: int = 0, fault: Fault | None = None) -> None:
        """Answer every request after the next `after` ones with `fault` (503) until `come_back()`."""
        with self.lock:
            self.down_from = self.received + after + 1
            self.outage = fault or Fault(503)

    def come_back(self) -> None:
        with self.lock:
            self.down_from = None

    def fail(self, request_number: int, fault: Fault) -> None:
        """Answer the `request_number`-th request from the start (see `received`) with `fault`."""
        with self.lock:
            self.faults[request_number] = fault

    # --- the API ------------------------------------------------------------------------------
    async def _gate(self, request: Request) -> Response | None:
        with self.lock:
            self.received += 1
            self.paths.append(str(request.url.path))
            fault = self.faults.pop(self.received, None)
            if self.down_from is not None and self.received >= self.down_from:
                fault = self.outage
            now = self.clock()
            self.times.append(now)
            while self.arrivals and self.arrivals[0] + self.window <= now:
                self.arrivals.popleft()
            limited = len(self.arrivals) >= self.rate_limit
            if limited:
                self.rejected_429 += 1
            else:
                self.arrivals.append(now)
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return JSONResponse({"message": "Unauthenticated."}, 401)
        if limited:
            return JSONResponse({"message": "Too Many Attempts."}, 429)
        if fault is not None:
            if fault.stall:
                await asyncio.sleep(fault.stall)
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
            return JSONResponse({"message": "fault"}, fault.status, headers=headers)
        return None

    def _page(
        self,
        request: Request,
        path: str,
        records: list[Any],
        render: Callable[[Any], dict[str, Any]] | None = None,
    ) -> Response:
        """One page of `records` (rendered by `render`, only those on the page, when given)."""
        try:
            limit = min(max(int(request.query_params.get("limit", 15)), 1), 50)
            page = max(int(request.query_params.get("page", 1)), 1)
        except ValueError:
            return JSONResponse({"message": "The given data was invalid."}, 422)
        last = max((len(records) + limit - 1) // limit, 1)
        url = f"{self.base_url}/{path}?page="
        return JSONResponse(
            {
                "total": len(records),
                "current_page": page,
                "per_page": limit,
                "data": [render(r) if render else r for r in records[(page - 1) * limit : page * limit]],
                "first_page_url": f"{url}1",
                "last_page_url": f"{url}{last}",
                "next_page_url": f"{url}{page + 1}" if page < last else None,
            }
        )

    def _list(self, pick: Callable[[Dictionaries], tuple[Any, ...]], render: Callable[[Any], dict[str, Any]]):
        async def endpoint(request: Request) -> Response:
            if (denied := await self._gate(request)) is not None:
                return denied
            with self.lock:
                items = sorted(pick(self.dictionaries), key=lambda x: x.id)
            return self._page(request, request.url.path.removeprefix("/v1/"), [render(i) for i in items])

        return endpoint

    async def _custom_fields(self, request: Request) -> Response:
        if (denied := await self._gate(request)) is not None:
            return denied
        fields = [
            {"id": 2, "name": BRAND_FIELD, "uuid": BRAND_UUID, "model": "crm_product", "type": "select"},
            {"id": 3, "name": "Material", "uuid": "CT_1003", "model": "crm_product", "type": "text"},
        ]
        return JSONResponse(fields)

    async def _stocks(self, request: Request) -> Response:
        if (denied := await self._gate(request)) is not None:
            return denied
        with self.lock:
            rows = [
                {**render_stock(row), **self.stock_overrides.get(row.offer_id, {})}
                for _, row in sorted(self.stock.items())
            ]
        return self._page(request, "offers/stocks", rows)

    async def _offers(self, request: Request) -> Response:
        if (denied := await self._gate(request)) is not None:
            return denied
        with_product = "product" in request.query_params.get("include", "").split(",")
        with self.lock:
            rows = [render_offer(row, with_product) for _, row in sorted(self.stock.items())]
        if request.query_params.get("sort") == "-id":
            rows.reverse()
        return self._page(request, "offers", rows)

    async def _order(self, request: Request) -> Response:
        if (denied := await self._gate(request)) is not None:
            return denied
        includes = set(request.query_params.get("include", "").split(","))
        with self.lock:
            order = self.orders.get(_int(request.path_params["order_id"]) or -1)
            statuses = {s.id: s for s in self.dictionaries.statuses}
        if order is None:
            return JSONResponse({"message": "Not found"}, 404)
        return JSONResponse(self._render(order, includes, statuses))

    async def _orders(self, request: Request) -> Response:
        if (denied := await self._gate(request)) is not None:
            return denied
        params = request.query_params
        includes = set(params.get("include", "").split(","))
        tests: list[Callable[[Order], bool]] = []
        for key, stamp in (("created_between", "placed"), ("updated_between", "updated_at")):
            if (value := params.get(f"filter[{key}]")) is not None:
                first, last = _between(value)
                tests.append(
                    lambda o, s=stamp, a=first, b=last: _stamp(o, s) is not None and a <= _stamp(o, s) <= b
                )
        if (phone := params.get("filter[buyer_phone]")) is not None:
            digits = re.sub(r"\D", "", phone)
            tests.append(lambda o: o.buyer is not None and re.sub(r"\D", "", o.buyer.phone or "") == digits)
        if (email := params.get("filter[buyer_email]")) is not None:
            tests.append(lambda o: o.buyer is not None and (o.buyer.email or "").lower() == email.lower())
        # The pages of one query are asked one after another: filter once per query and version of the data.
        key = tuple(sorted((k, v) for k, v in params.items() if k.startswith("filter[") or k == "sort"))
        with self.lock:
            cached = self._found.get(key)
            if cached is None or cached[0] is not self.orders or cached[1] != self._version:
                found = [o for o in self.orders.values() if all(t(o) for t in tests)]
                found.sort(key=lambda o: o.id, reverse=params.get("sort") == "-id")
                self._found = {key: (self.orders, self._version, found)}
            else:
                found = cached[2]
            statuses = {s.id: s for s in self.dictionaries.statuses}
        return self._page(request, "order", found, lambda o: self._render(o, includes, statuses))


# --- serving ------------------------------------------------------------------------------------


@contextmanager
def serving(fake: FakeKeyCrm) -> Iterator[str]:
    """Serve the fake on a free port of 127.0.0.1 in a thread; yields the API root (`…/v1`)."""
    # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on such sockets (else every response waits 40 ms).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        fake.app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="none",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake KeyCRM did not start")
        time.sleep(0.01)
    fake.base_url = f"http://127.0.0.1:{port}/v1"
    try:
        yield fake.base_url
    finally:
        server.should_exit = True
        thread.join(5)
        sock.close()


# --- rendering the truth as KeyCRM JSON ---------------------------------------------------------


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _between(value: str) -> tuple[datetime, datetime]:
    first, last = (part.strip() for part in value.split(","))
    start = datetime.fromisoformat(first).replace(tzinfo=UTC)
    end = datetime.fromisoformat(last).replace(tzinfo=UTC)
    if len(last) == 10:  # a bare date ends at the end of that day
        end += timedelta(days=1, seconds=-1)
    return start, end


def _stamp(order: Order, which: str) -> datetime | None:
    # Per the vendor spec, created_between selects on ordered_at.
    return order.placed_at if which == "placed" else order.updated_at


def _time(moment: datetime | None, variant: int) -> str | None:
    if moment is None:
        return None
    utc = moment.astimezone(UTC)
    if variant == 1:
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    if variant == 2:
        return utc.astimezone(timezone(timedelta(hours=3))).isoformat()  # "+03:00"
    if variant == 3:
        return utc.strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    return utc.strftime("%Y-%m-%d %H:%M:%S")


def _money(value: Decimal | None, as_text: bool) -> Any:
    if value is None:
        return None
    return str(value) if as_text else float(value)


def render_order(order: Order, includes: set[str], statuses: dict[int, Status]) -> dict[str, Any]:
    """One OrderWithIncludes record; the order id picks the shape variant."""
    v = order.id % 6
    text_ids, text_money = v == 4, v in (2, 4)
    ident: Callable[[int | None], Any] = (
        (lambda x: None if x is None else str(x)) if text_ids else (lambda x: x)
    )
    record: dict[str, Any] = {
        "id": ident(order.id),
        "parent_id": None,
        "source_uuid": None,
        "source_id": ident(order.source_id),
        "status_id": ident(order.status_id),
        "grand_total": _money(order.grand_total, text_money),
        "total_discount": _money(order.total_discount, text_money),
        "shipping_price": _money(order.shipping_price, text_money),
        "payment_status": "paid",
        "created_at": _time(order.created_at, v % 4),
        "ordered_at": _time(order.ordered_at, (v + 1) % 4),
        "updated_at": _time(order.updated_at, (v + 2) % 4),
    }
    if v not in (1, 5):  # some payloads carry the status group only via the status (or its dictionary)
        record["status_group_id"] = order.status_group_id
    if v == 3 or "manager" not in includes:  # the manager only as a top-level id
        record["manager_id"] = order.manager_id
    if "manager" in includes and v != 3:
        record["manager"] = None if order.manager_id is None else {"id": order.manager_id, "full_name": "M"}
    if "buyer" in includes:
        record["buyer"] = _buyer(order.buyer)
    if "status" in includes and v != 1:
        status = statuses.get(order.status_id or -1)
        record["status"] = None if status is None else _status(status)
    if includes & {"products", "products.offer"}:
        record["products"] = [_line(line, "products.offer" in includes, text_money) for line in order.lines]
    if "expenses" in includes:
        record["expenses"] = [_expense(e, text_money) for e in order.expenses]
    return record


def render_stock(row: OfferStock) -> dict[str, Any]:
    """One `OfferStocks` record; the offer id picks the shape (numbers or strings, a null reserve)."""
    v = row.offer_id % 4
    as_text = v in (1, 3)
    return {
        "id": str(row.offer_id) if v == 1 else row.offer_id,
        "sku": row.sku,
        "price": _money(row.price, as_text),
        "purchased_price": _money(row.purchased_price, as_text),
        "quantity": f"{row.quantity:f}" if v == 3 else _money(row.quantity, as_text),
        "reserve": None if v == 2 and not row.reserve else _money(row.reserve, as_text),
    }


def render_offer(row: OfferStock, with_product: bool) -> dict[str, Any]:
    """One `Offer` record; some accounts leave `product_id` out where the included product has it."""
    record: dict[str, Any] = {
        "id": row.offer_id,
        "sku": row.sku,
        "barcode": None,
        "price": _money(row.price, False),
        "purchased_price": _money(row.purchased_price, False),
        "quantity": _money(row.quantity, False),
        "properties": [],
    }
    if not (with_product and row.offer_id % 5 == 0):
        record["product_id"] = row.product_id
    if with_product:
        record["product"] = (
            None if row.product_id is None else {"id": row.product_id, "name": f"Product {row.product_id}"}
        )
    return record


def make_stock(seed: int, count: int) -> list[OfferStock]:
    """`count` offers (ids 1…count) of the shop's products, some sold out, some without a purchase price."""
    rng = random.Random(f"stock:{seed}")
    rows = []
    for offer_id in range(1, count + 1):
        quantity = Decimal(rng.choice(["0", "1", "2.5", "7", "40", "120"]))
        price = Decimal(rng.randrange(5000, 90000)) / 100
        rows.append(
            OfferStock(
                offer_id=offer_id,
                quantity=quantity,
                reserve=min(quantity, Decimal(rng.choice([0, 0, 1, 3]))),
                price=price,
                purchased_price=None
                if rng.random() < 0.1
                else (price * Decimal("0.5")).quantize(Decimal("0.01")),
                sku=None if rng.random() < 0.05 else f"SKU-{offer_id}",
                product_id=None if rng.random() < 0.05 else 1 + offer_id % 12,
            )
        )
    return rows


def _buyer(buyer: Buyer | None) -> dict[str, Any] | None:
    if buyer is None:
        return None
    return {"id": buyer.id, "full_name": buyer.full_name, "email": buyer.email, "phone": buyer.phone}


def _line(line: OrderLine, with_offer: bool, text_money: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "name": line.name,
        "sku": line.sku,
        "price": _money(line.price, text_money),
        "price_sold": _money(line.price_sold, text_money),
        "purchased_price": _money(line.purchased_price, text_money),
        "quantity": _money(line.quantity, text_money),
        "unit_type": "шт",
    }
    if with_offer:
        record["offer"] = (
            None
            if line.offer_id is None
            else {"id": line.offer_id, "product_id": line.product_id, "sku": line.sku}
        )
    return record


def _expense(expense: Expense, text_money: bool) -> dict[str, Any]:
    return {
        "id": expense.id,
        "expense_type_id": expense.expense_type_id,
        "amount": _money(expense.amount, text_money),
        "status": expense.status,
        "payment_date": _time(expense.payment_date, 0),
    }


def _source(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "alias": f"src{s.id}",
        "driver": "custom",
        "currency_code": s.currency_code,
    }


def _status(s: Status) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "alias": f"st{s.id}", "is_active": True, "group_id": s.group_id}


def _expense_type(t: ExpenseType) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "alias": t.alias, "is_active": True}


def _category(c: Category) -> dict[str, Any]:
    return {"id": c.id, "name": c.name, "parent_id": c.parent_id}


def _product(p: Product) -> dict[str, Any]:
    fields = [{"id": 3, "uuid": "CT_1003", "name": "Material", "type": "text", "value": "cotton"}]
    if p.brand is not None:
        fields.append(
            {"id": 2, "uuid": BRAND_UUID, "name": BRAND_FIELD, "type": "select", "value": [p.brand]}
        )
    return {
        "id": p.id,
        "name": p.name,
        "category_id": p.category_id,
        "currency_code": "UAH",
        "custom_fields": fields,
    }


# --- a deterministic shop -----------------------------------------------------------------------


def shop_dictionaries() -> Dictionaries:
    return Dictionaries(
        sources=(Source(1, "Instagram", "UAH"), Source(2, "Telegram", "UAH"), Source(3, "Shopify", "USD")),
        statuses=tuple(Status(i, f"Status {i}", g) for i, g in STATUS_GROUPS.items()),
        expense_types=(ExpenseType(1, "Доставка", "delivery"), ExpenseType(2, "Комісія", "fee")),
        categories=(Category(1, "Одяг"), Category(2, "Сукні", 1), Category(3, "Аксесуари")),
        products=tuple(
            Product(p, f"Product {p}", 1 + p % 3, None if p % 4 == 0 else ("Acme", "Zed")[p % 2])
            for p in range(1, 13)
        ),
    )


def make_order(rng: random.Random, order_id: int, placed: datetime, updated: datetime | None = None) -> Order:
    """A random, well-formed order placed at `placed` (whole seconds, UTC)."""
    lines = tuple(
        OrderLine(
            name=f"Product {p}" if p else "Gift wrap",
            quantity=Decimal(rng.choice(["1", "2", "0.5", "3"])),
            price_sold=Decimal(rng.randrange(100, 5000)) / 100,
            product_id=p or None,
            offer_id=100 + p if p else None,
            sku=f"SKU{p}" if p else None,
            price=Decimal(rng.randrange(5000, 9000)) / 100,
            purchased_price=None if p == 0 else Decimal(rng.randrange(1000, 4000)) / 100,
        )
        for p in rng.sample(range(13), rng.randrange(0, 4))
    )
    status = rng.choice(list(STATUS_GROUPS))
    expenses = tuple(
        Expense(
            order_id * 10 + k,
            Decimal(rng.randrange(100, 9999)) / 100,
            rng.choice([1, 2, None]),
            rng.choice(["paid", "canceled", None]),
            placed + timedelta(hours=k + 1),
        )
        for k in range(rng.randrange(0, 3))
    )
    buyer = (
        None
        if rng.random() < 0.2
        else Buyer(
            rng.randrange(1, 40), f"Покупець {order_id}", f"b{order_id}@example.com", f"+38050{order_id:07d}"
        )
    )
    return Order(
        id=order_id,
        source_id=rng.choice([1, 2, 3]),
        grand_total=Decimal(rng.randrange(0, 500000)) / 100,
        created_at=placed + timedelta(seconds=rng.randrange(0, 120)),
        ordered_at=placed,
        updated_at=updated or placed + timedelta(seconds=rng.randrange(0, 86400 * 3)),
        status_id=status,
        status_group_id=STATUS_GROUPS[status],
        manager_id=rng.choice([None, 3, 15]),
        buyer=buyer,
        lines=lines,
        expenses=expenses,
        total_discount=Decimal(rng.randrange(0, 1000)) / 100,
        shipping_price=Decimal(rng.choice([0, 50, 70])),
    )


def make_shop(seed: int, count: int, now: datetime, days: int) -> list[Order]:
    """`count` orders placed over the `days` days before `now`, updated no later than `now`."""
    rng = random.Random(seed)
    orders = []
    for order_id in range(1, count + 1):
        placed = now - timedelta(seconds=rng.randrange(1, days * 86400))
        order = make_order(rng, order_id, placed)
        if order.updated_at is not None and order.updated_at > now:
            order = attrs.evolve(order, updated_at=now)
        orders.append(order)
    return orders
