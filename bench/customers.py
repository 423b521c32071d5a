"""Time the customer reports (cohorts, segments, the customer list) on the big generated store.

    .venv/bin/python bench/customers.py [--orders 1000000] [--runs 20] [--path FILE] [--keep]

The store is bench/queries.py's (≈400,000 buyers over two years up to 2026-11-26). Each report is timed
through `AnalyticsService` (the store's queries plus the domain's work on them), for a month and a year view,
retail and all sales types, and with a source + category filter (cohorts only: segments and the list take
the sales type alone). SPEC §8: cohorts, segments and the customer list ≤ 50 ms median on 1,000,000 orders.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from queries import LAST, generate, machine, timed

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.memory import FixedClock
from ksales.domain.categories import CategoryTree
from ksales.domain.customers import Segment
from ksales.domain.filters import Filters, Scope
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.periods import Period
from ksales.domain.rules import Rules, SalesType
from ksales.services.analytics import AnalyticsService, ScopedRequest
from ksales.services.params import ReportRequest

TARGET_MS = 50.0


def views(store: DuckDbSalesStore) -> dict[str, ScopedRequest]:
    tree = CategoryTree(store.categories())
    month = Period.custom(date(2026, 10, 1), date(2026, 10, 31))
    year = Period.custom(date(2025, 11, 27), LAST)

    def view(period: Period, sales_type: SalesType, **narrow: object) -> ScopedRequest:
        filters = Filters(sales_type, narrow.get("source_id"), narrow.get("category_id"))  # type: ignore[arg-type]
        categories = tree.descendants(2) if "category_id" in narrow else None
        scope = Scope(period.start, period.end, sales_type, filters.source_id, categories)
        return ScopedRequest(ReportRequest(period, filters), scope)

    return {
        "month, retail": view(month, SalesType.RETAIL),
        "year, all": view(year, SalesType.ALL),
        "month, source 1 + category 2": view(month, SalesType.RETAIL, source_id=1, category_id=2),
    }


def reports(service: AnalyticsService) -> dict[str, Callable[[ScopedRequest], object]]:
    return {
        "cohorts (12 months)": lambda r: service.cohorts(r, 12),
        "cohorts (36 months)": lambda r: service.cohorts(r, 36),
        "segments": service.segments,
        "customer list (all, 50)": lambda r: service.customer_list(r, None, 50),
        "customer list (at_risk, 500)": lambda r: service.customer_list(r, Segment.AT_RISK, 500),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--path", type=Path, default=Path("/tmp/ksales-bench.duckdb"))
    parser.add_argument("--keep", action="store_true", help="reuse the store at --path if it exists")
    args = parser.parse_args()
    rules = Rules()
    load = None
    if not (args.keep and args.path.exists()):
        args.path.unlink(missing_ok=True)
        load = generate(args.path, args.orders, rules)
    store = DuckDbSalesStore(args.path, rules)
    clock = FixedClock(datetime(2026, 11, 26, 10, tzinfo=UTC))
    service = AnalyticsService(store, rules, MilestoneConfig(), clock)
    # Timed cold, as the first view after a sync reads them: without the memo of the store's reads per data
    # version (services/memo.py), which would answer every repeat of a run from memory.
    service.store = store
    buyers = store._read(
        "counting buyers",
        lambda c: c.execute("SELECT count(DISTINCT buyer_id) FROM orders").fetchone(),
    )
    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    print(f"`bench/customers.py --orders {args.orders} --runs {args.runs}` — {stamp};")
    print(f"{machine()}.\n")
    print(f"- store: {store.order_count():,} orders, {buyers[0] if buyers else 0:,} buyers")
    if load is not None:
        print(f"- generated and loaded in {load:.1f} s")
    print()
    scoped = views(store)
    print("| report | " + " | ".join(f"{name} (median / p95 ms)" for name in scoped) + " |")
    print("|---|" + "---|" * len(scoped))
    misses = []
    for name, report in reports(service).items():
        cells = []
        for view, request in scoped.items():
            ((median, p95),) = timed(store, report, request, args.runs, [True])  # type: ignore[arg-type]
            over = median > TARGET_MS
            cells.append(f"{'**' if over else ''}{median:.1f}{'**' if over else ''} / {p95:.1f}")
            if over:
                misses.append(f"{name} ({view})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    segments = service.segments(scoped["year, all"]).segments
    print(
        "\nSegments of the year view, all sales types: "
        + ", ".join(f"{s.segment} {s.customers:,}" for s in segments)
    )
    cohorts = service.cohorts(scoped["year, all"], 12)
    print(f"Time to a second purchase (year view): {cohorts.time_to_second_purchase_days} days")
    print(
        f"\nTarget ≤ {TARGET_MS:.0f} ms median: "
        + (f"missed by {', '.join(misses)}." if misses else "all met.")
    )
    store.close()


if __name__ == "__main__":
    main()
