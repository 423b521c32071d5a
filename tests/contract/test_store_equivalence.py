"""DuckDbSalesStore answers every query exactly like the reference InMemorySalesStore."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import given
from hypothesis import strategies as st

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.model import Dictionaries, Order
from ksales.domain.rules import Rules, business_day
from ksales.ports.store import OrderChanges
from tests.contract.store_checks import (
    CUTS,
    assert_same_aggregates,
    assert_same_customers,
    assert_same_inventory,
    assert_same_lookups,
    assert_same_orders,
)
from tests.strategies import WHOLE, dictionaries, order_sets, rules, scopes


@contextmanager
def duckdb_store(rules: Rules) -> Iterator[DuckDbSalesStore]:
    store = DuckDbSalesStore(None, rules)
    try:
        yield store
    finally:
        store.close()


@given(
    rules=rules,
    catalog=dictionaries(),
    orders=order_sets(),
    dictionaries_first=st.booleans(),
    data=st.data(),
)
def test_every_query_agrees(
    rules: Rules, catalog: Dictionaries, orders: list[Order], dictionaries_first: bool, data: st.DataObject
) -> None:
    days = sorted({business_day(o, rules.timezone) for o in orders})
    scope_list = data.draw(st.lists(scopes(days), min_size=1, max_size=6), label="scopes")
    fake = InMemorySalesStore(rules)
    with duckdb_store(rules) as real:
        for store in (real, fake):
            if dictionaries_first:
                store.save_dictionaries(catalog)
            store.apply(OrderChanges(upserts=orders))
            if not dictionaries_first:  # products arriving after their orders re-file the stored lines
                store.save_dictionaries(catalog)
        assert_same_lookups(real, fake)
        assert_same_orders(real, fake, [o.id for o in orders])
        # Cut at the local times of some orders too: an order placed exactly at the cut is left out.
        placed = [o.placed_at.astimezone(rules.timezone).time().replace(microsecond=0) for o in orders[:2]]
        assert_same_aggregates(real, fake, [*WHOLE, *scope_list], [CUTS[1], *placed])
        assert_same_customers(real, fake, days[:1] + days[-1:])
        assert_same_inventory(real, fake)


@given(rules=rules, orders=order_sets(10))
def test_orders_round_trip_and_upserts_are_idempotent(rules: Rules, orders: list[Order]) -> None:
    with duckdb_store(rules) as real:
        first = real.apply(OrderChanges(upserts=orders))
        again = real.apply(OrderChanges(upserts=orders))
        assert first.inserted == again.unchanged == len(orders)
        assert again.inserted == again.updated == 0
        for order in orders:
            assert real.get_order(order.id) == order
