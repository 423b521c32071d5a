"""The dashboard aggregates in SQL. Every value is a named parameter; only fixed fragments are composed.

Lines and expenses carry their order's business day, source and flags, so a query reads one table.
Counted = `NOT canceled` within the scope (the scope already leaves excluded sources out).
Why one module of ~300 lines: every aggregate is composed from the same scope and line-filter fragments
below, and split up they would have to be imported back into each part.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import duckdb
from attrs import evolve

from ksales.adapters.duckdb.rollup_reads import (
    by_subtree,
    counted_lines,
    line_filter,
    month_rollup,
    narrowed,
    raw_filters,
    sales_filters,
    summed_lines,
)
from ksales.adapters.duckdb.tables import OFFER_STOCK, STOCK_SNAPSHOT
from ksales.domain.filters import Scope
from ksales.domain.ranking import RankBy, rank_products
from ksales.domain.results import (
    BrandBreakdown,
    BrandTotals,
    CategoryTotals,
    CustomerCounts,
    DayAmount,
    DayTotals,
    ExpenseTotals,
    ExpenseTypeTotals,
    ProductRanking,
    ProductTotals,
    SourceTotals,
    Totals,
)
from ksales.domain.rules import SalesType
from ksales.domain.stock import StockSnapshot

ZERO = Decimal(0)
CENT = Decimal("0.01")
Params = dict[str, Any]


def money(text: str | None) -> Decimal:
    """A money sum fetched as text, to the cent when that is exact (price × quantity has 5 decimals).

    Sums are fetched as VARCHAR: DuckDB's DECIMAL → Python Decimal conversion costs more than the query.
    """
    value = Decimal(text) if text is not None else ZERO
    cents = value.quantize(CENT)
    return cents if cents == value else value


def number(text: str | None) -> Decimal:
    return Decimal(text) if text is not None else ZERO


def _scope(scope: Scope, params: Params, canceled: bool | None) -> str:
    """Period, excluded sources, source, sales type and `canceled` (None: either) on any of the three
    tables' raw rows."""
    params.update(start=scope.start, end=scope.end)
    return f"business_day BETWEEN $start AND $end{raw_filters(scope, params, canceled)}"


_line_filter = line_filter


def _lines_where(scope: Scope, params: Params, canceled: bool | None = False) -> str:
    return f"WHERE {_scope(scope, params, canceled)}{_line_filter(scope, params)}"


def _matching_orders(scope: Scope, params: Params, canceled: bool | None) -> str:
    """` AND id IN (orders with a matching line)` when the scope narrows lines."""
    if not scope.narrows_lines:
        return ""
    return f" AND id IN (SELECT order_id FROM order_lines {_lines_where(scope, params, canceled)})"


def _grouped(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, key: str, canceled: bool, rollups: bool
) -> list[Any]:
    """(key, orders, revenue) over counted (or canceled) orders, grouped by `key` ('' for one row).

    Whole orders come from the `order_days` rollup, orders filtered by a subtree or a brand from theirs
    (`order_category_days`, `brand_days`). Raw, an order's first line of the brand counts it (no
    DISTINCT), and whole months come from `line_months`; a category filter counts the distinct orders of
    the matching lines.
    """
    params: Params = {}
    select = f"{key}, " if key else ""
    group = f" GROUP BY {key}" if key else ""
    state = "canceled" if canceled else "NOT canceled"
    by = narrowed(scope, params) if rollups else None
    if by is not None:
        params.update(start=scope.start, end=scope.end)
        sql = (
            f"SELECT {select}coalesce(sum({by.orders}), 0), sum(revenue)::VARCHAR FROM {by.lines}"
            f" WHERE business_day BETWEEN $start AND $end{sales_filters(scope, params)}{by.condition}"
            f" AND {state}{group}"
        )
    elif not scope.narrows_lines and rollups:
        params.update(start=scope.start, end=scope.end)
        sql = (
            f"SELECT {select}coalesce(sum(orders), 0), sum(revenue)::VARCHAR FROM order_days"
            f" WHERE business_day BETWEEN $start AND $end{sales_filters(scope, params)} AND {state}{group}"
        )
    elif not scope.narrows_lines:
        sql = (
            f"SELECT {select}count(*), sum(grand_total)::VARCHAR"
            f" FROM orders WHERE {_scope(scope, params, canceled)}{group}"
        )
    elif scope.category_ids is None and not canceled and key != "business_day":
        lines = counted_lines(
            scope, params, [key] if key else [], ["brand_orders", "revenue"], rollups=rollups
        )
        sql = f"SELECT {select}coalesce(sum(brand_orders), 0), sum(revenue)::VARCHAR FROM ({lines}){group}"
    else:
        orders = (
            "count(*) FILTER (WHERE brand_first)"
            if scope.category_ids is None
            else "count(DISTINCT order_id)"
        )
        sql = (
            f"SELECT {select}{orders}, sum(price_sold * quantity)::VARCHAR"
            f" FROM order_lines {_lines_where(scope, params, canceled)}{group}"
        )
    return cursor.execute(sql, params).fetchall()


