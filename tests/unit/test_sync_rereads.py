"""The re-read sweeps and the whole-history sync on the in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.crm import InMemoryCrm
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.domain.model import Dictionaries, Order, Status
from ksales.ports.crm import WindowField
from ksales.services.sync import SyncService
from ksales.services.sync.rereads import Budget, RereadPlan, chunk_start
from ksales.services.sync.service import WHOLE_HISTORY_KEY

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DICTS = Dictionaries(statuses=(Status(1, "New", 1),))


def order(order_id: int, placed: datetime) -> Order:
    return Order(order_id, 1, Decimal(order_id), placed, placed, placed, 1, 1)


def test_the_budget_is_a_share_of_the_limit_per_interval() -> None:
    assert Budget.share(60, 10, 60).per_interval == 6
    assert Budget.share(20, 10, 60).per_interval == 2
    assert Budget.share(60, 10, 300).per_interval == 30
    assert Budget.share(60, 10, 0).per_interval == 6  # syncs off: still counted per minute


def test_a_chunk_holds_at_most_its_pages_of_orders() -> None:
    placed = [NOW - timedelta(minutes=7 * i) for i in range(400)]

    def count(start: datetime, end: datetime) -> int:
        return sum(1 for p in placed if start <= p < end)

    bottom = NOW - timedelta(days=30)
    start = chunk_start(NOW + timedelta(hours=1), bottom, 100, count)
    assert count(start, NOW + timedelta(hours=1)) <= 100 < count(start - timedelta(minutes=8), NOW)
    assert chunk_start(NOW, bottom, 1000, count) == bottom


def test_the_plan_survives_the_store_and_an_unreadable_one_starts_over() -> None:
    plan = RereadPlan(1.5, {"30d": 0.25}, {"48h": NOW}, 1.2)
    assert RereadPlan.load(plan.dump()) == plan
    assert RereadPlan.load("{nonsense") == RereadPlan()


async def test_the_whole_history_is_read_newest_window_first_until_keycrm_has_nothing_older() -> None:
    data = [order(i, NOW - timedelta(days=40 * i)) for i in range(1, 12)]  # back to ~440 days
    crm, store = InMemoryCrm(data, DICTS), InMemorySalesStore()
    report = await SyncService(crm, store, FixedClock(NOW), window=timedelta(days=30)).incremental()
    assert report.mode == "full" and store.orders == crm.by_id
    reads = [w for w in crm.asked if isinstance(w, tuple) and w[0] != "count"]
    starts = [w[0].start for w in reads if w[1] is WindowField.CREATED]  # type: ignore[union-attr]
    assert starts == sorted(starts, reverse=True)  # newest first
    counts = [w for w in crm.asked if isinstance(w, tuple) and w[0] == "count"]
    assert 1 <= len(counts) <= 3  # once at the start, then only when the orders left should be none
    assert store.get_meta(WHOLE_HISTORY_KEY) is not None


async def test_a_store_without_the_whole_history_says_how_to_load_it_once(caplog: object) -> None:
    import logging

    import pytest

    assert isinstance(caplog, pytest.LogCaptureFixture)
    caplog.set_level(logging.INFO)
    data = [order(i + 1, NOW - timedelta(days=100 * i, hours=1)) for i in range(5)]
    crm, store = InMemoryCrm(data, DICTS), InMemorySalesStore()
    sync = SyncService(crm, store, FixedClock(NOW))
    await sync.full(days=30)  # an empty store: no advice yet
    await sync.full(days=30)
    await sync.full(days=30)
    advice = [r for r in caplog.records if "--days all" in r.getMessage()]
    assert len(advice) == 1
    await sync.full(days=None)
    assert store.orders == crm.by_id and store.get_meta(WHOLE_HISTORY_KEY) is not None
    caplog.clear()
    await SyncService(crm, store, FixedClock(NOW)).full(days=30)
    assert not [r for r in caplog.records if "--days all" in r.getMessage()]
