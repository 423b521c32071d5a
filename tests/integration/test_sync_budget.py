"""A sync a real account can afford, against the fake KeyCRM over HTTP, requests counted by the server."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from ksales.adapters.keycrm.client import KeyCrmClient
from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.services.sync import SyncService
from ksales.services.sync.rereads import Budget
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
MINUTE = timedelta(minutes=1)
#: KeyCRM's 60 requests a minute, 10 % of it for background syncs, one sync a minute.
BUDGET = Budget.share(60, 10, 60)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeKeyCrm]:
    fake = FakeKeyCrm()
    with serving(fake):
        yield fake


def new_client(fake: FakeKeyCrm, time: FakeTime) -> KeyCrmClient:
    return KeyCrmClient(
        fake.base_url, API_KEY, 100_000, "Brand", sleep=time.sleep, clock=time.monotonic,
        rng=random.Random(5), timeout=5.0, max_attempts=6,
    )  # fmt: skip


class Shop:
    """A shop of `per_day` orders a day: history, then new orders and updates minute by minute."""

    def __init__(self, fake: FakeKeyCrm, per_day: int, days: int = 40, seed: int = 7) -> None:
        self.fake, self.per_day = fake, per_day
        self.rng = random.Random(seed)
        history = make_shop(seed, per_day * days, NOW, days)
        # Last changes spread over the time since placement (make_shop piles the recent ones on NOW).
        history = [
            attrs.evolve(
                o,
                updated_at=o.placed_at
                + timedelta(seconds=int((NOW - o.placed_at).total_seconds() * self.rng.random() / 3)),
            )
            for o in history
        ]
        fake.load(shop_dictionaries(), history)
        self.next_id = per_day * days + 1
        self.owed = 0.0

    def minute_passes(self, now: datetime) -> None:
        """New orders at the shop's rate, and as many updates of recent ones (with an updated_at bump)."""
        self.owed += self.per_day / 1440
        while self.owed >= 1:
            self.owed -= 1
            self.fake.put(make_order(self.rng, self.next_id, now - timedelta(seconds=5), now))
            self.next_id += 1
            recent = self.rng.randrange(max(1, self.next_id - self.per_day * 3), self.next_id)
            if (order := self.fake.orders.get(recent)) is not None:
                self.fake.put(attrs.evolve(order, grand_total=order.grand_total + 1, updated_at=now))


def max_in_any(counts: list[int], runs: int) -> int:
    return max(sum(counts[i : i + runs]) for i in range(len(counts) - runs + 1))


@pytest.mark.parametrize("per_day", [30, 100, 300])
async def test_steady_state_stays_within_the_budget_over_any_ten_intervals(
    server: FakeKeyCrm, per_day: int
) -> None:
    time = FakeTime()
    server.clock = time.monotonic
    shop = Shop(server, per_day)
    clock = FixedClock(NOW)
    crm = new_client(server, time)
    try:
        sync = SyncService(crm, InMemorySalesStore(), clock, budget=BUDGET)
        await sync.full(days=40)
        counts = []
        for _ in range(70):
            clock.advance(MINUTE)
            shop.minute_passes(clock.now())
            before = server.received
            await sync.incremental()
            counts.append(server.received - before)
        assert sync.store.orders == server.orders  # type: ignore[attr-defined]
    finally:
        await crm.aclose()
    assert max_in_any(counts, 10) <= 10 * BUDGET.per_interval, counts


async def test_a_status_change_without_an_updated_at_bump_is_read_within_60_intervals(
    server: FakeKeyCrm,
) -> None:
    time = FakeTime()
    server.clock = time.monotonic
    shop = Shop(server, 100)
    clock = FixedClock(NOW)
    crm = new_client(server, time)
    try:
        sync = SyncService(crm, InMemorySalesStore(), clock, budget=BUDGET)
        await sync.full(days=40)
        for _ in range(7):
            clock.advance(MINUTE)
            await sync.incremental()
        placed = {i: o.placed_at for i, o in server.orders.items()}
        old = next(i for i, p in sorted(placed.items()) if NOW - timedelta(days=25) <= p)
        recent = next(i for i, p in sorted(placed.items()) if NOW - timedelta(hours=30) <= p)
        for order_id in (old, recent):
            order = server.orders[order_id]
            server.put(attrs.evolve(order, status_id=7, status_group_id=6))  # updated_at unchanged
        seen: dict[int, int] = {}
        for interval in range(1, 61):
            clock.advance(MINUTE)
            shop.minute_passes(clock.now())
            await sync.incremental()
            for order_id in (old, recent):
                stored = sync.store.get_order(order_id)
                if stored is not None and stored.status_id == 7:
                    seen.setdefault(order_id, interval)
    finally:
        await crm.aclose()
    assert seen.get(old, 99) <= 60 and seen.get(recent, 99) <= 10, seen