def totals(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, canceled: bool = False, *, rollups: bool = True
) -> Totals:
    ((orders, revenue),) = _grouped(cursor, scope, "", canceled, rollups)
    return Totals(orders, money(revenue))


def daily(cursor: duckdb.DuckDBPyConnection, scope: Scope, *, rollups: bool = True) -> list[DayTotals]:
    rows = _grouped(cursor, scope, "business_day", False, rollups)
    return [DayTotals(day, orders, money(revenue)) for day, orders, revenue in sorted(rows)]


def source_totals(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, *, rollups: bool = True
) -> list[SourceTotals]:
    rows = _grouped(cursor, scope, "source_id", False, rollups)
    return [SourceTotals(source, orders, money(revenue)) for source, orders, revenue in sorted(rows)]


def product_totals(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, *, rollups: bool = True
) -> list[ProductTotals]:
    """By product id (line name when there is none); names from the catalog, else the latest line."""
    params: Params = {}
    lines, having = _product_lines(scope, params, rollups)
    rows = cursor.execute(
        f"""SELECT l.product_id, l.line_name, p.name, l.quantity, l.revenue
        FROM (
            SELECT product_id, line_name, sum(quantity)::VARCHAR AS quantity, sum(revenue)::VARCHAR AS revenue
            FROM ({lines}) GROUP BY ALL{having}
        ) l
        LEFT JOIN products p ON p.id = l.product_id""",
        params,
    ).fetchall()
    missing = sorted(r[0] for r in rows if r[0] is not None and r[2] is None)
    latest = _latest_line_names(cursor, scope, missing, rollups=rollups)
    result = [
        ProductTotals(
            pid,
            line_name if pid is None else (name if name is not None else latest[pid]),
            number(qty),
            money(rev),
        )
        for pid, line_name, name, qty, rev in rows
    ]
    return sorted(result, key=lambda r: (r.product_id is None, r.product_id or 0, r.name))


_PRODUCT = ("product_id", "line_name")


def _product_lines(scope: Scope, params: Params, rollups: bool) -> tuple[str, str]:
    """The scope's counted lines by product, and the HAVING clause their groups take.

    Without a category or brand filter, a month the scope covers mostly (this month, in a period ending
    today) is read from the rollup less its other days (`netted_lines`): 2,000 products' rows instead of a
    month of lines.
    """
    return summed_lines(scope, params, _PRODUCT, ["quantity", "revenue"], rollups=rollups)


