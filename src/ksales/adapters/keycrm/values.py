"""Scalars as KeyCRM sends them: ids and money as numbers or strings, timestamps in several shapes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

ZERO = Decimal(0)


def to_int(value: Any) -> int | None:
    """An id sent as a number or a string (`"12"`, `12`, `12.0`); None when absent or unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.lstrip("-").isdigit():
            return int(stripped)
        try:
            number = float(stripped)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None
    return None


def to_decimal(value: Any, what: str, default: Decimal | None = None) -> Decimal:
    """Money or a quantity sent as a number or a string; `default` stands in for null."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if default is None:
            raise ValueError(f"missing {what}")
        return default
    if isinstance(value, bool):
        raise ValueError(f"non-numeric {what} {value!r}")
    try:
        # str() of a float is its shortest repr, so 122.5 becomes Decimal("122.5"), not a binary tail.
        number = Decimal(value.strip() if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise ValueError(f"non-numeric {what} {str(value)[:30]!r}") from None
    if not number.is_finite():
        raise ValueError(f"non-numeric {what} {str(value)[:30]!r}")
    return number


def to_datetime(value: Any, what: str) -> datetime | None:
    """`2026-01-10 14:30:00`, `…T14:30:00Z`, `…+04:00`, with or without fractions; no offset means UTC."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError(f"unparseable {what} {value!r}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"unparseable {what} {value[:40]!r}") from None
    if moment.utcoffset() is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def first(*values: int | None) -> int | None:
    return next((v for v in values if v is not None), None)


def mapping(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def records(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
