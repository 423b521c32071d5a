"""Columns derived from the store's `Rules`, kept in step when a store is opened with other rules.

`store_info` remembers the time zone the business days were computed in, the rule ids the flags
were computed with and what the orders' content hashes cover (`rows.HASH_KEY`); opening the store
with different ones recomputes them (like a migration).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, tzinfo

import duckdb

from ksales.adapters.duckdb import customer_table, rollups
from ksales.adapters.duckdb.customer_table import refresh_customers
from ksales.adapters.duckdb.rows import HASH_KEY, content_hash, read_orders
from ksales.adapters.duckdb.transaction import transaction
from ksales.domain.rules import CANCELED_STATUS_GROUP, Rules

_CHUNK = 100_000
#: Orders read back at a time when rehashing (each is rebuilt as an `Order`).
_REHASH_CHUNK = 20_000


def timezone_key(zone: tzinfo) -> str:
    """A stable name for a time zone (`Europe/Kyiv`, `UTC`)."""
    return str(getattr(zone, "key", None) or zone)


def rules_key(rules: Rules) -> str:
    def ids(values: frozenset[int]) -> str:
        return ",".join(str(v) for v in sorted(values))

    return (
        f"excluded={ids(rules.excluded_source_ids)};canceled={ids(rules.canceled_status_ids)};"
        f"b2b={ids(rules.b2b_manager_ids)}"
    )


def _info(cursor: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = cursor.execute("SELECT value FROM store_info WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def _set_info(cursor: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    cursor.execute("INSERT OR REPLACE INTO store_info VALUES (?, ?)", [key, value])


def sync_derived(cursor: duckdb.DuckDBPyConnection, rules: Rules) -> None:
    """Recompute what depends on the rules if they differ from those the store was written with."""
    zone, flags = timezone_key(rules.timezone), rules_key(rules)
    stale_days = _info(cursor, "timezone") != zone
    stale_flags = _info(cursor, "rules") != flags
    stale_hashes = _info(cursor, "content_hash") != HASH_KEY
    if not (stale_days or stale_flags or stale_hashes):
        return
    with transaction(cursor):
        if stale_days or stale_flags:
            if stale_days:
                recompute_business_days(cursor, rules.timezone)
            if stale_flags:
                recompute_flags(cursor, rules)
            propagate_order_columns(cursor)
            refresh_first_days(cursor, None)
            rollups.rebuild(cursor)
            _set_info(cursor, "timezone", zone)
            _set_info(cursor, "rules", flags)
        if stale_hashes:
            recompute_content_hashes(cursor)
            _set_info(cursor, "content_hash", HASH_KEY)


def recompute_content_hashes(cursor: duckdb.DuckDBPyConnection) -> None:
    """Rehash every stored order, so that an unchanged order still reads as unchanged on the next sync."""
    ids = [row[0] for row in cursor.execute("SELECT id FROM orders ORDER BY id").fetchall()]
    for start in range(0, len(ids), _REHASH_CHUNK):
        orders = read_orders(cursor, ids[start : start + _REHASH_CHUNK])
        cursor.execute(
            """UPDATE orders SET content_hash = n.digest
            FROM (SELECT unnest(?::BIGINT[]) AS id, unnest(?::VARCHAR[]) AS digest) n
            WHERE orders.id = n.id""",
            [[o.id for o in orders], [content_hash(o) for o in orders]],
        )


def recompute_business_days(cursor: duckdb.DuckDBPyConnection, zone: tzinfo) -> None:
    """Business day = local date of placed_at, computed in Python so it agrees with the domain exactly."""
    cursor.execute("CREATE OR REPLACE TEMP TABLE new_days (id BIGINT, business_day DATE)")
    rows = cursor.execute("SELECT id, placed_at FROM orders").fetchall()
    for start in range(0, len(rows), _CHUNK):
        part = rows[start : start + _CHUNK]
        ids = [row[0] for row in part]
        days = [row[1].replace(tzinfo=UTC).astimezone(zone).date() for row in part]
        cursor.execute("INSERT INTO new_days SELECT unnest(?::BIGINT[]), unnest(?::DATE[])", [ids, days])
    cursor.execute(
        "UPDATE orders SET business_day = n.business_day FROM new_days n"
        " WHERE orders.id = n.id AND orders.business_day <> n.business_day"
    )
    cursor.execute("DROP TABLE new_days")


def recompute_flags(cursor: duckdb.DuckDBPyConnection, rules: Rules) -> None:
    """Excluded, canceled and B2B flags, as `ksales.domain.rules` defines them."""
    cursor.execute(
        """UPDATE orders SET
            excluded = list_contains($excluded::BIGINT[], source_id),
            canceled = coalesce(status_group_id = $group, false)
                OR coalesce(list_contains($canceled::BIGINT[], status_id), false),
            b2b = coalesce(list_contains($b2b::BIGINT[], manager_id), false)""",
        {
            "excluded": sorted(rules.excluded_source_ids),
            "canceled": sorted(rules.canceled_status_ids),
            "b2b": sorted(rules.b2b_manager_ids),
            "group": CANCELED_STATUS_GROUP,
        },
    )


def propagate_order_columns(cursor: duckdb.DuckDBPyConnection) -> None:
    """Copy the orders' day and flags onto their lines and expenses."""
    for table in ("order_lines", "order_expenses"):
        cursor.execute(
            f"""UPDATE {table} SET business_day = o.business_day, excluded = o.excluded,
                canceled = o.canceled, b2b = o.b2b
            FROM orders o WHERE {table}.order_id = o.id"""
        )


