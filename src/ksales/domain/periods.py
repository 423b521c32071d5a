"""Reporting periods and the ranges they are compared with (SPEC §5)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from enum import StrEnum

from attrs import frozen

from ksales.domain.errors import InvalidPeriod

#: Longest custom range, counting both ends.
MAX_DAYS = 3660
#: Dates outside this window are rejected as out of range (no shop has orders there).
EARLIEST = date(1970, 1, 1)
LATEST = date(2999, 12, 31)


class PeriodKind(StrEnum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    WEEK = "week"
    LAST_WEEK = "last_week"
    MONTH = "month"
    LAST_MONTH = "last_month"
    LAST_7_DAYS = "last_7_days"
    LAST_28_DAYS = "last_28_days"
    CUSTOM = "custom"


class Compare(StrEnum):
    PREVIOUS_PERIOD = "previous_period"
    YEAR_AGO = "year_ago"
    NONE = "none"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _previous_month_start(day: date) -> date:
    return _month_start(_month_start(day) - timedelta(days=1))


def shift_year(day: date, years: int = -1) -> date:
    """The same calendar day `years` away; 29 Feb becomes 28 Feb in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, _days_in_month(year, day.month)))


@frozen
class Period:
    """An inclusive range of shop-local dates, remembering which named period it came from."""

    start: date
    end: date
    kind: PeriodKind = PeriodKind.CUSTOM

    def __attrs_post_init__(self) -> None:
        if self.start > self.end:
            raise InvalidPeriod("start_date", "start_date must not be after end_date")

    @classmethod
    def named(cls, kind: PeriodKind | str, today: date) -> Period:
        """Build a named period as seen on `today`."""
        try:
            kind = PeriodKind(str(kind).lower())
        except ValueError:
            names = ", ".join(k.value for k in PeriodKind if k is not PeriodKind.CUSTOM)
            raise InvalidPeriod("period", f"unknown period {str(kind)[:40]!r}; use one of {names}") from None
        monday = today - timedelta(days=today.weekday())
        match kind:
            case PeriodKind.TODAY:
                start, end = today, today
            case PeriodKind.YESTERDAY:
                start = end = today - timedelta(days=1)
            case PeriodKind.WEEK:
                start, end = monday, today
            case PeriodKind.LAST_WEEK:
                start, end = monday - timedelta(days=7), monday - timedelta(days=1)
            case PeriodKind.MONTH:
                start, end = _month_start(today), today
            case PeriodKind.LAST_MONTH:
                start, end = _previous_month_start(today), _month_start(today) - timedelta(days=1)
            case PeriodKind.LAST_7_DAYS:
                start, end = today - timedelta(days=6), today
            case PeriodKind.LAST_28_DAYS:
                start, end = today - timedelta(days=27), today
            case PeriodKind.CUSTOM:
                raise InvalidPeriod("period", "a custom period needs start_date and end_date")
        return cls(start, end, kind)

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        """A validated custom range: start ≤ end, within range, at most MAX_DAYS days."""
        for name, value in (("start_date", start), ("end_date", end)):
            if not EARLIEST <= value <= LATEST:
                raise InvalidPeriod(name, f"{name} must be between {EARLIEST} and {LATEST}")
        if start > end:
            raise InvalidPeriod("start_date", "start_date must not be after end_date")
        if (end - start).days + 1 > MAX_DAYS:
            raise InvalidPeriod("end_date", f"a range may span at most {MAX_DAYS} days")
        return cls(start, end, PeriodKind.CUSTOM)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> Iterator[date]:
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def previous(self) -> Period:
        """The range this period is compared with by default (`compare=previous_period`)."""
        match self.kind:
            case PeriodKind.LAST_MONTH:
                start = _previous_month_start(self.start)
                end = self.start - timedelta(days=1)
            case PeriodKind.MONTH:
                # To-date: the same elapsed days of the previous month, clamped to its length.
                start = _previous_month_start(self.start)
                end = start.replace(day=min(self.end.day, _days_in_month(start.year, start.month)))
            case PeriodKind.WEEK | PeriodKind.LAST_WEEK:
                start, end = self.start - timedelta(days=7), self.end - timedelta(days=7)
            case _:
                end = self.start - timedelta(days=1)
                start = end - timedelta(days=self.days - 1)
        return Period(start, end, PeriodKind.CUSTOM)

    def year_ago(self) -> Period:
        """Both ends shifted back one calendar year."""
        return Period(shift_year(self.start), shift_year(self.end), PeriodKind.CUSTOM)

    def comparison(self, compare: Compare) -> Period | None:
        match compare:
            case Compare.PREVIOUS_PERIOD:
                return self.previous()
            case Compare.YEAR_AGO:
                return self.year_ago()
            case Compare.NONE:
                return None


def parse_compare(value: str | None) -> Compare:
    if not value:
        return Compare.PREVIOUS_PERIOD
    try:
        return Compare(value.lower())
    except ValueError:
        raise InvalidPeriod(
            "compare", f"unknown comparison {value[:40]!r}; use previous_period, year_ago or none"
        ) from None
