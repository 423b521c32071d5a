"""Rollups: sums of orders, lines and expenses per business day (per month for products), kept on write.

They are derived tables, like the columns `derived.py` keeps in step: every write that changes stored rows
subtracts the old rows' contribution and adds the new rows' in the same transaction (`Deltas`), so a
rollup is never stale; `rebuild` recomputes them from the raw rows (migration, changed rules, `ksales
rebuild-rollups`). Only rows that count are rolled up: excluded sources never, and lines and order sums
split by canceled where a query needs it.

- `order_days`: day × source × sales type × canceled → orders, Σ grand total (totals, returns, daily, sources)
- `line_days`: day × source × sales type → counted lines' revenue and costs (line costs by day)
- `line_months`: calendar month × source × sales type × product (with its category and brand key) →
  counted lines' quantity, revenue, costs and first-of-brand flags (products, categories, brands, costs);
  a month grain because a day × product grain is nearly as large as the lines themselves (2.7 M groups for
  3.4 M lines at 1 M orders) — whole months come from here, the days around them from the lines
- `expense_days`: day × source × sales type × expense type → paid expenses, Σ amount, first-paid flags
- `product_months`: `line_months` without the source — what a report over every source reads (a shop's
  products sell through most of its sources: 7× fewer rows than `line_months` on the bench store)

Filtered by a category subtree or a brand, a report counts the orders with a matching line and sums those
lines; these rollups answer that per day (`subtrees.py` gives each category its subtree's root):

- `order_category_days`: day × source × sales type × canceled × subtree root → orders with a line in the
  subtree, Σ their revenue and costs there
- `brand_days`: day × source × sales type × canceled × brand key → lines of the brand, orders (their first
  line of it), Σ quantity, revenue and costs
- `brand_category_months`: subtree root × month × source × sales type × brand key → orders with a counted
  line of the brand in the subtree, Σ those lines' quantity, revenue and costs (brands in a subtree; the
  days around whole months from the lines, as `line_months`)
- `expense_category_days`, `expense_brand_days`: `expense_days` of the orders with a line in the subtree /
  of the brand
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import duckdb
import pyarrow as pa
from attrs import frozen

from ksales.adapters.duckdb import subtrees

#: The raw tables rollups are aggregated from and the columns of theirs the rollups read: `Deltas` copies
#: these columns of a write's orders' rows, not the whole rows (a column missing here fails every write).
RAW_COLUMNS = {
    "orders": ("id", "business_day", "source_id", "b2b", "canceled", "excluded", "grand_total"),
    "order_lines": (
        "order_id", "business_day", "source_id", "b2b", "canceled", "excluded", "product_id", "name",
        "category_id", "brand_key", "brand_first", "quantity", "price_sold", "purchased_price",
    ),
    "order_expenses": (
        "order_id", "business_day", "source_id", "b2b", "excluded", "paid", "expense_type_id", "amount",
        "first_paid", "first_paid_of_type",
    ),
}  # fmt: skip
_ORDER_KEYS = {"orders": "id", "order_lines": "order_id", "order_expenses": "order_id"}
#: The tables a rollup's raw relation names by placeholder: the raw tables and the subtrees lines join.
_PLACEHOLDERS = (*RAW_COLUMNS, "category_subtrees")


@frozen
class Rollup:
    """One rollup: its keys (NULL-able ones compared with IS NOT DISTINCT FROM), its measures (summed)
    and how one raw row maps onto them."""

    table: str
    #: (name, type, expression over the raw table)
    keys: tuple[tuple[str, str, str], ...]
    #: (name, type, aggregate over raw rows); the first one counts rows: a group at 0 is dropped
    measures: tuple[tuple[str, str, str], ...]
    #: the raw table, or a subquery over raw tables, each named by a placeholder (`{orders}`,
    #: `{order_lines}`, `{order_expenses}`, `{category_subtrees}`) that stands for the table itself or for
    #: a write's copy of its orders' rows (`Deltas`)
    raw: str
    where: str

    @property
    def reads(self) -> tuple[str, ...]:
        """The raw tables the rollup is aggregated from."""
        return tuple(table for table in RAW_COLUMNS if f"{{{table}}}" in self.raw)

    def create(self) -> str:
        columns = ", ".join(f"{name} {kind}" for name, kind, _ in (*self.keys, *self.measures))
        return f"CREATE TABLE IF NOT EXISTS {self.table} ({columns})"

    def aggregate(self, tables: Mapping[str, str] | None = None, sign: int = 1) -> str:
        """SELECT keys, measures FROM the raw rows (or the `tables` in their place), each measure × sign."""
        keys = ", ".join(f"{expr} AS {name}" for name, _, expr in self.keys)
        factor = "" if sign == 1 else " * -1"
        measures = ", ".join(f"({expr}){factor} AS {name}" for name, _, expr in self.measures)
        return f"SELECT {keys}, {measures} FROM {self.rows(tables)} WHERE {self.where} GROUP BY ALL"

    def rows(self, tables: Mapping[str, str] | None = None) -> str:
        """The raw relation, over the raw tables or the `tables` standing for them."""
        relation = self.raw
        for table in _PLACEHOLDERS:
            relation = relation.replace(f"{{{table}}}", (tables or {}).get(table, table))
        return relation


_DAY_KEYS = (("business_day", "DATE", "business_day"), ("source_id", "BIGINT", "source_id"))
_B2B = (("b2b", "BOOLEAN", "b2b"),)
_LINE_REVENUE = "price_sold * quantity"
_COSTS = (
    ("revenue", "DECIMAL(38, 5)", f"sum({_LINE_REVENUE})"),
    (
        "costed_revenue",
        "DECIMAL(38, 5)",
        f"coalesce(sum({_LINE_REVENUE}) FILTER (WHERE purchased_price > 0), 0)",
    ),
    (
        "cogs",
        "DECIMAL(38, 5)",
        "coalesce(sum(purchased_price * quantity) FILTER (WHERE purchased_price > 0), 0)",
    ),
)

ORDER_DAYS = Rollup(
    "order_days",
    (*_DAY_KEYS, *_B2B, ("canceled", "BOOLEAN", "canceled")),
    (("orders", "BIGINT", "count(*)"), ("revenue", "DECIMAL(38, 2)", "sum(grand_total)")),
    "{orders}",
    "NOT excluded",
)
LINE_DAYS = Rollup(
    "line_days",
    (*_DAY_KEYS, *_B2B),
    (("lines", "BIGINT", "count(*)"), *_COSTS),
    "{order_lines}",
    "NOT excluded AND NOT canceled",
)
LINE_MONTHS = Rollup(
    "line_months",
    (
        ("month", "DATE", "date_trunc('month', business_day)::DATE"),
        ("source_id", "BIGINT", "source_id"),
        *_B2B,
        ("product_id", "BIGINT", "product_id"),
        ("line_name", "VARCHAR", "CASE WHEN product_id IS NULL THEN name END"),
        ("category_id", "BIGINT", "category_id"),
        ("brand_key", "VARCHAR", "brand_key"),
    ),
    (
        ("lines", "BIGINT", "count(*)"),
        ("quantity", "DECIMAL(38, 3)", "sum(quantity)"),
        *_COSTS,
        ("brand_orders", "BIGINT", "count(*) FILTER (WHERE brand_first)"),
    ),
    "{order_lines}",
    "NOT excluded AND NOT canceled",
)
EXPENSE_DAYS = Rollup(
    "expense_days",
    (*_DAY_KEYS, *_B2B, ("expense_type_id", "BIGINT", "expense_type_id")),
    (
        ("expenses", "BIGINT", "count(*)"),
        ("amount", "DECIMAL(38, 2)", "sum(amount)"),
        ("first_paid", "BIGINT", "count(*) FILTER (WHERE first_paid)"),
        ("first_paid_of_type", "BIGINT", "count(*) FILTER (WHERE first_paid_of_type)"),
    ),
    "{order_expenses}",
    "NOT excluded AND paid",
)
#: The first rollups (their migration builds these alone).
DAY_ROLLUPS = (ORDER_DAYS, LINE_DAYS, LINE_MONTHS, EXPENSE_DAYS)

_CANCELED = (("canceled", "BOOLEAN", "canceled"),)


def _order_subtree_sums(alias: str, brand: bool = False) -> str:
    """One row per order and subtree it has a line in (and brand, None included, with `brand`): the sums
    of those lines there."""
    key, quantity = (", l.brand_key", "\n        sum(l.quantity) AS quantity,") if brand else ("", "")
    return f"""(
    SELECT l.order_id, l.business_day, l.source_id, l.b2b, l.canceled, l.excluded, s.root_id{key},{quantity}
        sum(l.price_sold * l.quantity) AS revenue,
        coalesce(sum(l.price_sold * l.quantity) FILTER (WHERE l.purchased_price > 0), 0) AS costed_revenue,
        coalesce(sum(l.purchased_price * l.quantity) FILTER (WHERE l.purchased_price > 0), 0) AS cogs
    FROM {{order_lines}} l JOIN {{category_subtrees}} s ON s.category_id = l.category_id
    GROUP BY ALL
) AS {alias}"""


_ORDER_SUBTREES = _order_subtree_sums("order_subtrees")
ORDER_CATEGORY_DAYS = Rollup(
    "order_category_days",
    (("category_id", "BIGINT", "root_id"), *_DAY_KEYS, *_B2B, *_CANCELED),
    (
        ("orders", "BIGINT", "count(*)"),
        ("revenue", "DECIMAL(38, 5)", "sum(revenue)"),
        ("costed_revenue", "DECIMAL(38, 5)", "sum(costed_revenue)"),
        ("cogs", "DECIMAL(38, 5)", "sum(cogs)"),
    ),
    _ORDER_SUBTREES,
    "NOT excluded",
)
BRAND_DAYS = Rollup(
    "brand_days",
    (("brand_key", "VARCHAR", "brand_key"), *_DAY_KEYS, *_B2B, *_CANCELED),
    (
        ("lines", "BIGINT", "count(*)"),
        *_COSTS,
        ("quantity", "DECIMAL(38, 3)", "sum(quantity)"),
        ("brand_orders", "BIGINT", "count(*) FILTER (WHERE brand_first)"),
    ),
    "{order_lines}",
    "NOT excluded AND brand_key IS NOT NULL",
)

_ORDER_SUBTREE_BRANDS = _order_subtree_sums("order_subtree_brands", brand=True)
BRAND_CATEGORY_MONTHS = Rollup(
    "brand_category_months",
    (
        ("category_id", "BIGINT", "root_id"),
        LINE_MONTHS.keys[0],
        *_DAY_KEYS[1:],
        *_B2B,
        ("brand_key", "VARCHAR", "brand_key"),
    ),
    (
        ("orders", "BIGINT", "count(*)"),
        *ORDER_CATEGORY_DAYS.measures[1:],
        ("quantity", "DECIMAL(38, 3)", "sum(quantity)"),
    ),
    _ORDER_SUBTREE_BRANDS,
    "NOT excluded AND NOT canceled",
)


def _expenses_of(orders: str, key: str, alias: str) -> str:
    """Expense rows, each with the `key` of every (order, key) of `orders`."""
    return f"""(
    SELECT e.*, o.{key} AS narrowed_by
    FROM {{order_expenses}} e JOIN ({orders}) o ON o.order_id = e.order_id
) AS {alias}"""


def _expense_rollup(table: str, key: tuple[str, str], orders: str) -> Rollup:
    name, kind = key
    return Rollup(
        table,
        ((name, kind, "narrowed_by"), *_DAY_KEYS, *_B2B, ("expense_type_id", "BIGINT", "expense_type_id")),
        EXPENSE_DAYS.measures,
        _expenses_of(orders, name, f"{table}_raw"),
        EXPENSE_DAYS.where,
    )


EXPENSE_CATEGORY_DAYS = _expense_rollup(
    "expense_category_days",
    ("category_id", "BIGINT"),
    """SELECT DISTINCT l.order_id, s.root_id AS category_id
    FROM {order_lines} l JOIN {category_subtrees} s ON s.category_id = l.category_id""",
)
EXPENSE_BRAND_DAYS = _expense_rollup(
    "expense_brand_days",
    ("brand_key", "VARCHAR"),
    "SELECT DISTINCT order_id, brand_key FROM {order_lines} WHERE brand_key IS NOT NULL",
)
#: Rollups per category subtree or brand (built by their own migration, after `category_subtrees`). The
#: subtree or brand is their first key: a rebuild stores the rows in key order, so that a query of one
#: subtree or brand reads the row groups of that one only.
NARROWED_ROLLUPS = (
    ORDER_CATEGORY_DAYS,
    BRAND_DAYS,
    BRAND_CATEGORY_MONTHS,
    EXPENSE_CATEGORY_DAYS,
    EXPENSE_BRAND_DAYS,
)
PRODUCT_MONTHS = Rollup(
    "product_months",
    tuple(key for key in LINE_MONTHS.keys if key[0] != "source_id"),
    LINE_MONTHS.measures,
    LINE_MONTHS.raw,
    LINE_MONTHS.where,
)
ROLLUPS = (*DAY_ROLLUPS, *NARROWED_ROLLUPS, PRODUCT_MONTHS)


def create_statements(rollups: Sequence[Rollup] = ROLLUPS) -> list[str]:
    return [rollup.create() for rollup in rollups]


def rebuild_statements(rollups: Sequence[Rollup] = ROLLUPS) -> list[str]:
    """Recompute the rollups from the raw rows."""
    statements = []
    for rollup in rollups:
        statements.append(f"DELETE FROM {rollup.table}")
        statements.append(f"INSERT INTO {rollup.table} {rollup.aggregate()} ORDER BY ALL")
    return statements


def stale(cursor: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The rollups whose grand totals (their row count and first sum) differ from their raw rows': lost or
    stale ones, which every report would read (`ksales doctor`; `ksales rebuild-rollups` repairs them)."""
    found = []
    for rollup in ROLLUPS:
        (rows, _, count), (total, _, summed) = rollup.measures[:2]
        kept = cursor.execute(
            f"SELECT coalesce(sum({rows}), 0), coalesce(sum({total}), 0) FROM {rollup.table}"
        ).fetchone()
        raw = cursor.execute(
            f"SELECT {count}, coalesce({summed}, 0) FROM {rollup.rows()} WHERE {rollup.where}"
        ).fetchone()
        if tuple(kept or ()) != tuple(raw or ()):
            found.append(rollup.table)
    return tuple(found)


