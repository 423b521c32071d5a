"""The DuckDB schema as an ordered list of migrations, applied when a store is opened.

Besides the CRM's own fields, orders carry columns derived from the store's `Rules` (business day,
canceled/excluded/b2b flags, the buyer's first counted day) and lines and expenses repeat the order
columns their queries filter on, so that no dashboard query has to join. `derived.py` keeps them
in step when the store is opened with other rules.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from ksales.adapters.duckdb import customer_months as _customer_months
from ksales.adapters.duckdb import customer_table as _customer_table
from ksales.adapters.duckdb import rollups as _rollups
from ksales.adapters.duckdb import stock_days as _stock_days
from ksales.adapters.duckdb import subtrees as _subtrees
from ksales.adapters.duckdb.transaction import transaction

#: Money is exact to the cent and quantities to a thousandth (KeyCRM allows fractional units).
MONEY = "DECIMAL(18, 2)"
QUANTITY = "DECIMAL(18, 3)"

_ORDER_FLAGS = """
    business_day DATE NOT NULL,
    excluded BOOLEAN NOT NULL,
    canceled BOOLEAN NOT NULL,
    b2b BOOLEAN NOT NULL"""

_V1 = (
    "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    "CREATE TABLE store_info (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    f"""CREATE TABLE orders (
        id BIGINT NOT NULL,
        source_id BIGINT NOT NULL,
        status_id BIGINT,
        status_group_id BIGINT,
        manager_id BIGINT,
        grand_total {MONEY} NOT NULL,
        total_discount {MONEY} NOT NULL,
        shipping_price {MONEY} NOT NULL,
        created_at TIMESTAMP NOT NULL,
        ordered_at TIMESTAMP,
        updated_at TIMESTAMP,
        placed_at TIMESTAMP NOT NULL,
        buyer_id BIGINT,
        buyer_name VARCHAR,
        buyer_email VARCHAR,
        buyer_phone VARCHAR,
        content_hash VARCHAR NOT NULL,
        buyer_first_day DATE,{_ORDER_FLAGS}
    )""",
    f"""CREATE TABLE order_lines (
        order_id BIGINT NOT NULL,
        position INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        quantity {QUANTITY} NOT NULL,
        price_sold {MONEY} NOT NULL,
        product_id BIGINT,
        offer_id BIGINT,
        sku VARCHAR,
        price {MONEY},
        purchased_price {MONEY},
        placed_at TIMESTAMP NOT NULL,
        source_id BIGINT NOT NULL,
        category_id BIGINT,
        brand_key VARCHAR,{_ORDER_FLAGS}
    )""",
    f"""CREATE TABLE order_expenses (
        order_id BIGINT NOT NULL,
        position INTEGER NOT NULL,
        id BIGINT NOT NULL,
        amount {MONEY} NOT NULL,
        expense_type_id BIGINT,
        status VARCHAR,
        payment_date TIMESTAMP,
        paid BOOLEAN NOT NULL,
        source_id BIGINT NOT NULL,{_ORDER_FLAGS}
    )""",
    "CREATE TABLE sources (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, currency_code VARCHAR)",
    "CREATE TABLE statuses (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, group_id BIGINT)",
    "CREATE TABLE expense_types (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, alias VARCHAR)",
    "CREATE TABLE categories (id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, parent_id BIGINT)",
    """CREATE TABLE products (
        id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, category_id BIGINT, brand VARCHAR, brand_key VARCHAR
    )""",
)

# Version 2: flag each order's first paid expense (and first of its type) and its first line of each
# brand, so that counting orders with expenses or with a brand needs no DISTINCT.
_V2 = (
    "ALTER TABLE order_lines ADD COLUMN brand_first BOOLEAN NOT NULL DEFAULT false",
    """UPDATE order_lines SET brand_first = f.brand_first
    FROM (
        SELECT order_id, position,
            brand_key IS NOT NULL
            AND row_number() OVER (PARTITION BY order_id, brand_key ORDER BY position) = 1 AS brand_first
        FROM order_lines
    ) f
    WHERE order_lines.order_id = f.order_id AND order_lines.position = f.position""",
    "ALTER TABLE order_expenses ADD COLUMN first_paid BOOLEAN NOT NULL DEFAULT false",
    "ALTER TABLE order_expenses ADD COLUMN first_paid_of_type BOOLEAN NOT NULL DEFAULT false",
    """UPDATE order_expenses SET first_paid = f.first_paid, first_paid_of_type = f.first_paid_of_type
    FROM (
        SELECT order_id, position,
            paid AND row_number() OVER (PARTITION BY order_id, paid ORDER BY position) = 1 AS first_paid,
            paid AND expense_type_id IS NOT NULL
                AND row_number() OVER (PARTITION BY order_id, paid, expense_type_id ORDER BY position) = 1
                AS first_paid_of_type
        FROM order_expenses
    ) f
    WHERE order_expenses.order_id = f.order_id AND order_expenses.position = f.position""",
)

# Version 3: the daily stock snapshots (KeyCRM keeps no stock history), one row per day and offer.
_V3 = (
    "CREATE TABLE stock_snapshots (day DATE PRIMARY KEY, taken_at TIMESTAMP NOT NULL)",
    f"""CREATE TABLE stock_levels (
        day DATE NOT NULL,
        offer_id BIGINT NOT NULL,
        quantity {QUANTITY} NOT NULL,
        reserve {QUANTITY} NOT NULL,
        price {MONEY} NOT NULL,
        purchased_price {MONEY},
        sku VARCHAR,
        product_id BIGINT
    )""",
)

# Customers: one row per buyer with a counted order (first/second day, per sales type orders, first and
# last day, revenue), maintained on write by `customer_table.refresh_customers`; filled from the orders here.
_V_CUSTOMERS = (
    _customer_table.CREATE,
    _customer_table.BACKFILL,
)


# Pace (SPEC §5 same time of day, goals): each order's local time of day in seconds since midnight, on
# orders and their lines, back-filled by `pace.sync_local_times` (it needs the store's time zone), and
# the goals admins set.
_V_PACE = (
    "ALTER TABLE orders ADD COLUMN IF NOT EXISTS local_seconds INTEGER DEFAULT 0",
    "ALTER TABLE order_lines ADD COLUMN IF NOT EXISTS local_seconds INTEGER DEFAULT 0",
    "DELETE FROM store_info WHERE key = 'local_time'",
    f"""CREATE TABLE IF NOT EXISTS goals (
        month DATE NOT NULL, sales_type VARCHAR NOT NULL, amount {MONEY} NOT NULL,
        PRIMARY KEY (month, sales_type)
    )""",
)

# Rollups (SPEC §8): sums per day (per month for products) kept on write by `rollups.Deltas`, built here
# for the orders already stored.
_V_ROLLUPS = (
    *_rollups.create_statements(_rollups.DAY_ROLLUPS),
    *_rollups.rebuild_statements(_rollups.DAY_ROLLUPS),
)

# Customer months: counted orders and revenue per buyer, month, sales type and source (the cohorts' activity),
# maintained on write by `customer_months.refresh_customer_months`; filled from the orders here.
_V_CUSTOMER_MONTHS = (_customer_months.CREATE, *_customer_months.BACKFILL)

# Stock days: each snapshot day's available units and value at cost (the stock trend), written with the
# snapshot by `stock_days.refresh_stock_day`; built here from the snapshots already stored.
_V_STOCK_DAYS = (_stock_days.CREATE, *_stock_days.BACKFILL)

# Rollups per category subtree and per brand (the filtered reports), on the categories' subtrees as rows.
_V_NARROWED_ROLLUPS = (
    *_subtrees.FILL,
    *_rollups.create_statements(_rollups.NARROWED_ROLLUPS),
    *_rollups.rebuild_statements(_rollups.NARROWED_ROLLUPS),
)

# Product months: `line_months` without the source, for the reports over every source (built from the lines).
_V_PRODUCT_MONTHS = (
    *_rollups.create_statements((_rollups.PRODUCT_MONTHS,)),
    *_rollups.rebuild_statements((_rollups.PRODUCT_MONTHS,)),
)

# The order's buyer repeated on its lines (customer counts under a category or brand filter, no join).
_V_LINE_BUYERS = (
    "ALTER TABLE order_lines ADD COLUMN IF NOT EXISTS buyer_id BIGINT",
    """UPDATE order_lines SET buyer_id = o.buyer_id FROM orders o
    WHERE o.id = order_lines.order_id AND o.buyer_id IS NOT NULL""",
)

#: Migrations in order: MIGRATIONS[n] brings the schema from version n to version n + 1.
MIGRATIONS: Sequence[Sequence[str]] = (
    _V1,
    _V2,
    _V3,
    _V_CUSTOMERS,
    _V_PACE,
    _V_CUSTOMER_MONTHS,
    _V_STOCK_DAYS,
    _V_ROLLUPS,
    _V_NARROWED_ROLLUPS,
    _V_PRODUCT_MONTHS,
    _V_LINE_BUYERS,
)

LATEST_VERSION = len(MIGRATIONS)


def schema_version(cursor: duckdb.DuckDBPyConnection) -> int:
    """The version of the schema in the database (0 for an empty one)."""
    cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = cursor.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(cursor: duckdb.DuckDBPyConnection) -> int:
    """Apply the pending migrations, each in its own transaction; return the resulting version."""
    version = schema_version(cursor)
    for number in range(version, LATEST_VERSION):
        with transaction(cursor):
            for statement in MIGRATIONS[number]:
                cursor.execute(statement)
            cursor.execute("INSERT INTO schema_version VALUES (?)", [number + 1])
    return max(version, LATEST_VERSION)
