"""The customer queries in SQL (SPEC §5 Cohorts, Segments). The segment CASE mirrors `segment_of`.

They read the rollups kept on write: `customers` (one row per buyer) and `customer_months` (per buyer and
month, the cohorts' activity); only what a rollup cannot answer (a category or brand filter, a partial month,
buyers seen after the day asked about) is grouped from the orders.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb
from attrs import evolve

from ksales.adapters.duckdb.queries import Params, money
from ksales.adapters.duckdb.queries import _lines_where as lines_where
from ksales.adapters.duckdb.queries import _scope as scope_where
from ksales.domain.customers import (
    ACTIVE_DAYS,
    AT_RISK_FLOOR_DAYS,
    LOST_DAYS,
    TENTH,
    CohortCell,
    CohortFacts,
    CustomerFacts,
    Segment,
    SegmentTotals,
)
from ksales.domain.filters import Scope
from ksales.domain.rules import SalesType

_COUNTED = "NOT canceled AND NOT excluded AND buyer_id IS NOT NULL"
#: A day's calendar month as one number (year × 12 + month − 1).
_MONTH_INDEX = "(year({0}) * 12 + month({0}) - 1)"


def _month_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def cohort_facts(cursor: duckdb.DuckDBPyConnection, scope: Scope) -> CohortFacts:
    if scope.narrows_lines:
        rows = _activity_of_lines(cursor, scope)
    else:
        # The `customer_months` rollup holds whole months; the end's month, when the scope stops before
        # its last day, is grouped from its orders (a month of them at most).
        cut = scope.end + timedelta(days=1)
        if cut.day != 1:
            cut = scope.end.replace(day=1)
        rows = _activity_of_months(cursor, scope, cut)
        if cut <= scope.end:
            rows += _activity_of_orders(cursor, evolve(scope, start=max(cut, scope.start)), scope.start)
    sizes = cursor.execute(
        """SELECT date_trunc('month', first_day)::DATE, count(*) FROM customers
        WHERE first_day BETWEEN $start AND $end GROUP BY ALL""",
        {"start": scope.start, "end": scope.end},
    ).fetchall()
    cells = tuple(
        CohortCell(_month_of(c), k, active, money(revenue)) for c, k, active, revenue in sorted(rows)
    )
    return CohortFacts(tuple((month, size) for month, size in sorted(sizes)), cells)


def _once(scope: Scope) -> str:
    """The `customer_months` flag that marks one row per active buyer under the scope's filters."""
    by_type = scope.sales_type is not SalesType.ALL
    if scope.source_id is not None:
        return "true" if by_type else "first_in_source"
    return "first_in_type" if by_type else "first_in_month"


def _activity_of_months(cursor: duckdb.DuckDBPyConnection, scope: Scope, cut: date) -> list[Any]:
    """(cohort, k, active, revenue) of the whole months before `cut`, from the rollup."""
    params: Params = {"start": scope.start, "end": scope.end, "cut": cut}
    conditions = ["first_day BETWEEN $start AND $end", "month < $cut"]
    if scope.source_id is not None:
        params["source"] = scope.source_id
        conditions.append("source_id = $source")
    if scope.sales_type is SalesType.RETAIL:
        conditions.append("NOT b2b")
    elif scope.sales_type is SalesType.B2B:
        conditions.append("b2b")
    cohort = _MONTH_INDEX.format("first_day")
    return cursor.execute(
        f"""SELECT {cohort} AS cohort, {_MONTH_INDEX.format("month")} - cohort AS k,
            count(*) FILTER (WHERE {_once(scope)}), sum(revenue)::VARCHAR
        FROM customer_months WHERE {" AND ".join(conditions)}
        GROUP BY ALL""",
        params,
    ).fetchall()


def _activity_of_orders(cursor: duckdb.DuckDBPyConnection, scope: Scope, first: date) -> list[Any]:
    """(cohort, k, active, revenue) of the scope's orders by buyers whose first counted day is first…end."""
    params: Params = {"first": first}
    orders = f"""SELECT buyer_id, buyer_first_day, business_day, grand_total AS revenue
        FROM orders WHERE {scope_where(scope, params, False)} AND buyer_id IS NOT NULL
          AND buyer_first_day BETWEEN $first AND $end"""
    return _by_buyer_month(cursor, orders, params)


