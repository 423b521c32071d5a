"""`DuckDbSalesStore`: the analytics store on an embedded DuckDB database (a file, or memory)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import duckdb
from attrs import AttrsInstance

from ksales.adapters.duckdb import customers, inventory, pace, queries, rollups
from ksales.adapters.duckdb.derived import sync_derived
from ksales.adapters.duckdb.rows import read_orders, to_utc_naive
from ksales.adapters.duckdb.schema import migrate
from ksales.adapters.duckdb.stock_days import refresh_stock_day
from ksales.adapters.duckdb.tables import CATEGORY, EXPENSE_TYPE, PRODUCT, STATUS, Fields
from ksales.adapters.duckdb.transaction import transaction
from ksales.adapters.duckdb.weekly import customer_revenue
from ksales.adapters.duckdb.writes import set_meta, write_changes, write_dictionaries, write_stock_snapshot
from ksales.domain.customers import CohortFacts, CustomerFacts, Segment, SegmentTotals
from ksales.domain.errors import StoreUnavailable
from ksales.domain.filters import Scope
from ksales.domain.goals import MonthlyGoal
from ksales.domain.inventory import StockDay
from ksales.domain.margin import CostGroup, LineCosts
from ksales.domain.model import Category, Dictionaries, ExpenseType, Order, Product, Source, Status
from ksales.domain.quality import DataQualityCounts
from ksales.domain.results import (
    BrandBreakdown,
    CategoryTotals,
    CustomerCounts,
    DayTotals,
    ExpenseTotals,
    ProductRanking,
    ProductTotals,
    SourceTotals,
    Totals,
)
from ksales.domain.rules import Rules, SalesType
from ksales.domain.stock import StockSnapshot
from ksales.domain.weekly import CustomerRevenue
from ksales.ports.store import ApplyResult, OrderChanges

T = TypeVar("T")
E = TypeVar("E", bound=AttrsInstance)
Cursor = duckdb.DuckDBPyConnection


class DuckDbSalesStore:
    """Implements `SalesStore`: one connection, one cursor per thread, writes serialised by a lock."""

    def __init__(self, path: str | Path | None, rules: Rules, *, rollups: bool = True) -> None:
        self.rules = rules
        #: Read whole days and months from the rollups (False: the raw rows only, as the contract tests
        #: compare); writes keep the rollups either way.
        self.rollups = rollups
        self.path = ":memory:" if path is None else str(path)
        self._local = threading.local()
        self._cursors: list[Cursor] = []
        self._lock = threading.RLock()
        #: Bumped by every write; read-side memos are valid for one generation.
        self._generation = 0
        self._sources_cache: tuple[int, tuple[Source, ...] | None] = (-1, None)
        #: Bumped after every committed write that changes the shop's data (not by meta alone).
        self._data_version = 0
        try:
            self._connection = duckdb.connect(self.path)
        except duckdb.Error as error:
            raise StoreUnavailable(f"cannot open the analytics store {self.path}: {error}") from error
        with self._failing("opening the analytics store"):
            cursor = self._cursor()
            self.schema_version = migrate(cursor)
            sync_derived(cursor, rules)
            pace.sync_local_times(cursor, rules.timezone)

    # --- plumbing -----------------------------------------------------------------------------
    def _cursor(self) -> Cursor:
        cursor: Cursor | None = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._lock:
                cursor = self._connection.cursor()
                self._cursors.append(cursor)
            self._local.cursor = cursor
        return cursor

    @contextmanager
    def _failing(self, what: str) -> Iterator[None]:
        try:
            yield
        except duckdb.Error as error:
            raise StoreUnavailable(f"{what} failed: {error}") from error

    def _read(self, what: str, query: Callable[[Cursor], T]) -> T:
        with self._failing(what):
            return query(self._cursor())

    def _write(self, what: str, change: Callable[[Cursor], T]) -> T:
        """Run `change` in one transaction: all of it or, on any error, none of it."""
        with self._lock, self._failing(what):
            try:
                with transaction(self._cursor()) as cursor:
                    return change(cursor)
            finally:
                self._generation += 1

    # --- writes -------------------------------------------------------------------------------
    def apply(self, changes: OrderChanges) -> ApplyResult:
        result = self._write("applying order changes", lambda c: write_changes(c, changes, self.rules))
        if result.inserted or result.updated or result.removed:
            self._changed()
        return result

    def _changed(self) -> None:
        """After a committed write that changes what the reads answer (`data_version`)."""
        with self._lock:
            self._data_version += 1

    def rebuild_rollups(self) -> None:
        """Recompute the rollups from the raw rows (`ksales rebuild-rollups`, for a store that lost them)."""
        self._write("rebuilding the rollups", rollups.rebuild)

    def save_dictionaries(self, dictionaries: Dictionaries) -> None:
        if self._write("saving dictionaries", lambda c: write_dictionaries(c, dictionaries)):
            self._changed()

    def set_meta(self, values: Mapping[str, str]) -> None:
        if values:
            self._write("saving meta", lambda c: set_meta(c, values))

    def save_stock_snapshot(self, snapshot: StockSnapshot) -> None:
        def save(cursor: Cursor) -> None:
            write_stock_snapshot(cursor, snapshot)
            refresh_stock_day(cursor, snapshot.day)  # the day's totals, in the same transaction

        self._write(f"saving the stock snapshot of {snapshot.day}", save)
        self._changed()

    # --- reads --------------------------------------------------------------------------------
    def data_version(self) -> int:
        return self._data_version

    def get_meta(self, key: str) -> str | None:
        row = self._read(
            "reading meta", lambda c: c.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        )
        return None if row is None else str(row[0])

    def get_order(self, order_id: int) -> Order | None:
        found = self._read(f"reading order {order_id}", lambda c: read_orders(c, [order_id]))
        return found[0] if found else None

    def order_count(self) -> int:
        row = self._read("counting orders", lambda c: c.execute("SELECT count(*) FROM orders").fetchone())
        return int(row[0]) if row else 0

    def order_ids_placed_between(self, start: datetime, end: datetime) -> frozenset[int]:
        rows = self._read(
            "listing orders",
            lambda c: c.execute(
                "SELECT id FROM orders WHERE placed_at >= ? AND placed_at < ?",
                [to_utc_naive(start), to_utc_naive(end)],
            ).fetchall(),
        )
        return frozenset(row[0] for row in rows)

    def monthly_order_counts(self) -> dict[date, int]:
        rows = self._read(
            "counting orders per month",
            lambda c: c.execute(
                "SELECT CAST(date_trunc('month', placed_at) AS DATE) AS month, count(*) "
                "FROM orders GROUP BY month ORDER BY month"
            ).fetchall(),
        )
        return {row[0]: int(row[1]) for row in rows}

    def data_quality(self) -> DataQualityCounts:
        def read(c: Cursor) -> DataQualityCounts:
            bare, bare_total = c.execute(
                "SELECT count(*), coalesce(sum(grand_total), 0) FROM orders o WHERE grand_total <> 0 "
                "AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)"
            ).fetchone() or (0, 0)
            lines, no_product, no_price = c.execute(
                "SELECT count(*), count(*) FILTER (WHERE product_id IS NULL), "
                "count(*) FILTER (WHERE purchased_price IS NULL) FROM order_lines"
            ).fetchone() or (0, 0, 0)

            def ids(sql: str) -> tuple[int, ...]:
                return tuple(int(row[0]) for row in c.execute(sql).fetchall())

            return DataQualityCounts(
                int(bare),
                Decimal(bare_total),
                int(lines),
                int(no_product),
                int(no_price),
                ids(
                    "SELECT DISTINCT product_id FROM order_lines WHERE product_id IS NOT NULL "
                    "AND product_id NOT IN (SELECT id FROM products) ORDER BY 1"
                ),
                ids(
                    "SELECT DISTINCT source_id FROM orders "
                    "WHERE source_id NOT IN (SELECT id FROM sources) ORDER BY 1"
                ),
                ids(
                    "SELECT DISTINCT status_id FROM orders WHERE status_id IS NOT NULL "
                    "AND status_id NOT IN (SELECT id FROM statuses) ORDER BY 1"
                ),
                rollups.stale(c),
            )

        return self._read("checking data quality", read)

    def sources(self) -> list[Source]:
        # Every report asks for the source names; finding the ids seen only on orders scans every order,
        # so the list is kept until the next write (this process is the store's only writer).
        current = self._generation
        generation, cached = self._sources_cache
        if cached is not None and generation == current:
            return list(cached)
        # The counted orders' source ids from `order_days` (a few thousand rows), the excluded orders' from
        # the orders whose row groups hold any (their zone maps skip the rest): not a scan of every order.
        seen = (
            "SELECT source_id FROM order_days UNION SELECT source_id FROM orders WHERE excluded"
            if self.rollups
            else "SELECT DISTINCT source_id FROM orders"
        )
        rows = self._read(
            "listing sources",
            lambda c: c.execute(
                f"""SELECT id, name, currency_code FROM sources
                UNION ALL
                SELECT source_id, NULL, NULL FROM ({seen})
                WHERE source_id NOT IN (SELECT id FROM sources)"""
            ).fetchall(),
        )
        result = sorted(
            (
                Source(id=i, name=name if name is not None else f"Source {i}", currency_code=currency)
                for i, name, currency in rows
            ),
            key=lambda s: s.id,
        )
        with self._lock:
            if self._generation == current:  # no write landed while we read
                self._sources_cache = (current, tuple(result))
        return result

    def statuses(self) -> list[Status]:
        return self._dictionary("statuses", STATUS)

    def expense_types(self) -> list[ExpenseType]:
        return self._dictionary("expense_types", EXPENSE_TYPE)

    def categories(self) -> list[Category]:
        return self._dictionary("categories", CATEGORY)

    def products(self) -> list[Product]:
        return self._dictionary("products", PRODUCT)

    def brands(self) -> list[str]:
        names = self._read("listing brands", queries.brand_names)
        return sorted(names.values(), key=lambda b: (b.lower(), b))

    def stock_snapshot_days(self) -> list[date]:
        return self._read("listing stock snapshots", queries.stock_snapshot_days)

    def stock_snapshot(self, day: date) -> StockSnapshot | None:
        return self._read(f"reading the stock snapshot of {day}", lambda c: inventory.stock_snapshot(c, day))

    def latest_stock_snapshot(self) -> StockSnapshot | None:
        return self._read("reading the latest stock snapshot", lambda c: inventory.stock_snapshot(c, None))

    def _dictionary(self, table: str, fields: Fields[E]) -> list[E]:
        rows = self._read(
            f"reading {table}",
            lambda c: c.execute(f"SELECT {fields.select} FROM {table} ORDER BY id").fetchall(),
        )
        return [fields.build(row) for row in rows]

    # --- aggregates ---------------------------------------------------------------------------
    def totals(self, scope: Scope) -> Totals:
        return self._read("computing totals", lambda c: queries.totals(c, scope, rollups=self.rollups))

    def returns(self, scope: Scope) -> Totals:
        return self._read(
            "computing returns", lambda c: queries.totals(c, scope, canceled=True, rollups=self.rollups)
        )

    def daily(self, scope: Scope) -> list[DayTotals]:
        return self._read("computing daily totals", lambda c: queries.daily(c, scope, rollups=self.rollups))

    def source_totals(self, scope: Scope) -> list[SourceTotals]:
        return self._read(
            "computing source totals", lambda c: queries.source_totals(c, scope, rollups=self.rollups)
        )

    def product_totals(self, scope: Scope) -> list[ProductTotals]:
        return self._read(
            "computing product totals", lambda c: queries.product_totals(c, scope, rollups=self.rollups)
        )

    def product_ranking(self, scope: Scope, limit: int) -> ProductRanking:
        return self._read(
            "ranking products", lambda c: queries.product_ranking(c, scope, limit, rollups=self.rollups)
        )

    def category_totals(self, scope: Scope) -> list[CategoryTotals]:
        return self._read(
            "computing category totals", lambda c: queries.category_totals(c, scope, rollups=self.rollups)
        )

    def customer_counts(self, scope: Scope) -> CustomerCounts:
        return self._read(
            "counting customers", lambda c: queries.customer_counts(c, scope, rollups=self.rollups)
        )

    def customer_revenue(self, scope: Scope) -> CustomerRevenue:
        return self._read("splitting customer revenue", lambda c: customer_revenue(c, scope))

    def brand_breakdown(self, scope: Scope) -> BrandBreakdown:
        return self._read(
            "computing brand totals", lambda c: queries.brand_breakdown(c, scope, rollups=self.rollups)
        )

    def expense_totals(self, scope: Scope, expense_type_id: int | None = None) -> ExpenseTotals:
        return self._read(
            "computing expenses",
            lambda c: queries.expense_totals(c, scope, expense_type_id, rollups=self.rollups),
        )

    # --- customers (SPEC §5 Cohorts, Segments) -------------------------------------------------
    def cohort_facts(self, scope: Scope) -> CohortFacts:
        return self._read("computing cohorts", lambda c: customers.cohort_facts(c, scope))

    def time_to_second_order(self, start: date, end: date) -> Decimal | None:
        return self._read(
            "computing the time to a second order", lambda c: customers.time_to_second_order(c, start, end)
        )

    def segment_totals(self, as_of: date, sales_type: SalesType) -> list[SegmentTotals]:
        return self._read("computing segments", lambda c: customers.segment_totals(c, as_of, sales_type))

    def customer_facts(
        self, as_of: date, sales_type: SalesType, segment: Segment | None, limit: int
    ) -> list[CustomerFacts]:
        return self._read(
            "listing customers", lambda c: customers.customer_facts(c, as_of, sales_type, segment, limit)
        )

    def customers_entering(self, segment: Segment, before: date, as_of: date, sales_type: SalesType) -> int:
        return self._read(
            "counting customers entering a segment",
            lambda c: customers.customers_entering(c, segment, before, as_of, sales_type),
        )

    def line_costs(self, scope: Scope, by: CostGroup) -> list[LineCosts]:
        from ksales.adapters.duckdb.margin import line_costs

        return self._read("computing line costs", lambda c: line_costs(c, scope, by, rollups=self.rollups))

    # --- inventory ----------------------------------------------------------------------------
    def offer_units(self, first: date | None, last: date) -> dict[int, Decimal]:
        return self._read("counting units sold per offer", lambda c: inventory.offer_units(c, first, last))

    def stock_trend(self, first: date, last: date) -> list[StockDay]:
        return self._read("computing the stock trend", lambda c: inventory.stock_trend(c, first, last))

    def export_to(self, directory: Path) -> None:
        """EXPORT DATABASE into a new `directory` (a consistent backup: writes wait for it)."""
        from ksales.adapters.duckdb.backup import export_database

        with self._lock:
            export_database(self._cursor(), directory)

    # --- pace and goals -----------------------------------------------------------------------
    def totals_until(self, scope: Scope, until: time, canceled: bool = False) -> Totals:
        return self._read(
            "computing cut totals",
            lambda c: pace.totals_until(c, scope, until, canceled, rollups=self.rollups),
        )

    def daily_before(self, scope: Scope, until: time) -> list[DayTotals]:
        return self._read("computing early daily totals", lambda c: pace.daily_before(c, scope, until))

    def goals(self) -> list[MonthlyGoal]:
        return self._read("reading goals", pace.goals)

    def set_goal(self, goal: MonthlyGoal) -> None:
        self._write("saving a goal", lambda c: pace.set_goal(c, goal))
        self._changed()

    def delete_goal(self, month: date, sales_type: SalesType) -> bool:
        deleted = self._write("deleting a goal", lambda c: pace.delete_goal(c, month, sales_type))
        self._changed()
        return deleted

    def close(self) -> None:
        """Close every cursor and the connection (idempotent)."""
        with self._lock:
            for cursor in self._cursors:
                cursor.close()
            self._cursors.clear()
            self._connection.close()

    def __repr__(self) -> str:
        return f"DuckDbSalesStore({self.path!r})"
