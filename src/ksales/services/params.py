"""Turning raw request parameters (query strings, CLI flags, bot input) into a validated request."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from attrs import frozen

from ksales.domain.errors import InvalidParameter, InvalidPeriod
from ksales.domain.filters import Filters, parse_id, parse_sales_type
from ksales.domain.periods import Compare, Period, PeriodKind, parse_compare
from ksales.domain.ranking import RankBy
from ksales.domain.trend import Granularity

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_BRAND_LENGTH = 200


@frozen
class ReportRequest:
    """A period, the filters and the comparison a report is asked for."""

    period: Period
    filters: Filters = Filters()
    compare: Compare = Compare.PREVIOUS_PERIOD


#: The string parameters a report request is parsed from (the API's query, the CLI's options, the library).
REPORT_PARAMETERS = (
    "period",
    "start_date",
    "end_date",
    "sales_type",
    "source_id",
    "category_id",
    "brand",
    "compare",
)


def _value(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def parse_date(name: str, value: str) -> date:
    if not _ISO_DATE.match(value):
        raise InvalidPeriod(name, f"{name} must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidPeriod(name, f"{name} is not a real calendar date") from None


def parse_period(params: Mapping[str, str], today: date) -> Period:
    """A named period wins over dates; nothing given means today; one date alone is an error."""
    name = _value(params, "period")
    start = _value(params, "start_date")
    end = _value(params, "end_date")
    if name is not None and name.lower() != PeriodKind.CUSTOM:
        return Period.named(name, today)
    if start is None and end is None:
        if name is not None:
            raise InvalidPeriod("start_date", "a custom period needs start_date and end_date")
        return Period.named(PeriodKind.TODAY, today)
    if start is None:
        raise InvalidPeriod("start_date", "start_date is required with end_date")
    if end is None:
        raise InvalidPeriod("end_date", "end_date is required with start_date")
    return Period.custom(parse_date("start_date", start), parse_date("end_date", end))


def parse_filters(params: Mapping[str, str]) -> Filters:
    brand = _value(params, "brand")
    if brand is not None and len(brand) > MAX_BRAND_LENGTH:
        raise InvalidParameter("brand", f"brand may be at most {MAX_BRAND_LENGTH} characters")
    return Filters(
        sales_type=parse_sales_type(_value(params, "sales_type")),
        source_id=parse_id("source_id", _value(params, "source_id")),
        category_id=parse_id("category_id", _value(params, "category_id")),
        brand=brand,
    )


def parse_request(params: Mapping[str, str], today: date) -> ReportRequest:
    """Period, filters and comparison from string parameters (first value of each, already picked)."""
    return ReportRequest(
        period=parse_period(params, today),
        filters=parse_filters(params),
        compare=parse_compare(_value(params, "compare")),
    )


def parse_limit(value: str | None, *, default: int = 10, maximum: int = 50, name: str = "limit") -> int:
    if value is None or not value.strip():
        return default
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6 or not 1 <= int(text) <= maximum:
        raise InvalidParameter(name, f"{name} must be an integer from 1 to {maximum}")
    return int(text)


def parse_granularity(value: str | None) -> Granularity:
    if value is None or not value.strip():
        return Granularity.DAY
    try:
        return Granularity(value.strip().lower())
    except ValueError:
        raise InvalidParameter("granularity", "granularity must be one of day, week, month") from None


def parse_rank_by(value: str | None) -> RankBy:
    if value is None or not value.strip():
        return RankBy.QUANTITY
    try:
        return RankBy(value.strip().lower())
    except ValueError:
        raise InvalidParameter("by", "by must be one of quantity, revenue") from None
