"""The DuckDB column specs agree with the schema, and stored content hashes follow the hash's inputs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pytest

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.duckdb.rows import HASH_KEY, content_hash
from ksales.adapters.duckdb.tables import (
    CATEGORY,
    EXPENSE_COLUMNS,
    EXPENSE_TYPE,
    LINE_COLUMNS,
    ORDER_COLUMNS,
    PRODUCT_COLUMNS,
    SOURCE,
    STATUS,
    Column,
)
from ksales.domain.rules import Rules
from ksales.ports.store import OrderChanges
from tests.unit.test_duckdb_rows import FULL

#: Columns computed in SQL after the rows are written.
COMPUTED_IN_SQL = {
    "orders": {"buyer_first_day"},
    "order_lines": {"category_id", "brand_key", "brand_first"},
    "order_expenses": set(),
}


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("orders", ORDER_COLUMNS),
        ("order_lines", LINE_COLUMNS),
        ("order_expenses", EXPENSE_COLUMNS),
        ("sources", SOURCE.columns),
        ("statuses", STATUS.columns),
        ("expense_types", EXPENSE_TYPE.columns),
        ("categories", CATEGORY.columns),
        ("products", PRODUCT_COLUMNS),
    ],
)
def test_the_written_columns_are_the_tables_columns_with_their_types(
    table: str, columns: Sequence[Column]
) -> None:
    store = DuckDbSalesStore(None, Rules())
    try:
        described = store._cursor().execute(f"DESCRIBE {table}").fetchall()
    finally:
        store.close()
    in_schema = {name: kind.replace(" ", "") for name, kind, *_ in described}
    written = {c.name: c.sql_type.replace(" ", "") for c in columns}
    assert len(written) == len(columns)  # no column written twice
    assert written == {k: v for k, v in in_schema.items() if k not in COMPUTED_IN_SQL.get(table, set())}


def test_stale_content_hashes_are_recomputed_when_the_store_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    store = DuckDbSalesStore(path, Rules())
    store.apply(OrderChanges(upserts=[FULL]))
    store.close()
    with duckdb.connect(str(path)) as raw:  # as an older ksales with another hash would have left it
        raw.execute("UPDATE orders SET content_hash = 'digest of an older ksales'")
        raw.execute("UPDATE store_info SET value = 'older' WHERE key = 'content_hash'")

    reopened = DuckDbSalesStore(path, Rules())
    try:
        stored = reopened._cursor().execute("SELECT content_hash FROM orders").fetchall()
        info = (
            reopened._cursor().execute("SELECT value FROM store_info WHERE key = 'content_hash'").fetchone()
        )
        assert stored == [(content_hash(FULL),)] and info == (HASH_KEY,)
        assert reopened.apply(OrderChanges(upserts=[FULL])).unchanged == 1
        assert reopened.get_order(FULL.id) == FULL
    finally:
        reopened.close()
