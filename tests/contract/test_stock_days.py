"""The `stock_days` rollup is derived data: after any snapshots it equals its computation from the stock
levels, a store of the version before it gets it built, and the stock trend reads it like the fake."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import duckdb
from hypothesis import given
from hypothesis import strategies as st

from ksales.adapters.duckdb import DuckDbSalesStore, schema
from ksales.adapters.duckdb.stock_days import ROLLUP
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.goals import MonthlyGoal
from ksales.domain.model import Dictionaries, Source
from ksales.domain.rules import Rules, SalesType
from ksales.domain.stock import StockSnapshot
from ksales.ports.store import OrderChanges, SalesStore
from tests import stockshop
from tests.strategies import stock_snapshots

FIRST, LAST = date(2000, 1, 1), date(2100, 1, 1)


def stored(store: DuckDbSalesStore) -> list[tuple[object, ...]]:
    sql = "SELECT day, units_available, value_at_cost FROM stock_days ORDER BY day"
    return store._read("reading the rollup", lambda c: c.execute(sql).fetchall())


def computed(store: DuckDbSalesStore) -> list[tuple[object, ...]]:
    sql = f"{ROLLUP.format(only='')} ORDER BY 1"
    return store._read("computing the rollup", lambda c: c.execute(sql).fetchall())


@given(snapshots=st.lists(stock_snapshots, min_size=1, max_size=8))
def test_the_rollup_equals_the_stock_levels_after_any_snapshots(snapshots: list[StockSnapshot]) -> None:
    """New days and days taken again (replaced), empty snapshots and offers with nothing available."""
    real, fake = DuckDbSalesStore(None, Rules()), InMemorySalesStore(Rules())
    try:
        for snapshot in snapshots:
            real.save_stock_snapshot(snapshot)
            fake.save_stock_snapshot(snapshot)
            assert stored(real) == computed(real)
            assert real.stock_trend(FIRST, LAST) == fake.stock_trend(FIRST, LAST)
        assert [d for d, *_ in stored(real)] == sorted({s.day for s in snapshots})
    finally:
        real.close()


def test_the_migration_builds_the_rollup_of_an_existing_store(tmp_path: Path) -> None:
    path = tmp_path / "analytics.duckdb"
    store = DuckDbSalesStore(path, Rules())
    stockshop.fill(store)
    store.save_stock_snapshot(stockshop.snapshot(date(2026, 11, 27), ()))  # a day without rows
    store.close()
    version = 1 + schema.MIGRATIONS.index(schema._V_STOCK_DAYS)
    with duckdb.connect(str(path)) as raw:  # the store as the version before the rollup left it
        raw.execute("DROP TABLE stock_days")
        raw.execute("DELETE FROM schema_version WHERE version >= ?", [version])
    fake = stockshop.fill(InMemorySalesStore(Rules()))
    fake.save_stock_snapshot(stockshop.snapshot(date(2026, 11, 27), ()))
    reopened = DuckDbSalesStore(path, Rules())
    try:
        assert reopened.schema_version == schema.LATEST_VERSION
        assert len(stored(reopened)) == 4 and stored(reopened) == computed(reopened)
        assert reopened.stock_trend(FIRST, LAST) == fake.stock_trend(FIRST, LAST)
        assert reopened.stock_trend(FIRST, LAST)[-1].units_available == Decimal(0)
    finally:
        reopened.close()


GOAL = MonthlyGoal(date(2026, 11, 1), SalesType.RETAIL, Decimal(5))
ORDER = stockshop.ORDERS[0]
#: Every write of the port, and whether it changes the shop's data (in this order, from an empty store).
WRITES: tuple[tuple[str, Callable[[SalesStore], object], bool], ...] = (
    ("insert", lambda s: s.apply(OrderChanges(upserts=(ORDER,))), True),
    ("upsert unchanged, with meta", lambda s: s.apply(OrderChanges((ORDER,), meta={"x": "2"})), False),
    ("update", lambda s: s.apply(OrderChanges(upserts=(attrs.evolve(ORDER, grand_total=1),))), True),
    ("delete", lambda s: s.apply(OrderChanges(deletions=frozenset({ORDER.id}))), True),
    ("delete a missing order", lambda s: s.apply(OrderChanges(deletions=frozenset({ORDER.id}))), False),
    ("save_dictionaries", lambda s: s.save_dictionaries(Dictionaries(sources=(Source(1, "A"),))), True),
    # each sync saves the dictionaries: the same entries again change nothing
    ("the same again", lambda s: s.save_dictionaries(Dictionaries(sources=(Source(1, "A"),))), False),
    ("a renamed source", lambda s: s.save_dictionaries(Dictionaries(sources=(Source(1, "B"),))), True),
    ("set_meta", lambda s: s.set_meta({"x": "1"}), False),
    ("save_stock_snapshot", lambda s: s.save_stock_snapshot(stockshop.snapshot(stockshop.DAY, ())), True),
    ("set_goal", lambda s: s.set_goal(GOAL), True),
    ("delete_goal", lambda s: s.delete_goal(GOAL.month, GOAL.sales_type), True),
)


def test_every_write_that_changes_data_changes_the_data_version() -> None:
    """What the read-side memos rely on, in both stores; meta alone (each sync writes it) leaves it."""
    real = DuckDbSalesStore(None, Rules())
    try:
        for store in (real, InMemorySalesStore(Rules())):
            for name, write, changes in WRITES:
                before = store.data_version()
                write(store)
                assert (store.data_version() != before) is changes, (store, name)
    finally:
        real.close()
