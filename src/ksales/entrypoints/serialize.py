"""Report results (attrs values with Decimals, dates) as JSON-ready dicts: the API, the CLI, the library."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

import attrs

from ksales.domain.filters import Filters
from ksales.domain.periods import Period
from ksales.domain.results import DayAmount

_CENT = Decimal("0.01")
_MILLI = Decimal("0.001")
#: Quantities may be fractional units (KeyCRM allows them): keep three decimals there, two for money.
_PRECISE_FIELDS = frozenset({"quantity"})
#: attrs field → JSON key where the API's name differs from the domain's.
_RENAMES: dict[type, dict[str, str]] = {DayAmount: {"day": "date"}}


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
    if attrs.has(type(value)):
        renames = _RENAMES.get(type(value), {})
        return {
            renames.get(f.name, f.name): to_json(getattr(value, f.name), f.name)
            for f in attrs.fields(type(value))
        }
    if isinstance(value, list | tuple):
        return [to_json(item, key) for item in value]
    if isinstance(value, dict):
        return {str(k): to_json(v, str(k)) for k, v in value.items()}
    return value
