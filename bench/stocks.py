"""Stock snapshot benchmark: the requests and time of one snapshot of N offers from the fake KeyCRM over HTTP.

`StockSnapshots.take` with a real `KeyCrmClient` (limited to `--limit` requests per `--window` seconds, scaled
down like bench/sync.py) and a DuckDB store in a temporary directory.

    .venv/bin/python bench/stocks.py [--offers 5000] [--limit 60] [--window 3]

`--queries` instead times the inventory reads (InventoryService on DuckDB) over `--offers` offers × `--days`
daily snapshots and `--orders` one-line orders spread over the same days, each read twice: right after a write
(a sync's new order: the service's memo is stale, so the answer is computed) and repeated (memoised):

    .venv/bin/python bench/stocks.py --queries [--offers 5000] [--days 365] [--orders 200000] \\
        [--path FILE --keep]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.integration.fake_keycrm

from tests.integration.fake_keycrm import API_KEY, FakeKeyCrm, make_stock, serving  # noqa: E402

from ksales.adapters.duckdb import DuckDbSalesStore  # noqa: E402
from ksales.adapters.keycrm.client import KeyCrmClient  # noqa: E402
from ksales.adapters.memory import FixedClock  # noqa: E402
from ksales.domain.rules import Rules  # noqa: E402
from ksales.services.stocks import StockSnapshots  # noqa: E402

KYIV = ZoneInfo("Europe/Kyiv")
#: The last snapshot day of `--queries`.
LAST_DAY = date(2026, 12, 1)


async def snapshot(fake: FakeKeyCrm, store: DuckDbSalesStore, limit: int, window: float) -> tuple[int, int]:
    client = KeyCrmClient(fake.base_url, API_KEY, rate_limit=limit, rate_window=window, timeout=10.0)
    service = StockSnapshots(client, store, FixedClock(datetime(2026, 3, 10, 8, tzinfo=UTC)), KYIV)
    try:
        report = await service.take()
    finally:
        await client.aclose()
    return report.requests, report.offers


def fill(path: Path, offers: int, days: int, orders: int) -> None:
    """A DuckDB store with the orders (one line each, 20,000 per apply) and a snapshot per day."""
    import random
    from datetime import timedelta
    from decimal import Decimal

    from ksales.domain.model import Order, OrderLine
    from ksales.domain.stock import OfferStock, StockSnapshot
    from ksales.ports.store import OrderChanges

    rng = random.Random(7)
    first = LAST_DAY - timedelta(days=days - 1)
    store = DuckDbSalesStore(path, Rules(timezone=KYIV))
    started = time.perf_counter()
    batch = []
    for n in range(orders):
        day = first + timedelta(days=rng.randrange(days))
        placed = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        offer = rng.randrange(1, offers + 1)
        line = OrderLine("Line", Decimal(rng.randint(1, 3)), Decimal(100), offer, offer_id=offer)
        batch.append(Order(n + 1, 1, Decimal(100), placed, placed, placed, 5, 5, None, None, (line,)))
        if len(batch) == 20_000:
            store.apply(OrderChanges(upserts=tuple(batch)))
            batch = []
    if batch:
        store.apply(OrderChanges(upserts=tuple(batch)))
    level = {o: rng.randint(0, 400) for o in range(1, offers + 1)}
    for d in range(days):
        day = first + timedelta(days=d)
        level = {o: max(q + rng.randint(-3, 2), 0) for o, q in level.items()}
        rows = tuple(
            OfferStock(o, Decimal(q), Decimal(0), Decimal(200), Decimal(120) if o % 10 else None, f"S{o}", o)
            for o, q in level.items()
        )
        taken = datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC)
        store.save_stock_snapshot(StockSnapshot(day, taken, rows))
    store.close()
    seconds = time.perf_counter() - started
    print(f"filled {orders} orders and {days} × {offers} snapshot rows in {seconds:.1f} s")


def inventory_queries(path: Path) -> None:
    """Time each inventory read (median of 15): after a write (the store keeps its orders), and repeated."""
    import statistics
    from datetime import timedelta
    from decimal import Decimal

    from ksales.domain.inventory import Health
    from ksales.domain.model import Order, OrderLine
    from ksales.domain.periods import Period, PeriodKind
    from ksales.ports.store import OrderChanges
    from ksales.services.inventory import InventoryService

    store = DuckDbSalesStore(path, Rules(timezone=KYIV))
    service = InventoryService(store, 14)
    placed = datetime(LAST_DAY.year, LAST_DAY.month, LAST_DAY.day, 9, tzinfo=UTC)

    # Each write gives its order a new total, so that it changes the store (also rerun with --keep).
    totals = itertools.count(100 + time.time_ns() % 1_000_000)

    def sale(run: int) -> Order:
        line = OrderLine("Line", Decimal(1), Decimal(100), 1, offer_id=1 + run)
        total = Decimal(next(totals))
        return Order(10_000_000 + run, 1, total, placed, placed, placed, 5, 5, None, None, (line,))

    year = Period(LAST_DAY - timedelta(days=365), LAST_DAY, PeriodKind.CUSTOM)
    reads = {
        "summary (latest snapshot, buckets)": service.summary,
        "items health=low limit=50": lambda: service.items(Health.LOW, 50),
        "items (all) limit=500": lambda: service.items(None, 500),
        "trend over 366 days": lambda: service.trend(year),
        "restock news (two snapshots)": service.restock_news,
        "store.offer_units (90 days)": lambda: store.offer_units(LAST_DAY - timedelta(days=89), LAST_DAY),
        "store.stock_trend (366 days)": lambda: store.stock_trend(year.start, year.end),
    }
    print(f"{'read':40s} {'after a write':>22s} {'repeated':>22s}  (median, min ms)")
    for name, read in reads.items():
        read()
        cold, warm = [], []
        for run in range(15):
            store.apply(OrderChanges(upserts=(sale(run),)))  # a sync's new order: the memos are stale
            began = time.perf_counter()
            read()
            cold.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            read()
            warm.append((time.perf_counter() - began) * 1000)
        print(
            f"{name:40s} {statistics.median(cold):12.1f} ({min(cold):6.1f})"
            f" {statistics.median(warm):12.1f} ({min(warm):6.1f})"
        )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--window", type=float, default=3.0)
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--path", type=Path, help="the store for --queries (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="reuse the store at --path if it exists")
    args = parser.parse_args()
    if args.queries:
        with tempfile.TemporaryDirectory() as folder:
            path = args.path or Path(folder) / "analytics.duckdb"
            if not (args.keep and path.exists()):
                path.unlink(missing_ok=True)
                fill(path, args.offers, args.days, args.orders)
            inventory_queries(path)
        return
    fake = FakeKeyCrm(rate_limit=args.limit, window=args.window)
    with serving(fake), tempfile.TemporaryDirectory() as folder:
        fake.load_stock(make_stock(1, args.offers))
        store = DuckDbSalesStore(Path(folder) / "analytics.duckdb", Rules(timezone=KYIV))
        started = time.perf_counter()
        requests, offers = asyncio.run(snapshot(fake, store, args.limit, args.window))
        seconds = time.perf_counter() - started
        store.close()
    pages = math.ceil(args.offers / 50)
    print(f"offers stored: {offers}")
    print(f"requests: {requests} (expected 2 × {pages} pages = {2 * pages}); HTTP 429: {fake.rejected_429}")
    print(f"seconds (window {args.window:g} s for {args.limit} requests): {seconds:.1f}")
    print(f"at KeyCRM's real {args.limit}/min: ≈ {requests / args.limit:.1f} min of the whole limit")


if __name__ == "__main__":
    main()