def product_ranking(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, limit: int, *, rollups: bool = True
) -> ProductRanking:
    """The top `limit` products by quantity and by revenue, and totals over every product of the scope.

    One grouping, ranked both ways: SQL keeps the products ranked within `limit` by (quantity, revenue)
    or by (revenue, quantity) — ties at the boundary included — so that only those few are named and
    turned into Decimals; `rank_products` then breaks the remaining ties by name and id exactly as the
    domain says.
    """
    params: Params = {"limit": limit}
    lines, having = _product_lines(scope, params, rollups)
    rows = cursor.execute(
        f"""WITH grouped AS (
            SELECT product_id, line_name, sum(quantity) AS quantity, sum(revenue) AS revenue
            FROM ({lines}) GROUP BY ALL{having}
        ), totals AS (
            SELECT count(*) AS products, sum(quantity)::VARCHAR AS quantity, sum(revenue)::VARCHAR AS revenue
            FROM grouped
        ), ranked AS (
            SELECT *, rank() OVER (ORDER BY quantity DESC, revenue DESC) AS by_quantity,
                rank() OVER (ORDER BY revenue DESC, quantity DESC) AS by_revenue
            FROM grouped
        )
        SELECT t.products, t.quantity, t.revenue,
            r.product_id, r.line_name, p.name, r.quantity::VARCHAR, r.revenue::VARCHAR
        FROM totals t
        LEFT JOIN ranked r ON r.by_quantity <= $limit OR r.by_revenue <= $limit
        LEFT JOIN products p ON p.id = r.product_id""",
        params,
    ).fetchall()
    products, quantity, revenue = rows[0][:3]
    candidates = [row[3:] for row in rows if row[6] is not None]
    missing = sorted(pid for pid, _, name, _, _ in candidates if pid is not None and name is None)
    latest = _latest_line_names(cursor, scope, missing, rollups=rollups)
    named = [
        ProductTotals(
            pid,
            line_name if pid is None else (name if name is not None else latest[pid]),
            number(qty),
            money(rev),
        )
        for pid, line_name, name, qty, rev in candidates
    ]
    return ProductRanking(
        tuple(rank_products(named, RankBy.QUANTITY)[:limit]),
        tuple(rank_products(named, RankBy.REVENUE)[:limit]),
        products,
        number(quantity),
        money(revenue),
    )


def _latest_line_names(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, ids: list[int], *, rollups: bool = True
) -> dict[int, str]:
    """Names of products missing from the catalog: the line name of the most recent order.

    With the rollups, a product's lines are first looked for in the latest month `line_months` has them in
    (a month of lines read instead of the whole period); those whose lines of that month all fall outside
    the scope's days are looked for over the whole scope.
    """
    found: dict[int, str] = {}
    if ids and rollups:
        params: Params = {"missing": ids, "first": scope.start.replace(day=1), "last": scope.end}
        filters = f"{sales_filters(scope, params)}{_line_filter(scope, params, rollup=True)}"
        latest = cursor.execute(
            f"""SELECT max(month), list(product_id) FROM (
                SELECT product_id, max(month) AS month FROM {month_rollup(scope)}
                WHERE month BETWEEN $first AND $last{filters}
                  AND product_id IN (SELECT unnest($missing::BIGINT[]))
                GROUP BY product_id
            ) GROUP BY month""",
            params,
        ).fetchall()
        for month, products in latest:
            month_end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            within = evolve(scope, start=max(scope.start, month), end=min(scope.end, month_end))
            found.update(_latest_names_in(cursor, within, sorted(products)))
    rest = [i for i in ids if i not in found]
    return found | _latest_names_in(cursor, scope, rest) if rest else found


def _latest_names_in(cursor: duckdb.DuckDBPyConnection, scope: Scope, ids: list[int]) -> dict[int, str]:
    params: Params = {"missing": ids}
    where = _lines_where(scope, params)
    return dict(
        cursor.execute(
            f"""SELECT DISTINCT ON (product_id) product_id, name FROM order_lines
            {where} AND product_id IN (SELECT unnest($missing::BIGINT[]))
            ORDER BY product_id, placed_at DESC, order_id DESC, position""",
            params,
        ).fetchall()
    )


