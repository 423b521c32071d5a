"""Periods as the bot shows them, carries them in button data, and reads them from typed text."""

from __future__ import annotations

import re
from datetime import date

from attrs import define, field

from ksales.domain.errors import InvalidPeriod
from ksales.domain.language import N_
from ksales.domain.names import PERIOD_NAMES
from ksales.domain.periods import EARLIEST, LATEST, MAX_DAYS, Period, PeriodKind
from ksales.ports.language import Translator

#: The period buttons, in the order shown (Custom is added separately).
LABELS = PERIOD_NAMES
BUTTON_PERIODS: tuple[tuple[PeriodKind, str], ...] = tuple(
    (kind, LABELS[kind])
    for kind in (
        PeriodKind.TODAY,
        PeriodKind.YESTERDAY,
        PeriodKind.WEEK,
        PeriodKind.LAST_WEEK,
        PeriodKind.MONTH,
        PeriodKind.LAST_MONTH,
    )
)

_DATE = r"(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2})"
_RANGE = re.compile(rf"^\s*{_DATE}\s*(?:-|–|—|\s|\.\.|to)\s*{_DATE}\s*$", re.IGNORECASE)
_TOKEN = re.compile(r"^c(\d{8})-(\d{8})$")

RANGE_HELP = N_("Type a range like 01.11.2026-15.11.2026 or 2026-11-01 2026-11-15.")


@define
class UnreadableRange(InvalidPeriod):
    """A typed range the bot refuses; `reason` is a catalog message with `values` for its placeholders."""

    reason: str = ""
    values: dict[str, object] = field(factory=dict)

    def explain(self, t: Translator) -> str:
        """The refusal in the reader's language, with how to type a range."""
        return f"{t.gettext(self.reason, **self.values)} {t.gettext(RANGE_HELP)}"


def _refuse(reason: str, **values: object) -> UnreadableRange:
    english = reason.format(**values)
    return UnreadableRange("range", f"{english} {RANGE_HELP}", reason, values)


def _date(text: str) -> date:
    try:
        if "." in text:
            day, month, year = (int(p) for p in text.split("."))
        else:
            year, month, day = (int(p) for p in text.split("-"))
        return date(year, month, day)
    except ValueError:
        raise _refuse(N_("{text} is not a real calendar date."), text=text) from None


def parse_range(text: str) -> Period:
    """`01.11.2026-15.11.2026` or `2026-11-01 2026-11-15` → a custom period; UnreadableRange otherwise."""
    match = _RANGE.match(text[:100])
    if match is None:
        raise _refuse(N_("I could not read that range."))
    start, end = _date(match.group(1)), _date(match.group(2))
    if start > end:
        raise _refuse(N_("The range starts after it ends."))
    if not (start >= EARLIEST and end <= LATEST):
        raise _refuse(
            N_("Dates must be between {earliest} and {latest}."),
            earliest=f"{EARLIEST:%d.%m.%Y}",
            latest=f"{LATEST:%d.%m.%Y}",
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise _refuse(N_("A range may span at most {days} days."), days=MAX_DAYS)
    return Period.custom(start, end)


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


def describe(t: Translator, period: Period) -> str:
    """`This month (Nov 1 – 15, 2026)`, or only the dates for a custom range."""
    dates = t.date_range(period.start, period.end)
    if period.kind is PeriodKind.CUSTOM:
        return dates
    return f"{t.gettext(LABELS[period.kind])} ({dates})"
