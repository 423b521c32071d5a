"""Time one full dashboard view (every data request the page sends for one filter state) through the ASGI app.

    .venv/bin/python bench/dashboard.py data/analytics.duckdb [--period month] [--sales-type all] [--runs 30]

Requests go through the whole Starlette stack (middleware, gzip, JSON) to a DuckDbSalesStore, in-process
(no sockets), concurrently as the browser sends them. Reports the median server time of a whole view,
each endpoint's median, and the gzip ratio of the JSON responses. SPEC §8: a view ≤ 50 ms.
The analytics keep each figure for the store's data version (`services/memo.py`), so *cold* views are timed
after a write of an order (`new_version`: every figure computed afresh, as the first view after a sync) and
*warm* views are repeats of the same view; each endpoint alone is timed cold. *Refreshed*: a view after a
write once the memo's `refresh` has run (the serving process's `keep_warm` does, a second after the data
stopped changing), with that refresh's time. `--sequential` sends a view's requests one after another.
`--raw` reads the raw rows only (the store's rollups off), for a before/after on one store.
`--http` times the views through real HTTP instead: the app under uvicorn in a process of its own
(`http_server.py`, as `ksales serve` runs it), the client in this one — the server's time without an
in-process client sharing its interpreter (cold and warm views, and the server's CPU per cold view).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import itertools
import logging
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from datetime import time as day_time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from dependency_injector import providers

from ksales.adapters.memory import FixedClock
from ksales.domain.model import Order, OrderLine
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import create_app
from ksales.ports.store import OrderChanges

BUDGET_MS = 50.0


def view_requests(params: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """What static/app.js fetches for one view."""
    return [
        ("/api/summary", params),
        ("/api/revenue/trend", {**params, "granularity": "day"}),
        ("/api/sales/by-source", params),
        ("/api/products/top", {**params, "by": "quantity", "limit": "10"}),
        ("/api/products/top", {**params, "by": "revenue", "limit": "10"}),
        ("/api/categories/breakdown", params),
        ("/api/customers/insights", params),
        ("/api/brands/analytics", {**params, "limit": "10"}),
        ("/api/expenses/summary", params),
        ("/api/expenses/profit", params),
    ]


def build_container(path: Path, today: str | None, rollups: bool = True) -> Container:
    from ksales.adapters.duckdb.store import DuckDbSalesStore

    settings = Settings.from_env(env_file=None)
    container = Container(settings=settings)
    container.sales_store.override(providers.Object(DuckDbSalesStore(path, settings.rules, rollups=rollups)))
    if today:
        noon = datetime.combine(datetime.fromisoformat(today).date(), day_time(12), settings.timezone)
        container.clock.override(providers.Object(FixedClock(noon.astimezone(UTC))))
    return container


#: The order `new_version` writes (above the generated stores' ids), and its ever new totals.
BENCH_ORDER = 10_000_000
_totals = itertools.count(100 + time.time_ns() % 1_000_000)


def new_version(container: Container) -> None:
    """A sync's write: one order of the clock's day stored with a new total (as a sync that changed an
    order), so the store's data version moves and every memoised figure is dropped."""
    placed = container.clock().now()
    line = OrderLine("Bench line", Decimal(1), Decimal(100), 1)
    order = Order(BENCH_ORDER, 1, Decimal(next(_totals)), placed, placed, placed, 5, 5, None, None, (line,))
    container.sales_store().apply(OrderChanges(upserts=(order,)))


def forget_bench_order(container: Container) -> None:
    """Leave the store as it was: `new_version`'s order removed."""
    container.sales_store().apply(OrderChanges(deletions=frozenset({BENCH_ORDER})))


