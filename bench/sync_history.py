"""Sync budget benchmark: a first sync of a whole 5-year history, then steady-state incremental syncs.

KeyCrmClient + SyncService against the fake KeyCRM over real HTTP (127.0.0.1). The first sync of an empty
store reads the whole history newest window first, under a rate limit of `--limit` requests per `--window`
seconds (time scaled: `--window 2` stands for KeyCRM's minute, so seconds × 60/window read as real time).
It reports when the dashboard is usable (the last 35 days stored) and when the whole history is.

Then `--intervals` incremental syncs run one sync interval apart on a fixed clock, with new orders and
updates arriving at the shop's rate; the requests each one sent are counted by the server, against the
budget of `KSALES_SYNC_BUDGET_PCT` = 10 % of 60 requests a minute.

    .venv/bin/python bench/sync_history.py [--orders 100000] [--years 5] [--window 2] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.integration.fake_keycrm and bench.sync

from bench.sync import machine  # noqa: E402
from tests.integration.fake_keycrm import (  # noqa: E402
    API_KEY,
    FakeKeyCrm,
    make_order,
    make_shop,
    serving,
    shop_dictionaries,
)

from ksales.adapters.keycrm.client import KeyCrmClient  # noqa: E402
from ksales.adapters.memory.clock import FixedClock  # noqa: E402
from ksales.adapters.memory.store import InMemorySalesStore  # noqa: E402
from ksales.services.sync import SyncProgress, SyncService  # noqa: E402
from ksales.services.sync.rereads import Budget  # noqa: E402

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
USABLE = timedelta(days=35)


async def first_sync(fake: FakeKeyCrm, args: argparse.Namespace) -> dict[str, Any]:
    crm = KeyCrmClient(fake.base_url, API_KEY, args.limit, rate_window=args.window)
    clock = FixedClock(NOW)
    sync = SyncService(crm, InMemorySalesStore(), clock, budget=Budget.share(60, 10, 60))
    started = time.monotonic()
    usable: list[float] = []

    def progress(p: SyncProgress) -> None:
        if not usable and p.window * sync.window >= USABLE:
            usable.append(time.monotonic() - started)

    report = await sync.incremental(progress=progress)  # an empty store: the whole history
    elapsed = time.monotonic() - started
    reconciled = await sync.reconcile()
    steady = await steady_state(fake, sync, clock, args)
    await crm.aclose()
    return {
        "mode": report.mode,
        "requests": report.requests,
        "orders": sync.store.order_count(),
        "usable": usable[0] if usable else elapsed,
        "whole": elapsed,
        "reconcile_requests": reconciled.requests,
        "mismatched": len(reconciled.mismatched),
        **steady,
    }


async def steady_state(
    fake: FakeKeyCrm, sync: SyncService, clock: FixedClock, args: argparse.Namespace
) -> dict[str, Any]:
    fake.rate_limit = 10**9  # the budget is what is measured now, not the limiter
    rng = random.Random(3)
    per_day = args.orders / (args.years * 365.25)
    owed, next_id, counts = 0.0, args.orders + 1, []
    for _ in range(args.intervals):
        clock.advance(timedelta(minutes=1))
        owed += per_day / 1440
        while owed >= 1:
            owed -= 1
            fake.put(make_order(rng, next_id, clock.now() - timedelta(seconds=5), clock.now()))
            next_id += 1
        before = fake.received
        await sync.incremental()
        counts.append(fake.received - before)
    windows = [sum(counts[i : i + 10]) for i in range(len(counts) - 9)]
    return {
        "per_day": per_day,
        "mean": sum(counts) / len(counts),
        "max10": max(windows) / 10,
        "intervals": len(counts),
        "equal": sync.store.orders == fake.orders,  # type: ignore[attr-defined]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--window", type=float, default=2.0, help="seconds standing for KeyCRM's minute")
    parser.add_argument("--intervals", type=int, default=120)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    fake = FakeKeyCrm(rate_limit=args.limit, window=args.window)
    fake.load(shop_dictionaries(), make_shop(1, args.orders, NOW, int(args.years * 365.25)))
    with serving(fake):
        r = asyncio.run(first_sync(fake, args))
    scale = 60 / args.window
    usable_min, whole_min = r["usable"] * scale / 60, r["whole"] * scale / 60
    command = (
        f"`.venv/bin/python bench/sync_history.py --orders {args.orders} --years {args.years} "
        f"--window {args.window:g} --intervals {args.intervals}`"
    )
    text = "\n".join(
        [
            "## Sync budget and the whole history (issue 12)",
            "",
            f"{command} — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {machine()}. "
            "Other engineers' jobs shared the 2 cores.",
            "",
            f"First sync of an empty store from a {args.years}-year shop of {args.orders} orders "
            f"(fake KeyCRM over HTTP, {args.limit} requests per {args.window:g} s = KeyCRM's minute scaled "
            f"{scale:g}×; the client keeps a tenth of the limit for interactive requests), then incremental "
            f"syncs one minute apart with new orders at the shop's rate ({r['per_day']:.0f} a day), "
            "requests counted by the server.",
            "",
            "| measure | result |",
            "|---|---|",
            f"| first sync reported as | `{r['mode']} sync` |",
            f"| orders stored | {r['orders']} |",
            f"| requests of the first sync | {r['requests']} |",
            f"| dashboard usable (last 35 days stored) | {r['usable']:.1f} s scaled ≈ "
            f"**{usable_min:.1f} min** at 60/min |",
            f"| whole history stored | {r['whole']:.1f} s scaled ≈ **{whole_min:.0f} min** at 60/min |",
            f"| reconciliation after it | {r['reconcile_requests']} requests, "
            f"{r['mismatched']} months disagreed |",
            f"| steady state: requests per interval (mean of {r['intervals']}) | **{r['mean']:.2f}** "
            "(budget 6 = 10 % of 60/min) |",
            f"| steady state: most in any 10 intervals, per interval | {r['max10']:.2f} |",
            f"| store equal to the CRM after them | {r['equal']} |",
            "",
        ]
    )
    print(text)
    if not args.no_write:
        path = ROOT / "bench" / "RESULTS.md"
        old = path.read_text()
        start = old.find("\n## Sync budget")
        if start == -1:
            new = old.rstrip("\n") + "\n\n" + text
        else:
            end = old.find("\n## ", start + 1)
            new = old[:start].rstrip("\n") + "\n\n" + text + (old[end:] if end != -1 else "")
        path.write_text(new.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
