"""Report results as JSON-ready dicts: the one shape shared by the web API, the CLI and the library."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs


def _value(_: Any, __: Any, value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def to_jsonable(result: Any) -> Any:
    """An attrs result (or a list of them) as plain dicts, lists, numbers and strings."""
    if isinstance(result, list | tuple):
        return [to_jsonable(item) for item in result]
    if attrs.has(type(result)):
        return attrs.asdict(result, recurse=True, value_serializer=_value)
    return _value(None, None, result)
