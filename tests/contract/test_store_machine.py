"""A stateful contract: any sequence of writes leaves DuckDbSalesStore answering like InMemorySalesStore."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.filters import Scope
from ksales.domain.model import Dictionaries, Order
from ksales.domain.rules import Rules
from ksales.domain.stock import StockSnapshot
from ksales.ports.store import OrderChanges
from tests.contract.store_checks import (
    assert_same_aggregates,
    assert_same_customers,
    assert_same_inventory,
    assert_same_lookups,
    assert_same_orders,
    assert_same_snapshots,
)
from tests.strategies import (
    SNAPSHOT_DAYS,
    WHOLE,
    dictionaries,
    meta,
    order_changes,
    rules,
    scopes,
    stock_snapshots,
)


class StoreMachine(RuleBasedStateMachine):
    real: DuckDbSalesStore
    fake: InMemorySalesStore

    @initialize(store_rules=rules)
    def open_stores(self, store_rules: Rules) -> None:
        self.real = DuckDbSalesStore(None, store_rules)
        self.fake = InMemorySalesStore(store_rules)

    @rule(changes=order_changes)
    def apply(self, changes: OrderChanges) -> None:
        assert self.real.apply(changes) == self.fake.apply(changes)

    @precondition(lambda self: bool(self.fake.orders))
    @rule(data=st.data(), delta=st.sampled_from(["0", "0.01", "-5"]), delete=st.booleans())
    def re_upsert_stored(self, data: st.DataObject, delta: str, delete: bool) -> None:
        """Upsert stored orders again, unchanged or with a new total, maybe deleting one in the same batch."""
        stored = sorted(self.fake.orders)
        ids = data.draw(st.lists(st.sampled_from(stored), min_size=1, max_size=3), label="ids")
        upserts: list[Order] = [
            attrs.evolve(self.fake.orders[i], grand_total=self.fake.orders[i].grand_total + Decimal(delta))
            for i in ids
        ]
        changes = OrderChanges(upserts=upserts, deletions=frozenset(ids[:1]) if delete else frozenset())
        assert self.real.apply(changes) == self.fake.apply(changes)

    @rule(catalog=dictionaries())
    def save_dictionaries(self, catalog: Dictionaries) -> None:
        self.real.save_dictionaries(catalog)
        self.fake.save_dictionaries(catalog)

    @rule(values=meta)
    def set_meta(self, values: dict[str, str]) -> None:
        self.real.set_meta(values)
        self.fake.set_meta(values)

    @rule(snapshot=stock_snapshots)
    def save_stock_snapshot(self, snapshot: StockSnapshot) -> None:
        """Take a day's snapshot: a new day, or again on a day that has one (which it replaces)."""
        self.real.save_stock_snapshot(snapshot)
        self.fake.save_stock_snapshot(snapshot)

    @rule(scope=scopes())
    def aggregates_agree(self, scope: Scope) -> None:
        assert_same_aggregates(self.real, self.fake, [scope])

    @rule(day=st.sampled_from(SNAPSHOT_DAYS))
    def customers_agree(self, day: date) -> None:
        assert_same_customers(self.real, self.fake, [day])

    @invariant()
    def same_state(self) -> None:
        if not hasattr(self, "real"):
            return
        assert_same_orders(self.real, self.fake, [*self.fake.orders, 31])
        assert_same_lookups(self.real, self.fake)
        assert_same_snapshots(self.real, self.fake, SNAPSHOT_DAYS)
        assert_same_inventory(self.real, self.fake)
        for key in ("last_sync", "checkpoint", "x"):
            assert self.real.get_meta(key) == self.fake.get_meta(key)
        assert_same_aggregates(self.real, self.fake, WHOLE[:1])

    def teardown(self) -> None:
        if hasattr(self, "real"):
            self.real.close()


# Each step checks a lot; fewer, shorter runs than the profile's default keep the suite quick.
TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(
    max_examples=max(10, settings().max_examples // 2), stateful_step_count=12
)
