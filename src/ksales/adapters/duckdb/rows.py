"""Orders to table rows and back, and the content hash that tells an update from a no-op.

Rows travel to DuckDB as one `VARCHAR[]` parameter per column and are cast back in SQL
(`unnest(?::VARCHAR[])::DECIMAL(18, 2)`): exact for Decimals, and far faster than `executemany`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any, Protocol, TypeVar

import attrs
import duckdb
from attrs import AttrsInstance

from ksales.adapters.duckdb.tables import BUYER, EXPENSE, LINE, ORDER, PRODUCT, Column, Fields
from ksales.domain.filters import brand_key
from ksales.domain.model import Expense, Order, OrderLine, Product
from ksales.domain.pace import local_seconds
from ksales.domain.rules import Rules, SalesType, business_day, is_canceled, is_excluded, sales_type_of

Cell = str | None
Row = tuple[Cell, ...]
E = TypeVar("E", bound=AttrsInstance)


def cell(value: object) -> Cell:
    """One value as the text DuckDB casts back exactly."""
    if value is None or type(value) is str:
        return value
    convert = _CELLS.get(type(value))
    if convert is not None:
        return convert(value)
    # Subclasses (a pendulum DateTime…), the slow way.
    for base, convert in _CELLS.items():
        if isinstance(value, base):
            return convert(value)
    return str(value)


def _instant(value: datetime) -> str:
    return to_utc_naive(value).isoformat(sep=" ")


#: By exact type: this runs for every value of every row written.
_CELLS: dict[type, Callable[[Any], str]] = {
    bool: lambda value: "true" if value else "false",
    int: str,
    Decimal: lambda value: format(value, "f"),
    datetime: _instant,
    date: date.isoformat,
}


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
    row = tuple(map(cell, (*ORDER.values(order), order.placed_at, digest, *flags, seconds)))
    shared = (order.placed_at, order.source_id, *flags)
    lines = [
        tuple(map(cell, (order.id, position, *LINE.values(line), *shared, seconds)))
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
        expenses.append(tuple(map(cell, (order.id, position, *values))))
    return row, lines, expenses


def product_row(product: Product) -> Row:
    """A product's row (`PRODUCT_COLUMNS`): its fields and the key its brand is filtered by."""
    key = (brand_key(product.brand) or None) if product.brand else None
    return tuple(map(cell, (*PRODUCT.values(product), key)))


def fields_row(fields: Fields[E]) -> Callable[[E], Row]:
    """The row of an entity that is nothing but its `fields` (the dictionaries but products)."""
    return lambda entity: tuple(map(cell, fields.values(entity)))


class _Keyed(Protocol):
    @property
    def id(self) -> int: ...


K = TypeVar("K", bound=_Keyed)


def rows_by_id(entries: Iterable[K], row: Callable[[K], Row]) -> dict[int, Row]:
    """One row per id: the last entry of an id wins."""
    return {entry.id: row(entry) for entry in entries}


def columns_of(rows: Sequence[Row], width: int) -> list[list[Cell]]:
    """Transpose rows into one list per column (the statement's parameters)."""
    return [[row[i] for row in rows] for i in range(width)]


def unnest_select(columns: Iterable[Column]) -> str:
    """`SELECT unnest(?::VARCHAR[])::T AS c, …` over one list parameter per column."""
    return "SELECT " + ", ".join(f"unnest(?::VARCHAR[])::{c.sql_type} AS {c.name}" for c in columns)


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
