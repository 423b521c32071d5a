"""The analytics store: order writes in transactions, dictionaries, and every dashboard aggregate."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from attrs import field, frozen

from ksales.domain.filters import Scope
from ksales.domain.inventory import StockDay
from ksales.domain.model import Category, Dictionaries, ExpenseType, Order, Product, Source, Status
from ksales.domain.ranking import RankBy
from ksales.domain.results import (
    BrandBreakdown,
    CategoryTotals,
    CustomerCounts,
    DayTotals,
    ExpenseTotals,
    ProductRanking,
    ProductTotals,
    SourceTotals,
    Totals,
)
from ksales.domain.stock import StockSnapshot


@frozen
class OrderChanges:
    """One atomic write: upsert these orders (lines, expenses replaced), delete those ids, set meta keys."""

    upserts: tuple[Order, ...] = ()
    deletions: frozenset[int] = frozenset()
    meta: Mapping[str, str] = field(factory=dict, hash=False)


@frozen
class ApplyResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


class SalesStore(Protocol):
    """Orders and dictionaries, with the aggregate queries behind every report.

    Classification (canceled, counted, sales type, business day) follows the `Rules` the store was
    opened with. Windows are half-open `[start, end)` in UTC; scopes are inclusive local dates.
    """

    # --- writes -------------------------------------------------------------------------------
    def apply(self, changes: OrderChanges) -> ApplyResult:
        """Apply all changes in one transaction: all of them, or none."""
        ...

    def save_dictionaries(self, dictionaries: Dictionaries) -> None:
        """Upsert sources, statuses, expense types, categories and products (one transaction)."""
        ...

    def set_meta(self, values: Mapping[str, str]) -> None: ...

    def save_stock_snapshot(self, snapshot: StockSnapshot) -> None:
        """Store a day's stock (one transaction), replacing that day's snapshot if it was taken before."""
        ...

    # --- reads --------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None: ...

    def get_order(self, order_id: int) -> Order | None: ...

    def order_count(self) -> int:
        """Every stored order, canceled ones too."""
        ...

    def order_ids_placed_between(self, start: datetime, end: datetime) -> frozenset[int]:
        """Ids of stored orders whose placement time (ordered_at, else created_at) is in [start, end)."""
        ...

    def sources(self) -> list[Source]:
        """The CRM's sources plus `Source <id>` for ids seen on orders only; by id."""
        ...

    def statuses(self) -> list[Status]: ...

    def expense_types(self) -> list[ExpenseType]: ...

    def categories(self) -> list[Category]: ...

    def products(self) -> list[Product]: ...

    def brands(self) -> list[str]:
        """Distinct brands (case-insensitive, spelled as on the lowest product id), by name."""
        ...

    def stock_snapshot_days(self) -> list[date]:
        """The days that have a stock snapshot, oldest first."""
        ...

    def stock_snapshot(self, day: date) -> StockSnapshot | None:
        """That day's snapshot (rows by offer id); None when none was taken that day."""
        ...

    def latest_stock_snapshot(self) -> StockSnapshot | None:
        """The snapshot of the latest day that has one."""
        ...

    # --- aggregates (counted orders unless said otherwise) ------------------------------------
    def totals(self, scope: Scope) -> Totals:
        """Orders and revenue (grand totals; matching-line revenue under a line filter)."""
        ...

    def returns(self, scope: Scope) -> Totals:
        """The same over canceled orders."""
        ...

    def daily(self, scope: Scope) -> list[DayTotals]:
        """Totals per business day, days without orders left out."""
        ...

    def source_totals(self, scope: Scope) -> list[SourceTotals]: ...

    def product_totals(self, scope: Scope) -> list[ProductTotals]: ...

    def product_ranking(self, scope: Scope, by: RankBy, limit: int) -> ProductRanking:
        """The first `limit` products ranked by `rank_products`, with totals over all products."""
        ...

    def category_totals(self, scope: Scope) -> list[CategoryTotals]: ...

    def customer_counts(self, scope: Scope) -> CustomerCounts: ...

    def brand_breakdown(self, scope: Scope) -> BrandBreakdown: ...

    def expense_totals(self, scope: Scope, expense_type_id: int | None = None) -> ExpenseTotals:
        """Paid expenses of every non-excluded order of the scope, canceled orders included."""
        ...

    # --- inventory (SPEC §5 Inventory) ------------------------------------------------------------
    def offer_units(self, first: date | None, last: date) -> dict[int, Decimal]:
        """Units per offer id on counted orders' lines (every sales type and source; excluded sources
        left out) of business days `first`…`last` (`first` None: from the start); lines without an offer
        left out."""
        ...

    def stock_trend(self, first: date, last: date) -> list[StockDay]:
        """Per snapshot day of `first`…`last` (missing days left out): available units and value at cost."""
        ...

    def close(self) -> None: ...
