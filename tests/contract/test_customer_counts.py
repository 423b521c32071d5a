"""Customer counts: with no later order (a period ending today) they come from the `customers` rollup,
otherwise (or without the rollups) from the period's orders; all ways they are the fake's, for every sales
type."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.filters import Scope
from ksales.domain.model import Buyer, Order
from ksales.domain.results import CustomerCounts
from ksales.domain.rules import Rules, SalesType
from ksales.ports.store import OrderChanges, SalesStore

RULES = Rules(b2b_manager_ids=frozenset({15}), excluded_source_ids=frozenset({9}))
B2B, CANCELED, EXCLUDED = "b2b", "canceled", "excluded"


def order(n: int, buyer: int, day: date, kind: str = "") -> Order:
    return Order(
        id=n,
        source_id=9 if kind == EXCLUDED else 1,
        grand_total=Decimal(10),
        created_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
        status_group_id=6 if kind == CANCELED else 1,
        manager_id=15 if kind == B2B else None,
        buyer=Buyer(buyer),
    )


ORDERS = (
    order(1, 1, date(2026, 9, 10)),  # buyer 1: September and November (retail)
    order(2, 1, date(2026, 11, 20)),
    order(3, 2, date(2026, 10, 5)),  # buyer 2: October only, and a canceled order in November
    order(4, 2, date(2026, 11, 21), CANCELED),
    order(5, 3, date(2026, 11, 22), B2B),  # buyer 3: b2b in November, retail in August
    order(6, 3, date(2026, 8, 1)),
    order(7, 4, date(2026, 11, 25), EXCLUDED),  # buyer 4: an excluded source only
    order(8, 5, date(2026, 11, 26)),  # buyer 5: new on the last day
)


def stores() -> list[SalesStore]:
    found: list[SalesStore] = [
        InMemorySalesStore(RULES),
        DuckDbSalesStore(None, RULES),
        DuckDbSalesStore(None, RULES, rollups=False),
    ]
    for store in found:
        store.apply(OrderChanges(upserts=ORDERS))
    return found


@pytest.mark.parametrize(
    "start", [date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 11), date(2026, 8, 1), date(2026, 11, 26)]
)
@pytest.mark.parametrize(
    "end", [date(2026, 11, 26), date(2026, 12, 31), date(2026, 11, 21), date(2026, 10, 31)]
)
def test_customer_counts_equal_the_fakes(start: date, end: date) -> None:
    if end < start:
        return
    fake, *duckdb_stores = stores()
    for sales_type in SalesType:
        scope = Scope(start, end, sales_type)
        for store in duckdb_stores:
            assert store.customer_counts(scope) == fake.customer_counts(scope), (scope, store)


def test_a_period_ending_today_counts_the_buyers_whose_last_order_is_in_it() -> None:
    _, duckdb_store, _ = stores()
    november = Scope(date(2026, 11, 1), date(2026, 11, 26), SalesType.RETAIL)
    assert duckdb_store.customer_counts(november) == CustomerCounts(2, 1)  # buyers 1 and 5; 5 is new
    assert duckdb_store.customer_counts(Scope(date(2026, 11, 1), date(2026, 11, 26), SalesType.ALL)) == (
        CustomerCounts(3, 1)  # and buyer 3's b2b order
    )