async def run(
    container: Container, params: dict[str, str], runs: int, warmup: int, sequential: bool = False
) -> dict[str, Any]:
    app = create_app(container, background=False)
    requests = view_requests(params)
    views: list[float] = []
    warm: list[float] = []
    #: The process's CPU time of each view (DuckDB's threads too): steadier than wall time on a busy machine.
    cold_cpu: list[float] = []
    warm_cpu: list[float] = []
    per_endpoint: dict[str, list[float]] = {}
    #: Views after a write once the serving process's `keep_warm` has refreshed the memo, and that refresh.
    refreshed: list[float] = []
    refresh_ms: list[float] = []
    plain = compressed = 0
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app) as state,
        httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
    ):
        transport.app = _with_state(app, state)

        async def fetch(path: str, query: dict[str, str]) -> tuple[str, float, tuple[httpx.Response, bytes]]:
            started = time.perf_counter()
            # The body as sent (gzip), not decompressed here: the server's time, not the client's inflating.
            headers = {"Accept-Encoding": "gzip"}
            async with client.stream("GET", path, params=query, headers=headers) as response:
                body = b"".join([chunk async for chunk in response.aiter_raw()])
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code} {body[:200]!r}")
            return path, elapsed, (response, body)

        async def view() -> tuple[float, list[tuple[str, float, tuple[httpx.Response, bytes]]]]:
            started, cpu = time.perf_counter(), time.process_time()
            if sequential:
                results = [await fetch(p, q) for p, q in requests]
            else:
                results = list(await asyncio.gather(*(fetch(p, q) for p, q in requests)))
            cpus.append((time.process_time() - cpu) * 1000)
            return (time.perf_counter() - started) * 1000, results

        first = 0.0
        cpus: list[float] = []
        for index in range(warmup + runs):
            new_version(container)
            total, results = await view()
            if index == 0:
                first = total
            if index < warmup:
                continue
            views.append(total)
            cold_cpu.append(cpus[-1])
            warm.append((await view())[0])
            warm_cpu.append(cpus[-1])
            new_version(container)
            began = time.perf_counter()
            state["analytics"].store.refresh()
            refresh_ms.append((time.perf_counter() - began) * 1000)
            refreshed.append((await view())[0])
            for path, elapsed, (response, body) in results:
                per_endpoint.setdefault(path, []).append(elapsed)
                if index == warmup:
                    gzipped = response.headers.get("content-encoding") == "gzip"
                    plain += len(gzip.decompress(body) if gzipped else body)
                    compressed += len(body)
        # Each endpoint alone (no contention), as the per-query budget of SPEC §8 is stated.
        alone: dict[str, list[float]] = {}
        for _ in range(runs):
            for path, query in requests:
                new_version(container)
                _, elapsed, _ = await fetch(path, query)
                alone.setdefault(f"{path}?{query.get('by', '')}".rstrip("?"), []).append(elapsed)
    return {
        "first": first,
        "views": views,
        "warm": warm,
        "refreshed": refreshed,
        "refresh_ms": refresh_ms,
        "cold_cpu": cold_cpu,
        "warm_cpu": warm_cpu,
        "per_endpoint": per_endpoint,
        "alone": alone,
        "plain": plain,
        "compressed": compressed,
    }


SERVER = Path(__file__).resolve().parent / "http_server.py"


