"""The write side of the DuckDB store: order changes and dictionaries, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import duckdb

from ksales.adapters.duckdb.derived import refresh_brand_firsts, refresh_first_days
from ksales.adapters.duckdb.rollups import Deltas, refresh_subtrees, reworking
from ksales.adapters.duckdb.rows import (
    Row,
    arrow_table,
    content_hash,
    fields_row,
    order_rows,
    product_row,
    rows_by_id,
)
from ksales.adapters.duckdb.tables import (
    CATEGORY,
    EXPENSE_COLUMNS,
    EXPENSE_TYPE,
    LINE_COLUMNS,
    OFFER_STOCK,
    ORDER_COLUMNS,
    PRODUCT_COLUMNS,
    SOURCE,
    STATUS,
    STOCK_LEVEL_COLUMNS,
    STOCK_SNAPSHOT,
    Column,
)
from ksales.domain.model import Dictionaries, Order
from ksales.domain.rules import Rules
from ksales.domain.stock import StockSnapshot
from ksales.ports.store import ApplyResult, OrderChanges

#: Rows per INSERT statement: big enough to be fast, small enough to bound the Arrow tables.
CHUNK = 20_000
#: The name a batch of rows is registered under while it is inserted.
_BATCH = "ksales_batch"


def insert_rows(
    cursor: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[Column],
    rows: Sequence[Row],
    *,
    join_products: bool = False,
    replace: bool = False,
) -> None:
    """Insert (or `replace`) rows in chunks, each as one Arrow table; lines pick up their product's
    category and brand key on the way."""
    if not rows:
        return
    names = ", ".join(c.name for c in columns)
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    if join_products:
        statement = (
            f"{verb} INTO {table} ({names}, category_id, brand_key)"
            f" SELECT v.*, p.category_id, p.brand_key FROM {_BATCH} v"
            " LEFT JOIN products p ON p.id = v.product_id"
        )
    else:
        statement = f"{verb} INTO {table} ({names}) SELECT * FROM {_BATCH}"
    for start in range(0, len(rows), CHUNK):
        try:
            batch = arrow_table(columns, rows[start : start + CHUNK])
        except ValueError as error:
            raise ValueError(f"{table}: {error}") from None
        cursor.register(_BATCH, batch)
        try:
            cursor.execute(statement)
        finally:
            cursor.unregister(_BATCH)


def _delete_orders(cursor: duckdb.DuckDBPyConnection, ids: list[int]) -> None:
    for table, key in (("order_lines", "order_id"), ("order_expenses", "order_id"), ("orders", "id")):
        cursor.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT unnest(?::BIGINT[]))", [ids])


def write_changes(cursor: duckdb.DuckDBPyConnection, changes: OrderChanges, rules: Rules) -> ApplyResult:
    """Upserts (the last one of an id wins), then deletions, then meta; counted like the fake counts."""
    touched = sorted({o.id for o in changes.upserts} | set(changes.deletions))
    stored: dict[int, tuple[str, int | None]] = {
        row[0]: (row[1], row[2])
        for row in cursor.execute(
            "SELECT id, content_hash, buyer_id FROM orders WHERE id IN (SELECT unnest(?::BIGINT[]))",
            [touched],
        ).fetchall()
    }
    current: dict[int, str | None] = {oid: digest for oid, (digest, _) in stored.items()}
    final: dict[int, tuple[Order, str]] = {}
    inserted = updated = unchanged = removed = 0
    for order in changes.upserts:
        digest = content_hash(order)
        before = current.get(order.id)
        if before is None:
            inserted += 1
        elif before == digest:
            unchanged += 1
        else:
            updated += 1
        current[order.id] = digest
        final[order.id] = (order, digest)
    for order_id in changes.deletions:
        if current.get(order_id) is not None:
            removed += 1
        current[order_id] = None
        final.pop(order_id, None)

    writes = [(o, d) for oid, (o, d) in final.items() if oid not in stored or stored[oid][0] != d]
    rewritten = {o.id for o, _ in writes}
    gone = [oid for oid in stored if oid in changes.deletions or oid in rewritten]
    deltas = Deltas(cursor) if gone or writes else None
    if gone:
        assert deltas is not None
        deltas.subtract(gone)
        _delete_orders(cursor, gone)
    if writes:
        assert deltas is not None
        written = sorted(o.id for o, _ in writes)
        _insert_orders(cursor, writes, rules)
        refresh_brand_firsts(cursor, written)
        deltas.add(written)
    if deltas is not None:
        deltas.fold()
    buyers = {stored[oid][1] for oid in gone} | {o.buyer_id for o, _ in writes}
    buyers.discard(None)
    if buyers:
        refresh_first_days(cursor, sorted(b for b in buyers if b is not None))
    if changes.meta:
        set_meta(cursor, changes.meta)
    return ApplyResult(inserted, updated, unchanged, removed)


def _insert_orders(
    cursor: duckdb.DuckDBPyConnection, writes: Iterable[tuple[Order, str]], rules: Rules
) -> None:
    orders: list[Row] = []
    lines: list[Row] = []
    expenses: list[Row] = []
    for order, digest in writes:
        row, order_lines, order_expenses = order_rows(order, rules, digest)
        orders.append(row)
        lines.extend(order_lines)
        expenses.extend(order_expenses)
    insert_rows(cursor, "orders", ORDER_COLUMNS, orders)
    insert_rows(cursor, "order_lines", LINE_COLUMNS, lines, join_products=True)
    insert_rows(cursor, "order_expenses", EXPENSE_COLUMNS, expenses)


def set_meta(cursor: duckdb.DuckDBPyConnection, values: Mapping[str, str]) -> None:
    keys, texts = list(values), [values[k] for k in values]
    cursor.execute(
        "INSERT OR REPLACE INTO meta SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[])", [keys, texts]
    )


def _upsert(
    cursor: duckdb.DuckDBPyConnection, table: str, columns: Sequence[Column], rows: list[Row]
) -> None:
    insert_rows(cursor, table, columns, rows, replace=True)


def write_dictionaries(cursor: duckdb.DuckDBPyConnection, dictionaries: Dictionaries) -> bool:
    """Upsert every dictionary (the last entry of an id wins), re-file the orders of changed subtrees and
    the lines of changed products. False, with nothing written, when every entry is stored as it is: each
    sync saves the dictionaries, which seldom change, and the reads' memos need not be dropped for that."""
    products = rows_by_id(dictionaries.products, product_row)
    tables = [
        ("sources", SOURCE.columns, rows_by_id(dictionaries.sources, fields_row(SOURCE))),
        ("statuses", STATUS.columns, rows_by_id(dictionaries.statuses, fields_row(STATUS))),
        (
            "expense_types",
            EXPENSE_TYPE.columns,
            rows_by_id(dictionaries.expense_types, fields_row(EXPENSE_TYPE)),
        ),
        ("categories", CATEGORY.columns, rows_by_id(dictionaries.categories, fields_row(CATEGORY))),
        ("products", PRODUCT_COLUMNS, products),
    ]
    if all(_stored_as(cursor, table, columns, rows) for table, columns, rows in tables):
        return False
    for table, columns, rows in tables:
        _upsert(cursor, table, columns, list(rows.values()))
    if dictionaries.categories:
        refresh_subtrees(cursor)
    if products:
        _refile_lines(cursor, sorted(products))
    return True


