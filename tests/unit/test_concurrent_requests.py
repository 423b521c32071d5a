"""Jobs that share one CRM client at once each report, and pay, only the requests they send themselves."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.crm import InMemoryCrm
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.domain.model import Dictionaries, Order, Status
from ksales.domain.stock import OfferStock
from ksales.services.stocks import StockSnapshots
from ksales.services.sync import SyncService
from ksales.services.sync.rereads import Budget, RereadPlan
from ksales.services.sync.service import REREADS_KEY

KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # past 01:00 in Kyiv: a snapshot is due
DICTS = Dictionaries(statuses=(Status(1, "New", 1),))
#: 60 requests a minute, 10 % of it for background syncs, one sync a minute.
BUDGET = Budget.share(60, 10, 60)


def shop() -> InMemoryCrm:
    """An order every 4 hours for 40 days and 40 offers, 10 to a page: every job takes several requests."""
    orders = [
        Order(i, 1, Decimal(i), placed, placed, placed, 1, 1)
        for i in range(1, 241)
        for placed in [NOW - timedelta(hours=4 * i)]
    ]
    stock = [OfferStock(i, Decimal(i), product_id=100 + i) for i in range(1, 41)]
    return InMemoryCrm(orders, DICTS, stock=stock, page_size=10)


def jobs(crm: InMemoryCrm, budget: Budget | None = None) -> tuple[SyncService, StockSnapshots]:
    clock = FixedClock(NOW)
    return (
        SyncService(crm, InMemorySalesStore(), clock, window=timedelta(days=10), budget=budget),
        StockSnapshots(crm, InMemorySalesStore(), clock, KYIV),
    )


async def test_a_snapshot_beside_a_sync_counts_only_its_own_requests() -> None:
    alone = shop()
    sync, snapshots = jobs(alone)
    sync_alone = (await sync.incremental()).requests
    snapshot_alone = (await snapshots.take()).requests
    assert sync_alone + snapshot_alone == alone.requests

    shared = shop()
    sync, snapshots = jobs(shared)
    synced, snapshot = await asyncio.gather(sync.incremental(), snapshots.take())
    assert (synced.requests, snapshot.requests) == (sync_alone, snapshot_alone)
    assert shared.requests == alone.requests  # the client's lifetime total still counts both


async def test_a_concurrent_job_is_not_charged_to_the_syncs_reread_budget() -> None:
    async def plan_after_incremental(beside: bool) -> RereadPlan:
        crm = shop()
        sync, snapshots = jobs(crm, BUDGET)
        await sync.incremental()  # the first, full sync sets the checkpoint
        # Both sweeps owed two pages (100 orders) and the credit for them: this run reads a chunk of each.
        sync.store.set_meta({REREADS_KEY: RereadPlan(6.0, {"48h": 2.0, "30d": 2.0}).dump()})
        if beside:
            await asyncio.gather(sync.incremental(), snapshots.take())
        else:
            await sync.incremental()
        return RereadPlan.load(sync.store.get_meta(REREADS_KEY))

    alone = await plan_after_incremental(beside=False)
    assert list(alone.cursors) == ["30d"]  # 48 hours read whole, the first ~17 of the 30 days
    assert await plan_after_incremental(beside=True) == alone


async def test_a_reconciliation_beside_a_snapshot_counts_only_its_own_requests() -> None:
    async def reconciled(beside: bool) -> tuple[int, int]:
        crm = shop()
        sync, snapshots = jobs(crm)
        await sync.incremental()
        placed = NOW - timedelta(days=20)  # a month now disagrees: it is re-read
        crm.by_id[999] = Order(999, 1, Decimal(1), placed, placed, placed, 1, 1)
        if not beside:
            return (await sync.reconcile()).requests, crm.requests
        result, _ = await asyncio.gather(sync.reconcile(), snapshots.take())
        return result.requests, crm.requests

    alone, total_alone = await reconciled(beside=False)
    beside, total = await reconciled(beside=True)
    assert beside == alone and total > total_alone
