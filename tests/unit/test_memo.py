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
from ksales.services.memo import MemoisedReads, memoised
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
