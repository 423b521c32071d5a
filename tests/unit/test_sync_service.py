"""SyncService rules on the InMemoryCrm: resume, checkpoint, dictionaries, status, skipped records."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.crm import Asked, InMemoryCrm
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.domain.errors import CrmUnavailable
from ksales.domain.model import Dictionaries, Order, Status
from ksales.domain.search import OrderQuery
from ksales.ports.crm import TimeWindow
from ksales.services.sync import (
    CHECKPOINT_KEY,
    FULL_PROGRESS_KEY,
    FULL_SYNC_KEY,
    FullRun,
    SyncProgress,
    SyncService,
    windows,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DICTS = Dictionaries(statuses=(Status(1, "New", 1),))


def order(order_id: int, placed: datetime, updated: datetime | None = None) -> Order:
    return Order(order_id, 1, Decimal(order_id), placed, placed, updated or placed, 1, 1)


def shop_crm(data: dict[int, Order], fail_at: int | None = None) -> InMemoryCrm:
    """An InMemoryCrm with these orders; its request number `fail_at` fails."""
    crm = InMemoryCrm(data.values(), DICTS)
    if fail_at is not None:
        crm.failures[fail_at] = CrmUnavailable(f"KeyCRM did not answer request {fail_at}")
    return crm


def calls(crm: InMemoryCrm) -> list[str]:
    """What the CRM was asked, one line a call: `dictionaries`, `created 02-13`, `search 3`."""
    return [_line(what) for what in crm.asked]


def _line(what: Asked) -> str:
    if isinstance(what, OrderQuery):
        return f"search {what.value}"
    if isinstance(what, tuple):
        if what[0] == "count":
            return f"count {what[1].start:%m-%d}"
        window, by = what
        return f"{by.value} {window.start:%m-%d}"
    return what


def shop(count: int = 30, days: int = 30) -> dict[int, Order]:
    return {i: order(i, NOW - timedelta(days=days) + timedelta(hours=23 * i)) for i in range(1, count + 1)}


def test_windows_cover_the_range_without_gaps() -> None:
    parts = windows(NOW, NOW + timedelta(days=10), timedelta(days=7))
    assert parts == [
        TimeWindow(NOW, NOW + timedelta(days=7)),
        TimeWindow(NOW + timedelta(days=7), NOW + timedelta(days=10)),
    ]
    assert windows(NOW, NOW, timedelta(days=7)) == []


async def test_full_sync_reports_progress_and_sets_the_checkpoint() -> None:
    crm, store = shop_crm(shop()), InMemorySalesStore()
    events: list[SyncProgress] = []
    report = await SyncService(crm, store, FixedClock(NOW)).full(days=30, progress=events.append)
    assert store.orders == crm.by_id
    assert [e.window for e in events] == list(range(1, events[-1].windows + 1)) and events[-1].fetched == 30
    assert report.fetched == 30 and report.inserted == 30
    assert (
        store.get_meta(CHECKPOINT_KEY)
        == max(o.updated_at for o in crm.by_id.values() if o.updated_at).isoformat()
    )
    assert store.get_meta(FULL_SYNC_KEY) == NOW.isoformat() and store.get_meta(FULL_PROGRESS_KEY) == ""


async def test_a_full_sync_in_one_window_writes_once_and_stores_the_same() -> None:
    """The demo's first load reads its recent weeks as one window: one write instead of one a week."""
    stored = []
    for window in (None, timedelta(days=31)):
        crm, store = shop_crm(shop()), InMemorySalesStore()
        events: list[SyncProgress] = []
        await SyncService(crm, store, FixedClock(NOW)).full(days=30, progress=events.append, window=window)
        stored.append((store.orders, store.get_meta(CHECKPOINT_KEY)))
        if window is not None:
            assert [(e.window, e.windows) for e in events] == [(1, 1)]
            assert [c for c in calls(crm) if c != "dictionaries"] == ["created 01-30", "updated 01-30"]
    assert stored[0] == stored[1] and len(stored[0][0]) == 30


async def test_a_future_updated_at_never_pushes_the_checkpoint_past_now() -> None:
    data = shop()
    data[99] = order(99, NOW - timedelta(days=1), NOW + timedelta(days=3650))
    store = InMemorySalesStore()
    await SyncService(shop_crm(data), store, FixedClock(NOW)).full(days=30)
    assert store.get_meta(CHECKPOINT_KEY) == NOW.isoformat()


async def test_a_failed_run_is_recorded_and_raises() -> None:
    crm, store = shop_crm(shop(), fail_at=5), InMemorySalesStore()
    sync = SyncService(crm, store, FixedClock(NOW))
    with pytest.raises(CrmUnavailable):
        await sync.full(days=30)
    status = sync.last_status()
    assert status is not None and not status.ok and "did not answer" in (status.error or "")
    assert not sync.running