def rebuild(cursor: duckdb.DuckDBPyConnection) -> None:
    """Recompute the category subtrees and every rollup from the raw rows, inside the caller's transaction."""
    for statement in ("DELETE FROM category_subtrees", subtrees.FILL[1], *rebuild_statements()):
        cursor.execute(statement)


def refresh_subtrees(cursor: duckdb.DuckDBPyConnection) -> None:
    """After the categories changed: the subtrees that changed, and the rollups of the orders with a line
    filed in a category whose subtree roots changed (in the caller's transaction)."""
    cursor.execute(f"CREATE OR REPLACE TEMP TABLE new_subtrees AS {subtrees.SELECT}")
    changed = [
        row[0]
        for row in cursor.execute(
            """SELECT DISTINCT category_id FROM (
                (SELECT * FROM category_subtrees EXCEPT SELECT * FROM new_subtrees)
                UNION ALL (SELECT * FROM new_subtrees EXCEPT SELECT * FROM category_subtrees)
            )"""
        ).fetchall()
    ]
    if not changed:
        cursor.execute("DROP TABLE new_subtrees")
        return
    orders = [
        row[0]
        for row in cursor.execute(
            "SELECT DISTINCT order_id FROM order_lines WHERE category_id IN (SELECT unnest($ids::BIGINT[]))",
            {"ids": changed},
        ).fetchall()
    ]
    with reworking(cursor, orders):
        cursor.execute("DELETE FROM category_subtrees")
        cursor.execute("INSERT INTO category_subtrees SELECT * FROM new_subtrees")
        cursor.execute("DROP TABLE new_subtrees")


