"""Report results (attrs values with Decimals, dates) as JSON-ready dicts and back: API, CLI, library.

`to_json` is what the API answers; `from_json` reads such an answer back into the very same result type (the
remote analytics client), guided by the attrs fields' types. The pair round-trips: for any result whose
amounts have at most the decimals the API shows, `from_json(type(r), to_json(r)) == r`.
"""

from __future__ import annotations

import types
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, cast, get_args, get_origin, get_type_hints

import attrs

from ksales.domain.filters import Filters, parse_sales_type
from ksales.domain.periods import Period, PeriodKind
from ksales.domain.results import DayAmount

_CENT = Decimal("0.01")
_MILLI = Decimal("0.001")
#: Quantities may be fractional units (KeyCRM allows them): keep three decimals there (units sold or in
#: stock), two for money.
_PRECISE_FIELDS = frozenset({"quantity", "available", "units_available"})
#: attrs field → JSON key where the API's name differs from the domain's.
_RENAMES: dict[type, dict[str, str]] = {DayAmount: {"day": "date"}}
T = TypeVar("T")


def number(value: Decimal, places: Decimal = _CENT) -> int | float:
    """A Decimal as a JSON number rounded half-up (integers stay integers)."""
    if not value.is_finite():
        return 0
    rounded = value.quantize(places, rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return int(rounded)
    return float(rounded)


def period_json(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "kind": period.kind.value}


def filters_json(filters: Filters) -> dict[str, Any]:
    return {
        "sales_type": filters.sales_type.value,
        "source_id": filters.source_id,
        "category_id": filters.category_id,
        "brand": filters.brand,
    }


def to_json(value: Any, key: str | None = None) -> Any:
    """Recursively convert a result; periods and filters take their echo shape."""
    kind = type(value)
    # The common leaves first, by exact type: a view's answer is thousands of them.
    if kind is Decimal:
        return number(value, _MILLI if key in _PRECISE_FIELDS else _CENT)
    if kind is date:
        return value.isoformat()
    if value is None or kind is int or kind is str or kind is bool:
        return value
    if isinstance(value, Period):
        return period_json(value)
    if isinstance(value, Filters):
        return filters_json(value)
    if isinstance(value, Decimal):
        return number(value, _MILLI if key in _PRECISE_FIELDS else _CENT)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    fields = _fields(kind)
    if fields is not None:
        return {name: to_json(getattr(value, field), field) for name, field in fields}
    if isinstance(value, list | tuple):
        return [to_json(item, key) for item in value]
    if isinstance(value, dict):
        return {str(k): to_json(v, str(k)) for k, v in value.items()}
    return value


#: attrs class → its (JSON key, field name) pairs; None for other types (filled as types are seen).
_FIELDS: dict[type, tuple[tuple[str, str], ...] | None] = {}


def _fields(kind: type) -> tuple[tuple[str, str], ...] | None:
    found = _FIELDS.get(kind, ())
    if found != ():
        return found
    fields = None
    if attrs.has(kind):
        renames = _RENAMES.get(kind, {})
        fields = tuple((renames.get(f.name, f.name), f.name) for f in attrs.fields(kind))
    _FIELDS[kind] = fields
    return fields


class UnreadableJson(ValueError):
    """A JSON value does not have the shape of the result type it should be read into."""


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def from_json(kind: type[T], value: Any) -> T:
    """Read `value` (as `to_json` wrote it) back into a `kind`; keys the type does not know are ignored."""
    return cast(T, _read(kind, value))


def _read(kind: Any, value: Any) -> Any:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        options = [option for option in get_args(kind) if option is not type(None)]
        if value is None:
            return None
        if len(options) != 1:
            raise UnreadableJson(f"cannot choose between {options}")
        return _read(options[0], value)
    if value is None:
        raise UnreadableJson(f"null where a {kind} is expected")
    if origin is tuple:
        item = get_args(kind)[0]
        return tuple(_read(item, v) for v in _sequence(value))
    if origin is list:
        item = get_args(kind)[0]
        return [_read(item, v) for v in _sequence(value)]
    if kind is Period:
        return Period(
            date.fromisoformat(value["start"]), date.fromisoformat(value["end"]), PeriodKind(value["kind"])
        )
    if kind is Filters:
        return Filters(
            sales_type=parse_sales_type(value["sales_type"]),
            source_id=value["source_id"],
            category_id=value["category_id"],
            brand=value["brand"],
        )
    if attrs.has(kind):
        if not isinstance(value, dict):
            raise UnreadableJson(f"{kind.__name__} must be an object")
        renames = _RENAMES.get(kind, {})
        hints = _hints(kind)
        arguments = {}
        for f in attrs.fields(kind):
            key = renames.get(f.name, f.name)
            if key in value:
                arguments[f.name] = _read(hints[f.name], value[key])
            elif f.default is attrs.NOTHING:
                raise UnreadableJson(f"{kind.__name__} lacks {key!r}")
        return kind(**arguments)
    if kind is Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise UnreadableJson(f"{value!r} is not a number")
        return Decimal(str(value))
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise UnreadableJson(f"{value!r} is not an integer")
    if kind in (str, bool) and not isinstance(value, kind):
        raise UnreadableJson(f"{value!r} is not a {kind.__name__}")
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _sequence(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise UnreadableJson("a list is expected")
    return value
