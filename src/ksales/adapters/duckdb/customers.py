"""The customer queries in SQL (SPEC §5 Cohorts, Segments). The segment CASE mirrors `segment_of`.

They read the orders table only (the buyer's first counted day is kept on every order on write), so
each is one scan and a hash aggregate by buyer, whatever period the dashboard shows.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb

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
_MONTHS_AFTER = (
    "(year(business_day) - year(buyer_first_day)) * 12 + month(business_day) - month(buyer_first_day)"
)


def cohort_facts(cursor: duckdb.DuckDBPyConnection, scope: Scope) -> CohortFacts:
    params: Params = {}
    if scope.narrows_lines:
        orders = f"""SELECT o.buyer_id, o.buyer_first_day, o.business_day, l.revenue
            FROM orders o JOIN (
                SELECT order_id, sum(price_sold * quantity) AS revenue
                FROM order_lines {lines_where(scope, params)} GROUP BY order_id
            ) l ON l.order_id = o.id
            WHERE o.buyer_id IS NOT NULL AND o.buyer_first_day BETWEEN $start AND $end"""
    else:
        orders = f"""SELECT buyer_id, buyer_first_day, business_day, grand_total AS revenue
            FROM orders WHERE {scope_where(scope, params)} AND NOT canceled AND buyer_id IS NOT NULL
              AND buyer_first_day BETWEEN $start AND $end"""
    rows = cursor.execute(
        f"""SELECT date_trunc('month', buyer_first_day)::DATE, {_MONTHS_AFTER},
            count(DISTINCT buyer_id), sum(revenue)::VARCHAR
        FROM ({orders}) GROUP BY ALL""",
        params,
    ).fetchall()
    sizes = cursor.execute(
        """SELECT date_trunc('month', first_day)::DATE, count(*) FROM (
            SELECT DISTINCT buyer_id, buyer_first_day AS first_day FROM orders
            WHERE buyer_first_day BETWEEN $start AND $end
        ) GROUP BY ALL""",
        {"start": scope.start, "end": scope.end},
    ).fetchall()
    cells = tuple(CohortCell(c, k, active, money(revenue)) for c, k, active, revenue in sorted(rows))
    return CohortFacts(tuple((month, size) for month, size in sorted(sizes)), cells)


def time_to_second_order(cursor: duckdb.DuckDBPyConnection, start: date, end: date) -> Decimal | None:
    # Two counted orders on the first day make the second one fall on that day too.
    row = cursor.execute(
        f"""SELECT median(date_diff('day', first_day, second_day)) FROM (
            SELECT min(buyer_first_day) AS first_day,
                CASE WHEN count(*) FILTER (WHERE business_day = buyer_first_day) >= 2
                    THEN min(buyer_first_day)
                    ELSE min(business_day) FILTER (WHERE business_day > buyer_first_day) END AS second_day
            FROM orders WHERE {_COUNTED} AND buyer_first_day <= $end GROUP BY buyer_id
        ) WHERE second_day BETWEEN $start AND $end""",
        {"start": start, "end": end},
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return Decimal(str(row[0])).quantize(TENTH, rounding=ROUND_HALF_UP)


def _classified(as_of: date, sales_type: SalesType, params: Params) -> str:
    """Per buyer: orders f, first and last day, revenue, recency r and segment, as of `as_of`."""
    params.update(as_of=as_of, lost=LOST_DAYS, active=ACTIVE_DAYS, floor=AT_RISK_FLOOR_DAYS)
    kind = {SalesType.RETAIL: " AND NOT b2b", SalesType.B2B: " AND b2b", SalesType.ALL: ""}[sales_type]
    return f"""SELECT *, CASE
            WHEN r > $lost THEN '{Segment.LOST}'
            WHEN f >= 2 AND r > $floor AND 2 * r * (f - 1) > 3 * date_diff('day', first_day, last_day)
                THEN '{Segment.AT_RISK}'
            WHEN f >= 3 AND r <= $active THEN '{Segment.CHAMPIONS}'
            WHEN f >= 3 THEN '{Segment.LOYAL}'
            WHEN f = 2 THEN '{Segment.PROMISING}'
            WHEN r <= $active THEN '{Segment.FIRST_TIMER}'
            ELSE '{Segment.ONE_TIME}' END AS segment
        FROM (
            SELECT buyer_id, count(*) AS f, min(business_day) AS first_day, max(business_day) AS last_day,
                sum(grand_total) AS revenue, date_diff('day', max(business_day), $as_of) AS r
            FROM orders WHERE {_COUNTED} AND business_day <= $as_of{kind} GROUP BY buyer_id
        )"""


def segment_totals(
    cursor: duckdb.DuckDBPyConnection, as_of: date, sales_type: SalesType
) -> list[SegmentTotals]:
    params: Params = {}
    rows = cursor.execute(
        f"""SELECT segment, count(*), sum(revenue)::VARCHAR, sum(f), sum(r)
        FROM ({_classified(as_of, sales_type, params)}) GROUP BY segment""",
        params,
    ).fetchall()
    found: dict[str, tuple[Any, ...]] = {row[0]: row for row in rows}
    result = []
    for segment in Segment:
        _, customers, revenue, orders, recency = found.get(segment.value, (segment, 0, None, 0, 0))
        result.append(SegmentTotals(segment, customers, money(revenue), int(orders), int(recency)))
    return result


def customer_facts(
    cursor: duckdb.DuckDBPyConnection, as_of: date, sales_type: SalesType, segment: Segment | None, limit: int
) -> list[CustomerFacts]:
    params: Params = {"limit": limit}
    only = ""
    if segment is not None:
        params["segment"] = segment.value
        only = "WHERE segment = $segment"
    rows = cursor.execute(
        f"""SELECT buyer_id, f, revenue::VARCHAR, first_day, last_day
        FROM ({_classified(as_of, sales_type, params)}) {only}
        ORDER BY revenue DESC, buyer_id LIMIT $limit""",
        params,
    ).fetchall()
    ids = [row[0] for row in rows]
    contacts = {
        row[0]: row[1:]
        for row in cursor.execute(
            """SELECT buyer_id, buyer_name, buyer_phone, buyer_email FROM orders
            WHERE buyer_id IN (SELECT unnest(?::BIGINT[]))
            QUALIFY row_number() OVER (PARTITION BY buyer_id ORDER BY placed_at DESC, id DESC) = 1""",
            [ids],
        ).fetchall()
    }
    return [
        CustomerFacts(buyer, *_contact(contacts[buyer]), orders, money(revenue), first, last)
        for buyer, orders, revenue, first, last in rows
    ]


def _contact(row: tuple[Any, ...]) -> tuple[str | None, str | None, str | None]:
    name, phone, email = row
    return name, phone, email
