"""The `customer_months` rollup is derived data: after any writes it equals its computation from the orders,
and the cohorts read from it equal the in-memory store's, whole months and cut ones alike."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
from hypothesis import given
from hypothesis import strategies as st

from ksales.adapters.duckdb import DuckDbSalesStore, schema
from ksales.adapters.duckdb.customer_months import ROLLUP
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.customers import Segment
from ksales.domain.filters import Scope
from ksales.domain.rules import Rules, SalesType
from ksales.ports.store import OrderChanges
from tests.strategies import SOURCE_IDS, order_changes, rules

_COLUMNS = (
    "buyer_id, month, first_day, b2b, source_id, orders, revenue,"
    " first_in_month, first_in_type, first_in_source"
)


def stored(store: DuckDbSalesStore) -> list[tuple[object, ...]]:
    sql = f"SELECT {_COLUMNS} FROM customer_months ORDER BY ALL"
    return store._read("reading the rollup", lambda c: c.execute(sql).fetchall())


def computed(store: DuckDbSalesStore) -> list[tuple[object, ...]]:
    sql = f"{ROLLUP.format(source='orders', only='')} ORDER BY ALL"
    return store._read("computing the rollup", lambda c: c.execute(sql).fetchall())


def month_edges(store: InMemorySalesStore) -> list[date]:
    """Days on and around month ends next to the stored orders: where a scope's end cuts a month or not."""
    days = {store._day(o) for o in store.orders.values()}
    edges = set()
    for day in days:
        last = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        edges |= {day, last, last - timedelta(days=1), last + timedelta(days=1), day.replace(day=1)}
    return sorted(edges)


@given(store_rules=rules, batches=st.lists(order_changes, min_size=1, max_size=5), data=st.data())
def test_the_rollup_equals_the_orders_after_any_writes(
    store_rules: Rules, batches: list[OrderChanges], data: st.DataObject
) -> None:
    """Inserts, updates (a canceled status, another buyer or source), deletions: each apply keeps it exact."""
    real, fake = DuckDbSalesStore(None, store_rules), InMemorySalesStore(store_rules)
    try:
        for changes in batches:
            real.apply(changes)
            fake.apply(changes)
            assert stored(real) == computed(real)
        edges = month_edges(fake)
        if not edges:
            return
        for _ in range(4):
            start = data.draw(st.sampled_from(edges), label="start")
            end = data.draw(st.sampled_from([e for e in edges if e >= start] or [start]), label="end")
            for sales_type in SalesType:
                for source_id in (None, data.draw(SOURCE_IDS, label="source")):
                    scope = Scope(start, end, sales_type, source_id)
                    assert real.cohort_facts(scope) == fake.cohort_facts(scope), scope
    finally:
        real.close()


def test_a_cut_month_counts_only_its_days_up_to_the_end() -> None:
    """A scope ending mid-month leaves out the month's later orders; on its last day, it has them all."""
    from ksales.domain.model import Buyer
    from tests.shop import RULES, at, make_order

    orders = (
        make_order(1, at(3, month=3), "100", buyer=Buyer(1)),
        make_order(2, at(20, month=3), "40", buyer=Buyer(1)),
        make_order(3, at(5, month=4), "10", buyer=Buyer(1)),
        make_order(4, at(25, month=4), "7", buyer=Buyer(2)),
        # buyer 1 again in March, from another source and as B2B: still one active buyer in each cell
        make_order(5, at(21, month=3), "5", buyer=Buyer(1), source_id=2),
        make_order(6, at(22, month=3), "3", buyer=Buyer(1), source_id=2, manager_id=15),
    )
    real, fake = DuckDbSalesStore(None, RULES), InMemorySalesStore(RULES)
    try:
        for store in (real, fake):
            store.apply(OrderChanges(upserts=orders))
        year = at(1, month=3).year
        for end in (date(year, 3, 10), date(year, 3, 31), date(year, 4, 10), date(year, 4, 30)):
            for sales_type in SalesType:
                for source_id in (None, 1, 2):
                    scope = Scope(date(year, 3, 1), end, sales_type, source_id)
                    assert real.cohort_facts(scope) == fake.cohort_facts(scope), scope
            for sales_type in SalesType:  # segments of a past day: whole months and a cut one
                assert real.segment_totals(end, sales_type) == fake.segment_totals(end, sales_type)
                for segment in (None, Segment.PROMISING):
                    facts = (end, sales_type, segment, 50)
                    assert real.customer_facts(*facts) == fake.customer_facts(*facts), facts
                for segment in (Segment.PROMISING, Segment.AT_RISK):
                    for later in (40, 100, 400):
                        moved = (segment, end - timedelta(days=20), end + timedelta(days=later), sales_type)
                        assert real.customers_entering(*moved) == fake.customers_entering(*moved), moved
        march = real.cohort_facts(Scope(date(year, 3, 1), date(year, 3, 31), SalesType.ALL))
        assert [(c.k, c.active, c.revenue) for c in march.cells] == [(0, 1, 148)]
        cut = real.cohort_facts(Scope(date(year, 3, 1), date(year, 3, 10), SalesType.ALL))
        assert [(c.k, c.active, c.revenue) for c in cut.cells] == [(0, 1, 100)]
    finally:
        real.close()