def category_totals(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, *, rollups: bool = True
) -> list[CategoryTotals]:
    params: Params = {}
    lines, having = summed_lines(scope, params, ["category_id"], ["quantity", "revenue"], rollups=rollups)
    rows = cursor.execute(
        f"SELECT category_id, sum(quantity)::VARCHAR, sum(revenue)::VARCHAR FROM ({lines})"
        f" GROUP BY ALL{having}",
        params,
    ).fetchall()
    result = [CategoryTotals(c, number(q), money(r)) for c, q, r in rows]
    return sorted(result, key=lambda r: (r.category_id is None, r.category_id or 0))


#: The widest buyer id range counted with a bitmap (`bitstring_agg`: one bit per id, 16 MiB at most).
BITMAP_RANGE = 1 << 27


def customer_counts(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, *, rollups: bool = True
) -> CustomerCounts:
    """Distinct buyers of counted orders; new ones had their first counted order inside the period.

    A bitmap of buyer ids (each buyer's bit set by any of their orders, the bits counted) is exact and
    ≈ 2× faster than DISTINCT over a year of orders (a quarter million buyers: the hash table is the cost);
    ids spread wider than `BITMAP_RANGE` are counted with DISTINCT. A period ending today, without a source
    or line filter, is counted from the `customers` rollup instead (`_counts_from_buyers`).
    """
    if rollups and scope.source_id is None and not scope.narrows_lines:
        counts = _counts_from_buyers(cursor, scope)
        if counts is not None:
            return counts
    low, high = cursor.execute("SELECT min(buyer_id), max(buyer_id) FROM orders").fetchone() or (None, None)
    if low is None or high is None:
        return CustomerCounts(0, 0)
    if rollups and scope.narrows_lines:
        return _buyers_of_lines(cursor, scope, int(low), int(high))
    params: Params = {}
    where = f"{_scope(scope, params, False)} AND buyer_id IS NOT NULL"
    where += _matching_orders(scope, params, False)
    new = "buyer_first_day BETWEEN $start AND $end"
    if high - low < BITMAP_RANGE:
        # The bounds are literals: `bitstring_agg` takes constants (integers read from the store).
        bitmap = f"bitstring_agg(buyer_id, {int(low)}, {int(high)})"
        sql = f"""SELECT coalesce(bit_count({bitmap}), 0),
            coalesce(bit_count({bitmap} FILTER (WHERE {new})), 0)
        FROM orders WHERE {where}"""
    else:
        sql = f"""SELECT count(*), count(*) FILTER (WHERE {new})
        FROM (SELECT DISTINCT buyer_id, buyer_first_day FROM orders WHERE {where})"""
    row = cursor.execute(sql, params).fetchone()
    assert row is not None
    return CustomerCounts(int(row[0]), int(row[1]))


def _buyers_of_lines(cursor: duckdb.DuckDBPyConnection, scope: Scope, low: int, high: int) -> CustomerCounts:
    """Under a category or brand filter: the buyers on the matching counted lines (each line carries its
    order's buyer), new ones those whose first counted day (the `customers` rollup) is in the period — one
    scan of the lines instead of matching them to the orders (1.3–1.9× faster over a year at 1 M orders)."""
    params: Params = {}
    lines = f"order_lines WHERE {_scope(scope, params, False)} AND buyer_id IS NOT NULL"
    lines += line_filter(scope, params)
    fresh = "customers WHERE first_day BETWEEN $start AND $end"
    if high - low < BITMAP_RANGE:
        bitmap = f"bitstring_agg(buyer_id, {low}, {high})"  # literals: it takes constants
        sql = f"""SELECT coalesce(bit_count(bought.ids), 0), coalesce(bit_count(bought.ids & fresh.ids), 0)
        FROM (SELECT {bitmap} AS ids FROM {lines}) bought, (SELECT {bitmap} AS ids FROM {fresh}) fresh"""
    else:
        sql = f"""SELECT count(*), count(*) FILTER (WHERE c.first_day BETWEEN $start AND $end)
        FROM (SELECT DISTINCT buyer_id FROM {lines}) JOIN customers c USING (buyer_id)"""
    row = cursor.execute(sql, params).fetchone()
    assert row is not None
    return CustomerCounts(int(row[0]), int(row[1]))


