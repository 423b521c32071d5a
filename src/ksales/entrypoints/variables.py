"""How the text of an environment variable becomes a typed setting: the parsers of the settings table.

Each parser takes the variable's name and its text (stripped) and returns the value, or raises
ConfigError naming the variable, so that a bad value stops start-up with one clear line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from attrs import field, frozen

from ksales.domain.errors import ConfigError, InvalidFilter
from ksales.domain.filters import parse_sales_type
from ksales.domain.goals import MonthlyGoal
from ksales.domain.schedule import WEEKDAYS, WeeklySlot

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

#: Where a Settings field keeps its row of the table.
VARIABLE = "ksales.variable"


@frozen(repr=False)
class Secret:
    """A value that never shows up in logs or reprs."""

    value: str

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


@frozen
class Variable:
    """One row of the settings table: an environment variable and the parser of its text.

    Unset or blank leaves the field's default; with `blank_is_empty` a blank value is parsed (an empty list).
    """

    name: str
    parse: Callable[[str, str], Any]
    blank_is_empty: bool = False

    def given(self, raw: str) -> bool:
        """Whether this text sets the variable (rather than leaving the default)."""
        return self.blank_is_empty or bool(raw.strip())

    def read(self, raw: str) -> Any:
        return self.parse(self.name, raw.strip())


def setting(name: str, parse: Callable[[str, str], T], default: T, *, blank_is_empty: bool = False) -> Any:
    """A Settings field read from the variable `name` by `parse`, with its one default."""
    return field(default=default, metadata={VARIABLE: Variable(name, parse, blank_is_empty)})


def derived_setting(name: str, parse: Callable[[str, str], T], factory: Callable[[], T]) -> Any:
    """A Settings field read from `name`, made by `factory` when unset (it may depend on other settings)."""
    return field(factory=factory, metadata={VARIABLE: Variable(name, parse)})


# --- parsers ----------------------------------------------------------------------------------


def text(name: str, value: str) -> str:
    return value


def secret(name: str, value: str) -> Secret:
    return Secret(value)


def path(name: str, value: str) -> Path:
    return Path(value)


def ids(name: str, value: str) -> frozenset[int]:
    found = set()
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isascii() or not part.isdigit():
            raise ConfigError(name, f"expected a comma-separated list of integer ids, got {part[:30]!r}")
        found.add(int(part))
    return frozenset(found)


def integer(minimum: int = 0, maximum: int | None = None) -> Callable[[str, str], int]:
    """A parser of whole numbers from `minimum` to `maximum`."""

    def parse(name: str, value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(name, f"expected an integer, got {value[:30]!r}") from None
        if number < minimum:
            raise ConfigError(name, f"must be at least {minimum}")
        if maximum is not None and number > maximum:
            raise ConfigError(name, f"must be at most {maximum}")
        return number

    return parse


def _amount(name: str, value: str, what: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ConfigError(name, f"expected {what}, got {value[:40]!r}") from None
    if not amount.is_finite() or amount <= 0:
        raise ConfigError(name, "amounts must be positive numbers")
    return amount


def amounts(name: str, value: str) -> tuple[Decimal, ...]:
    what = "a comma-separated list of amounts"
    return tuple(_amount(name, part.strip(), what) for part in value.split(",") if part.strip())


def url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(name, f"expected an http(s) URL, got {value[:60]!r}")
    return value.rstrip("/")


def timezone(name: str, value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(name, f"unknown time zone {value[:40]!r}") from None


def currency(name: str, value: str) -> str:
    code = value.upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise ConfigError(name, "expected a three-letter currency code")
    return code


def one_of(*choices: str) -> Callable[[str, str], str]:
    """A parser of one of a few words, case-insensitively."""

    def parse(name: str, value: str) -> str:
        word = value.lower()
        if word not in choices:
            raise ConfigError(name, f"expected {' or '.join(choices)}, got {value[:30]!r}")
        return word

    return parse


def member(enum: type[E]) -> Callable[[str, str], E]:
    """A parser of the values of a StrEnum, case-insensitively."""
    words = one_of(*(m.value for m in enum))

    def parse(name: str, value: str) -> E:
        return enum(words(name, value))

    return parse


def switch(name: str, value: str) -> bool:
    return one_of("on", "off")(name, value) == "on"


_SLOT = re.compile(r"^([a-z]+)\s+(\d{1,2}):(\d{2})$")
_FULL_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Weekday names, three letters or in full, → `date.weekday()`.
_WEEKDAY_NUMBERS = {name: i for names in (WEEKDAYS, _FULL_WEEKDAYS) for i, name in enumerate(names)}


def weekly_slot(name: str, value: str) -> WeeklySlot | None:
    """`mon 09:00` (a weekday, full or three letters, and a 24-hour local time); `off` = none."""
    word = value.lower()
    if word == "off":
        return None
    match = _SLOT.match(word)
    if match is None or match.group(1) not in _WEEKDAY_NUMBERS:
        raise ConfigError(
            name, f"expected a weekday and a time such as 'mon 09:00', or off; got {value[:30]!r}"
        )
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise ConfigError(name, f"{hour}:{minute:02d} is not a time of day")
    return WeeklySlot(_WEEKDAY_NUMBERS[match.group(1)], time(hour, minute))


_GOAL = re.compile(r"^(?:([a-z0-9]+):)?(\d{4})-(\d{2})=(.+)$")


def goals(name: str, value: str) -> tuple[MonthlyGoal, ...]:
    """`2026-12=3500000,b2b:2026-12=900000`: month goals, retail unless a sales type prefixes them."""
    found: dict[tuple[date, str], MonthlyGoal] = {}
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        match = _GOAL.match(part.lower())
        if match is None:
            raise ConfigError(
                name, f"expected goals such as '2026-12=3500000,b2b:2026-12=900000', got {part[:40]!r}"
            )
        prefix, year, month, amount = match.groups()
        try:
            sales_type = parse_sales_type(prefix)
        except InvalidFilter:
            raise ConfigError(name, f"unknown sales type {prefix!r} (retail, b2b or all)") from None
        if int(year) < 1 or not 1 <= int(month) <= 12:
            raise ConfigError(name, f"{year}-{month} is not a month")
        goal = MonthlyGoal(date(int(year), int(month), 1), sales_type, _amount(name, amount, "an amount"))
        key = (goal.month, goal.sales_type.value)
        if key in found:
            raise ConfigError(name, f"two goals for {sales_type.value} in {year}-{month}")
        found[key] = goal
    return tuple(found[key] for key in sorted(found))
