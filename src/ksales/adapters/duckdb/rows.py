"""Orders to table rows and back, and the content hash that tells an update from a no-op.

Rows are tuples of the Python values (None, bool, int, str, Decimal, date, datetime) and travel to DuckDB
as one Arrow table of the columns' exact types (`arrow_table`): Decimals as decimal128 of the column's
scale (exact, never via float), instants as UTC wall times; far faster than text cells or `executemany`.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from operator import attrgetter
from typing import Any, Protocol, TypeVar

import attrs
import duckdb
import pyarrow as pa
from attrs import AttrsInstance

from ksales.adapters.duckdb.tables import (
    BIGINT,
    BOOLEAN,
    BUYER,
    DATE,
    EXPENSE,
    INTEGER,
    LINE,
    ORDER,
    PRODUCT,
    TIMESTAMP,
    VARCHAR,
    Column,
    Fields,
)
from ksales.domain.filters import brand_key
from ksales.domain.model import Expense, Order, OrderLine, Product
from ksales.domain.pace import local_seconds
from ksales.domain.rules import Rules, SalesType, business_day, is_canceled, is_excluded, sales_type_of

#: A row: one Python value per column (None, bool, int, str, Decimal, date or datetime).
Row = tuple[Any, ...]
E = TypeVar("E", bound=AttrsInstance)

_ARROW_TYPES: dict[str, pa.DataType] = {
    BIGINT: pa.int64(),
    INTEGER: pa.int32(),
    VARCHAR: pa.string(),
    BOOLEAN: pa.bool_(),
    DATE: pa.date32(),
    # Aware datetimes become their UTC wall time; naive ones are taken as UTC already (`to_utc_naive`).
    TIMESTAMP: pa.timestamp("us"),
}
_DECIMAL = re.compile(r"DECIMAL\((\d+), (\d+)\)")


def arrow_type(sql_type: str) -> pa.DataType:
    """The Arrow type that carries a column of `sql_type` exactly."""
    decimal = _DECIMAL.fullmatch(sql_type)
    if decimal:
        return pa.decimal128(int(decimal[1]), int(decimal[2]))
    return _ARROW_TYPES[sql_type]


def arrow_table(columns: Sequence[Column], rows: Sequence[Row]) -> pa.Table:
    """The rows as an Arrow table of the columns' names and exact types."""
    if rows and len(rows[0]) != len(columns):
        raise ValueError(f"rows of {len(rows[0])} values for {len(columns)} columns")
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return pa.table(
        [_array(column, column_values) for column, column_values in zip(columns, values, strict=True)],
        names=[column.name for column in columns],
    )


def _array(column: Column, values: Sequence[Any]) -> pa.Array:
    kind = arrow_type(column.sql_type)
    try:
        return pa.array(values, kind)
    except pa.ArrowInvalid:
        if not pa.types.is_decimal(kind):
            raise
    # Decimals finer than the column: rounded half away from zero, as DuckDB casts text to DECIMAL.
    exponent = Decimal(1).scaleb(-kind.scale)
    try:
        return pa.array(
            [None if v is None else Decimal(v).quantize(exponent, ROUND_HALF_UP) for v in values], kind
        )
    except (pa.ArrowInvalid, InvalidOperation) as error:
        raise duckdb.ConversionException(f"{column.name}: a value does not fit {column.sql_type}") from error


def to_utc_naive(moment: datetime) -> datetime:
    """The UTC wall time of an instant (naive datetimes are taken as UTC already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


#: Names what the stored digests were computed from: a store whose digests were computed otherwise
#: (an older ksales, another field list) has them recomputed when it is opened (`derived.py`).
HASH_KEY = "blake2b-128 of " + "; ".join(
    f"{spec.kind.__name__}({', '.join(spec.field_names)})" for spec in (ORDER, BUYER, LINE, EXPENSE)
)


_PLAIN: frozenset[type] = frozenset({type(None), bool, int, str})
#: The attrs classes met so far, and a getter of all their fields' values (`attrs.fields` order).
_FIELD_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _field_values(kind: type) -> Callable[[Any], tuple[Any, ...]]:
    getter = _FIELD_VALUES.get(kind)
    if getter is None:
        if not attrs.has(kind):
            raise TypeError(f"no canonical form for a {kind.__name__} in an order")
        names = [f.name for f in attrs.fields(kind)]
        get = attrgetter(*names)
        getter = get if len(names) > 1 else lambda value: (get(value),)
        _FIELD_VALUES[kind] = getter
    return getter


def _canonical(value: Any) -> Any:
    """Equal for equal values: attrs values as their fields' tuple, Decimals by value, instants in UTC."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Decimal:
        return value.normalize() if value else 0  # equal amounts normalise alike (-0 and 0 too)
    if kind is datetime or isinstance(value, datetime):
        return (value if value.tzinfo is UTC else value.astimezone(UTC)).isoformat()
    parts = value if kind is tuple else (_FIELD_VALUES.get(kind) or _field_values(kind))(value)
    return tuple([v if type(v) in _PLAIN else _canonical(v) for v in parts])


