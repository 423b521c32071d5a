from datetime import date

import pytest

from ksales.domain.errors import InvalidParameter
from ksales.domain.filters import Filters
from ksales.domain.periods import Compare, PeriodKind
from ksales.domain.rules import SalesType
from ksales.services.params import (
    Granularity,
    RankBy,
    parse_granularity,
    parse_limit,
    parse_rank_by,
    parse_request,
)

TODAY = date(2026, 11, 26)


def test_nothing_means_today_retail() -> None:
    request = parse_request({}, TODAY)
    assert request.period.kind is PeriodKind.TODAY
    assert request.filters == Filters()
    assert request.compare is Compare.PREVIOUS_PERIOD


def test_named_period_wins_over_dates() -> None:
    request = parse_request({"period": "Week", "start_date": "bogus", "end_date": "2020-01-01"}, TODAY)
    assert (request.period.start, request.period.end) == (date(2026, 11, 23), TODAY)


def test_custom_dates() -> None:
    request = parse_request({"start_date": "2026-11-01", "end_date": "2026-11-15"}, TODAY)
    assert request.period.kind is PeriodKind.CUSTOM
    assert request.period.days == 15


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "2026-11-01"}, "end_date"),
        ({"end_date": "2026-11-01"}, "start_date"),
        ({"start_date": "2026-11-31", "end_date": "2026-12-01"}, "start_date"),
        ({"start_date": "20261101", "end_date": "2026-12-01"}, "start_date"),
        ({"start_date": "2026-11-10", "end_date": "2026-11-01"}, "start_date"),
        ({"start_date": "2000-01-01", "end_date": "2026-11-01"}, "end_date"),
        ({"period": "custom"}, "start_date"),
        ({"period": "'; DROP TABLE orders; --"}, "period"),
        ({"sales_type": "wholesale"}, "sales_type"),
        ({"source_id": "-1"}, "source_id"),
        ({"source_id": "1e3"}, "source_id"),
        ({"category_id": "0"}, "category_id"),
        ({"category_id": "99999999999999999999"}, "category_id"),
        ({"compare": "lastyear"}, "compare"),
        ({"brand": "x" * 201}, "brand"),
    ],
)
def test_bad_input_names_the_field(params: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidParameter) as error:
        parse_request(params, TODAY)
    assert error.value.field == field


def test_empty_values_are_absent_and_enums_case_insensitive() -> None:
    request = parse_request(
        {"period": "", "sales_type": "B2B", "source_id": " ", "brand": "  ", "compare": "YEAR_AGO"}, TODAY
    )
    assert request.period.kind is PeriodKind.TODAY
    assert request.filters == Filters(sales_type=SalesType.B2B)
    assert request.compare is Compare.YEAR_AGO


def test_limits_and_enums() -> None:
    assert parse_limit(None) == 10
    assert parse_limit("50") == 50
    for bad in ("0", "51", "-5", "ten", "9" * 40):
        with pytest.raises(InvalidParameter):
            parse_limit(bad)
    assert parse_granularity("WEEK") is Granularity.WEEK
    assert parse_rank_by("") is RankBy.QUANTITY
    with pytest.raises(InvalidParameter):
        parse_granularity("hour")
    with pytest.raises(InvalidParameter):
        parse_rank_by("margin")
