"""Periods as the bot shows them, carries them in button data, and reads them from typed text."""

from __future__ import annotations

import re
from datetime import date

from ksales.domain.errors import InvalidPeriod
from ksales.domain.periods import Period, PeriodKind

#: The period buttons, in the order shown (Custom is added separately).
BUTTON_PERIODS: tuple[tuple[PeriodKind, str], ...] = (
    (PeriodKind.TODAY, "Today"),
    (PeriodKind.YESTERDAY, "Yesterday"),
    (PeriodKind.WEEK, "This week"),
    (PeriodKind.LAST_WEEK, "Last week"),
    (PeriodKind.MONTH, "This month"),
    (PeriodKind.LAST_MONTH, "Last month"),
)
LABELS = dict(BUTTON_PERIODS) | {
    PeriodKind.LAST_7_DAYS: "Last 7 days",
    PeriodKind.LAST_28_DAYS: "Last 28 days",
    PeriodKind.CUSTOM: "Custom",
}

_DATE = r"(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2})"
_RANGE = re.compile(rf"^\s*{_DATE}\s*(?:-|–|—|\s|\.\.|to)\s*{_DATE}\s*$", re.IGNORECASE)
_TOKEN = re.compile(r"^c(\d{8})-(\d{8})$")

RANGE_HELP = "Type a range like 01.11.2026-15.11.2026 or 2026-11-01 2026-11-15."


def _date(text: str) -> date:
    try:
        if "." in text:
            day, month, year = (int(p) for p in text.split("."))
        else:
            year, month, day = (int(p) for p in text.split("-"))
        return date(year, month, day)
    except ValueError:
        raise InvalidPeriod("range", f"{text} is not a real calendar date. {RANGE_HELP}") from None


def parse_range(text: str) -> Period:
    """`01.11.2026-15.11.2026` or `2026-11-01 2026-11-15` → a custom period; InvalidPeriod otherwise."""
    match = _RANGE.match(text[:100])
    if match is None:
        raise InvalidPeriod("range", f"I could not read that range. {RANGE_HELP}")
    start, end = _date(match.group(1)), _date(match.group(2))
    if start > end:
        raise InvalidPeriod("range", f"The range starts after it ends. {RANGE_HELP}")
    try:
        return Period.custom(start, end)
    except InvalidPeriod as error:
        raise InvalidPeriod("range", f"{error.message}. {RANGE_HELP}") from None


def encode(period: Period) -> str:
    """A short token for button data: the period name, or `cYYYYMMDD-YYYYMMDD` for a custom range."""
    if period.kind is PeriodKind.CUSTOM:
        return f"c{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return period.kind.value


def decode(token: str, today: date) -> Period:
    """The period a button token stands for, as seen today (named periods move with the calendar)."""
    match = _TOKEN.match(token)
    if match is None:
        return Period.named(token, today)
    start, end = (date(int(t[:4]), int(t[4:6]), int(t[6:])) for t in match.groups())
    return Period.custom(start, end)


def describe(period: Period) -> str:
    """`This month (01.11.2026 – 15.11.2026)` or `01.11.2026` for a single day."""
    dates = f"{period.start:%d.%m.%Y}"
    if period.end != period.start:
        dates += f" – {period.end:%d.%m.%Y}"
    if period.kind is PeriodKind.CUSTOM:
        return dates
    return f"{LABELS[period.kind]} ({dates})"
