"""SyncService + KeyCrmClient against the fake KeyCRM over HTTP: the store ends equal to the CRM."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from ksales.adapters.keycrm.client import KeyCrmClient
from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.domain.model import Order
from ksales.ports.store import SalesStore
from ksales.services.sync import CHECKPOINT_KEY, SyncService
from tests.integration.fake_keycrm import (
    API_KEY,
    FakeKeyCrm,
    FakeTime,
    make_order,
    make_shop,
    serving,
    shop_dictionaries,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAYS = 60
WEEK = timedelta(days=7)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeKeyCrm]:
    fake = FakeKeyCrm()
    with serving(fake):
        yield fake


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def fake(server: FakeKeyCrm, time: FakeTime) -> FakeKeyCrm:
    server.rate_limit, server.clock = 100_000, time.monotonic
    server.load(shop_dictionaries(), make_shop(11, 150, NOW, DAYS))
    return server


def new_client(fake: FakeKeyCrm, time: FakeTime) -> KeyCrmClient:
    return KeyCrmClient(
        fake.base_url, API_KEY, 1000, "Brand", sleep=time.sleep, clock=time.monotonic,
        rng=random.Random(5), timeout=2.0, max_attempts=6,
    )  # fmt: skip


@pytest.fixture
async def client(fake: FakeKeyCrm, time: FakeTime) -> AsyncIterator[KeyCrmClient]:
    crm = new_client(fake, time)
    yield crm
    await crm.aclose()


def memory_store(_: Path) -> SalesStore:
    return InMemorySalesStore()


def duckdb_store(tmp: Path) -> SalesStore:
    module = pytest.importorskip("ksales.adapters.duckdb.store")
    from ksales.domain.rules import Rules

    store: SalesStore = module.DuckDbSalesStore(tmp / "analytics.duckdb", Rules())
    return store


def stored_orders(store: SalesStore, ids: set[int]) -> dict[int, Order]:
    found = {i: store.get_order(i) for i in ids}
    return {i: o for i, o in found.items() if o is not None}


def assert_store_equals_crm(store: SalesStore, fake: FakeKeyCrm) -> None:
    assert store.order_count() == len(fake.orders)
    assert stored_orders(store, set(fake.orders)) == fake.orders
    truth = fake.dictionaries
    assert store.statuses() == sorted(truth.statuses, key=lambda s: s.id)
    assert store.expense_types() == sorted(truth.expense_types, key=lambda s: s.id)
    assert store.categories() == sorted(truth.categories, key=lambda s: s.id)
    assert store.products() == sorted(truth.products, key=lambda s: s.id)
    assert store.sources() == sorted(truth.sources, key=lambda s: s.id)


@pytest.mark.parametrize("open_store", [memory_store, duckdb_store], ids=["memory", "duckdb"])
async def test_full_then_incremental_sync_equal_the_crm(
    fake: FakeKeyCrm, client: KeyCrmClient, tmp_path: Path, open_store: Callable[[Path], SalesStore]
) -> None:
    store = open_store(tmp_path)
    clock = FixedClock(NOW)
    sync = SyncService(client, store, clock, window=WEEK)
    try:
        first = await sync.full(days=DAYS)
        assert_store_equals_crm(store, fake)
        assert (first.inserted, first.updated, first.removed, first.skipped) == (150, 0, 0, 0)
        assert first.requests == client.requests and fake.rejected_429 == 0
        newest = max(o.updated_at for o in fake.orders.values() if o.updated_at)
        assert store.get_meta(CHECKPOINT_KEY) == newest.isoformat()

        again = await sync.full(days=DAYS)
        assert (again.inserted, again.updated, again.removed) == (0, 0, 0)

        # An hour later: new orders, edits, a status change that does not bump updated_at, a deletion.
        clock.advance(timedelta(hours=1))
        rng = random.Random(99)
        later = NOW + timedelta(minutes=30)
        for order_id in (501, 502):
            fake.put(make_order(rng, order_id, NOW + timedelta(minutes=order_id - 500), later))
        recent = sorted(
            (o for o in fake.orders.values() if o.placed_at > NOW - timedelta(days=20)), key=lambda o: o.id
        )
        fake.put(attrs.evolve(recent[0], grand_total=recent[0].grand_total + 1, updated_at=later))
        status = 7 if recent[1].status_id != 7 else 1
        fake.put(attrs.evolve(recent[1], status_id=status, status_group_id=6 if status == 7 else 1))
        fake.put(attrs.evolve(recent[2], lines=recent[2].lines[:1], expenses=(), updated_at=later))
        deleted = recent[3].id
        fake.delete(deleted)

        step = await sync.incremental()
        assert (step.inserted, step.updated, step.removed) == (2, 3, 0)
        assert store.get_order(deleted) is not None  # incremental syncs never delete
        fake_with_deleted = {**fake.orders, deleted: recent[3]}
        assert stored_orders(store, set(fake_with_deleted)) == fake_with_deleted
        assert store.get_meta(CHECKPOINT_KEY) == later.isoformat()

        idle = await sync.incremental()
        assert (idle.inserted, idle.updated, idle.removed) == (0, 0, 0)

        weekly = await sync.full(days=DAYS)
        assert (weekly.inserted, weekly.updated, weekly.removed) == (0, 0, 1)
        assert_store_equals_crm(store, fake)
        status = sync.last_status()
        assert status is not None and status.ok and status.mode == "full" and status.removed == 1
    finally:
        store.close()


async def test_an_order_moved_to_another_window_is_updated_not_removed(
    fake: FakeKeyCrm, client: KeyCrmClient
) -> None:
    store = InMemorySalesStore()
    clock = FixedClock(NOW)
    sync = SyncService(client, store, clock, window=WEEK)
    await sync.full(days=DAYS)
    oldest = min(fake.orders.values(), key=lambda o: o.placed_at)
    # Moved a month later; neither query of its old window returns it, so it is looked up by id.
    moved = oldest.placed_at + timedelta(days=30)
    fake.put(attrs.evolve(oldest, ordered_at=moved, updated_at=moved + timedelta(hours=1)))
    report = await sync.full(days=DAYS)
    assert (report.inserted, report.updated, report.removed) == (0, 1, 0)
    assert_store_equals_crm(store, fake)


async def test_unreadable_orders_are_skipped_and_kept(fake: FakeKeyCrm, client: KeyCrmClient) -> None:
    store = InMemorySalesStore()
    sync = SyncService(client, store, FixedClock(NOW), window=WEEK)
    await sync.full(days=DAYS)
    victim = min(fake.orders)
    fake.corrupt(victim, ordered_at="31.02.2026", updated_at="not a date")
    report = await sync.full(days=DAYS)
    assert report.skipped >= 1 and report.removed == 0
    assert stored_orders(store, set(fake.orders)) == fake.orders  # the last good copy stays
