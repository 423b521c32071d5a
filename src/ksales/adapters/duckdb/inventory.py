"""The inventory queries of SPEC §5 in SQL: units sold per offer, and each snapshot day's stock value
(from the `stock_days` rollup)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb

from ksales.adapters.duckdb.queries import money, number
from ksales.domain.inventory import StockDay


def offer_units(cursor: duckdb.DuckDBPyConnection, first: date | None, last: date) -> dict[int, Decimal]:
    """Units per offer on counted lines (every sales type and source) of business days first…last."""
    params: dict[str, object] = {"last": last}
    since = ""
    if first is not None:
        params["first"] = first
        since = " AND business_day >= $first"
    rows = cursor.execute(
        f"""SELECT offer_id, sum(quantity)::VARCHAR FROM order_lines
        WHERE offer_id IS NOT NULL AND NOT canceled AND NOT excluded AND business_day <= $last{since}
        GROUP BY offer_id""",
        params,
    ).fetchall()
    return {offer_id: number(units) for offer_id, units in rows}


def stock_trend(cursor: duckdb.DuckDBPyConnection, first: date, last: date) -> list[StockDay]:
    """Per snapshot day of first…last: available units and value at cost of offers with available > 0."""
    rows = cursor.execute(
        """SELECT day, units_available::VARCHAR, value_at_cost::VARCHAR FROM stock_days
        WHERE day BETWEEN $first AND $last ORDER BY day""",
        {"first": first, "last": last},
    ).fetchall()
    return [StockDay(day, number(units), money(cost)) for day, units, cost in rows]
