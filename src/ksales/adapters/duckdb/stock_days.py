"""The `stock_days` rollup: each snapshot day's available units and value at cost, written with the snapshot.

The stock trend (SPEC §6 `/api/inventory/trend`) reads one row per day instead of aggregating every offer of
every day (5,000 offers × 365 days is 1.8 M `stock_levels` rows). `refresh_stock_day` runs in the snapshot's
own transaction, so the rollup is never behind it; a migration builds it for a store that has snapshots.
"""

from __future__ import annotations

from datetime import date

import duckdb

CREATE = """CREATE TABLE IF NOT EXISTS stock_days (
    day DATE PRIMARY KEY,
    units_available DECIMAL(38, 3),
    value_at_cost DECIMAL(38, 5)
)"""

#: Per snapshot day (`{only}` narrows the days): SPEC §5 counts offers with available > 0 only, and their
#: value at cost where the purchase price is above 0. NULL sums: a day without such offers.
ROLLUP = """SELECT s.day,
        sum(l.quantity - l.reserve) FILTER (WHERE l.quantity - l.reserve > 0),
        sum((l.quantity - l.reserve) * l.purchased_price)
            FILTER (WHERE l.quantity - l.reserve > 0 AND l.purchased_price > 0)
    FROM stock_snapshots s LEFT JOIN stock_levels l ON l.day = s.day
    WHERE true {only}
    GROUP BY s.day"""

BACKFILL = ("DELETE FROM stock_days", f"INSERT INTO stock_days {ROLLUP.format(only='')}")


def refresh_stock_day(cursor: duckdb.DuckDBPyConnection, day: date) -> None:
    """Recompute the day's row from its snapshot (inside the transaction that wrote the snapshot)."""
    cursor.execute("DELETE FROM stock_days WHERE day = $day", {"day": day})
    cursor.execute(f"INSERT INTO stock_days {ROLLUP.format(only='AND s.day = $day')}", {"day": day})
