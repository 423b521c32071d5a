from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ksales.domain.errors import InvalidPeriod
from ksales.domain.periods import MAX_DAYS, Compare, Period, PeriodKind, shift_year

MONDAY = date(2026, 11, 23)
SUNDAY = date(2026, 11, 29)


@pytest.mark.parametrize(
    ("kind", "today", "start", "end"),
    [
        ("today", MONDAY, MONDAY, MONDAY),
        ("yesterday", MONDAY, date(2026, 11, 22), date(2026, 11, 22)),
        ("yesterday", date(2026, 3, 1), date(2026, 2, 28), date(2026, 2, 28)),
        ("yesterday", date(2028, 3, 1), date(2028, 2, 29), date(2028, 2, 29)),
        ("week", MONDAY, MONDAY, MONDAY),
        ("week", SUNDAY, MONDAY, SUNDAY),
        ("last_week", MONDAY, date(2026, 11, 16), date(2026, 11, 22)),
        ("last_week", SUNDAY, date(2026, 11, 16), date(2026, 11, 22)),
        ("last_week", date(2026, 1, 1), date(2025, 12, 22), date(2025, 12, 28)),
        ("month", date(2026, 11, 1), date(2026, 11, 1), date(2026, 11, 1)),
        ("month", date(2026, 11, 26), date(2026, 11, 1), date(2026, 11, 26)),
        ("last_month", date(2026, 3, 1), date(2026, 2, 1), date(2026, 2, 28)),
        ("last_month", date(2026, 1, 15), date(2025, 12, 1), date(2025, 12, 31)),
        ("last_month", date(2028, 3, 31), date(2028, 2, 1), date(2028, 2, 29)),
        ("last_7_days", date(2026, 3, 29), date(2026, 3, 23), date(2026, 3, 29)),
        ("last_28_days", date(2026, 3, 1), date(2026, 2, 2), date(2026, 3, 1)),
        ("LAST_28_DAYS", date(2026, 3, 1), date(2026, 2, 2), date(2026, 3, 1)),
    ],
)
def test_named_periods(kind: str, today: date, start: date, end: date) -> None:
    period = Period.named(kind, today)
    assert (period.start, period.end) == (start, end)
    assert period.kind == kind.lower()


def test_unknown_period_names_the_field() -> None:
    with pytest.raises(InvalidPeriod) as error:
        Period.named("fortnight", MONDAY)
    assert error.value.field == "period"


@pytest.mark.parametrize(
    ("kind", "today", "start", "end"),
    [
        # to-date periods compare with the same elapsed days of the unit before
        ("month", date(2026, 11, 26), date(2026, 10, 1), date(2026, 10, 26)),
        ("month", date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28)),
        ("month", date(2028, 3, 30), date(2028, 2, 1), date(2028, 2, 29)),
        ("month", date(2026, 1, 10), date(2025, 12, 1), date(2025, 12, 10)),
        ("week", date(2026, 11, 25), date(2026, 11, 16), date(2026, 11, 18)),
        # calendar periods compare with the calendar unit before them
        ("last_month", date(2026, 3, 15), date(2026, 1, 1), date(2026, 1, 31)),
        ("last_month", date(2026, 4, 2), date(2026, 2, 1), date(2026, 2, 28)),
        ("last_week", MONDAY, date(2026, 11, 9), date(2026, 11, 15)),
        # the rest: equal length, ending the day before
        ("today", MONDAY, date(2026, 11, 22), date(2026, 11, 22)),
        ("yesterday", MONDAY, date(2026, 11, 21), date(2026, 11, 21)),
        ("last_7_days", MONDAY, date(2026, 11, 10), date(2026, 11, 16)),
        ("last_28_days", MONDAY, date(2026, 9, 29), date(2026, 10, 26)),
    ],
)
def test_previous_period(kind: str, today: date, start: date, end: date) -> None:
    previous = Period.named(kind, today).comparison(Compare.PREVIOUS_PERIOD)
    assert previous is not None
    assert (previous.start, previous.end) == (start, end)


def test_custom_previous_is_equal_length_before() -> None:
    previous = Period.custom(date(2026, 11, 10), date(2026, 11, 19)).previous()
    assert (previous.start, previous.end) == (date(2026, 10, 31), date(2026, 11, 9))


def test_year_ago_clamps_29_february() -> None:
    period = Period.custom(date(2028, 2, 29), date(2028, 2, 29))
    assert period.year_ago() == Period(date(2027, 2, 28), date(2027, 2, 28))
    assert shift_year(date(2026, 11, 26)) == date(2025, 11, 26)


def test_compare_none() -> None:
    assert Period.named("today", MONDAY).comparison(Compare.NONE) is None


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2026, 11, 2), date(2026, 11, 1), "start_date"),
        (date(1, 1, 1), date(2026, 1, 1), "start_date"),
        (date(2000, 1, 1), date(2026, 1, 1), "end_date"),
    ],
)
def test_custom_validation(start: date, end: date, field: str) -> None:
    with pytest.raises(InvalidPeriod) as error:
        Period.custom(start, end)
    assert error.value.field == field


def test_longest_custom_range() -> None:
    start = date(2016, 1, 1)
    assert Period.custom(start, date.fromordinal(start.toordinal() + MAX_DAYS - 1)).days == MAX_DAYS


@given(
    st.dates(min_value=date(1971, 1, 1), max_value=date(2900, 1, 1)),
    st.sampled_from([k for k in PeriodKind if k is not PeriodKind.CUSTOM]),
)
def test_named_periods_hold_together(today: date, kind: PeriodKind) -> None:
    period = Period.named(kind, today)
    assert period.start <= period.end <= today
    previous = period.previous()
    assert previous.end < period.start
    assert previous.days <= period.days + 3  # months differ by at most three days
    if kind not in (PeriodKind.MONTH, PeriodKind.LAST_MONTH):
        assert previous.days == period.days
    year_ago = period.year_ago()
    assert year_ago.start <= year_ago.end