def _stored_as(
    cursor: duckdb.DuckDBPyConnection, table: str, columns: Sequence[Column], rows: dict[int, Row]
) -> bool:
    """Whether the table holds exactly these rows for their ids (the first column)."""
    if not rows:
        return True
    names = ", ".join(column.name for column in columns)
    stored = cursor.execute(
        f"SELECT {names} FROM {table} WHERE {columns[0].name} IN (SELECT unnest(?::BIGINT[]))", [list(rows)]
    ).fetchall()
    return {row[0]: tuple(row) for row in stored} == {key: tuple(row) for key, row in rows.items()}


def _refile_lines(cursor: duckdb.DuckDBPyConnection, product_ids: list[int]) -> None:
    """Lines of products whose category or brand changed take the new ones (and the rollups with them)."""
    changed = """products p
        WHERE order_lines.product_id = p.id AND p.id IN (SELECT unnest(?::BIGINT[]))
          AND (order_lines.category_id IS DISTINCT FROM p.category_id
               OR order_lines.brand_key IS DISTINCT FROM p.brand_key)"""
    refiled = sorted(
        row[0]
        for row in cursor.execute(
            f"SELECT DISTINCT order_id FROM order_lines, {changed}", [product_ids]
        ).fetchall()
    )
    if not refiled:
        return
    with reworking(cursor, refiled):
        cursor.execute(
            f"UPDATE order_lines SET category_id = p.category_id, brand_key = p.brand_key FROM {changed}",
            [product_ids],
        )
        refresh_brand_firsts(cursor, refiled)


def write_stock_snapshot(cursor: duckdb.DuckDBPyConnection, snapshot: StockSnapshot) -> None:
    """The day's snapshot and its rows, replacing whatever was stored for that day."""
    cursor.execute("DELETE FROM stock_levels WHERE day = ?", [snapshot.day])
    _upsert(cursor, "stock_snapshots", STOCK_SNAPSHOT.columns, [STOCK_SNAPSHOT.values(snapshot)])
    rows = [(snapshot.day, *OFFER_STOCK.values(row)) for row in snapshot.rows]
    if rows:
        insert_rows(cursor, "stock_levels", STOCK_LEVEL_COLUMNS, rows)