#: A buyer's last counted day of the sales type, in the `customers` rollup.
_LAST_DAY = {
    SalesType.RETAIL: "retail_last",
    SalesType.B2B: "b2b_last",
    SalesType.ALL: "greatest(retail_last, b2b_last)",
}


def _counts_from_buyers(cursor: duckdb.DuckDBPyConnection, scope: Scope) -> CustomerCounts | None:
    """From the `customers` rollup (one row per buyer) when no counted order of the sales type falls after
    the scope's end, as in a period ending today: a buyer then bought in the period exactly when their last
    counted order is in it. None when later orders exist (a past period: count the period's orders)."""
    params: Params = {"end": scope.end}
    filters = raw_filters(scope, params, canceled=False)
    later = cursor.execute(
        f"SELECT 1 FROM orders WHERE business_day > $end{filters} AND buyer_id IS NOT NULL LIMIT 1",
        params,
    ).fetchone()
    if later is not None:
        return None
    params = {"start": scope.start, "end": scope.end}
    row = cursor.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE first_day BETWEEN $start AND $end)
        FROM customers WHERE {_LAST_DAY[scope.sales_type]} >= $start""",
        params,
    ).fetchone()
    assert row is not None
    return CustomerCounts(int(row[0]), int(row[1]))


def brand_breakdown(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, *, rollups: bool = True
) -> BrandBreakdown:
    params: Params = {}
    by = narrowed(scope, params) if rollups and scope.category_ids is None else None
    # An order's first line of a brand is flagged; a category filter may skip that line, though.
    if by is not None:  # the scope's one brand
        params.update(start=scope.start, end=scope.end)
        sql = f"""SELECT brand_key, sum(revenue)::VARCHAR, sum(quantity)::VARCHAR, sum(brand_orders)
        FROM brand_days WHERE business_day BETWEEN $start AND $end{sales_filters(scope, params)}{by.condition}
            AND NOT canceled
        GROUP BY brand_key"""
    elif rollups and by_subtree(scope):
        lines = counted_lines(
            scope, params, ["brand_key"], ["revenue", "quantity", "orders"], rollups=True, subtree_brands=True
        )
        sql = f"""SELECT brand_key, sum(revenue)::VARCHAR, sum(quantity)::VARCHAR, sum(orders)
        FROM ({lines}) GROUP BY brand_key"""
    elif scope.category_ids is None:
        lines, having = summed_lines(
            scope, params, ["brand_key"], ["revenue", "quantity", "brand_orders"], rollups=rollups
        )
        sql = f"""SELECT brand_key, sum(revenue)::VARCHAR, sum(quantity)::VARCHAR, sum(brand_orders)
        FROM ({lines}) GROUP BY brand_key{having}"""
    else:
        sql = f"""SELECT brand_key, sum(price_sold * quantity)::VARCHAR, sum(quantity)::VARCHAR,
            count(DISTINCT order_id)
        FROM order_lines {_lines_where(scope, params)} GROUP BY brand_key"""
    rows = cursor.execute(sql, params).fetchall()
    names = brand_names(cursor)
    unbranded = money(next((r[1] for r in rows if r[0] is None), None))
    brands = sorted((r for r in rows if r[0] is not None), key=lambda r: str(r[0]))
    return BrandBreakdown(
        tuple(BrandTotals(names[k], money(rev), number(qty), n) for k, rev, qty, n in brands), unbranded
    )


def brand_names(cursor: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Brand key → spelling of the lowest product id carrying it (stripped)."""
    rows = cursor.execute(
        "SELECT brand_key, arg_min(brand, id) FROM products WHERE brand_key IS NOT NULL GROUP BY brand_key"
    ).fetchall()
    return {key: brand.strip() for key, brand in rows}


