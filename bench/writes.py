"""Write benchmark (SPEC §8): KeyCRM JSON → committed DuckDB store, and how soon 1,000 changed orders show.

    .venv/bin/python bench/writes.py STORE [--orders 20000] [--batch 1000] [--runs 3]

STORE is a copy of a big store (e.g. the 1 M-order one `bench/queries.py` builds): it is copied to a
temporary file first, so the original is left alone. Orders come from the fake KeyCRM's shop, rendered as
the API's JSON (`render_order`, every shape variant), with ids above the store's.

- write rate: map the JSON pages (`page_from_keycrm`) and `apply` them `--batch` orders a transaction,
  `--orders` in all, wall time from JSON to committed;
- 1,000 changed orders: re-render 1,000 stored recent orders with a new total and line quantity, then time
  JSON → committed → `totals` of the current month showing the new revenue;
- both once with the rollups kept (as shipped) and once with their upkeep switched off
  (`Deltas` replaced by a no-op), interleaved, to show what the rollups cost on write.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.integration.fake_keycrm

from tests.integration.fake_keycrm import make_shop, render_order, shop_dictionaries  # noqa: E402

from ksales.adapters.duckdb import DuckDbSalesStore, writes  # noqa: E402
from ksales.adapters.keycrm.client import ORDER_INCLUDES  # noqa: E402
from ksales.adapters.keycrm.mapping import page_from_keycrm  # noqa: E402
from ksales.domain.filters import Scope  # noqa: E402
from ksales.domain.model import Order  # noqa: E402
from ksales.domain.rules import Rules, SalesType  # noqa: E402
from ksales.ports.store import OrderChanges  # noqa: E402

NOW = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
INCLUDES = set(ORDER_INCLUDES.split(","))


class _NoDeltas:
    """The rollups' upkeep switched off (for measuring what it costs; the rollups go stale)."""

    def __init__(self, cursor: Any) -> None: ...

    def subtract(self, order_ids: Any) -> None: ...

    def add(self, order_ids: Any) -> None: ...

    def fold(self) -> None: ...


@contextmanager
def upkeep(on: bool) -> Iterator[None]:
    kept = writes.Deltas
    if not on:
        writes.Deltas = _NoDeltas  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        writes.Deltas = kept  # type: ignore[misc]


def pages_of(orders: list[Order]) -> list[list[dict[str, Any]]]:
    statuses = {s.id: s for s in shop_dictionaries().statuses}
    records = [render_order(o, INCLUDES, statuses) for o in orders]
    return [records[i : i + 50] for i in range(0, len(records), 50)]


def write(store: DuckDbSalesStore, pages: list[list[dict[str, Any]]], batch: int) -> float:
    """Seconds from JSON pages to committed, `batch` orders a transaction."""
    statuses = {s.id: s for s in shop_dictionaries().statuses}
    started = time.perf_counter()
    pending: list[Order] = []
    for page in pages:
        pending.extend(page_from_keycrm(page, statuses).orders)
        if len(pending) >= batch:
            store.apply(OrderChanges(tuple(pending)))
            pending = []
    if pending:
        store.apply(OrderChanges(tuple(pending)))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rules = Rules()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.duckdb"
        shutil.copy(args.store, path)
        store = DuckDbSalesStore(path, rules)
        store.save_dictionaries(shop_dictionaries())
        base = store.order_count()
        top = store._read("max id", lambda c: c.execute("SELECT max(id) FROM orders").fetchone())
        next_id = int(top[0] if top and top[0] else 0) + 1
        print(f"store: {base:,} orders; load average before: {os.getloadavg()[0]:.2f}")
        rates: dict[bool, list[float]] = {True: [], False: []}
        visible: dict[bool, list[float]] = {True: [], False: []}
        month = Scope(date(2026, 11, 1), date(2026, 11, 26), SalesType.ALL)
        for run in range(args.runs):
            for on in (True, False):
                shop = make_shop(run * 2 + on, args.orders, NOW, 25)
                fresh = [attrs.evolve(o, id=next_id + i) for i, o in enumerate(shop)]
                next_id += len(fresh)
                pages = pages_of(fresh)
                with upkeep(on):
                    seconds = write(store, pages, args.batch)
                rates[on].append(len(fresh) / seconds)
                # 1,000 of the orders just stored, changed: a new total and line quantity.
                changed = [
                    attrs.evolve(
                        o,
                        grand_total=o.grand_total + Decimal(1),
                        lines=tuple(attrs.evolve(line, quantity=line.quantity + 1) for line in o.lines),
                        updated_at=NOW,
                    )
                    for o in fresh[:1000]
                ]
                changed_pages = pages_of(changed)
                with upkeep(on):
                    started = time.perf_counter()
                    write(store, changed_pages, 1000)
                    after = store.totals(month).revenue
                    visible[on].append((time.perf_counter() - started) * 1000)
                if not on:  # untimed: back to rollups that agree with the rows
                    store.rebuild_rollups()
                if on:  # the rollups show what the raw rows say
                    store.rollups = False
                    assert after == store.totals(month).revenue
                    store.rollups = True
        size = path.stat().st_size / 2**20
        print(f"load average after: {os.getloadavg()[0]:.2f}; store after the runs: {size:.0f} MiB")
        for on in (True, False):
            label = "rollups kept (as shipped)" if on else "rollups' upkeep off"
            print(
                f"{label:<26} write rate median {statistics.median(rates[on]):,.0f} orders/s "
                f"({', '.join(f'{r:,.0f}' for r in rates[on])}); 1,000 changed → visible "
                f"median {statistics.median(visible[on]):.0f} ms "
                f"({', '.join(f'{v:.0f}' for v in visible[on])})"
            )
        store.close()


if __name__ == "__main__":
    main()
