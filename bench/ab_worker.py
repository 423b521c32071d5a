"""One side of bench/ab.py: opens the store with the `ksales` on its path and times a read per request.

    python bench/ab_worker.py customers|queries|stocks|views STORE.duckdb TREE

Prints the read names (tab-separated), then for each line read from stdin (a read's index) the milliseconds
that one call took.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.domain.rules import Rules


def customer_reads(path: Path) -> tuple[dict[str, Callable[[], object]], Callable[[], None]]:
    from customers import reports, views

    from ksales.adapters.memory import FixedClock
    from ksales.domain.milestones import MilestoneConfig
    from ksales.services.analytics import AnalyticsService

    rules = Rules()
    store = DuckDbSalesStore(path, rules)
    clock = FixedClock(datetime(2026, 11, 26, 10, tzinfo=UTC))
    service = AnalyticsService(store, rules, MilestoneConfig(), clock)
    reads: dict[str, Callable[[], object]] = {}
    for report, call in reports(service).items():
        for view, request in views(store).items():
            reads[f"{report}, {view}"] = lambda call=call, request=request: call(request)  # type: ignore[misc]
    return reads, lambda: None


def query_reads(path: Path) -> tuple[dict[str, Callable[[], object]], Callable[[], None]]:
    from queries import queries, views

    store = DuckDbSalesStore(path, Rules())
    reads: dict[str, Callable[[], object]] = {}
    for name, query in queries(store).items():
        for view, scope in views(store).items():
            reads[f"{name}, {view}"] = lambda query=query, scope=scope: query(scope)  # type: ignore[misc]
    return reads, lambda: None


#: The dashboard views issue 17 times (bench/dashboard.py's filters), for the `views` kind.
VIEWS = {
    "this month": {"period": "month"},
    "last month": {"period": "last_month"},
    "365 days": {"period": "custom", "start_date": "2025-11-27", "end_date": "2026-11-26"},
    "365 d, category 2": {
        "period": "custom",
        "start_date": "2025-11-27",
        "end_date": "2026-11-26",
        "category_id": "2",
    },
    "365 d, brand acme": {
        "period": "custom",
        "start_date": "2025-11-27",
        "end_date": "2026-11-26",
        "brand": "acme",
    },
    "365 d, source 1": {
        "period": "custom",
        "start_date": "2025-11-27",
        "end_date": "2026-11-26",
        "source_id": "1",
    },
}


def view_reads(path: Path) -> tuple[dict[str, Callable[[], object]], Callable[[], None]]:
    """Whole dashboard views through the app (bench/dashboard.py's requests, sent at once), each cold:
    right after a write that bumps the data version, as the first view after a sync."""
    import asyncio
    import contextlib

    import httpx
    from dashboard import _with_state, build_container, new_version, view_requests

    from ksales.entrypoints.web import create_app

    container = build_container(path, "2026-11-26")
    app = create_app(container, background=False)
    loop = asyncio.new_event_loop()
    stack = contextlib.AsyncExitStack()
    transport = httpx.ASGITransport(app=app)
    state = loop.run_until_complete(stack.enter_async_context(app.router.lifespan_context(app)))
    transport.app = _with_state(app, state)
    client = loop.run_until_complete(
        stack.enter_async_context(httpx.AsyncClient(transport=transport, base_url="http://bench"))
    )

    async def view(params: dict[str, str]) -> None:
        requests = view_requests({**params, "sales_type": "retail"})
        for response in await asyncio.gather(*(client.get(p, params=q) for p, q in requests)):
            response.raise_for_status()

    reads: dict[str, Callable[[], object]] = {
        name: lambda params=params: loop.run_until_complete(view(params))  # type: ignore[misc]
        for name, params in VIEWS.items()
    }
    return reads, lambda: new_version(container)


def stock_reads(path: Path) -> tuple[dict[str, Callable[[], object]], Callable[[], None]]:
    from stocks import KYIV, LAST_DAY

    from ksales.domain.inventory import Health
    from ksales.domain.model import Order, OrderLine
    from ksales.domain.periods import Period, PeriodKind
    from ksales.ports.store import OrderChanges
    from ksales.services.inventory import InventoryService

    store = DuckDbSalesStore(path, Rules(timezone=KYIV))
    service = InventoryService(store, 14)
    year = Period(LAST_DAY - timedelta(days=365), LAST_DAY, PeriodKind.CUSTOM)
    placed = datetime(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, 9, tzinfo=UTC)
    totals = itertools.count(100 + time.time_ns() % 1_000_000)

    def write() -> None:
        """A sync's changed order (a sale on the last day): memoised answers are stale after it."""
        line = OrderLine("Line", Decimal(1), Decimal(100), 1, offer_id=1)
        order = Order(10_000_000, 1, Decimal(next(totals)), placed, placed, placed, 5, 5, None, None, (line,))
        store.apply(OrderChanges(upserts=(order,)))

    reads: dict[str, Callable[[], object]] = {
        "summary": service.summary,
        "items health=low limit=50": lambda: service.items(Health.LOW, 50),
        "items (all) limit=500": lambda: service.items(None, 500),
        "trend over 366 days": lambda: service.trend(year),
        "restock news": service.restock_news,
    }
    return reads, write


def main() -> None:
    kind, path = sys.argv[1], Path(sys.argv[2])
    reads, write = {
        "customers": customer_reads,
        "queries": query_reads,
        "stocks": stock_reads,
        "views": view_reads,
    }[kind](path)
    calls = list(reads.values())
    print("\t".join(reads), flush=True)
    for line in sys.stdin:
        call = calls[int(line)]
        write()
        began = time.perf_counter()
        call()
        print(f"{(time.perf_counter() - began) * 1000:.3f}", flush=True)


if __name__ == "__main__":
    main()