#: Orders a change may touch for its rollups to be kept by deltas: above this many, and above one order in
#: `DELTAS_UP_TO_ONE_IN` of the store, `reworking` rebuilds them instead. Folding deltas costs per order
#: touched (≈ 0.3 s per thousand scattered orders at 1 M orders, measured), a rebuild per order stored
#: (≈ 7 s at 1 M): re-parenting a big category or renaming a popular brand took 94 s by deltas on the
#: bench store.
DELTAS_UP_TO = 1_000
#: See `DELTAS_UP_TO`.
DELTAS_UP_TO_ONE_IN = 20


@contextmanager
def reworking(cursor: duckdb.DuckDBPyConnection, order_ids: Sequence[int]) -> Iterator[None]:
    """Keep the rollups right across the change the block makes to these orders' rows: by `Deltas` for a
    few orders, by rebuilding the rollups from the raw rows (not the subtrees) for many."""
    if not order_ids:  # the change touches no order's rows: no rollup changes
        yield
        return
    if len(order_ids) > DELTAS_UP_TO:
        (stored,) = cursor.execute("SELECT count(*) FROM orders").fetchone() or (0,)
        if len(order_ids) * DELTAS_UP_TO_ONE_IN > stored:
            yield
            for statement in rebuild_statements():
                cursor.execute(statement)
            return
    deltas = Deltas(cursor)
    deltas.subtract(order_ids)
    yield
    deltas.add(order_ids)
    deltas.fold()


