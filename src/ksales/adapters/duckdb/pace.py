"""Same time of day and goals in SQL: the orders' local time of day (kept in step with the time zone) and
the admins' goals. Every value is a named parameter.
"""

from __future__ import annotations

from datetime import UTC, date, time, timedelta, tzinfo

import attrs
import duckdb

from ksales.adapters.duckdb.derived import timezone_key
from ksales.adapters.duckdb.queries import Params, _lines_where, _scope, money
from ksales.adapters.duckdb.rollup_reads import narrowed, sales_filters
from ksales.adapters.duckdb.transaction import transaction
from ksales.domain.filters import Scope
from ksales.domain.goals import MonthlyGoal
from ksales.domain.pace import seconds_of_day
from ksales.domain.results import DayTotals, Totals
from ksales.domain.rules import SalesType

_CHUNK = 100_000
#: `store_info` key: the time zone the orders' `local_seconds` were computed in.
_INFO_KEY = "local_time"


def sync_local_times(cursor: duckdb.DuckDBPyConnection, zone: tzinfo) -> None:
    """Recompute every order's local time of day when the store's time zone changed.

    Computed in Python, like the business day, so that it agrees with the domain exactly (DST included).
    """
    key = timezone_key(zone)
    row = cursor.execute("SELECT value FROM store_info WHERE key = ?", [_INFO_KEY]).fetchone()
    if row is not None and row[0] == key:
        return
    with transaction(cursor):
        cursor.execute("CREATE OR REPLACE TEMP TABLE new_seconds (id BIGINT, local_seconds INTEGER)")
        rows = cursor.execute("SELECT id, placed_at FROM orders").fetchall()
        for start in range(0, len(rows), _CHUNK):
            part = rows[start : start + _CHUNK]
            ids = [r[0] for r in part]
            seconds = [seconds_of_day(r[1].replace(tzinfo=UTC).astimezone(zone).time()) for r in part]
            cursor.execute(
                "INSERT INTO new_seconds SELECT unnest(?::BIGINT[]), unnest(?::INTEGER[])", [ids, seconds]
            )
        for table, key_column in (("orders", "id"), ("order_lines", "order_id")):
            cursor.execute(
                f"UPDATE {table} SET local_seconds = n.local_seconds FROM new_seconds n"
                f" WHERE {table}.{key_column} = n.id AND {table}.local_seconds <> n.local_seconds"
            )
        cursor.execute("DROP TABLE new_seconds")
        cursor.execute("INSERT OR REPLACE INTO store_info VALUES (?, ?)", [_INFO_KEY, key])


def _select(
    scope: Scope, params: Params, canceled: bool, cut: str, key: str = "", *, text: bool = True
) -> str:
    """Orders and revenue (as text, unless a caller sums it again) of the scope's orders within `cut`."""
    select = f"{key}, " if key else ""
    group = f" GROUP BY {key}" if key else ""
    cast = "::VARCHAR" if text else ""
    if scope.narrows_lines:
        return (
            f"SELECT {select}count(DISTINCT order_id), sum(price_sold * quantity){cast}"
            f" FROM order_lines {_lines_where(scope, params, canceled)} AND {cut}{group}"
        )
    return (
        f"SELECT {select}count(*), sum(grand_total){cast}"
        f" FROM orders WHERE {_scope(scope, params, canceled)} AND {cut}{group}"
    )


def totals_until(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, until: time, canceled: bool, *, rollups: bool = True
) -> Totals:
    """The scope's totals with its last day cut at `until`: the whole days before it from the day rollup
    (`order_days`, or the scope's subtree's or brand's), the last day from its orders or lines."""
    params: Params = {"until": seconds_of_day(until)}
    whole_days = rollups and scope.start < scope.end
    by = narrowed(scope, params) if whole_days else None
    if whole_days and (by is not None or not scope.narrows_lines):
        last = attrs.evolve(scope, start=scope.end)
        state = "canceled" if canceled else "NOT canceled"
        table, count, condition = (
            ("order_days", "orders", "") if by is None else (by.lines, by.orders, by.condition)
        )
        params.update(first=scope.start, before=scope.end - timedelta(days=1))
        sql = f"""SELECT sum(orders), sum(revenue)::VARCHAR FROM (
            SELECT coalesce(sum({count}), 0) AS orders, sum(revenue) AS revenue FROM {table}
            WHERE business_day BETWEEN $first AND $before{sales_filters(scope, params)}{condition} AND {state}
            UNION ALL
            {_select(last, params, canceled, "local_seconds < $until", text=False)}
        )"""
    else:
        sql = _select(scope, params, canceled, "(business_day < $end OR local_seconds < $until)")
    ((orders, revenue),) = cursor.execute(sql, params).fetchall()
    return Totals(int(orders), money(revenue))


def daily_before(cursor: duckdb.DuckDBPyConnection, scope: Scope, until: time) -> list[DayTotals]:
    params: Params = {"until": seconds_of_day(until)}
    rows = cursor.execute(_select(scope, params, False, "local_seconds < $until", "business_day"), params)
    return [DayTotals(day, orders, money(revenue)) for day, orders, revenue in sorted(rows.fetchall())]


def goals(cursor: duckdb.DuckDBPyConnection) -> list[MonthlyGoal]:
    rows = cursor.execute("SELECT month, sales_type, amount::VARCHAR FROM goals ORDER BY month, sales_type")
    return [MonthlyGoal(month, SalesType(kind), money(amount)) for month, kind, amount in rows.fetchall()]


def set_goal(cursor: duckdb.DuckDBPyConnection, goal: MonthlyGoal) -> None:
    cursor.execute(
        "INSERT OR REPLACE INTO goals VALUES (?, ?, ?)", [goal.month, goal.sales_type.value, goal.amount]
    )


def delete_goal(cursor: duckdb.DuckDBPyConnection, month: date, sales_type: SalesType) -> bool:
    rows = cursor.execute(
        "DELETE FROM goals WHERE month = ? AND sales_type = ? RETURNING month", [month, sales_type.value]
    ).fetchall()
    return bool(rows)
