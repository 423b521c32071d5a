"""The analytics store: order writes in transactions, dictionaries, and every dashboard aggregate."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Protocol

from attrs import field, frozen

from ksales.domain.customers import CohortFacts, CustomerFacts, Segment, SegmentTotals
from ksales.domain.filters import Scope
from ksales.domain.goals import MonthlyGoal
from ksales.domain.inventory import StockDay
from ksales.domain.margin import CostGroup, LineCosts
from ksales.domain.model import Category, Dictionaries, ExpenseType, Order, Product, Source, Status
from ksales.domain.quality import DataQualityCounts
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
from ksales.domain.rules import SalesType
from ksales.domain.stock import StockSnapshot
from ksales.domain.weekly import CustomerRevenue


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
    def data_version(self) -> int:
        """A number that changes with every write that changes what the reads answer (orders, dictionaries,
        snapshots, goals; not meta alone, nor an apply that changed nothing): an answer computed from the
        store stays true while it does not change (read-side memos are keyed by it)."""
        ...

    def get_meta(self, key: str) -> str | None: ...

    def get_order(self, order_id: int) -> Order | None: ...

    def order_count(self) -> int:
        """Every stored order, canceled ones too."""
        ...

    def order_ids_placed_between(self, start: datetime, end: datetime) -> frozenset[int]:
        """Ids of stored orders whose placement time (ordered_at, else created_at) is in [start, end)."""
        ...

    def monthly_order_counts(self) -> dict[date, int]:
        """Stored orders (every status) per UTC calendar month of placement, keyed by its first day."""
        ...

    def data_quality(self) -> DataQualityCounts:
        """Orders without lines, lines without a product or a purchase price, ids missing from the
        dictionaries (each id list sorted)."""
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

    def product_ranking(self, scope: Scope, limit: int) -> ProductRanking:
        """The first `limit` products by quantity and by revenue (`rank_products`), with totals over all
        products."""
        ...

    def category_totals(self, scope: Scope) -> list[CategoryTotals]: ...

    def customer_counts(self, scope: Scope) -> CustomerCounts: ...

    def customer_revenue(self, scope: Scope) -> CustomerRevenue:
        """Revenue (as `totals` counts it) of counted orders of new and of returning buyers."""
        ...

    def brand_breakdown(self, scope: Scope) -> BrandBreakdown: ...

    def expense_totals(self, scope: Scope, expense_type_id: int | None = None) -> ExpenseTotals:
        """Paid expenses of every non-excluded order of the scope, canceled orders included."""
        ...

    # --- customers (SPEC §5 Cohorts, Segments) -------------------------------------------------
    def cohort_facts(self, scope: Scope) -> CohortFacts:
        """Cohorts (month of the first counted order ever) starting in the scope's range, sizes unfiltered;
        the customers active per cohort and month after it up to the scope's end, under its filters."""
        ...

    def time_to_second_order(self, start: date, end: date) -> Decimal | None:
        """`median_days` of the days from first to second counted order (all history, every sales type
        and source) of the buyers whose second counted order falls in [start, end]; None when none did."""
        ...

    def segment_totals(self, as_of: date, sales_type: SalesType) -> list[SegmentTotals]:
        """Every segment of SPEC §5 (zero rows included, in its order) over counted orders up to `as_of`."""
        ...

    def customer_facts(
        self, as_of: date, sales_type: SalesType, segment: Segment | None, limit: int
    ) -> list[CustomerFacts]:
        """The customers (of one segment, or all) by revenue desc, buyer id; contacts of the latest order."""
        ...

    def customers_entering(self, segment: Segment, before: date, as_of: date, sales_type: SalesType) -> int:
        """How many customers are in `segment` as of `as_of` and were not in it as of `before`."""
        ...

    def line_costs(self, scope: Scope, by: CostGroup) -> list[LineCosts]:
        """Line revenue, revenue of lines with a known cost and their cost (COGS) over the counted orders'
        matching lines, per business day, product (id; line name without one), category id or brand key;
        in `cost_sort_key` order, groups without lines left out."""
        ...

    # --- pace and goals (SPEC §5) -------------------------------------------------------------
    def totals_until(self, scope: Scope, until: time, canceled: bool = False) -> Totals:
        """`totals` (canceled: `returns`) with the last day cut: orders placed before local `until`."""
        ...

    def daily_before(self, scope: Scope, until: time) -> list[DayTotals]:
        """`daily` counting, on every day, only the orders placed before local time of day `until`."""
        ...

    def goals(self) -> list[MonthlyGoal]:
        """The goals admins set, by month and sales type."""
        ...

    def set_goal(self, goal: MonthlyGoal) -> None:
        """Keep an admin's goal, replacing that month's goal for its sales type."""
        ...

    def delete_goal(self, month: date, sales_type: SalesType) -> bool:
        """Forget an admin's goal; False when there was none."""
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