#: The columns of the orders the customers' rollups read (`customer_table`, `customer_months`) but the
#: buyer's first day, which `refresh_first_days` computes, and the contact.
_BUYER_ORDER_COLUMNS = (
    "id, buyer_id, business_day, canceled, excluded, b2b, source_id, grand_total, placed_at"
)
#: The contact columns: only a buyer's latest order's are read (`customer_table`).
_CONTACT_COLUMNS = "buyer_name, buyer_phone, buyer_email"
#: The names the buyers' orders are registered under while their rollups are refreshed.
_THEIRS = "ksales_buyer_orders"
_LIGHT = "ksales_buyer_orders_light"
_FIRST_DAYS = """SELECT buyer_id, min(business_day) FILTER (WHERE NOT canceled AND NOT excluded) AS first_day
    FROM {source} WHERE buyer_id IS NOT NULL GROUP BY buyer_id"""


def refresh_first_days(cursor: duckdb.DuckDBPyConnection, buyer_ids: Sequence[int] | None) -> None:
    """Set each buyer's first counted business day (all history) on all of their orders, then rebuild
    those buyers' rows of the `customers` rollup from them.

    For some buyers, their orders are read from the (large) orders table once, into an Arrow table, and
    the first days and both customer rollups are computed from it. The contact strings are read for each
    buyer's latest order alone, the one `customer_table` takes them from: a scan of the strings of every
    order took as long as the rest of the read (at 1 M orders, 1,000 buyers: ≈ 10 ms of 17).
    """
    if buyer_ids is None:
        _set_first_days(cursor, _FIRST_DAYS.format(source="orders"))
        refresh_customers(cursor, None)
        return
    params = {"ids": list(buyer_ids)}
    only = "AND buyer_id IN (SELECT unnest($ids::BIGINT[]))"
    light = cursor.sql(
        f"SELECT {_BUYER_ORDER_COLUMNS} FROM orders WHERE buyer_id IS NOT NULL {only}", params=params
    ).to_arrow_table()
    cursor.register(_LIGHT, light)
    try:
        theirs = cursor.sql(
            f"""SELECT o.*, {_CONTACT_COLUMNS} FROM {_LIGHT} o LEFT JOIN (
                SELECT id, {_CONTACT_COLUMNS} FROM orders
                WHERE id IN (SELECT arg_max(id, {customer_table.LATEST}) FROM {_LIGHT} GROUP BY buyer_id)
            ) USING (id)"""
        ).to_arrow_table()
    finally:
        cursor.unregister(_LIGHT)
    cursor.register(_THEIRS, theirs)
    try:
        first_days = _FIRST_DAYS.format(source=_THEIRS)
        _set_first_days(cursor, first_days)
        current = (
            f"(SELECT o.*, f.first_day AS buyer_first_day FROM {_THEIRS} o"
            f" JOIN ({first_days}) f USING (buyer_id))"
        )
        refresh_customers(cursor, buyer_ids, source=current)
    finally:
        cursor.unregister(_THEIRS)


def _set_first_days(cursor: duckdb.DuckDBPyConnection, first_days: str) -> None:
    cursor.execute(
        f"""UPDATE orders SET buyer_first_day = f.first_day FROM ({first_days}) f
        WHERE orders.buyer_id = f.buyer_id AND orders.buyer_first_day IS DISTINCT FROM f.first_day"""
    )


def refresh_brand_firsts(cursor: duckdb.DuckDBPyConnection, order_ids: Sequence[int] | None) -> None:
    """Flag the first line of each brand in each order: counting them counts orders per brand."""
    only = "" if order_ids is None else "WHERE order_id IN (SELECT unnest($ids::BIGINT[]))"
    params = {} if order_ids is None else {"ids": list(order_ids)}
    cursor.execute(
        f"""UPDATE order_lines SET brand_first = f.brand_first
        FROM (
            SELECT order_id, position,
                brand_key IS NOT NULL
                AND row_number() OVER (PARTITION BY order_id, brand_key ORDER BY position) = 1 AS brand_first
            FROM order_lines {only}
        ) f
        WHERE order_lines.order_id = f.order_id AND order_lines.position = f.position
          AND order_lines.brand_first <> f.brand_first""",
        params,
    )
