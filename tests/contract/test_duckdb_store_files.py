"""DuckDbSalesStore specifics: atomic `apply`, durable files, schema version, re-derived business days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import duckdb
import pytest

from ksales.adapters.duckdb import DuckDbSalesStore, schema
from ksales.adapters.duckdb.schema import LATEST_VERSION
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.errors import StoreUnavailable
from ksales.domain.filters import Scope
from ksales.domain.model import Buyer, Dictionaries, Expense, Order, OrderLine, Product
from ksales.domain.rules import Rules, SalesType
from ksales.ports.store import OrderChanges
from tests.contract.store_checks import assert_same_aggregates, assert_same_customers, assert_same_lookups

KYIV = Rules(timezone=ZoneInfo("Europe/Kyiv"))
UTC_RULES = Rules(timezone=ZoneInfo("UTC"))
YEAR = Scope(date(2025, 1, 1), date(2025, 12, 31), SalesType.ALL)


def order(order_id: int, placed: datetime, total: str = "100.00", buyer: int | None = 1) -> Order:
    return Order(
        id=order_id,
        source_id=1,
        grand_total=Decimal(total),
        created_at=placed,
        status_group_id=1,
        buyer=Buyer(buyer) if buyer else None,
        lines=(OrderLine("Tee", Decimal(2), Decimal(total) / 2, product_id=7),),
    )


# 22:30 UTC on 31 March is already 1 April in Kyiv (UTC+3 after the DST change).
LATE = order(1, datetime(2025, 3, 31, 22, 30, tzinfo=UTC))
NOON = order(2, datetime(2025, 4, 2, 12, tzinfo=UTC), "50.00", buyer=2)


def test_a_failing_apply_changes_nothing() -> None:
    store = DuckDbSalesStore(None, KYIV)
    try:
        store.apply(OrderChanges(upserts=[LATE], meta={"checkpoint": "a"}))
        before = (store.order_count(), store.get_order(1), store.totals(YEAR), store.daily(YEAR))
        # Too large for DECIMAL(18, 2): the batch fails after the first orders were written.
        bad = attrs.evolve(NOON, id=3, grand_total=Decimal("1e20"))
        changes = OrderChanges(
            upserts=[attrs.evolve(LATE, grand_total=Decimal(1)), NOON, bad],
            deletions=frozenset({1}),
            meta={"checkpoint": "b"},
        )
        with pytest.raises(StoreUnavailable, match="applying order changes failed"):
            store.apply(changes)
        after = (store.order_count(), store.get_order(1), store.totals(YEAR), store.daily(YEAR))
        assert after == before
        assert store.get_meta("checkpoint") == "a"
        assert store.get_order(2) is None
        assert store.apply(OrderChanges(upserts=[NOON])).inserted == 1  # and the store still works
    finally:
        store.close()


def test_a_file_store_keeps_data_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "analytics.duckdb"
    store = DuckDbSalesStore(path, KYIV)
    assert store.schema_version == LATEST_VERSION
    store.save_dictionaries(Dictionaries(products=(Product(7, "Tee", None, "Acme"),)))
    store.apply(OrderChanges(upserts=[LATE, NOON], meta={"checkpoint": "x"}))
    store.close()

    reopened = DuckDbSalesStore(str(path), KYIV)
    try:
        assert reopened.schema_version == LATEST_VERSION
        assert reopened.order_count() == 2
        assert reopened.get_order(1) == LATE
        assert reopened.get_meta("checkpoint") == "x"
        assert reopened.brands() == ["Acme"]
        assert reopened.apply(OrderChanges(upserts=[LATE])).unchanged == 1
    finally:
        reopened.close()


@pytest.mark.parametrize(("first", "then"), [(KYIV, UTC_RULES), (UTC_RULES, KYIV)])
def test_reopening_with_other_rules_recomputes(tmp_path: Path, first: Rules, then: Rules) -> None:
    path = tmp_path / "analytics.duckdb"
    b2b_order = attrs.evolve(order(3, NOON.created_at, buyer=1), manager_id=15, status_id=4)
    orders = OrderChanges(upserts=[LATE, NOON, b2b_order])
    store = DuckDbSalesStore(path, first)
    store.apply(orders)
    store.close()
    # Besides the time zone, the B2B managers and canceled statuses change: the flags follow.
    then = attrs.evolve(then, b2b_manager_ids=frozenset(), canceled_status_ids=frozenset({4}))
    fake = InMemorySalesStore(then)
    fake.apply(orders)
    reopened = DuckDbSalesStore(path, then)
    try:
        expected_day = date(2025, 4, 1) if then.timezone == KYIV.timezone else date(2025, 3, 31)
        assert reopened.daily(YEAR)[0].day == expected_day
        days = [Scope(date(2025, 3, 31), date(2025, 4, 1), kind) for kind in SalesType]
        assert_same_aggregates(reopened, fake, [YEAR, *days])
        assert_same_lookups(reopened, fake)
        assert_same_customers(reopened, fake, [date(2025, 3, 31)])
    finally:
        reopened.close()


def test_a_store_that_cannot_open_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="cannot open"):
        DuckDbSalesStore(tmp_path / "missing" / "analytics.duckdb", KYIV)


def test_migration_2_flags_the_rows_of_a_version_1_store(tmp_path: Path) -> None:
    path = tmp_path / "analytics.duckdb"
    expenses = (Expense(1, Decimal(5), 1, "canceled"), Expense(2, Decimal(7), 1), Expense(3, Decimal(1), 2))
    orders = OrderChanges(upserts=[attrs.evolve(LATE, expenses=expenses), NOON])
    catalog = Dictionaries(products=(Product(7, "Tee", None, "Acme"),))
    store = DuckDbSalesStore(path, KYIV)
    store.save_dictionaries(catalog)
    store.apply(orders)
    store.close()
    with duckdb.connect(str(path)) as raw:  # back to version 1
        raw.execute("ALTER TABLE order_lines DROP COLUMN brand_first")
        raw.execute("ALTER TABLE order_expenses DROP COLUMN first_paid")
        raw.execute("ALTER TABLE order_expenses DROP COLUMN first_paid_of_type")
        raw.execute("DROP TABLE stock_snapshots")
        raw.execute("DROP TABLE stock_levels")
        raw.execute("DROP TABLE customers")
        raw.execute("DELETE FROM schema_version WHERE version > 1")
    fake = InMemorySalesStore(KYIV)
    fake.save_dictionaries(catalog)
    fake.apply(orders)
    reopened = DuckDbSalesStore(path, KYIV)
    try:
        assert reopened.schema_version == LATEST_VERSION
        assert_same_aggregates(reopened, fake, [YEAR])
        assert reopened.expense_totals(YEAR).orders_with_expenses == 1
        assert reopened.brand_breakdown(YEAR).brands[0].orders == 2
    finally:
        reopened.close()


def test_migration_3_adds_empty_stock_snapshots_to_a_version_2_store(tmp_path: Path) -> None:
    path = tmp_path / "analytics.duckdb"
    store = DuckDbSalesStore(path, KYIV)
    store.apply(OrderChanges(upserts=[NOON]))
    store.close()
    with duckdb.connect(str(path)) as raw:  # back to version 2
        raw.execute("DROP TABLE stock_snapshots")
        raw.execute("DROP TABLE stock_levels")
        raw.execute("DROP TABLE customers")  # and what later migrations added
        raw.execute("DELETE FROM schema_version WHERE version > 2")
    reopened = DuckDbSalesStore(path, KYIV)
    try:
        assert reopened.schema_version == LATEST_VERSION
        assert reopened.order_count() == 1
        assert reopened.stock_snapshot_days() == [] and reopened.latest_stock_snapshot() is None
    finally:
        reopened.close()


def test_source_list_follows_every_write() -> None:
    """`sources()` is memoised between writes: a new source on an order, or a renamed one, shows at once."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from ksales.adapters.duckdb.store import DuckDbSalesStore
    from ksales.domain.model import Dictionaries, Order, Source
    from ksales.domain.rules import Rules
    from ksales.ports.store import OrderChanges

    store = DuckDbSalesStore(None, Rules())
    try:
        store.save_dictionaries(Dictionaries(sources=(Source(1, "Instagram"),)))
        assert [s.name for s in store.sources()] == ["Instagram"]
        placed = datetime(2026, 11, 1, 12, tzinfo=UTC)
        store.apply(OrderChanges((Order(1, 7, Decimal(10), placed),)))
        assert [s.name for s in store.sources()] == ["Instagram", "Source 7"]
        store.save_dictionaries(Dictionaries(sources=(Source(7, "Rozetka"),)))
        assert [s.name for s in store.sources()] == ["Instagram", "Rozetka"]
        store.apply(OrderChanges(deletions=frozenset({1})))
        assert [s.name for s in store.sources()] == ["Instagram", "Rozetka"]
    finally:
        store.close()


