"""The inventory queries of SPEC §5 in SQL: units sold per offer, and each snapshot day's stock value
(from the `stock_days` rollup)."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal

import duckdb

from ksales.adapters.duckdb.queries import money, number
from ksales.domain.inventory import StockDay
from ksales.domain.stock import OfferStock, StockSnapshot


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


def stock_snapshot(cursor: duckdb.DuckDBPyConnection, day: date | None) -> StockSnapshot | None:
    """That day's snapshot with its rows by offer id; the latest one when `day` is None.

    Every inventory answer starts by reading 5,000 or so rows: they are built by hand, the decimals fetched
    as text (twice as fast as the generic `Fields.build` with DuckDB's DECIMAL → `Decimal`).
    """
    where = "day = $day" if day is not None else "day = (SELECT max(day) FROM stock_snapshots)"
    found = cursor.execute(
        f"SELECT day, taken_at FROM stock_snapshots WHERE {where}", {"day": day} if day is not None else {}
    ).fetchone()
    if found is None:
        return None
    rows = cursor.execute(
        """SELECT offer_id, quantity::VARCHAR, reserve::VARCHAR, price::VARCHAR, purchased_price::VARCHAR,
            sku, product_id
        FROM stock_levels WHERE day = $day ORDER BY offer_id""",
        {"day": found[0]},
    ).fetchall()
    number = Decimal
    stock = tuple(
        OfferStock(offer, number(q), number(r), number(p), None if c is None else number(c), sku, product)
        for offer, q, r, p, c, sku, product in rows
    )
    return StockSnapshot(found[0], found[1].replace(tzinfo=UTC), stock)