async def test_a_twenty_a_minute_account_stretches_the_rereads_and_says_so_once(
    server: FakeKeyCrm, caplog: pytest.LogCaptureFixture
) -> None:
    time = FakeTime()
    server.clock = time.monotonic
    shop = Shop(server, 300, days=31)
    clock = FixedClock(NOW)
    crm = new_client(server, time)
    budget = Budget.share(20, 10, 60)
    try:
        sync = SyncService(crm, InMemorySalesStore(), clock, budget=budget)
        await sync.full(days=31)
        counts = []
        for _ in range(30):
            clock.advance(MINUTE)
            shop.minute_passes(clock.now())
            before = server.received
            await sync.incremental()
            counts.append(server.received - before)
    finally:
        await crm.aclose()
    stretched = [r for r in caplog.records if "stretch" in r.getMessage()]
    assert len(stretched) == 1
    assert max_in_any(counts, 10) <= 10 * budget.per_interval + 6, counts  # + one dictionary re-read


async def test_the_first_sync_stores_a_five_year_history(server: FakeKeyCrm) -> None:
    time = FakeTime()
    server.clock = time.monotonic
    server.load(shop_dictionaries(), make_shop(3, 1500, NOW, 5 * 365))
    crm = new_client(server, time)
    try:
        sync = SyncService(crm, InMemorySalesStore(), FixedClock(NOW), window=timedelta(days=30))
        report = await sync.incremental()  # an empty store: the whole history, newest window first
        assert report.mode == "full"
        assert sync.store.orders == server.orders  # type: ignore[attr-defined]
        oldest = min(o.placed_at for o in server.orders.values())
        assert oldest < NOW - timedelta(days=4 * 365)
    finally:
        await crm.aclose()


async def test_the_reconciliation_finds_and_repairs_a_lost_month(server: FakeKeyCrm) -> None:
    time = FakeTime()
    server.clock = time.monotonic
    server.load(shop_dictionaries(), make_shop(5, 600, NOW, 400))
    clock = FixedClock(NOW)
    crm = new_client(server, time)
    try:
        sync = SyncService(crm, InMemorySalesStore(), clock, budget=BUDGET)
        await sync.incremental()
        await sync.reconcile()
        # An old order appears in KeyCRM with an old updated_at (no incremental sync can see it),
        # and another old one is deleted.
        placed = datetime(2025, 6, 14, 10, 0, tzinfo=UTC)
        server.put(make_order(random.Random(1), 90_001, placed, placed + timedelta(hours=1)))
        victim = next(i for i, o in sorted(server.orders.items()) if o.placed_at.month == 9)
        victim_month = f"{server.orders[victim].placed_at:%Y-%m}"
        server.delete(victim)
        clock.advance(MINUTE)
        await sync.incremental()
        assert sync.store.get_order(90_001) is None
        result = await sync.reconcile()
        assert sorted(result.mismatched) == ["2025-06", victim_month]
        assert result.unrepaired == [] and result.inserted == 1 and result.removed == 1
        assert sync.store.orders == server.orders  # type: ignore[attr-defined]
        assert (await sync.reconcile()).mismatched == []
    finally:
        await crm.aclose()


async def test_an_interrupted_full_sync_rerun_removes_an_order_deleted_meanwhile(
    server: FakeKeyCrm,
) -> None:
    class Crashing(InMemorySalesStore):
        applies = 0

        def apply(self, changes):  # type: ignore[no-untyped-def]
            self.applies += 1
            if self.applies == 4:
                raise RuntimeError("killed")
            return super().apply(changes)

    time = FakeTime()
    server.clock = time.monotonic
    server.load(shop_dictionaries(), make_shop(9, 300, NOW, 60))
    store = Crashing()
    crm = new_client(server, time)
    try:
        sync = SyncService(crm, store, FixedClock(NOW))
        with pytest.raises(RuntimeError):
            await sync.full(days=60)
        written = {o.id for o in store.orders.values()}
        gone = min(written)
        server.delete(gone)
        await sync.full(days=60)
        assert gone not in store.orders and store.orders == server.orders
    finally:
        await crm.aclose()
