"""Time one full dashboard view (every data request the page sends for one filter state) through the ASGI app.

    .venv/bin/python bench/dashboard.py data/analytics.duckdb [--period month] [--sales-type all] [--runs 30]

Requests go through the whole Starlette stack (middleware, gzip, JSON) to a DuckDbSalesStore, in-process
(no sockets), concurrently as the browser sends them. Reports the median server time of a whole view,
each endpoint's median, and the gzip ratio of the JSON responses. SPEC §8: a view ≤ 50 ms.
`--raw` reads the raw rows only (the store's rollups off), for a before/after on one store.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import time
from datetime import UTC, datetime
from datetime import time as day_time
from pathlib import Path
from typing import Any

import httpx
from dependency_injector import providers

from ksales.adapters.memory import FixedClock
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import create_app

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


async def run(container: Container, params: dict[str, str], runs: int, warmup: int) -> dict[str, Any]:
    app = create_app(container, background=False)
    requests = view_requests(params)
    views: list[float] = []
    per_endpoint: dict[str, list[float]] = {}
    plain = compressed = 0
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app) as state,
        httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
    ):
        transport.app = _with_state(app, state)

        async def fetch(path: str, query: dict[str, str]) -> tuple[str, float, httpx.Response]:
            started = time.perf_counter()
            response = await client.get(path, params=query, headers={"Accept-Encoding": "gzip"})
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:200]}")
            return path, elapsed, response

        for index in range(warmup + runs):
            started = time.perf_counter()
            results = await asyncio.gather(*(fetch(p, q) for p, q in requests))
            total = (time.perf_counter() - started) * 1000
            if index < warmup:
                continue
            views.append(total)
            for path, elapsed, response in results:
                per_endpoint.setdefault(path, []).append(elapsed)
                if index == warmup:
                    plain += len(response.content)
                    compressed += int(response.headers.get("content-length", len(response.content)))
        # Each endpoint alone (no contention), as the per-query budget of SPEC §8 is stated.
        alone: dict[str, list[float]] = {}
        for _ in range(runs):
            for path, query in requests:
                _, elapsed, _ = await fetch(path, query)
                alone.setdefault(f"{path}?{query.get('by', '')}".rstrip("?"), []).append(elapsed)
    return {
        "views": views,
        "per_endpoint": per_endpoint,
        "alone": alone,
        "plain": plain,
        "compressed": compressed,
    }


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
    try:
        result = asyncio.run(run(container, params, args.runs, args.warmup))
    finally:
        store.close()
    median = statistics.median(result["views"])
    rollups = "raw rows only" if args.raw else "rollups"
    print(f"store: {args.store} ({orders:,} orders, {rollups})  view: {params}  runs: {args.runs}")
    print(
        f"full dashboard view (10 requests, concurrent): median {median:.1f} ms, "
        f"p90 {statistics.quantiles(result['views'], n=10)[-1]:.1f} ms, "
        f"p95 {statistics.quantiles(result['views'], n=20)[-1]:.1f} ms  (budget {BUDGET_MS:.0f} ms)"
    )
    print("each endpoint alone, median:")
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
