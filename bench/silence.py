"""Backtest the silence alert (SPEC §7) on the demo shop, where the checkout never broke.

    .venv/bin/python bench/silence.py                      # 12 weeks, H = 1, 2, 3, 4, 6, a check every 5 min
    .venv/bin/python bench/silence.py --weeks 4 --hours 3

Every `--step` minutes of each day of the `--weeks` complete weeks before `--today`, the very code the bot's
alert job runs (`SilenceWatch.begun` / `.lasts` with the 30-minute rule of `domain.alerts.step`, the data
always fresh) is asked whether a silence starts or ends. Every alert it raises is a false one. Beside it, for
each whole hour from 09:00 + H to 21:00, whether the rule was *armed* (the profile expected ≥ H orders in the
window), and the time one check takes on this store.

`--candidate N` tries a stricter rule than SPEC §7 (not shipped): the profile must expect at least max(H, N)
orders in the window, so that a quiet window by chance (e^−expected) stays rare, however many a day has.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time as clock_time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ksales.adapters.demo.crm import DemoCrm
from ksales.adapters.duckdb.store import DuckDbSalesStore
from ksales.adapters.memory import FixedClock
from ksales.domain.alerts import AlertState, step
from ksales.domain.filters import Scope
from ksales.domain.pace import WeekdayProfile, cut_time, profile_weeks
from ksales.domain.rules import Rules, SalesType
from ksales.domain.silence import expected_orders, starts, watched, window_start
from ksales.services import silence as silence_service
from ksales.services.silence import SilenceWatch
from ksales.services.sync import SyncService


def demo_store(rules: Rules, today: date, orders_per_year: int) -> DuckDbSalesStore:
    clock = FixedClock(datetime.combine(today, time(6), rules.timezone).astimezone(UTC))
    store = DuckDbSalesStore(None, rules)
    crm = DemoCrm(clock=clock, seed=7, timezone=rules.timezone, orders_per_year=orders_per_year)
    with ThreadPoolExecutor(1) as pool:  # the sync is async; run it on a loop of its own
        pool.submit(asyncio.run, SyncService(crm, store, clock).full(days=crm.history_days)).result()
    return store


def armed(store: DuckDbSalesStore, now: datetime, hours: int, floor: Decimal) -> bool:
    """The profile expects at least H orders in the window ending `now` (as `SilenceWatch.begun` asks)."""
    start = window_start(now, hours)
    weeks = profile_weeks(now.date())
    over = Scope(weeks.start, weeks.end, SalesType.ALL)
    whole = store.daily(over)
    at_start = WeekdayProfile.of(weeks, whole, store.daily_before(over, cut_time(start)))
    at_now = WeekdayProfile.of(weeks, whole, store.daily_before(over, cut_time(now)))
    return expected_orders(at_start, at_now, now.weekday()) >= max(Decimal(hours), floor)


def backtest(
    store: DuckDbSalesStore, zone: ZoneInfo, days: list[date], hours: int, every: int, floor: Decimal
) -> dict[str, float]:
    silence = SilenceWatch(store, zone, hours)
    state, alerts, under, checks, timings = AlertState(), 0, 0, 0, []
    for day in days:
        moment = datetime.combine(day, time(0), zone)
        while moment.date() == day:
            begun = clock_time.perf_counter()
            if state.active and state.sent_at is not None:
                faulty = silence.lasts(state.sent_at, moment)
            else:
                faulty = silence.begun(moment, fresh=True) is not None
            if state.active or watched(moment, hours):  # a check that asks the store
                timings.append(clock_time.perf_counter() - begun)
            changed = step(state, faulty, moment)
            if changed is not None:
                state = changed
                alerts += state.active
            under += state.active
            checks += watched(moment, hours)
            moment += timedelta(minutes=every)
    ends = [datetime.combine(day, time(hour), zone) for day in days for hour in range(9 + hours, 22)]
    armed_hours = sum(armed(store, end, hours, floor) for end in ends)
    return {
        "alerts": alerts,
        "per_week": alerts / (len(days) / 7),
        "alert_hours": under * every / 60,
        "armed_pct": 100 * armed_hours / len(ends),
        "watched_checks": checks,
        "check_ms": 1000 * statistics.median(timings),
    }


def machine() -> str:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}; load average {load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 2))
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument(
        "--hours", default="1,2,3,4,6", help="the values of KSALES_ALERT_SILENCE_HOURS to try"
    )
    parser.add_argument("--step", type=int, default=5, help="minutes between checks (the bot: 1)")
    parser.add_argument("--orders-per-year", default="3000,8000,20000", help="demo shop sizes to try")
    parser.add_argument("--candidate", type=Decimal, help="also expect at least this many orders (not SPEC)")
    args = parser.parse_args(argv)
    if args.candidate is not None:
        floor = args.candidate

        def stricter(now: datetime, hours: int, orders: int, expected: Decimal, fresh: bool) -> bool:
            return expected >= floor and starts(now, hours, orders, expected, fresh)

        setattr(silence_service, "starts", stricter)  # noqa: B010 (the bench swaps the rule)
    zone = ZoneInfo("Europe/Kyiv")
    rules = Rules(timezone=zone)
    started = clock_time.monotonic()
    monday = args.today - timedelta(days=args.today.weekday())
    days = [monday - timedelta(days=n) for n in range(7 * args.weeks, 0, -1)]
    rule = "SPEC §7" if args.candidate is None else f"candidate: at least max(H, {args.candidate})"
    print(f"{days[0]} – {days[-1]} ({len(days)} days), a check every {args.step} min, {rule}; {machine()}")
    print()
    print(
        "| orders a year | a day | H | false alerts | per week | hours under one | armed | check (median) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(n) for n in args.orders_per_year.split(",")):
        store = demo_store(rules, args.today, size)
        per_day = store.totals(Scope(days[0], days[-1], SalesType.ALL)).orders / len(days)
        for hours in (int(h) for h in args.hours.split(",")):
            r = backtest(store, zone, days, hours, args.step, args.candidate or Decimal(0))
            print(
                f"| {size} | {per_day:.1f} | {hours} | {r['alerts']:.0f} | {r['per_week']:.2f} |"
                f" {r['alert_hours']:.1f} | {r['armed_pct']:.0f} % | {r['check_ms']:.2f} ms |",
                flush=True,
            )
        store.close()
    print()
    print(f"total {clock_time.monotonic() - started:.0f} s; {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
