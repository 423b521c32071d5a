"""`to_json` and `from_json` are one serialiser pair: every report result reads back equal, both ways."""

from __future__ import annotations

import json
import types
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Union, get_args, get_origin, get_type_hints

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ksales.domain import customers, results, weekly
from ksales.domain.filters import Filters
from ksales.domain.periods import Period, PeriodKind
from ksales.domain.rules import SalesType
from ksales.entrypoints.serialize import UnreadableJson, from_json, to_json

#: Every report result the API answers with (the store's aggregates are not serialised).
REPORTS = [
    results.Summary,
    results.Trend,
    results.SourceBreakdown,
    results.TopProducts,
    results.ProductPerformance,
    results.CategoryBreakdown,
    results.CustomerInsights,
    results.BrandAnalytics,
    results.ExpenseSummary,
    results.Profit,
    results.ReportBundle,
    results.DayAmount,
    customers.CohortReport,
    customers.SegmentReport,
    customers.CustomerList,
    weekly.WeeklyReport,
]

texts = st.text(alphabet="abcАБВ єї '\"-", max_size=6)
ids = st.integers(1, 2**53)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start = draw(st.dates(date(2015, 1, 1), date(2035, 1, 1)))
    return Period(start, start + timedelta(days=draw(st.integers(0, 400))), draw(st.sampled_from(PeriodKind)))


filters = st.builds(
    Filters,
    sales_type=st.sampled_from(SalesType),
    source_id=st.none() | ids,
    category_id=st.none() | ids,
    brand=st.none() | st.text(alphabet="Acme Öko", min_size=1, max_size=8),
)


def amounts(name: str) -> st.SearchStrategy[Decimal]:
    places = 3 if name == "quantity" else 2
    return st.decimals(-(10**9), 10**9, places=places, allow_nan=False, allow_infinity=False)


def value_of(kind: Any, name: str) -> st.SearchStrategy[Any]:
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        inner = next(k for k in get_args(kind) if k is not type(None))
        return st.none() | value_of(inner, name)
    if origin is tuple:
        return st.lists(value_of(get_args(kind)[0], name), max_size=3).map(tuple)
    if kind is Period:
        return periods()
    if kind is Filters:
        return filters
    if attrs.has(kind):
        hints = get_type_hints(kind)
        return st.builds(kind, **{f.name: value_of(hints[f.name], f.name) for f in attrs.fields(kind)})
    if kind is Decimal:
        return amounts(name)
    if kind is date:
        return st.dates(date(2015, 1, 1), date(2035, 1, 1))
    if kind is datetime:
        return st.datetimes(datetime(2015, 1, 1), datetime(2035, 1, 1))
    if isinstance(kind, type) and issubclass(kind, Enum):
        return st.sampled_from(kind)
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.integers(-(2**53), 2**53)
    assert kind is str, kind
    return texts


@pytest.mark.parametrize("kind", REPORTS, ids=lambda k: k.__name__)
@given(data=st.data())
def test_a_result_reads_back_equal(kind: type, data: st.DataObject) -> None:
    result = data.draw(value_of(kind, ""))
    written = json.loads(json.dumps(to_json(result)))  # through real JSON text, as over HTTP
    assert from_json(kind, written) == result
    assert to_json(from_json(kind, written)) == written


def test_keys_the_type_does_not_know_are_ignored_and_missing_ones_refused() -> None:
    body = {"date": "2026-12-01", "amount": 12.5, "limit": 10}
    assert from_json(results.DayAmount, body) == results.DayAmount(date(2026, 12, 1), Decimal("12.5"))
    with pytest.raises(UnreadableJson):
        from_json(results.DayAmount, {"date": "2026-12-01"})
    with pytest.raises(UnreadableJson):
        from_json(results.DayAmount, {"date": "2026-12-01", "amount": "many" and True})
