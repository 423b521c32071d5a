"""Which column holds which attrs field: one spec per domain type, checked against `attrs.fields`.

The writes (`rows.order_rows`, the dictionary upserts), the reads (`Fields.select`, `Fields.build`) and the
content hash all follow these specs, so a field added to `OrderLine` without a column here fails at import
instead of being silently dropped on the way to DuckDB. The tables themselves are created by `schema.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC
from operator import attrgetter
from typing import Any, Generic, TypeVar

import attrs
from attrs import AttrsInstance, frozen

from ksales.adapters.duckdb.schema import MONEY, QUANTITY
from ksales.domain.model import (
    Buyer,
    Category,
    Expense,
    ExpenseType,
    Order,
    OrderLine,
    Product,
    Source,
    Status,
)
from ksales.domain.stock import OfferStock, StockSnapshot

E = TypeVar("E", bound=AttrsInstance)

BIGINT = "BIGINT"
INTEGER = "INTEGER"
VARCHAR = "VARCHAR"
BOOLEAN = "BOOLEAN"
DATE = "DATE"
TIMESTAMP = "TIMESTAMP"


@frozen
class Column:
    name: str
    sql_type: str


def _aware(value: Any) -> Any:
    """DuckDB hands TIMESTAMPs back naive; the store keeps UTC wall times."""
    return None if value is None else value.replace(tzinfo=UTC)


class Fields(Generic[E]):
    """The columns that hold every field of the attrs class `kind`, in the order of its fields.

    A field maps to a SQL type (a column of the same name), a `Column` (another name), or the `Fields`
    of an embedded attrs value (its columns inline; the value is None when all of them are NULL).
    Fields kept in other tables (an order's lines) are named in `elsewhere`.
    """

    def __init__(
        self,
        kind: type[E],
        columns: Mapping[str, str | Column | Fields[Any]],
        elsewhere: Collection[str] = (),
    ) -> None:
        names = [f.name for f in attrs.fields(kind)]
        unknown = (set(columns) | set(elsewhere)) - set(names)
        missing = set(names) - set(columns) - set(elsewhere)
        if unknown or missing:
            raise TypeError(
                f"the DuckDB spec of {kind.__name__} is out of step with its attrs fields:"
                f" no column for {sorted(missing)}, no field {sorted(unknown)}"
            )
        self.kind = kind
        self.field_names = tuple(names)
        self._parts: list[tuple[str, Column | Fields[Any]]] = []
        for name in names:
            if name in columns:
                spec = columns[name]
                self._parts.append((name, Column(name, spec) if isinstance(spec, str) else spec))
        self.columns: tuple[Column, ...] = tuple(
            column
            for _, part in self._parts
            for column in (part.columns if isinstance(part, Fields) else (part,))
        )
        #: The entity's values, one per column of `columns`.
        self.values: Callable[[E], tuple[Any, ...]] = self._values_getter()

    @property
    def select(self) -> str:
        """The column list to SELECT for `build`."""
        return ", ".join(column.name for column in self.columns)

    def nulls(self) -> tuple[None, ...]:
        return (None,) * len(self.columns)

    def build(self, row: Sequence[Any], **elsewhere: Any) -> E:
        """The entity from a row of `select` (plus the fields kept elsewhere, by name)."""
        return self._build(row, 0, elsewhere)

    def _build(self, row: Sequence[Any], start: int, elsewhere: Mapping[str, Any]) -> E:
        values: dict[str, Any] = dict(elsewhere)
        at = start
        for name, part in self._parts:
            if isinstance(part, Fields):
                width = len(part.columns)
                if all(v is None for v in row[at : at + width]):
                    values[name] = None
                else:
                    values[name] = part._build(row, at, {})
                at += width
            else:
                values[name] = _aware(row[at]) if part.sql_type == TIMESTAMP else row[at]
                at += 1
        return self.kind(**values)

    def _values_getter(self) -> Callable[[E], tuple[Any, ...]]:
        """A fast getter (the write path's hot loop): one `attrgetter` per run of plain columns."""
        segments: list[Callable[[E], tuple[Any, ...]]] = []
        run: list[str] = []
        for name, part in [*self._parts, ("", None)]:
            if isinstance(part, Column):
                run.append(name)
                continue
            if run:
                segments.append(_plain_getter(run))
                run = []
            if isinstance(part, Fields):
                segments.append(_embedded_getter(name, part))
        if len(segments) == 1:
            return segments[0]

        def values(entity: E) -> tuple[Any, ...]:
            result: tuple[Any, ...] = ()
            for segment in segments:
                result += segment(entity)
            return result

        return values


def _plain_getter(names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    get = attrgetter(*names)
    return get if len(names) > 1 else lambda entity: (get(entity),)


def _embedded_getter(name: str, part: Fields[Any]) -> Callable[[Any], tuple[Any, ...]]:
    get, nulls = attrgetter(name), part.nulls()

    def values(entity: Any) -> tuple[Any, ...]:
        inner = get(entity)
        return nulls if inner is None else part.values(inner)

    return values


# --- the domain types -----------------------------------------------------------------------------

BUYER = Fields(
    Buyer,
    {
        "id": Column("buyer_id", BIGINT),
        "full_name": Column("buyer_name", VARCHAR),
        "email": Column("buyer_email", VARCHAR),
        "phone": Column("buyer_phone", VARCHAR),
    },
)
ORDER = Fields(
    Order,
    {
        "id": BIGINT,
        "source_id": BIGINT,
        "grand_total": MONEY,
        "created_at": TIMESTAMP,
        "ordered_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "status_id": BIGINT,
        "status_group_id": BIGINT,
        "manager_id": BIGINT,
        "buyer": BUYER,
        "total_discount": MONEY,
        "shipping_price": MONEY,
    },
    elsewhere=("lines", "expenses"),
)
LINE = Fields(
    OrderLine,
    {
        "name": VARCHAR,
        "quantity": QUANTITY,
        "price_sold": MONEY,
        "product_id": BIGINT,
        "offer_id": BIGINT,
        "sku": VARCHAR,
        "price": MONEY,
        "purchased_price": MONEY,
    },
)
EXPENSE = Fields(
    Expense,
    {
        "id": BIGINT,
        "amount": MONEY,
        "expense_type_id": BIGINT,
        "status": VARCHAR,
        "payment_date": TIMESTAMP,
    },
)
SOURCE = Fields(Source, {"id": BIGINT, "name": VARCHAR, "currency_code": VARCHAR})
STATUS = Fields(Status, {"id": BIGINT, "name": VARCHAR, "group_id": BIGINT})
EXPENSE_TYPE = Fields(ExpenseType, {"id": BIGINT, "name": VARCHAR, "alias": VARCHAR})
CATEGORY = Fields(Category, {"id": BIGINT, "name": VARCHAR, "parent_id": BIGINT})
PRODUCT = Fields(Product, {"id": BIGINT, "name": VARCHAR, "category_id": BIGINT, "brand": VARCHAR})

STOCK_SNAPSHOT = Fields(StockSnapshot, {"day": DATE, "taken_at": TIMESTAMP}, elsewhere=("rows",))
OFFER_STOCK = Fields(
    OfferStock,
    {
        "offer_id": BIGINT,
        "quantity": QUANTITY,
        "reserve": QUANTITY,
        "price": MONEY,
        "purchased_price": MONEY,
        "sku": VARCHAR,
        "product_id": BIGINT,
    },
)

# --- the columns written besides the fields -------------------------------------------------------

#: An order's child rows are keyed by the order and their position in it.
CHILD_KEY = (Column("order_id", BIGINT), Column("position", INTEGER))
#: Derived from the `Rules` on every order, and repeated on its lines and expenses (so no query joins).
FLAGS = (
    Column("business_day", DATE),
    Column("excluded", BOOLEAN),
    Column("canceled", BOOLEAN),
    Column("b2b", BOOLEAN),
)
#: Repeated from the order on its lines.
SHARED = (Column("placed_at", TIMESTAMP), Column("source_id", BIGINT), *FLAGS)

#: The order's local time of day (seconds since midnight), on the order and its lines (same time of day).
LOCAL_SECONDS = Column("local_seconds", INTEGER)

ORDER_COLUMNS = (
    *ORDER.columns,
    Column("placed_at", TIMESTAMP),
    Column("content_hash", VARCHAR),
    *FLAGS,
    LOCAL_SECONDS,
)
#: The order's buyer on its lines: distinct buyers of the lines in a category or of a brand, without a join.
LINE_BUYER = Column("buyer_id", BIGINT)
LINE_COLUMNS = (*CHILD_KEY, *LINE.columns, *SHARED, LOCAL_SECONDS, LINE_BUYER)
EXPENSE_COLUMNS = (
    *CHILD_KEY,
    *EXPENSE.columns,
    Column("paid", BOOLEAN),
    Column("source_id", BIGINT),
    *FLAGS,
    Column("first_paid", BOOLEAN),
    Column("first_paid_of_type", BOOLEAN),
)
#: The product's brand as the brand filter matches it (see `ksales.domain.filters.brand_key`).
PRODUCT_COLUMNS = (*PRODUCT.columns, Column("brand_key", VARCHAR))
#: A snapshot's rows are keyed by its day.
STOCK_LEVEL_COLUMNS = (Column("day", DATE), *OFFER_STOCK.columns)