def _activity_of_lines(cursor: duckdb.DuckDBPyConnection, scope: Scope) -> list[Any]:
    """(cohort, k, active, revenue) over the scope's matching lines (no rollup: the revenue is the lines')."""
    params: Params = {}
    # The orders are narrowed like their lines (lines carry their order's day, source and flags): a smaller
    # side to join.
    orders = f"""SELECT o.buyer_id, o.buyer_first_day, o.business_day, l.revenue
        FROM (
            SELECT id, buyer_id, buyer_first_day, business_day FROM orders
            WHERE {scope_where(scope, params, False)} AND buyer_id IS NOT NULL
              AND buyer_first_day BETWEEN $start AND $end
        ) o JOIN (
            SELECT order_id, sum(price_sold * quantity) AS revenue
            FROM order_lines {lines_where(scope, params)} GROUP BY order_id
        ) l ON l.order_id = o.id"""
    return _by_buyer_month(cursor, orders, params)


def _by_buyer_month(cursor: duckdb.DuckDBPyConnection, orders: str, params: Params) -> list[Any]:
    # Grouped by buyer and month first: counting those rows is cheaper than a DISTINCT per cell.
    return cursor.execute(
        f"""SELECT cohort, k, count(*), sum(revenue)::VARCHAR FROM (
            SELECT buyer_id, {_MONTH_INDEX.format("business_day")} AS month,
                any_value({_MONTH_INDEX.format("buyer_first_day")}) AS cohort,
                month - cohort AS k, sum(revenue) AS revenue
            FROM ({orders}) GROUP BY buyer_id, month
        ) GROUP BY cohort, k""",
        params,
    ).fetchall()


