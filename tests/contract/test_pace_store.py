"""The store's pace columns and goals: back-filled on migration, kept across restarts, as in the fake."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import duckdb

from ksales.adapters.duckdb import DuckDbSalesStore, schema
from ksales.adapters.duckdb.schema import LATEST_VERSION
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.filters import Scope
from ksales.domain.goals import MonthlyGoal
from ksales.domain.model import Dictionaries, Order, OrderLine, Product
from ksales.domain.results import Totals
from ksales.domain.rules import Rules, SalesType
from ksales.ports.store import OrderChanges, SalesStore
from ksales.services.pace import cut_totals
from tests.contract.store_checks import assert_same_aggregates, assert_same_lookups

KYIV = Rules(timezone=ZoneInfo("Europe/Kyiv"))
DAY = Scope(date(2026, 12, 1), date(2026, 12, 2), SalesType.ALL)
BRAND = Scope(date(2026, 12, 1), date(2026, 12, 2), SalesType.ALL, brand_key="acme")
CATALOG = Dictionaries(products=(Product(7, "Tee", None, "Acme"),))


def order(order_id: int, local: datetime, total: str) -> Order:
    placed = local.replace(tzinfo=KYIV.timezone).astimezone(UTC)
    return Order(
        id=order_id,
        source_id=1,
        grand_total=Decimal(total),
        created_at=placed,
        status_group_id=1,
        lines=(OrderLine("Tee", Decimal(1), Decimal(total), product_id=7),),
    )


#: 2 Dec: one order a minute before the 10:42 cut, one at it, one a minute after; 1 Dec: late in the day.
ORDERS = (
    order(1, datetime(2026, 12, 2, 10, 41), "100"),
    order(2, datetime(2026, 12, 2, 10, 42), "20"),
    order(3, datetime(2026, 12, 2, 10, 43), "3"),
    order(4, datetime(2026, 12, 1, 23, 0), "4000"),
)


def filled(store: SalesStore) -> SalesStore:
    store.save_dictionaries(CATALOG)
    store.apply(OrderChanges(upserts=ORDERS))
    return store


def test_the_cut_counts_orders_placed_before_it_on_the_last_day_only() -> None:
    store = filled(DuckDbSalesStore(None, KYIV))
    try:
        for scope in (DAY, BRAND):
            assert store.totals_until(scope, time(10, 42)).revenue == Decimal(4100)
            assert store.totals_until(scope, time(10, 42, 1)).revenue == Decimal(4120)
        assert [(d.day, d.revenue) for d in store.daily_before(DAY, time(10, 42))] == [
            (date(2026, 12, 2), 100)
        ]
    finally:
        store.close()


def test_the_services_cut_of_whole_days_and_the_last_day_is_the_stores_cut() -> None:
    """`pace.cut_totals` reads whole days as plain totals and cuts only the last day: the same figures."""
    for store in (filled(DuckDbSalesStore(None, KYIV)), filled(InMemorySalesStore(KYIV))):
        long = [attrs.evolve(s, start=date(2026, 10, 1)) for s in (DAY, BRAND)]  # past `SPLIT_DAYS`
        for scope in (DAY, BRAND, *long, Scope(date(2026, 12, 2), date(2026, 12, 2), SalesType.ALL)):
            for until in (time(10, 42), time(10, 42, 1), time(0, 0)):
                for canceled in (False, True):
                    expected = store.totals_until(scope, until, canceled)
                    assert cut_totals(store, scope, until, canceled) == expected
        assert cut_totals(store, DAY, time(10, 42)).revenue == Decimal(4100)
        assert cut_totals(store, long[0], time(10, 42)) == Totals(2, Decimal(4100))


def test_a_store_of_the_previous_version_gets_its_times_back_filled(tmp_path: Path) -> None:
    path = tmp_path / "analytics.duckdb"
    filled(DuckDbSalesStore(path, KYIV)).close()
    with duckdb.connect(str(path)) as raw:  # back to the version before the pace migration
        raw.execute("ALTER TABLE orders DROP COLUMN local_seconds")
        raw.execute("ALTER TABLE order_lines DROP COLUMN local_seconds")
        raw.execute("DROP TABLE goals")
        raw.execute("DELETE FROM store_info WHERE key = 'local_time'")
        raw.execute("DELETE FROM schema_version WHERE version > ?", [schema.MIGRATIONS.index(schema._V_PACE)])
    reopened = DuckDbSalesStore(path, KYIV)
    try:
        assert reopened.schema_version == LATEST_VERSION
        assert reopened.totals_until(DAY, time(10, 42)).revenue == Decimal(4100)
        assert reopened.goals() == []
        fake = filled(InMemorySalesStore(KYIV))
        assert_same_aggregates(reopened, fake, [DAY, BRAND], [time(10, 42), time(23, 30)])
    finally:
        reopened.close()


def test_times_follow_a_new_time_zone(tmp_path: Path) -> None:
    path = tmp_path / "analytics.duckdb"
    filled(DuckDbSalesStore(path, KYIV)).close()
    utc = Rules(timezone=ZoneInfo("UTC"))
    reopened = DuckDbSalesStore(path, utc)
    try:
        # 10:41 in Kyiv is 08:41 UTC.
        assert reopened.totals_until(Scope(date(2026, 12, 2), date(2026, 12, 2)), time(8, 42)).orders == 1
        assert_same_aggregates(reopened, filled(InMemorySalesStore(utc)), [DAY], [time(8, 42), time(21, 0)])
    finally:
        reopened.close()


def test_goals_are_kept_replaced_deleted_and_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "analytics.duckdb"
    december, january = date(2026, 12, 1), date(2027, 1, 1)
    real, fake = DuckDbSalesStore(path, KYIV), InMemorySalesStore(KYIV)
    for store in (real, fake):
        store.set_goal(MonthlyGoal(january, SalesType.RETAIL, Decimal(1)))
        store.set_goal(MonthlyGoal(december, SalesType.B2B, Decimal("900000.50")))
        store.set_goal(MonthlyGoal(december, SalesType.RETAIL, Decimal(3000000)))
        store.set_goal(MonthlyGoal(december, SalesType.RETAIL, Decimal(3500000)))  # replaces
        assert store.delete_goal(january, SalesType.RETAIL) is True
        assert store.delete_goal(january, SalesType.RETAIL) is False
    expected = [
        MonthlyGoal(december, SalesType.B2B, Decimal("900000.50")),
        MonthlyGoal(december, SalesType.RETAIL, Decimal(3500000)),
    ]
    assert real.goals() == fake.goals() == expected
    assert_same_lookups(real, fake)
    real.close()
    reopened = DuckDbSalesStore(path, KYIV)
    try:
        assert reopened.goals() == expected
    finally:
        reopened.close()