class Deltas:
    """The change of a write to every rollup: `subtract` the orders about to change, change them, `add`
    them back, then `fold` the difference into the rollups (all inside the caller's transaction).

    Each side copies its orders' rows of the raw tables (the columns in `RAW_COLUMNS`, as Arrow tables):
    three scans of the raw tables, however many rollups there are. A subtraction's copy is taken at once
    (the rows go next), with the category subtrees as they are (they may change before the fold); an
    addition's at the fold. The fold is one MERGE per rollup, its USING aggregating both sides' copies (a
    few thousand rows): groups are updated in place, created, or dropped when left with no rows.
    """

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self._cursor = cursor
        self._before: list[dict[str, pa.Table]] = []
        self._added: list[int] = []

    def subtract(self, order_ids: Sequence[int]) -> None:
        if not order_ids:
            return
        copies = self._copy(order_ids)
        copies["category_subtrees"] = self._cursor.sql("SELECT * FROM category_subtrees").to_arrow_table()
        self._before.append(copies)

    def add(self, order_ids: Sequence[int]) -> None:
        """Count these orders' current rows in on `fold`, which must come before their rows change again."""
        self._added.extend(order_ids)

    def fold(self) -> None:
        """Add the differences to the rollups; groups left with no rows are dropped."""
        before, self._before = self._before, []
        added, self._added = self._added, []
        sides = [(copies, -1) for copies in before] + ([(self._copy(added), 1)] if added else [])
        # Each side's copies, registered by the names that stand for their tables in the raw relations.
        named: list[tuple[dict[str, str], int]] = []
        registered: dict[str, pa.Table] = {}
        for i, (copies, sign) in enumerate(sides):
            names = {table: f"ksales_side{i}_{table}" for table in copies}
            registered.update((names[table], rows) for table, rows in copies.items())
            named.append((names, sign))
        for name, rows in registered.items():
            self._cursor.register(name, rows)
        try:
            for rollup in ROLLUPS:
                if any(copies[table].num_rows for copies, _ in sides for table in rollup.reads):
                    self._fold(rollup, [rollup.aggregate(names, sign) for names, sign in named])
        finally:
            for name in registered:
                self._cursor.unregister(name)

    def _copy(self, order_ids: Sequence[int]) -> dict[str, pa.Table]:
        """The orders' rows of each raw table (the columns rollups read)."""
        ids = {"ids": list(order_ids)}
        return {
            table: self._cursor.sql(
                f"SELECT {', '.join(columns)} FROM {table}"
                f" WHERE {_ORDER_KEYS[table]} IN (SELECT unnest($ids::BIGINT[]))",
                params=ids,
            ).to_arrow_table()
            for table, columns in RAW_COLUMNS.items()
        }

    def _fold(self, rollup: Rollup, aggregates: list[str]) -> None:
        keys = [name for name, _, _ in rollup.keys]
        measures = [name for name, _, _ in rollup.measures]
        if len(aggregates) == 1:  # one aggregate: its groups are distinct already
            deltas = aggregates[0]
        else:
            sums = ", ".join(f"sum({m}) AS {m}" for m in measures)
            union = " UNION ALL BY NAME ".join(f"({a})" for a in aggregates)
            deltas = f"SELECT {', '.join(keys)}, {sums} FROM ({union}) GROUP BY ALL"
        same = " AND ".join(f"r.{k} IS NOT DISTINCT FROM d.{k}" for k in keys)
        rows = measures[0]
        columns = [*keys, *measures]
        self._cursor.execute(
            f"""MERGE INTO {rollup.table} r
            USING ({deltas}) d ON {same}
            WHEN MATCHED AND r.{rows} + d.{rows} = 0 THEN DELETE
            WHEN MATCHED THEN UPDATE SET {", ".join(f"{m} = r.{m} + d.{m}" for m in measures)}
            WHEN NOT MATCHED AND d.{rows} <> 0 THEN
                INSERT ({", ".join(columns)}) VALUES ({", ".join(f"d.{c}" for c in columns)})"""
        )
