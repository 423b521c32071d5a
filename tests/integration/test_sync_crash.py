"""Crash safety: a sync killed at any point (faults and 429s injected) and rerun ends with the CRM's data."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ksales.adapters.keycrm.client import KeyCrmClient
from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.domain.errors import CrmError
from ksales.ports.store import ApplyResult, OrderChanges
from ksales.services.sync import CHECKPOINT_KEY, FULL_PROGRESS_KEY, SyncService
from ksales.services.sync_report import SyncReport
from tests.integration.fake_keycrm import (
    API_KEY,
    FakeKeyCrm,
    FakeTime,
    Fault,
    make_order,
    make_shop,
    serving,
    shop_dictionaries,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAYS = 40
WEEK = timedelta(days=7)
CLIENT_LIMIT = 30


class CrashingStore(InMemorySalesStore):
    """An in-memory store whose n-th `apply` dies before writing anything, like a killed process."""

    def __init__(self, crash_on_apply: int | None = None) -> None:
        super().__init__()
        self.crash_on_apply = crash_on_apply
        self.applies = 0

    def apply(self, changes: OrderChanges) -> ApplyResult:
        self.applies += 1
        if self.applies == self.crash_on_apply:
            raise RuntimeError("crash")
        return super().apply(changes)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeKeyCrm]:
    fake = FakeKeyCrm()
    with serving(fake):
        yield fake


def new_client(fake: FakeKeyCrm, time: FakeTime, seed: int = 5) -> KeyCrmClient:
    return KeyCrmClient(
        fake.base_url, API_KEY, CLIENT_LIMIT, "Brand", sleep=time.sleep, clock=time.monotonic,
        rng=random.Random(seed), timeout=2.0, max_attempts=12,
    )  # fmt: skip


def assert_equal(store: InMemorySalesStore, fake: FakeKeyCrm) -> None:
    assert store.orders == fake.orders
    assert store.products() == sorted(fake.dictionaries.products, key=lambda p: p.id)
    assert store.statuses() == sorted(fake.dictionaries.statuses, key=lambda p: p.id)


def assert_idle(report: SyncReport) -> None:
    assert (report.inserted, report.updated, report.removed) == (0, 0, 0), report.line()


async def test_a_crashed_full_sync_resumes_where_it_stopped(server: FakeKeyCrm) -> None:
    time = FakeTime()
    server.clock, server.rate_limit = time.monotonic, CLIENT_LIMIT
    server.load(shop_dictionaries(), make_shop(3, 100, NOW, DAYS))
    store = CrashingStore(crash_on_apply=4)
    clock = FixedClock(NOW)
    crm = new_client(server, time)
    try:
        with pytest.raises(RuntimeError, match="crash"):
            await SyncService(crm, store, clock, window=WEEK).full(days=DAYS)
        assert store.get_meta(FULL_PROGRESS_KEY)
        assert store.get_meta(CHECKPOINT_KEY) is None  # only a completed full sync sets it
        status = SyncService(crm, store, clock).last_status()
        assert status is not None and not status.ok and status.error == "crash"
        before = crm.requests
        await SyncService(crm, store, clock, window=WEEK).incremental()  # no checkpoint: resumes the full
        resumed = crm.requests - before
        assert_equal(store, server)
        assert store.get_meta(FULL_PROGRESS_KEY) == ""
        windows = -(-(DAYS * 86400 + 3600) // (7 * 86400))
        # Dictionaries, one page re-checking each written window by creation date (deletions and
        # status changes since the crash), then both queries of each unwritten window.
        assert resumed == 6 + 3 + 2 * (windows - 3)
        assert_idle(await SyncService(crm, store, clock, window=WEEK).full(days=DAYS))
    finally:
        await crm.aclose()
    assert server.rejected_429 == 0


mutation = st.tuples(st.sampled_from(["edit", "move", "delete", "new", "status"]), st.integers(0, 10**6))


@given(
    seed=st.integers(0, 1000),
    crash=st.one_of(
        st.tuples(st.just("request"), st.integers(1, 40)),
        st.tuples(st.just("apply"), st.integers(1, 10)),
        st.just(("none", 0)),
    ),
    transient=st.dictionaries(
        st.integers(1, 90),
        st.sampled_from([Fault(503), Fault(500), Fault(429), Fault(429, retry_after="3"), Fault(502)]),
        max_size=5,
    ),
    server_limit=st.sampled_from([None, CLIENT_LIMIT - 4]),
    mutations=st.lists(mutation, max_size=4),
    rerun=st.sampled_from(["full", "incremental"]),
)
def test_an_interrupted_sync_rerun_ends_with_the_crms_data(
    server: FakeKeyCrm,
    seed: int,
    crash: tuple[str, int],
    transient: dict[int, Fault],
    server_limit: int | None,
    mutations: list[tuple[str, int]],
    rerun: str,
) -> None:
    time = FakeTime()
    server.clock, server.rate_limit = time.monotonic, server_limit or 100_000
    server.load(shop_dictionaries(), make_shop(seed, 60, NOW, DAYS))
    kind, point = crash
    if kind == "request":
        transient.pop(point, None)
        server.fail(point, Fault(400))  # refused: the run dies there
    for number, fault in transient.items():
        server.fail(number, fault)
    store = CrashingStore(point if kind == "apply" else None)
    asyncio.run(scenario(server, time, store, mutations, rerun))


async def scenario(
    fake: FakeKeyCrm, time: FakeTime, store: CrashingStore, mutations: list[tuple[str, int]], rerun: str
) -> None:
    clock = FixedClock(NOW)
    crm = new_client(fake, time)
    try:
        with contextlib.suppress(CrmError, RuntimeError):
            await SyncService(crm, store, clock, window=WEEK).full(days=DAYS)
        store.crash_on_apply = None
        fake.drop_faults(400)  # the crash is over (it may not have been reached)
        clock.advance(timedelta(hours=1))
        deleted = mutate(fake, mutations)
        # A new process: a new client and service over the same store.
        await crm.aclose()
        crm = new_client(fake, time, seed=6)
        sync = SyncService(crm, store, clock, window=WEEK)
        await (sync.full(days=DAYS) if rerun == "full" else sync.incremental())
        # Deletions are found by full syncs of the deleted order's window only (a resumed run may skip it).
        assert {i: store.orders[i] for i in fake.orders} == fake.orders
        assert set(store.orders) - set(fake.orders) <= deleted
        await sync.full(days=DAYS)
        assert_equal(store, fake)
        assert_idle(await sync.full(days=DAYS))
        assert_idle(await sync.incremental())
    finally:
        await crm.aclose()


def mutate(fake: FakeKeyCrm, mutations: list[tuple[str, int]]) -> set[int]:
    """Change the CRM as a shop would between two syncs (every change but `status` bumps updated_at)."""
    rng = random.Random(len(mutations))
    later = NOW + timedelta(minutes=30)
    deleted: set[int] = set()
    for what, pick in mutations:
        ids = sorted(fake.orders)
        order = fake.orders[ids[pick % len(ids)]]
        if what == "edit":
            fake.put(
                attrs.evolve(
                    order, grand_total=order.grand_total + 1, lines=order.lines[1:], updated_at=later
                )
            )
        elif what == "move":
            fake.put(attrs.evolve(order, ordered_at=NOW - timedelta(days=pick % DAYS), updated_at=later))
        elif what == "delete":
            fake.delete(order.id)
            deleted.add(order.id)
        elif what == "new":
            fake.put(make_order(rng, 1000 + pick % 1000, later - timedelta(days=pick % 3), later))
        elif order.placed_at > NOW - timedelta(days=29):  # only recent orders are re-read by creation date
            group = 6 if order.status_group_id != 6 else 1
            fake.put(attrs.evolve(order, status_id=7 if group == 6 else 1, status_group_id=group))
    return deleted
