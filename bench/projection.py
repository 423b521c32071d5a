"""Backtest the month-end projection (SPEC §5) against the naive run-rate.

    .venv/bin/python bench/projection.py                       # the demo shop's two years (seed 7)
    .venv/bin/python bench/projection.py data/analytics.duckdb --today 2026-12-02

For every day of each of the 12 complete months before `today`, the projection the dashboard would have
shown that morning (a fixed clock at --hour, default 09:00 local: `AnalyticsService.summary` for `month`, the
very code the page and the bot use) is set against the month's actual revenue, and so is the naive run-rate
(so far ÷ days elapsed × days in the month, the elapsed days counting the morning's hours as a fraction, so
day 1 has one). WAPE = Σ |forecast − actual| ÷ Σ actual over the 12 months, by day of month.
"""

from __future__ import annotations

import argparse
import asyncio
import calendar
import os
import platform
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from ksales.adapters.demo.crm import DemoCrm
from ksales.adapters.duckdb.store import DuckDbSalesStore
from ksales.adapters.memory import FixedClock
from ksales.domain.filters import Filters, Scope
from ksales.domain.goals import add_months
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.pace import WeekdayProfile, cut_time, profile_weeks
from ksales.domain.periods import Period, PeriodKind
from ksales.domain.rules import Rules, SalesType
from ksales.services.analytics import AnalyticsService
from ksales.services.params import ReportRequest
from ksales.services.sync import SyncService

DAYS = (1, 5, 10, 15, 20, 25)
#: (month, day, actual, projection, run-rate, level-adjusted projection)
Row = tuple[date, int, Decimal, Decimal, Decimal, Decimal]
#: The candidate rule's shrinkage: the month's own level gets weight elapsed ÷ (elapsed + K).
K = Decimal(3)


def level_adjusted(
    store: DuckDbSalesStore, scope: Scope, now: datetime, so_far: Decimal, projected: Decimal
) -> Decimal:
    """The candidate: the profile's remainder scaled by how the month runs against the profile so far.

    level = so far ÷ what the profile expected by now; the remainder is scaled by 1 − α + α × level with
    α = elapsed ÷ (elapsed + K), so that one morning's noise does not swing the month.
    """
    today = now.date()
    weeks = profile_weeks(today)
    over = scope.over(weeks)
    profile = WeekdayProfile.of(weeks, store.daily(over), store.daily_before(over, cut_time(now)))
    w = today.weekday()
    expected = profile.revenue[w] * profile.revenue_share[w]
    day = today.replace(day=1)
    while day < today:
        expected += profile.revenue[day.weekday()]
        day += timedelta(days=1)
    elapsed = Decimal(today.day - 1) + profile.revenue_share[w]
    if not expected:
        return projected
    alpha = elapsed / (elapsed + K)
    level = so_far / expected
    return so_far + (projected - so_far) * (1 - alpha + alpha * level)


def demo_store(rules: Rules, today: date, orders_per_year: int) -> DuckDbSalesStore:
    clock = FixedClock(datetime.combine(today, time(23, 59), rules.timezone).astimezone(UTC))
    store = DuckDbSalesStore(None, rules)
    crm = DemoCrm(clock=clock, seed=7, timezone=rules.timezone, orders_per_year=orders_per_year)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, SyncService(crm, store, clock).full(days=crm.history_days)).result()
    return store


def backtest(
    store: DuckDbSalesStore, rules: Rules, today: date, hour: int, sales_type: SalesType
) -> list[Row]:
    """(month, day, actual, projection, run-rate) for every morning of the 12 complete months before today."""
    clock = FixedClock(datetime.now(UTC))
    analytics = AnalyticsService(store, rules, MilestoneConfig(), clock)
    rows: list[Row] = []
    first = add_months(today.replace(day=1), -12)
    for m in range(12):
        month = add_months(first, m)
        length = calendar.monthrange(month.year, month.month)[1]
        end = month.replace(day=length)
        actual = store.totals(Scope(month, end, sales_type)).revenue
        for day in range(1, length + 1):
            morning = datetime.combine(month.replace(day=day), time(hour), rules.timezone)
            clock.instant = morning.astimezone(UTC)
            period = Period.named(PeriodKind.MONTH, morning.date())
            summary = analytics.summary(ReportRequest(period, Filters(sales_type=sales_type)))
            assert summary.projection is not None
            elapsed = Decimal(day - 1) + Decimal(hour) / 24
            run_rate = summary.revenue / elapsed * length
            scope = Scope(period.start, period.end, sales_type)
            adjusted = level_adjusted(store, scope, morning, summary.revenue, summary.projection.revenue)
            rows.append((month, day, actual, summary.projection.revenue, run_rate, adjusted))
    return rows


def wape(pairs: list[tuple[Decimal, Decimal]]) -> float:
    actual = sum((a for a, _ in pairs), Decimal(0))
    return float(sum((abs(f - a) for a, f in pairs), Decimal(0)) / actual * 100) if actual else float("nan")


def machine() -> str:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for row in info:
            if row.startswith("model name"):
                cpu = row.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "store", nargs="?", type=Path, help="an analytics.duckdb (default: build the demo shop)"
    )
    parser.add_argument("--today", default="2026-12-02", help="the day the backtest is run on (YYYY-MM-DD)")
    parser.add_argument("--hour", type=int, default=9, help="local hour of the morning projection")
    parser.add_argument("--sales-type", default="retail", choices=[s.value for s in SalesType])
    parser.add_argument("--orders-per-year", type=int, default=20_000, help="the demo shop's size")
    args = parser.parse_args(argv)
    rules = Rules()
    today = date.fromisoformat(args.today)
    started = datetime.now(UTC)
    if args.store is None:
        store = demo_store(rules, today, args.orders_per_year)
        source = f"the demo shop (seed 7, {args.orders_per_year} orders a year, two years to {today})"
    else:
        store = DuckDbSalesStore(args.store, rules)
        source = str(args.store)
    rows = backtest(store, rules, today, args.hour, SalesType(args.sales_type))
    store.close()
    print(f"`bench/projection.py {' '.join(argv if argv is not None else sys.argv[1:])}` — {source};")
    print(
        f"{args.sales_type}, projection made at {args.hour:02d}:00 local;"
        f" run {started:%Y-%m-%d %H:%M} UTC; {machine()}"
    )
    print()
    print(
        "| day of month | projection WAPE | naive run-rate WAPE | better | candidate: level-adjusted WAPE |"
    )
    print("|---|---|---|---|---|")
    wins = 0
    for day in DAYS:
        chosen = [r for r in rows if r[1] == day]
        p = wape([(r[2], r[3]) for r in chosen])
        n = wape([(r[2], r[4]) for r in chosen])
        wins += p < n
        c = wape([(r[2], r[5]) for r in chosen])
        better = "projection" if p < n else "run-rate"
        print(f"| {day} | {p:.1f} % | {n:.1f} % | {better} | {c:.1f} % |")
    every_p = wape([(r[2], r[3]) for r in rows])
    every_n = wape([(r[2], r[4]) for r in rows])
    days_won = sum(1 for r in rows if abs(r[3] - r[2]) < abs(r[4] - r[2]))
    every_c = wape([(r[2], r[5]) for r in rows])
    print(
        f"| every day ({len(rows)} mornings) | {every_p:.1f} % | {every_n:.1f} % |"
        f" projection closer on {days_won} | {every_c:.1f} % |"
    )
    print()
    print(f"The projection wins on {wins} of the {len(DAYS)} days of month shown.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
