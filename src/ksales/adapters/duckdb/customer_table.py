"""The `customers` rollup: one row per buyer with a counted order, kept in step with the orders on write.

Per buyer: the first and second counted business day (all sales types and sources, as for *new*), and per
sales type the counted orders, first and last day and revenue. Cohort sizes, the time to a second purchase
and the segments read it instead of grouping every order by buyer (SPEC §8: ≤ 50 ms at 1 M orders).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from ksales.adapters.duckdb.customer_months import refresh_customer_months

CREATE = """CREATE TABLE customers (
    buyer_id BIGINT PRIMARY KEY,
    first_day DATE NOT NULL,
    second_day DATE,
    retail_orders INTEGER NOT NULL,
    retail_first DATE,
    retail_last DATE,
    retail_revenue DECIMAL(18, 2) NOT NULL,
    b2b_orders INTEGER NOT NULL,
    b2b_first DATE,
    b2b_last DATE,
    b2b_revenue DECIMAL(18, 2) NOT NULL,
    contact STRUCT(name VARCHAR, phone VARCHAR, email VARCHAR)
)"""

_COUNTED = "NOT canceled AND NOT excluded"
#: A buyer's latest order, the one the contact is taken from: the latest placed, ties by order id.
LATEST = "{'at': placed_at, 'id': id}"
#: Every buyer's row from their orders (`{source}`: the orders table or a relation of some of its rows and the
#: same columns); `{only}` narrows the buyers. The contact is the one on the buyer's
#: latest placed order (any status: it is the latest seen), ties by order id.
_ROLLUP = f"""SELECT buyer_id, min(business_day) FILTER (WHERE {_COUNTED}),
        -- the second counted order's day: the first day again when two orders fell on it
        CASE WHEN count(*) FILTER (WHERE {_COUNTED} AND business_day = buyer_first_day) >= 2
            THEN min(business_day) FILTER (WHERE {_COUNTED})
            ELSE min(business_day) FILTER (WHERE {_COUNTED} AND business_day > buyer_first_day) END,
        count(*) FILTER (WHERE {_COUNTED} AND NOT b2b),
        min(business_day) FILTER (WHERE {_COUNTED} AND NOT b2b),
        max(business_day) FILTER (WHERE {_COUNTED} AND NOT b2b),
        coalesce(sum(grand_total) FILTER (WHERE {_COUNTED} AND NOT b2b), 0),
        count(*) FILTER (WHERE {_COUNTED} AND b2b), min(business_day) FILTER (WHERE {_COUNTED} AND b2b),
        max(business_day) FILTER (WHERE {_COUNTED} AND b2b),
        coalesce(sum(grand_total) FILTER (WHERE {_COUNTED} AND b2b), 0),
        arg_max({{'name': buyer_name, 'phone': buyer_phone, 'email': buyer_email}}, {LATEST})
    FROM {{source}} WHERE buyer_id IS NOT NULL {{only}}
    GROUP BY buyer_id HAVING count(*) FILTER (WHERE {_COUNTED}) > 0"""

BACKFILL = f"INSERT INTO customers {_ROLLUP.replace('{source}', 'orders').replace('{only}', '')}"


def refresh_customers(
    cursor: duckdb.DuckDBPyConnection, buyer_ids: Sequence[int] | None, source: str = "orders"
) -> None:
    """Rebuild the rows of these buyers (None: of every buyer) from their orders' current state, and
    their rows of the `customer_months` rollup; `source` as for `refresh_customer_months`.

    Needs the orders' `buyer_first_day` to be current: it runs after `refresh_first_days`.
    """
    refresh_customer_months(cursor, buyer_ids, source)
    if buyer_ids is None:
        cursor.execute("DELETE FROM customers")
        cursor.execute(BACKFILL)
        return
    ids = list(buyer_ids)
    cursor.execute("DELETE FROM customers WHERE buyer_id IN (SELECT unnest($ids::BIGINT[]))", {"ids": ids})
    only = "AND buyer_id IN (SELECT unnest($ids::BIGINT[]))"
    cursor.execute(
        f"INSERT INTO customers {_ROLLUP.replace('{source}', source).replace('{only}', only)}", {"ids": ids}
    )
