"""The `customer_months` rollup: counted orders and revenue per buyer, calendar month, sales type and source.

Kept in step with the orders by `customer_table.refresh_customers` (the same buyers, the same transaction),
so the cohort activity of SPEC §5 is a count over these rows instead of grouping three years of orders by
buyer and month (SPEC §8: ≤ 50 ms at 1 M orders, 36 cohorts included).

A buyer has one row per (month, sales type, source) with orders in it. Counting buyers per month must not
count a buyer twice, so three flags mark the first row of the buyer's month overall, within its sales type,
and within its source: counting the flagged rows under a filter counts each active buyer once.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

CREATE = """CREATE TABLE IF NOT EXISTS customer_months (
    buyer_id BIGINT NOT NULL,
    month DATE NOT NULL,
    first_day DATE NOT NULL,
    b2b BOOLEAN NOT NULL,
    source_id BIGINT NOT NULL,
    orders INTEGER NOT NULL,
    revenue DECIMAL(18, 2) NOT NULL,
    first_in_month BOOLEAN NOT NULL,
    first_in_type BOOLEAN NOT NULL,
    first_in_source BOOLEAN NOT NULL
)"""

#: Every row from the orders (`{source}`: the orders table or a relation of some of its rows and the same
#: columns); `{only}` narrows the buyers. `first_day` is the buyer's first counted day (all
#: history, as for *new*: its month is the cohort), which each of the buyer's orders carries.
ROLLUP = """SELECT buyer_id, month, first_day, b2b, source_id, orders, revenue,
        row_number() OVER (PARTITION BY buyer_id, month ORDER BY b2b, source_id) = 1,
        row_number() OVER (PARTITION BY buyer_id, month, b2b ORDER BY source_id) = 1,
        row_number() OVER (PARTITION BY buyer_id, month, source_id ORDER BY b2b) = 1
    FROM (
        SELECT buyer_id, date_trunc('month', business_day)::DATE AS month,
            buyer_first_day AS first_day, b2b, source_id,
            count(*)::INTEGER AS orders, sum(grand_total) AS revenue
        FROM {source}
        WHERE NOT canceled AND NOT excluded AND buyer_id IS NOT NULL {only}
        GROUP BY ALL
    )"""

BACKFILL = (
    "DELETE FROM customer_months",
    f"INSERT INTO customer_months {ROLLUP.format(source='orders', only='')}",
)

_ONLY = "AND buyer_id IN (SELECT unnest($ids::BIGINT[]))"


def refresh_customer_months(
    cursor: duckdb.DuckDBPyConnection, buyer_ids: Sequence[int] | None, source: str = "orders"
) -> None:
    """Rebuild the rows of these buyers (None: of every buyer) from their orders' current state (read from
    `source`, which holds all of these buyers' orders when it is not the orders table).

    Needs the orders' `buyer_first_day` to be current, like `refresh_customers`.
    """
    if buyer_ids is None:
        for statement in BACKFILL:
            cursor.execute(statement)
        return
    params = {"ids": list(buyer_ids)}
    cursor.execute(f"DELETE FROM customer_months WHERE true {_ONLY}", params)
    cursor.execute(f"INSERT INTO customer_months {ROLLUP.format(source=source, only=_ONLY)}", params)