def expense_totals(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, expense_type_id: int | None, *, rollups: bool = True
) -> ExpenseTotals:
    """Paid expenses by type and by day, and how many orders had any, in one grouping-sets scan (of the
    `expense_days` rollup, or the one of the scope's subtree or brand)."""
    params: Params = {}
    # Each order's first paid expense (of each type) is flagged: counting them counts orders, no DISTINCT.
    first = "first_paid" if expense_type_id is None else "first_paid_of_type"
    by = narrowed(scope, params) if rollups else None
    if by is not None:
        table, count, orders = by.expenses, "coalesce(sum(expenses), 0)", f"coalesce(sum({first}), 0)"
        params.update(start=scope.start, end=scope.end)
        where = f"business_day BETWEEN $start AND $end{sales_filters(scope, params)}{by.condition}"
    elif scope.narrows_lines or not rollups:
        table, count, orders = "order_expenses", "count(*)", f"count(*) FILTER (WHERE {first})"
        where = f"{_scope(scope, params, None)} AND paid"
    else:  # the rollup holds paid expenses of counted sources only
        table, count, orders = "expense_days", "coalesce(sum(expenses), 0)", f"coalesce(sum({first}), 0)"
        params.update(start=scope.start, end=scope.end)
        where = f"business_day BETWEEN $start AND $end{sales_filters(scope, params)}"
    if expense_type_id is not None:
        params["type"] = expense_type_id
        where += " AND expense_type_id = $type"
    if scope.narrows_lines and by is None:
        where += f" AND order_id IN (SELECT order_id FROM order_lines {_lines_where(scope, params, None)})"
    rows = cursor.execute(
        f"""SELECT GROUPING(expense_type_id), GROUPING(business_day), expense_type_id, business_day,
            sum(amount)::VARCHAR, {count}, {orders}
        FROM {table} WHERE {where}
        GROUP BY GROUPING SETS ((expense_type_id), (business_day), ())""",
        params,
    ).fetchall()
    by_type: list[ExpenseTypeTotals] = []
    by_day: dict[Any, Decimal] = defaultdict(Decimal)
    orders_with = 0
    for type_rolled_up, day_rolled_up, type_id, day, amount, count, orders in rows:
        if type_rolled_up and day_rolled_up:
            orders_with = orders
        elif not type_rolled_up:
            by_type.append(ExpenseTypeTotals(type_id, number(amount), count))
        else:
            by_day[day] = number(amount)
    by_type.sort(key=lambda t: (t.expense_type_id is None, t.expense_type_id or 0))
    return ExpenseTotals(
        tuple(by_type), orders_with, tuple(DayAmount(d, a) for d, a in sorted(by_day.items()))
    )


# --- stock snapshots ------------------------------------------------------------------------------


def stock_snapshot_days(cursor: duckdb.DuckDBPyConnection) -> list[date]:
    return [row[0] for row in cursor.execute("SELECT day FROM stock_snapshots ORDER BY day").fetchall()]


def stock_snapshot(cursor: duckdb.DuckDBPyConnection, day: date | None) -> StockSnapshot | None:
    """That day's snapshot with its rows by offer id; the latest one when `day` is None."""
    where = "day = $day" if day is not None else "day = (SELECT max(day) FROM stock_snapshots)"
    params = {"day": day} if day is not None else {}
    found = cursor.execute(
        f"SELECT {STOCK_SNAPSHOT.select} FROM stock_snapshots WHERE {where}", params
    ).fetchone()
    if found is None:
        return None
    rows = cursor.execute(
        f"SELECT {OFFER_STOCK.select} FROM stock_levels WHERE day = $day ORDER BY offer_id", {"day": found[0]}
    ).fetchall()
    return STOCK_SNAPSHOT.build(found, rows=tuple(OFFER_STOCK.build(row) for row in rows))
