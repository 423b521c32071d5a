import asyncio
import threading
import time
from datetime import date
from typing import Any

import attrs
import pytest

from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.domain.filters import Scope
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.results import Totals
from ksales.domain.rules import SalesType
from ksales.ports.store import OrderChanges
from ksales.services.analytics import AnalyticsService
from ksales.services.memo import MemoisedReads, keep_warm, memoised
from tests.shop import DICTIONARIES, NOW, ORDERS, RULES

NOVEMBER = Scope(date(2026, 11, 1), date(2026, 11, 30), SalesType.ALL)


class CountingStore(InMemorySalesStore):
    """The in-memory store, counting the totals it computes (and slow at it, to overlap callers)."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(RULES)
        self.computed = 0
        self.delay = delay
        self.fail = False

    def totals(self, scope: Scope) -> Totals:
        self.computed += 1
        time.sleep(self.delay)
        if self.fail:
            raise RuntimeError("the store is down")
        return super().totals(scope)


@pytest.fixture
def store() -> CountingStore:
    store = CountingStore()
    store.save_dictionaries(DICTIONARIES)
    store.apply(OrderChanges(ORDERS[:4]))
    return store


def test_a_read_is_computed_once_per_data_version(store: CountingStore) -> None:
    reads = memoised(store)
    first = reads.totals(NOVEMBER)
    assert reads.totals(NOVEMBER) == first == store.totals(NOVEMBER)
    assert store.computed == 2  # the memo's one, and the direct call above
    assert reads.totals(attrs.evolve(NOVEMBER, sales_type=SalesType.RETAIL)) is not None
    assert store.computed == 3  # another scope is another read


def test_a_write_that_changes_the_data_drops_every_answer(store: CountingStore) -> None:
    reads = memoised(store)
    before = reads.totals(NOVEMBER)
    store.apply(OrderChanges(ORDERS[4:]))
    after = reads.totals(NOVEMBER)
    assert after == InMemorySalesStore.totals(store, NOVEMBER)
    assert after != before
    assert store.computed == 2


def test_arguments_are_keyed_with_their_defaults(store: CountingStore) -> None:
    reads = memoised(store)
    assert reads.expense_totals(NOVEMBER) == reads.expense_totals(NOVEMBER, None)
    assert reads.expense_totals(NOVEMBER, expense_type_id=None) == store.expense_totals(NOVEMBER)


def test_callers_at_the_same_time_wait_for_one_computation(store: CountingStore) -> None:
    store.delay = 0.2
    reads = memoised(store)
    answers: list[Any] = []
    threads = [threading.Thread(target=lambda: answers.append(reads.totals(NOVEMBER))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.computed == 1
    assert answers == [InMemorySalesStore.totals(store, NOVEMBER)] * 4


def test_a_failed_read_is_not_kept(store: CountingStore) -> None:
    reads = memoised(store)
    store.fail = True
    with pytest.raises(RuntimeError):
        reads.totals(NOVEMBER)
    store.fail = False
    assert reads.totals(NOVEMBER) == InMemorySalesStore.totals(store, NOVEMBER)


def test_lists_are_handed_out_as_copies(store: CountingStore) -> None:
    reads = memoised(store)
    days = reads.daily(NOVEMBER)
    days.clear()
    assert reads.daily(NOVEMBER) == store.daily(NOVEMBER) != []


def test_writes_and_unkept_reads_are_the_stores_own(store: CountingStore) -> None:
    reads = memoised(store)
    assert memoised(reads) is reads
    reads.apply(OrderChanges(ORDERS[4:]))
    assert reads.order_count() == len(ORDERS) == store.order_count()
    assert reads.totals(NOVEMBER) == InMemorySalesStore.totals(store, NOVEMBER)


def test_the_oldest_answers_go_past_the_limit(store: CountingStore) -> None:
    reads = MemoisedReads(store, limit=2)
    days = [Scope(date(2026, 11, d), date(2026, 11, d)) for d in (24, 25, 26)]
    for scope in days:
        reads.answer(("totals", scope), lambda scope=scope: store.totals(scope))  # type: ignore[misc]
    reads.answer(("totals", days[0]), lambda: store.totals(days[0]))
    assert store.computed == 4  # the first one was dropped for the third and computed again


def test_the_analytics_answer_the_same_from_the_memo(store: CountingStore) -> None:
    analytics = AnalyticsService(store, RULES, MilestoneConfig(), FixedClock(NOW))
    plain = AnalyticsService(InMemorySalesStore(RULES), RULES, MilestoneConfig(), FixedClock(NOW))
    plain.store.save_dictionaries(DICTIONARIES)
    plain.store.apply(OrderChanges(ORDERS[:4]))
    request = analytics.parse({"period": "month", "sales_type": "all"})
    assert analytics.profit(request) == plain.profit(plain.parse({"period": "month", "sales_type": "all"}))
    computed = store.computed
    analytics.customers(request)  # its totals are the profit's
    assert store.computed == computed


DAYS = [Scope(date(2026, 11, d), date(2026, 11, d)) for d in (24, 25, 26)]


def test_refresh_computes_the_last_versions_reads_again_at_the_new_one(store: CountingStore) -> None:
    reads = MemoisedReads(store)
    for scope in DAYS:
        reads.totals(scope)
    assert reads.refresh() == 0  # nothing changed: nothing to compute
    store.apply(OrderChanges(ORDERS[4:]))
    assert reads.refresh() == len(DAYS)
    computed = store.computed
    assert [reads.totals(scope) for scope in DAYS] == [InMemorySalesStore.totals(store, s) for s in DAYS]
    assert store.computed == computed  # answered from the refresh, at the new data
    assert reads.refresh() == 0


def test_refresh_takes_the_most_recently_used_reads_first_and_at_most_its_limit(store: CountingStore) -> None:
    reads = MemoisedReads(store)
    for scope in (*DAYS, DAYS[0]):  # the 24th used again: the 25th is now the least recent
        reads.totals(scope)
    store.apply(OrderChanges(ORDERS[4:]))
    assert reads.refresh(limit=2) == 2
    computed = store.computed
    reads.totals(DAYS[0])
    reads.totals(DAYS[2])
    assert store.computed == computed
    reads.totals(DAYS[1])
    assert store.computed == computed + 1


def test_reads_remembered_across_two_writes_with_no_read_between(store: CountingStore) -> None:
    reads = MemoisedReads(store)
    reads.totals(NOVEMBER)
    store.apply(OrderChanges(ORDERS[4:5]))
    reads.order_count()  # not a memoised read: the memo has not seen the new version
    store.apply(OrderChanges(ORDERS[5:]))
    assert reads.refresh() == 1


def test_a_read_failing_in_a_refresh_is_not_kept_and_the_caller_meets_it(store: CountingStore) -> None:
    reads = MemoisedReads(store)
    reads.totals(NOVEMBER)
    reads.daily(NOVEMBER)
    store.apply(OrderChanges(ORDERS[4:]))
    store.fail = True
    assert reads.refresh() == 1  # the daily figures; the totals failed
    with pytest.raises(RuntimeError):
        reads.totals(NOVEMBER)
    store.fail = False
    assert reads.totals(NOVEMBER) == InMemorySalesStore.totals(store, NOVEMBER)


class WritingStore(CountingStore):
    """A store a write lands on while its first totals are computed (a sync beside the refresh)."""

    write_next = False

    def totals(self, scope: Scope) -> Totals:
        answer = super().totals(scope)
        if self.write_next:
            self.write_next = False
            self.apply(OrderChanges(ORDERS[5:]))
        return answer


def test_a_refresh_stops_at_the_next_write_and_keeps_nothing_it_computed_before_it() -> None:
    store = WritingStore()
    store.save_dictionaries(DICTIONARIES)
    store.apply(OrderChanges(ORDERS[:4]))
    reads = MemoisedReads(store)
    for scope in DAYS:
        reads.totals(scope)
    store.apply(OrderChanges(ORDERS[4:5]))
    store.write_next = True
    assert reads.refresh() == 0  # the 26th, computed while the write landed: not kept; the rest left
    computed = store.computed
    assert reads.totals(DAYS[2]) == InMemorySalesStore.totals(store, DAYS[2])
    assert store.computed == computed + 1
    assert reads.refresh() == 3  # the next refresh takes over (the 26th already answers)
    assert store.computed == computed + 3


async def test_keep_warm_refreshes_once_the_data_has_stopped_changing(store: CountingStore) -> None:
    reads = MemoisedReads(store)
    reads.totals(NOVEMBER)
    ticks: asyncio.Queue[None] = asyncio.Queue()
    woken = asyncio.Event()

    async def sleep(_: float) -> None:  # the test decides when the loop looks again
        woken.set()
        await ticks.get()

    async def look() -> None:
        woken.clear()
        ticks.put_nowait(None)
        await woken.wait()  # the loop has looked, refreshed if it had to, and sleeps again

    task = asyncio.create_task(keep_warm(reads, sleep=sleep))
    await woken.wait()
    await look()
    assert store.computed == 1  # no change: nothing computed
    store.apply(OrderChanges(ORDERS[4:5]))
    await look()
    store.apply(OrderChanges(ORDERS[5:]))
    await look()
    assert store.computed == 1  # the data is still changing: not yet
    await look()
    assert store.computed == 2  # it has stayed the same since the last look
    await look()
    assert store.computed == 2  # refreshed once per change
    computed = store.computed
    assert reads.totals(NOVEMBER) == InMemorySalesStore.totals(store, NOVEMBER)
    assert store.computed == computed
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_keep_warm_has_nothing_to_do_for_a_store_without_a_memo(store: CountingStore) -> None:
    await keep_warm(store, sleep=lambda _: asyncio.sleep(0))  # returns at once