def content_hash(order: Order) -> str:
    """A digest equal for two orders exactly when they compare equal (same instants, same amounts).

    It covers every attrs field of the order, its buyer, lines and expenses, whatever they are.
    """
    text = repr(_canonical(order))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def order_rows(order: Order, rules: Rules, digest: str) -> tuple[Row, list[Row], list[Row]]:
    """The order's row and the rows of its lines and expenses (`ORDER_COLUMNS`, `LINE_COLUMNS`, …)."""
    flags = (
        business_day(order, rules.timezone),
        is_excluded(order, rules),
        is_canceled(order, rules),
        sales_type_of(order, rules) is SalesType.B2B,
    )
    seconds = local_seconds(order, rules.timezone)
    row = (*ORDER.values(order), order.placed_at, digest, *flags, seconds)
    shared = (order.placed_at, order.source_id, *flags)
    lines = [
        (order.id, position, *LINE.values(line), *shared, seconds, order.buyer_id)
        for position, line in enumerate(order.lines)
    ]
    # The first paid expense of the order, and of each type: counting them counts orders.
    first_paid = next((i for i, e in enumerate(order.expenses) if e.is_paid), None)
    first_of_type: dict[int, int] = {}
    for i, e in enumerate(order.expenses):
        if e.is_paid and e.expense_type_id is not None:
            first_of_type.setdefault(e.expense_type_id, i)
    expenses: list[Row] = []
    for position, e in enumerate(order.expenses):
        first_of_its_type = e.expense_type_id is not None and first_of_type.get(e.expense_type_id) == position
        values = (
            *EXPENSE.values(e),
            e.is_paid,
            order.source_id,
            *flags,
            position == first_paid,
            first_of_its_type,
        )
        expenses.append((order.id, position, *values))
    return row, lines, expenses


def product_row(product: Product) -> Row:
    """A product's row (`PRODUCT_COLUMNS`): its fields and the key its brand is filtered by."""
    key = (brand_key(product.brand) or None) if product.brand else None
    return (*PRODUCT.values(product), key)


def fields_row(fields: Fields[E]) -> Callable[[E], Row]:
    """The row of an entity that is nothing but its `fields` (the dictionaries but products)."""
    return fields.values


class _Keyed(Protocol):
    @property
    def id(self) -> int: ...


K = TypeVar("K", bound=_Keyed)


def rows_by_id(entries: Iterable[K], row: Callable[[K], Row]) -> dict[int, Row]:
    """One row per id: the last entry of an id wins."""
    return {entry.id: row(entry) for entry in entries}


# --- reading back --------------------------------------------------------------------------------

_IN_IDS = "IN (SELECT unnest(?::BIGINT[]))"


def read_orders(cursor: duckdb.DuckDBPyConnection, ids: Sequence[int]) -> list[Order]:
    """The stored orders of `ids` (missing ones left out), in the order of their ids."""
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    for order_id, *row in cursor.execute(
        f"SELECT order_id, {LINE.select} FROM order_lines WHERE order_id {_IN_IDS}"
        " ORDER BY order_id, position",
        [list(ids)],
    ).fetchall():
        lines[order_id].append(LINE.build(row))
    expenses: dict[int, list[Expense]] = defaultdict(list)
    for order_id, *row in cursor.execute(
        f"SELECT order_id, {EXPENSE.select} FROM order_expenses WHERE order_id {_IN_IDS}"
        " ORDER BY order_id, position",
        [list(ids)],
    ).fetchall():
        expenses[order_id].append(EXPENSE.build(row))
    rows = cursor.execute(
        f"SELECT {ORDER.select} FROM orders WHERE id {_IN_IDS} ORDER BY id", [list(ids)]
    ).fetchall()
    return [ORDER.build(row, lines=tuple(lines[row[0]]), expenses=tuple(expenses[row[0]])) for row in rows]
