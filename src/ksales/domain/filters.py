"""What a report is narrowed to: sales type, source, category, brand."""

from __future__ import annotations

from datetime import date

from attrs import evolve, field, frozen

from ksales.domain.errors import InvalidFilter
from ksales.domain.ids import MAX_ID, id_from_text
from ksales.domain.periods import Period
from ksales.domain.rules import SalesType


def _positive(instance: object, attribute: object, value: int | None) -> None:
    name = getattr(attribute, "name", "id")
    if value is not None and not 0 < value < 2**63:
        raise InvalidFilter(name, f"{name} must be a positive integer")


def _brand(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


@frozen
class Filters:
    """The filters a user chose. Existence of the ids is checked against the store by the service."""

    sales_type: SalesType = SalesType.RETAIL
    source_id: int | None = field(default=None, validator=_positive)
    category_id: int | None = field(default=None, validator=_positive)
    brand: str | None = field(default=None, converter=_brand)

    @property
    def narrows_lines(self) -> bool:
        """Category and brand filters work on order lines, not whole orders."""
        return self.category_id is not None or self.brand is not None


def parse_sales_type(value: str | None) -> SalesType:
    if not value:
        return SalesType.RETAIL
    try:
        return SalesType(value.strip().lower())
    except ValueError:
        raise InvalidFilter("sales_type", "sales_type must be one of retail, b2b, all") from None


def parse_id(name: str, value: str | None) -> int | None:
    """A positive integer id, or None for an absent/empty value."""
    if value is None or not value.strip():
        return None
    number = id_from_text(value.strip())
    if number is None:
        raise InvalidFilter(name, f"{name} must be a positive integer of at most {MAX_ID}")
    return number


@frozen
class Scope:
    """A period and filters resolved for the store: categories expanded to subtrees, brand lower-cased."""

    start: date
    end: date
    sales_type: SalesType = SalesType.RETAIL
    source_id: int | None = None
    category_ids: frozenset[int] | None = None
    brand_key: str | None = None
    #: The category whose subtree `category_ids` is (None when they were given as a set): the store keeps
    #: sums per subtree by its root.
    category_id: int | None = None

    @property
    def narrows_lines(self) -> bool:
        return self.category_ids is not None or self.brand_key is not None

    def over(self, period: Period) -> Scope:
        """The same resolved filters over another period (the range a report is compared with)."""
        return evolve(self, start=period.start, end=period.end)


def brand_key(brand: str) -> str:
    """How brands are compared: case-insensitively, ignoring surrounding spaces."""
    return brand.strip().lower()
