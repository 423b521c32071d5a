"""Messages and numbers in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from ksales.domain.language import Language

#: A page's messages: a translation per message id, or per CLDR plural category for a plural message.
Dictionary = dict[str, str | dict[str, str]]


class Translator(Protocol):
    """One language: its messages (with `{name}` placeholders filled) and its CLDR formats."""

    @property
    def language(self) -> Language: ...

    def gettext(self, message: str, **values: object) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str: ...

    def money(self, amount: Decimal | int, currency: str) -> str:
        """Always with 2 decimals: `2 585 002,20 ₴` / `₴2,585,002.20`."""
        ...

    def number(self, value: Decimal | int, max_decimals: int = 0) -> str: ...

    def percent(self, value: Decimal | None, signed: bool = False) -> str:
        """`value` in percent (12.5 → `12,50%`); `—` for None."""
        ...

    def day(self, day: date) -> str:
        """`2 груд. 2026 р.` / `Dec 2, 2026`."""
        ...

    def date_range(self, start: date, end: date) -> str: ...

    def moment(self, at: datetime) -> str:
        """A date with its time of day."""
        ...

    def weekday(self, day: date) -> str:
        """The short weekday name: `ср` / `Wed`."""
        ...

    def dictionary(self, scripts: Iterable[Path]) -> Dictionary:
        """The messages these scripts ask for, translated (what the page's `_()` looks up)."""
        ...


class Catalog(Protocol):
    def translator(self, language: Language) -> Translator: ...