def test_the_migration_fills_the_rollup_of_an_existing_store(tmp_path: Path) -> None:
    from ksales.domain.model import Buyer
    from tests.shop import RULES, at, make_order

    path = tmp_path / "analytics.duckdb"
    orders = OrderChanges(
        upserts=(
            make_order(1, at(3, month=3), "100", buyer=Buyer(1)),
            make_order(2, at(20, month=4), "40", buyer=Buyer(1)),
            make_order(3, at(5, month=4), "10", buyer=Buyer(2)),
        )
    )
    store = DuckDbSalesStore(path, RULES)
    store.apply(orders)
    store.close()
    version = 1 + schema.MIGRATIONS.index(schema._V_CUSTOMER_MONTHS)
    with duckdb.connect(str(path)) as raw:  # the store as the version before the rollup left it
        raw.execute("DROP TABLE customer_months")
        raw.execute("DELETE FROM schema_version WHERE version >= ?", [version])
    reopened = DuckDbSalesStore(path, RULES)
    try:
        assert reopened.schema_version == schema.LATEST_VERSION
        assert len(stored(reopened)) == 3 and stored(reopened) == computed(reopened)
    finally:
        reopened.close()


def test_the_contact_is_the_latest_placed_orders_whatever_order_the_writes_come_in() -> None:
    """The customers' rollup reads the contact strings of each buyer's latest order only: an older order
    written later, a newer one changed, a removed latest one — the contact follows the latest placed."""
    from ksales.domain.model import Buyer
    from tests.shop import RULES, at, make_order

    def buyer(name: str) -> Buyer:
        return Buyer(1, full_name=name, phone=f"+380 {name}", email=f"{name}@example.com")

    newest = make_order(2, at(20, month=3), "40", buyer=buyer("new"))
    writes = (
        (OrderChanges(upserts=(newest,)), "new"),
        (OrderChanges(upserts=(make_order(1, at(3, month=3), "100", buyer=buyer("old")),)), "new"),
        (OrderChanges(upserts=(make_order(2, at(20, month=3), "40", buyer=buyer("changed")),)), "changed"),
        (OrderChanges(upserts=(make_order(3, at(25, month=3), "5", buyer=Buyer(1)),)), None),  # no contact
        (OrderChanges(deletions=(3,)), "changed"),
        (OrderChanges(deletions=(2,)), "old"),
    )
    real, fake = DuckDbSalesStore(None, RULES), InMemorySalesStore(RULES)
    try:
        for changes, name in writes:
            for store in (real, fake):
                store.apply(changes)
            facts = (date(at(1, month=4).year, 4, 30), SalesType.ALL, None, 10)
            (found,) = real.customer_facts(*facts)
            assert found == fake.customer_facts(*facts)[0]
            assert found.name == name and found.phone == (name and f"+380 {name}")
    finally:
        real.close()
