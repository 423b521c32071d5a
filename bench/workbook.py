"""Time the workbook (/excel, `ksales report --xlsx`, `GET /api/report`) on the big generated store.

    .venv/bin/python bench/workbook.py [--orders 1000000] [--runs 5] [--path FILE] [--keep]

The store is bench/queries.py's, with one stock snapshot of its 2,000 products added. Timed, interleaved
run by run in one process: the figures the workbook had before (the bundle and, for admins, the product
margins) and what `services/workbook.workbook_report` computes now (plus the brand and category margins,
cohorts, segments, the at-risk list and the latest snapshot), then writing the whole workbook with openpyxl.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from queries import LAST, PRODUCTS, generate, machine

from ksales.adapters.babel import BabelCatalog
from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.excel.writer import OpenpyxlReportWriter
from ksales.adapters.memory import FixedClock
from ksales.domain.filters import Filters
from ksales.domain.language import Language
from ksales.domain.margin import MarginBy
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.periods import Period
from ksales.domain.rules import Rules
from ksales.domain.stock import OfferStock, StockSnapshot
from ksales.services.analytics import AnalyticsService, ScopedRequest
from ksales.services.inventory import InventoryService
from ksales.services.params import ReportRequest
from ksales.services.workbook import EVERY_ROW, workbook_report


def snapshot(store: DuckDbSalesStore) -> None:
    rows = tuple(
        OfferStock(
            i, Decimal(i % 40), Decimal(i % 3), Decimal(100 + i % 900), Decimal(40 + i % 400), f"S{i}", i
        )
        for i in range(1, PRODUCTS + 1)
    )
    store.save_stock_snapshot(StockSnapshot(LAST, datetime(2026, 11, 26, 0, 30, tzinfo=UTC), rows))


def before(service: AnalyticsService, scoped: ScopedRequest) -> object:
    """What the workbook computed before: the bundle and the product margins."""
    return service.bundle(scoped), service.margin_breakdown(scoped, MarginBy.PRODUCT, limit=EVERY_ROW)


def ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(samples) * 1000:.0f} / {p95 * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", type=Path, default=Path("/tmp/ksales-bench.duckdb"))
    parser.add_argument("--keep", action="store_true", help="reuse the store at --path if it exists")
    args = parser.parse_args()
    rules = Rules()
    if not (args.keep and args.path.exists()):
        args.path.unlink(missing_ok=True)
        generate(args.path, args.orders, rules)
    store = DuckDbSalesStore(args.path, rules)
    if store.latest_stock_snapshot() is None:
        snapshot(store)
    clock = FixedClock(datetime(2026, 11, 26, 10, tzinfo=UTC))
    service = AnalyticsService(store, rules, MilestoneConfig(), clock)
    inventory = InventoryService(store, restock_days=14)
    writer = OpenpyxlReportWriter(BabelCatalog())
    views = {
        "month": ReportRequest(Period.custom(date(2026, 10, 1), date(2026, 10, 31)), Filters()),
        "365 days": ReportRequest(Period.custom(date(2025, 11, 27), LAST), Filters()),
    }
    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    print(f"`bench/workbook.py --orders {args.orders} --runs {args.runs}` — {stamp};")
    print(f"{machine()}.\n")
    print(f"- store: {store.order_count():,} orders, one snapshot of {PRODUCTS:,} offers\n")
    print("| view | figures before (median / p95 ms) | figures now | ratio | writing the workbook | sheets |")
    print("|---|---|---|---|---|---|")
    for name, request in views.items():
        scoped = service.resolve(request)
        report = workbook_report(service, inventory, scoped, costs=True, contacts=True)
        steps: dict[str, Callable[[], object]] = {
            "before": partial(before, service, scoped),
            "now": partial(workbook_report, service, inventory, scoped, costs=True, contacts=True),
            "write": partial(writer.write, report, Language.UK),
        }
        timings: dict[str, list[float]] = {key: [] for key in steps}
        for _ in range(args.runs):
            for key, step in steps.items():
                started = time.perf_counter()
                step()
                timings[key].append(time.perf_counter() - started)
        ratio = statistics.median(timings["now"]) / statistics.median(timings["before"])
        products = len(report.bundle.products.products)
        print(
            f"| {name} | {ms(timings['before'])} | {ms(timings['now'])} | {ratio:.2f} × |"
            f" {ms(timings['write'])} | 10 ({products:,} products) |"
        )
    store.close()


if __name__ == "__main__":
    main()
