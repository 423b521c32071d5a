"""The compiled catalogs in `ksales/locale/` and Babel's CLDR formats, one `BabelTranslator` per language."""

from __future__ import annotations

import copy
import gettext
import threading
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.numbers import format_decimal
from babel.support import Translations

from ksales.domain.language import Language
from ksales.ports.language import Dictionary

LOCALE_DIR = Path(__file__).resolve().parent.parent.parent / "locale"
DOMAIN = "messages"

#: CLDR's narrow currency signs. Babel ships only the standard symbol, which is `UAH` in English,
#: where the team expects `₴2,585,002.20`.
NARROW_SIGNS = {"UAH": "₴", "USD": "$", "EUR": "€", "PLN": "zł", "GBP": "£"}

#: Numbers enough to meet every plural category of our languages (11–14, 21, 101, …).
_PLURAL_SAMPLES = range(200)


class BabelTranslator:
    """Implements `Translator` with a gettext catalog and Babel's CLDR data for the language."""

    def __init__(self, language: Language, translations: gettext.NullTranslations) -> None:
        self._language = language
        self._translations = translations
        self._locale = Locale.parse(language.value)
        percent = copy.copy(self._locale.percent_formats[None])
        percent.frac_prec = (2, 2)
        self._percent = percent
        self._dictionaries: dict[tuple[Path, ...], Dictionary] = {}

    @property
    def language(self) -> Language:
        return self._language

    def gettext(self, message: str, **values: object) -> str:
        text = self._translations.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        text = self._translations.ngettext(singular, plural, n)
        return text.format(**values) if values else text

    def money(self, amount: Decimal | int, currency: str) -> str:
        pattern = self._locale.currency_formats["standard"]
        sign = NARROW_SIGNS.get(currency)
        if sign is None:
            return str(pattern.apply(Decimal(amount), self._locale, currency=currency, currency_digits=False))
        literal = pattern.pattern.replace("¤", f"'{sign}'")
        return format_decimal(Decimal(amount), literal, locale=self._locale)

    def number(self, value: Decimal | int, max_decimals: int = 0) -> str:
        pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
        return format_decimal(Decimal(value), pattern, locale=self._locale)

    def percent(self, value: Decimal | None, signed: bool = False) -> str:
        if value is None:
            return "—"
        text = self._percent.apply(Decimal(value) / 100, self._locale)
        return f"+{text}" if signed and value > 0 else text

    def day(self, day: date) -> str:
        return format_date(day, "medium", locale=self._locale)

    def date_range(self, start: date, end: date) -> str:
        if start == end:
            return self.day(start)
        return format_interval(start, end, "yMMMd", locale=self._locale)

    def moment(self, at: datetime) -> str:
        return f"{self.day(at.date())} {format_time(at, 'HH:mm', locale=self._locale)}"

    def weekday(self, day: date) -> str:
        return format_date(day, "EEE", locale=self._locale)

    def plural_forms(self, singular: str, plural: str) -> dict[str, str]:
        """A plural message's forms by CLDR category (`one`, `few`, `many`, `other`): `Intl.PluralRules`."""
        forms = {
            self._locale.plural_form(n): self._translations.ngettext(singular, plural, n)
            for n in _PLURAL_SAMPLES
        }
        forms.setdefault("other", self._translations.ngettext(singular, plural, 5))
        return forms

    def dictionary(self, scripts: Iterable[Path]) -> Dictionary:
        """Read once per set of scripts (they are the package's own files)."""
        key = tuple(scripts)
        if key not in self._dictionaries:
            self._dictionaries[key] = self._read_dictionary(key)
        return self._dictionaries[key]

    def _read_dictionary(self, scripts: Iterable[Path]) -> Dictionary:
        found: Dictionary = {}
        for script in scripts:
            with script.open("rb") as source:
                for _line, message, _comments, _context in extract("javascript", source, DEFAULT_KEYWORDS):
                    if isinstance(message, tuple):
                        singular, plural = message[0], message[1]
                        if singular and plural:
                            found[singular] = self.plural_forms(singular, plural)
                    elif message:
                        found[message] = self._translations.gettext(message)
        return found


class BabelCatalog:
    """Implements `Catalog`: the compiled `.mo` catalogs under `directory`, each loaded once."""

    def __init__(self, directory: Path = LOCALE_DIR) -> None:
        self.directory = directory
        self._loaded: dict[Language, BabelTranslator] = {}
        self._lock = threading.Lock()

    def translator(self, language: Language) -> BabelTranslator:
        with self._lock:
            if language not in self._loaded:
                # English is the language of the message ids: without a catalog gettext answers with them.
                translations = Translations.load(str(self.directory), [language.value], DOMAIN)
                self._loaded[language] = BabelTranslator(language, translations)
            return self._loaded[language]
