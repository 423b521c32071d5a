"""Typed date ranges and the period tokens carried by buttons."""

from __future__ import annotations

from datetime import date

import pytest

from ksales.domain.errors import InvalidPeriod
from ksales.domain.periods import Period, PeriodKind
from ksales.entrypoints.bot import ranges
from ksales.ports.language import Translator
from tests.i18n import EN, UK, plain

TODAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    "text",
    ["01.11.2026-15.11.2026", "2026-11-01 2026-11-15", " 1.11.2026 – 15.11.2026 ", "2026-11-01-2026-11-15"],
)
def test_typed_ranges(text: str) -> None:
    assert ranges.parse_range(text) == Period.custom(date(2026, 11, 1), date(2026, 11, 15))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("15.11.2026-01.11.2026", "starts after it ends"),
        ("yesterday", "could not read"),
        ("", "could not read"),
        ("30.02.2026-01.03.2026", "not a real calendar date"),
        ("01.01.1900-01.01.1901", "between"),
        ("01.01.2000-01.01.2026", "at most 3660 days"),
        ("1" * 500, "could not read"),
    ],
)
def test_bad_ranges_say_why(text: str, message: str) -> None:
    with pytest.raises(InvalidPeriod, match=message):
        ranges.parse_range(text)


@pytest.mark.parametrize("kind", [k for k in PeriodKind if k is not PeriodKind.CUSTOM])
def test_named_tokens_round_trip(kind: PeriodKind) -> None:
    period = Period.named(kind, TODAY)
    assert ranges.decode(ranges.encode(period), TODAY) == period


def test_custom_tokens_round_trip_and_fit_in_button_data() -> None:
    period = Period.custom(date(2026, 1, 1), date(2026, 12, 31))
    token = ranges.encode(period)
    assert token == "c20260101-20261231"
    assert ranges.decode(token, TODAY) == period
    assert len(f"top:{token}:{2**40}".encode()) <= 64


def test_descriptions() -> None:
    assert plain(ranges.describe(EN, Period.named("today", TODAY))) == "Today (Nov 18, 2026)"
    assert plain(ranges.describe(EN, Period.named("last_week", TODAY))) == "Last week (Nov 9 – 15, 2026)"
    assert plain(ranges.describe(EN, Period.custom(date(2026, 1, 1), date(2026, 1, 2)))) == "Jan 1 – 2, 2026"


def test_descriptions_in_ukrainian() -> None:
    assert ranges.describe(UK, Period.named("today", TODAY)) == "Сьогодні (18 лист. 2026\u202fр.)"
    assert (
        ranges.describe(UK, Period.named("last_week", TODAY)) == "Минулий тиждень (9–15 лист. 2026\u202fр.)"
    )


@pytest.mark.parametrize("translator", [EN, UK], ids=["en", "uk"])
def test_bad_ranges_explain_themselves_in_the_readers_language(translator: Translator) -> None:
    with pytest.raises(ranges.UnreadableRange) as refused:
        ranges.parse_range("15.11.2026-01.11.2026")
    explained = refused.value.explain(translator)
    assert explained == translator.gettext("The range starts after it ends.") + " " + translator.gettext(
        ranges.RANGE_HELP
    )
    assert ("починається" in explained) is (translator is UK)
