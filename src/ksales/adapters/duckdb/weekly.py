"""The weekly report's query of its own: revenue of new and of returning buyers."""

from __future__ import annotations

import duckdb

from ksales.adapters.duckdb.queries import Params, _lines_where, _scope, money
from ksales.domain.filters import Scope
from ksales.domain.weekly import CustomerRevenue


def customer_revenue(cursor: duckdb.DuckDBPyConnection, scope: Scope) -> CustomerRevenue:
    """Counted orders with a buyer, split by whether the buyer's first counted day is in the period."""
    params: Params = {}
    if scope.narrows_lines:
        source = f"""SELECT o.buyer_first_day, l.revenue FROM (
                SELECT order_id, sum(price_sold * quantity) AS revenue
                FROM order_lines {_lines_where(scope, params)} GROUP BY order_id
            ) l JOIN orders o ON o.id = l.order_id WHERE o.buyer_id IS NOT NULL"""
    else:
        source = f"""SELECT buyer_first_day, grand_total AS revenue FROM orders
            WHERE {_scope(scope, params, False)} AND buyer_id IS NOT NULL"""
    params["first"] = scope.start
    row = cursor.execute(
        f"""SELECT sum(revenue) FILTER (WHERE buyer_first_day >= $first)::VARCHAR,
            sum(revenue) FILTER (WHERE buyer_first_day < $first)::VARCHAR
        FROM ({source})""",
        params,
    ).fetchone()
    assert row is not None
    return CustomerRevenue(money(row[0]), money(row[1]))