async def test_a_cancelled_run_is_recorded_as_failed() -> None:
    class Stalling(InMemoryCrm):
        async def dictionaries(self) -> Dictionaries:
            await asyncio.Event().wait()
            raise AssertionError

    sync = SyncService(Stalling(shop().values(), DICTS), InMemorySalesStore(), FixedClock(NOW))
    task = asyncio.create_task(sync.full(days=30))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    status = sync.last_status()
    assert status is not None and not status.ok and status.error == "CancelledError"


async def test_a_rerun_resumes_below_the_oldest_written_window() -> None:
    crm, store = shop_crm(shop(), fail_at=6), InMemorySalesStore()
    sync = SyncService(crm, store, FixedClock(NOW))
    with pytest.raises(CrmUnavailable):
        await sync.full(days=30)  # dictionaries, the newest window (2 requests), the next (2), then dies
    run = FullRun.load(store.get_meta(FULL_PROGRESS_KEY))
    assert run is not None and run.done == NOW + timedelta(hours=1) - timedelta(days=14)
    crm.asked.clear()
    await sync.full(days=30)
    # The written windows are re-checked by placement (for deletions), then the older ones are read.
    assert calls(crm)[:5] == [
        "dictionaries",
        "created 02-22",
        "created 02-15",
        "created 02-08",
        "updated 02-08",
    ]
    assert store.orders == crm.by_id


async def test_a_resumed_full_sync_misses_no_deletion_in_the_windows_written_before() -> None:
    data = shop()
    crm, store = shop_crm(data, fail_at=6), InMemorySalesStore()
    sync = SyncService(crm, store, FixedClock(NOW))
    with pytest.raises(CrmUnavailable):
        await sync.full(days=30)
    run = FullRun.load(store.get_meta(FULL_PROGRESS_KEY))
    assert run is not None
    gone = next(i for i, o in sorted(store.orders.items()) if o.placed_at >= run.done)
    del crm.by_id[gone]
    report = await sync.full(days=30)
    assert report.ok and gone not in store.orders and store.orders == crm.by_id
    assert store.get_meta(FULL_PROGRESS_KEY) == "" and store.get_meta(FULL_SYNC_KEY) is not None


async def test_a_longer_full_sync_than_the_interrupted_one_starts_afresh() -> None:
    crm, store = shop_crm(shop(), fail_at=6), InMemorySalesStore()
    sync = SyncService(crm, store, FixedClock(NOW))
    with pytest.raises(CrmUnavailable):
        await sync.full(days=30)
    crm.asked.clear()
    await sync.full(days=60)
    assert calls(crm)[:3] == ["dictionaries", "created 02-22", "updated 02-22"]


async def test_incremental_rereads_the_dictionaries_only_when_stale() -> None:
    crm, store = shop_crm(shop()), InMemorySalesStore()
    clock = FixedClock(NOW)
    sync = SyncService(crm, store, clock)
    await sync.full(days=30)
    crm.asked.clear()
    clock.advance(timedelta(minutes=5))
    await sync.incremental()
    assert "dictionaries" not in calls(crm) and len(calls(crm)) == 2
    clock.advance(timedelta(minutes=30))
    await sync.incremental()
    assert calls(crm).count("dictionaries") == 1


async def test_incremental_advances_the_checkpoint_to_the_newest_update_received() -> None:
    crm, store = shop_crm(shop()), InMemorySalesStore()
    clock = FixedClock(NOW)
    sync = SyncService(crm, store, clock)
    await sync.full(days=30)
    clock.advance(timedelta(hours=2))
    crm.by_id[7] = attrs.evolve(crm.by_id[7], grand_total=Decimal(1), updated_at=NOW + timedelta(hours=1))
    report = await sync.incremental()
    assert report.updated == 1 and store.orders[7].grand_total == 1
    assert store.get_meta(CHECKPOINT_KEY) == (NOW + timedelta(hours=1)).isoformat()
    report = await sync.incremental()
    assert (report.inserted, report.updated, report.removed) == (0, 0, 0)
    assert store.get_meta(CHECKPOINT_KEY) == (NOW + timedelta(hours=1)).isoformat()


async def test_skipped_records_are_not_taken_for_deletions() -> None:
    crm, store = shop_crm(shop()), InMemorySalesStore()
    sync = SyncService(crm, store, FixedClock(NOW))
    await sync.full(days=30)
    crm.unreadable[5] = "unparseable ordered_at 'x'"
    report = await sync.full(days=30)
    assert report.removed == 0 and report.skipped >= 1 and 5 in store.orders
    assert not any(c.startswith("search") for c in calls(crm))


async def test_deleted_orders_are_looked_up_then_removed() -> None:
    crm, store = shop_crm(shop()), InMemorySalesStore()
    sync = SyncService(crm, store, FixedClock(NOW))
    await sync.full(days=30)
    del crm.by_id[3]
    report = await sync.full(days=30)
    assert report.removed == 1 and store.orders == crm.by_id and "search 3" in calls(crm)