def time_to_second_order(cursor: duckdb.DuckDBPyConnection, start: date, end: date) -> Decimal | None:
    row = cursor.execute(
        """SELECT median(date_diff('day', first_day, second_day)) FROM customers
        WHERE second_day BETWEEN $start AND $end""",
        {"start": start, "end": end},
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return Decimal(str(row[0])).quantize(TENTH, rounding=ROUND_HALF_UP)


#: Per sales type, a buyer's orders, first and last day and revenue from the `customers` rollup.
_ROLLUP_COLUMNS = {
    SalesType.RETAIL: ("retail_orders", "retail_first", "retail_last", "retail_revenue"),
    SalesType.B2B: ("b2b_orders", "b2b_first", "b2b_last", "b2b_revenue"),
    SalesType.ALL: (
        "retail_orders + b2b_orders",
        "first_day",  # the first counted day of either sales type
        "greatest(retail_last, b2b_last)",  # greatest() skips a NULL
        "retail_revenue + b2b_revenue",
    ),
}
_KIND = {SalesType.RETAIL: " AND NOT b2b", SalesType.B2B: " AND b2b", SalesType.ALL: ""}
#: The SQL gives each segment as its position in `Segment` (a number is cheaper to make and group by).
_SEGMENTS = tuple(Segment)


def _classified(
    as_of: date, sales_type: SalesType, params: Params, key: str = "as_of", only: str = ""
) -> str:
    """Per buyer: orders f, first and last day, revenue, recency r and segment, as of `as_of`.

    A buyer whose last order (of the sales type) is on or before `as_of` is read from the rollup as it is;
    only the orders of buyers who also bought after `as_of` are grouped again, up to `as_of`. `only` (a
    condition on `buyer_id`) narrows the buyers classified.
    """
    params.update({key: as_of}, lost=LOST_DAYS, active=ACTIVE_DAYS, floor=AT_RISK_FLOOR_DAYS)
    orders, first, last, revenue = _ROLLUP_COLUMNS[sales_type]
    return f"""WITH rollup AS NOT MATERIALIZED (
            SELECT buyer_id, {orders} AS f, {first} AS first_day, {last} AS last_day, {revenue} AS revenue
            FROM customers WHERE {orders} > 0{only}
        ), buyers AS (
            SELECT buyer_id, f, first_day, last_day, revenue FROM rollup WHERE last_day <= ${key}
            UNION ALL
            SELECT buyer_id, count(*), min(business_day), max(business_day), sum(grand_total)
            FROM orders
            WHERE {_COUNTED} AND business_day <= ${key}{_KIND[sales_type]}
              AND buyer_id IN (SELECT buyer_id FROM rollup WHERE first_day <= ${key} AND last_day > ${key})
            GROUP BY buyer_id
        )
        SELECT *, CASE
            WHEN r > $lost THEN {_code(Segment.LOST)}
            WHEN f >= 2 AND r > $floor AND 2 * r * (f - 1) > 3 * (last_day - first_day)
                THEN {_code(Segment.AT_RISK)}
            WHEN f >= 3 AND r <= $active THEN {_code(Segment.CHAMPIONS)}
            WHEN f >= 3 THEN {_code(Segment.LOYAL)}
            WHEN f = 2 THEN {_code(Segment.PROMISING)}
            WHEN r <= $active THEN {_code(Segment.FIRST_TIMER)}
            ELSE {_code(Segment.ONE_TIME)} END AS segment
        FROM (SELECT *, ${key}::DATE - last_day AS r FROM buyers)"""


def _code(segment: Segment) -> int:
    return _SEGMENTS.index(segment)


def segment_totals(
    cursor: duckdb.DuckDBPyConnection, as_of: date, sales_type: SalesType
) -> list[SegmentTotals]:
    params: Params = {}
    rows = cursor.execute(
        f"""SELECT segment, count(*), sum(revenue)::VARCHAR, sum(f), sum(r)
        FROM ({_classified(as_of, sales_type, params)}) GROUP BY segment""",
        params,
    ).fetchall()
    found: dict[int, tuple[Any, ...]] = {row[0]: row for row in rows}
    result = []
    for segment in Segment:
        _, customers, revenue, orders, recency = found.get(_code(segment), (segment, 0, None, 0, 0))
        result.append(SegmentTotals(segment, customers, money(revenue), int(orders), int(recency)))
    return result


def customer_facts(
    cursor: duckdb.DuckDBPyConnection, as_of: date, sales_type: SalesType, segment: Segment | None, limit: int
) -> list[CustomerFacts]:
    params: Params = {"limit": limit}
    only = ""
    if segment is not None:
        params["segment"] = _code(segment)
        only = "WHERE segment = $segment"
    rows = cursor.execute(
        f"""SELECT c.buyer_id, f, revenue::VARCHAR, c.first_day, last_day,
            r.contact.name, r.contact.phone, r.contact.email
        FROM (
            SELECT buyer_id, f, revenue, first_day, last_day
            FROM ({_classified(as_of, sales_type, params)}) {only}
            ORDER BY revenue DESC, buyer_id LIMIT $limit
        ) c JOIN customers r ON r.buyer_id = c.buyer_id
        ORDER BY revenue DESC, c.buyer_id""",
        params,
    ).fetchall()
    return [
        CustomerFacts(buyer, name, phone, email, orders, money(revenue), first, last)
        for buyer, orders, revenue, first, last, name, phone, email in rows
    ]


def customers_entering(
    cursor: duckdb.DuckDBPyConnection, segment: Segment, before: date, as_of: date, sales_type: SalesType
) -> int:
    params: Params = {"segment": _code(segment)}
    candidates = ""
    if segment is Segment.AT_RISK:
        # At risk needs F ≥ 2 and 30 < R ≤ 365: only such buyers (and those who bought after `as_of`, whose
        # history up to it is grouped again) are classified.
        orders, _, last, _ = _ROLLUP_COLUMNS[sales_type]
        params["risk_from"] = as_of - timedelta(days=LOST_DAYS)
        params["risk_to"] = as_of - timedelta(days=AT_RISK_FLOOR_DAYS + 1)
        candidates = f" AND ({last} > $as_of OR ({orders} >= 2 AND {last} BETWEEN $risk_from AND $risk_to))"
    # Only the buyers in the segment now are classified again as of `before`.
    members = " AND buyer_id IN (SELECT buyer_id FROM now)"
    row = cursor.execute(
        f"""WITH now AS (
            SELECT buyer_id FROM ({_classified(as_of, sales_type, params, only=candidates)})
            WHERE segment = $segment
        )
        SELECT count(*) FROM now
        LEFT JOIN ({_classified(before, sales_type, params, "before", members)}) earlier USING (buyer_id)
        WHERE earlier.segment IS DISTINCT FROM $segment""",
        params,
    ).fetchone()
    return int(row[0]) if row else 0