def test_sources_seen_only_on_orders_are_listed_from_the_rollup_and_the_excluded_orders() -> None:
    """Source ids without a dictionary entry come from `order_days` (counted orders, canceled ones too)
    and the excluded orders (which no rollup holds): the same list as scanning every order."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from ksales.adapters.duckdb.store import DuckDbSalesStore
    from ksales.domain.model import Order
    from ksales.domain.rules import Rules
    from ksales.ports.store import OrderChanges

    rules = Rules(excluded_source_ids=frozenset({9}))
    placed = datetime(2026, 11, 1, 12, tzinfo=UTC)
    orders = (
        Order(1, 7, Decimal(10), placed),
        Order(2, 9, Decimal(10), placed),
        Order(3, 8, Decimal(10), placed, status_group_id=6),  # canceled
    )
    listed = []
    for rollups in (True, False):
        store = DuckDbSalesStore(None, rules, rollups=rollups)
        try:
            store.apply(OrderChanges(orders))
            listed.append([s.name for s in store.sources()])
            store.apply(OrderChanges(deletions=frozenset({2})))
            listed.append([s.name for s in store.sources()])
        finally:
            store.close()
    assert listed == [["Source 7", "Source 8", "Source 9"], ["Source 7", "Source 8"]] * 2


def test_the_customers_migration_back_fills_a_store_of_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "analytics.duckdb"
    repeat = attrs.evolve(order(4, NOON.created_at + timedelta(days=40), buyer=1), manager_id=15)
    orders = OrderChanges(upserts=[LATE, NOON, repeat, order(5, NOON.created_at, buyer=2)])
    store = DuckDbSalesStore(path, KYIV)
    store.apply(orders)
    store.close()
    # The version the customers rollup brought (later migrations are rerun too: each is idempotent).
    customers_version = 1 + schema.MIGRATIONS.index(schema._V_CUSTOMERS)
    with duckdb.connect(str(path)) as raw:  # the store as the version before the customers rollup left it
        raw.execute("DROP TABLE customers")
        raw.execute("DELETE FROM schema_version WHERE version >= ?", [customers_version])
    fake = InMemorySalesStore(KYIV)
    fake.apply(orders)
    reopened = DuckDbSalesStore(path, KYIV)
    try:
        assert reopened.schema_version == LATEST_VERSION
        assert reopened.segment_totals(date(2025, 6, 1), SalesType.ALL)[4].customers == 1  # buyer 1 promising
        assert_same_customers(reopened, fake, [date(2025, 3, 31), date(2025, 5, 20)])
        assert_same_aggregates(reopened, fake, [YEAR])
    finally:
        reopened.close()