def _cpu_ms(pid: int) -> float:
    """The process's CPU time so far (user + system, all threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


async def run_http(
    store: Path, today: str | None, raw: bool, params: dict[str, str], runs: int, warmup: int
) -> dict[str, Any]:
    """The views through real HTTP: the app under uvicorn in a process of its own (`http_server.py`), as
    `ksales serve` runs it, and the client here — the server's time, without an in-process client's."""
    command = [sys.executable, str(SERVER), str(store), *(["--today", today] if today else [])]
    server = subprocess.Popen(
        [*command, *(["--raw"] if raw else [])], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdin is not None
    assert server.stdout is not None
    try:
        port = int(server.stdout.readline().split()[1])

        def write() -> None:
            assert server.stdin is not None
            assert server.stdout is not None
            server.stdin.write("write\n")
            server.stdin.flush()
            if server.stdout.readline().strip() != "ok":
                raise SystemExit("the bench server stopped")

        requests = view_requests(params)
        cold: list[float] = []
        warm: list[float] = []
        cpu: list[float] = []
        limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=len(requests))
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as client:

            async def view() -> float:
                started = time.perf_counter()
                for response in await asyncio.gather(*(client.get(p, params=q) for p, q in requests)):
                    if response.status_code != 200:
                        raise SystemExit(f"{response.url}: HTTP {response.status_code}")
                return (time.perf_counter() - started) * 1000

            for index in range(warmup + runs):
                write()
                before = _cpu_ms(server.pid)
                elapsed = await view()
                used = _cpu_ms(server.pid) - before
                if index >= warmup:
                    cold.append(elapsed)
                    cpu.append(used)
                    warm.append(await view())
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    return {"cold": cold, "warm": warm, "cpu": cpu}


def _with_state(app: Any, state: Any) -> Any:
    """httpx's ASGITransport sends no lifespan: hand each request the lifespan's state itself."""

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        scope["state"] = dict(state or {})
        await app(scope, receive, send)

    return asgi


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("store", type=Path, help="a DuckDB analytics store (e.g. data/analytics.duckdb)")
    parser.add_argument("--period", default="month")
    parser.add_argument("--sales-type", default="retail")
    parser.add_argument("--today", help="pretend today is this date (YYYY-MM-DD), e.g. the store's last day")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--from", dest="start", help="a custom period's first day (with --to)")
    parser.add_argument("--to", dest="end", help="a custom period's last day")
    parser.add_argument("--source", help="source id filter")
    parser.add_argument("--category", help="category id filter (its subtree)")
    parser.add_argument("--brand", help="brand filter")
    parser.add_argument("--raw", action="store_true", help="read the raw rows only (no rollups)")
    parser.add_argument("--sequential", action="store_true", help="send a view's requests one by one")
    parser.add_argument(
        "--http", action="store_true", help="through real HTTP: the app under uvicorn in its own process"
    )
    args = parser.parse_args(argv)
    if not args.store.is_file():
        parser.error(f"no such store: {args.store}")
    logging.basicConfig(level=logging.ERROR)
    container = build_container(args.store, args.today, rollups=not args.raw)
    params = {"period": args.period, "sales_type": args.sales_type}
    if args.start:
        params.update(period="custom", start_date=args.start, end_date=args.end or args.start)
    for key, value in (("source_id", args.source), ("category_id", args.category), ("brand", args.brand)):
        if value:
            params[key] = value
    store = container.sales_store()
    orders = store.order_count()
    if args.http:
        store.close()
        timed = asyncio.run(run_http(args.store, args.today, args.raw, params, args.runs, args.warmup))
        print(f"store: {args.store} ({orders:,} orders)  view: {params}  runs: {args.runs}")
        for name in ("cold", "warm"):
            samples = timed[name]
            print(
                f"full dashboard view through HTTP (uvicorn, its own process; {name}): median "
                f"{statistics.median(samples):.1f} ms, p90 {statistics.quantiles(samples, n=10)[-1]:.1f} ms, "
                f"p95 {statistics.quantiles(samples, n=20)[-1]:.1f} ms (budget {BUDGET_MS:.0f} ms)"
                + (f"; server CPU {statistics.median(timed['cpu']):.0f} ms" if name == "cold" else "")
            )
        return 0 if statistics.median(timed["cold"]) <= BUDGET_MS else 1
    try:
        result = asyncio.run(run(container, params, args.runs, args.warmup, args.sequential))
    finally:
        forget_bench_order(container)
        store.close()
    median = statistics.median(result["views"])
    rollups = "raw rows only" if args.raw else "rollups"
    print(f"store: {args.store} ({orders:,} orders, {rollups})  view: {params}  runs: {args.runs}")
    how = "sequential" if args.sequential else "concurrent"
    print(f"first view of the process (cold caches): {result['first']:.1f} ms")
    for name in ("cold", "warm"):
        samples = result["views" if name == "cold" else name]
        print(
            f"full dashboard view (10 requests, {how}, {name}): median {statistics.median(samples):.1f} ms, "
            f"p90 {statistics.quantiles(samples, n=10)[-1]:.1f} ms, "
            f"p95 {statistics.quantiles(samples, n=20)[-1]:.1f} ms  (budget {BUDGET_MS:.0f} ms); "
            f"CPU {statistics.median(result[f'{name}_cpu']):.1f} ms"
        )
    after, refresh = (statistics.median(result[k]) for k in ("refreshed", "refresh_ms"))
    print(
        f"after a write once keep_warm refreshed the memo: view median {after:.1f} ms"
        f" (the refresh, in the background: median {refresh:.1f} ms)"
    )
    print("each endpoint alone (cold), median:")
    for name, samples in result["alone"].items():
        print(f"  {name:<34} {statistics.median(samples):7.1f} ms")
    ratio = result["compressed"] / result["plain"] if result["plain"] else 1.0
    print(
        f"JSON of one view: {result['plain']:,} bytes, gzip {result['compressed']:,} bytes "
        f"(ratio {ratio:.2f}, {1 / ratio if ratio else 0:.1f}x smaller)"
    )
    return 0 if median <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
