"""Typed results: the store's aggregates and the report figures built from them (SPEC §6).

Longer than most modules on purpose: these are plain frozen records, one per table or figure of the API,
and the serialiser, the API and the library read them together; split, they would only be re-imported.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attrs import frozen

from ksales.domain.filters import Filters
from ksales.domain.goals import GoalStatus
from ksales.domain.milestones import MilestoneStatus
from ksales.domain.pace import Projection
from ksales.domain.periods import Period

# --- What the store aggregates ---------------------------------------------------------------


@frozen
class Totals:
    orders: int
    revenue: Decimal


@frozen
class DayTotals:
    day: date
    orders: int
    revenue: Decimal


@frozen
class SourceTotals:
    source_id: int
    orders: int
    revenue: Decimal


@frozen
class ProductTotals:
    """Lines grouped by product id (or by line name when the product id is None)."""

    product_id: int | None
    name: str
    quantity: Decimal
    revenue: Decimal


@frozen
class ProductRanking:
    """The top products of a scope by quantity and by revenue (`rank_products`), and the totals over all
    of its products (for share %). Both orders at once: a view shows both, and they share one grouping."""

    by_quantity: tuple[ProductTotals, ...]
    by_revenue: tuple[ProductTotals, ...]
    products: int
    quantity: Decimal
    revenue: Decimal


@frozen
class CategoryTotals:
    """Lines grouped by their product's category (None: no product, or a product with no category)."""

    category_id: int | None
    quantity: Decimal
    revenue: Decimal


@frozen
class CustomerCounts:
    customers: int
    new_customers: int


@frozen
class BrandTotals:
    brand: str
    revenue: Decimal
    quantity: Decimal
    orders: int


@frozen
class BrandBreakdown:
    brands: tuple[BrandTotals, ...]
    unbranded_revenue: Decimal


@frozen
class ExpenseTypeTotals:
    expense_type_id: int | None
    amount: Decimal
    count: int


@frozen
class DayAmount:
    day: date
    amount: Decimal


@frozen
class ExpenseTotals:
    by_type: tuple[ExpenseTypeTotals, ...]
    orders_with_expenses: int
    daily: tuple[DayAmount, ...]


# --- What the reports show ---------------------------------------------------------------------


@frozen
class Comparison:
    start: date
    end: date
    orders: int
    revenue: Decimal
    avg_check: Decimal
    revenue_change_pct: Decimal | None
    orders_change_pct: Decimal | None
    avg_check_change_pct: Decimal | None
    #: The local time of day both ranges stop at on their last day (`"10:42"`) when the period ends today.
    until: str | None = None


@frozen
class Summary:
    period: Period
    filters: Filters
    orders: int
    revenue: Decimal
    avg_check: Decimal
    returns: Totals
    comparison: Comparison | None
    milestones: MilestoneStatus
    projection: Projection | None = None
    goal: GoalStatus | None = None


@frozen
class TrendPoint:
    date: date
    revenue: Decimal
    orders: int


@frozen
class TrendComparison:
    start: date
    end: date
    points: tuple[TrendPoint, ...]


@frozen
class Trend:
    period: Period
    filters: Filters
    granularity: str
    points: tuple[TrendPoint, ...]
    comparison: TrendComparison | None


@frozen
class SourceRow:
    id: int
    name: str
    orders: int
    revenue: Decimal
    share_pct: Decimal


@frozen
class SourceBreakdown:
    period: Period
    filters: Filters
    sources: tuple[SourceRow, ...]
    total_orders: int
    total_revenue: Decimal


@frozen
class ProductRow:
    product_id: int | None
    name: str
    quantity: Decimal
    revenue: Decimal
    share_pct: Decimal


@frozen
class TopProducts:
    period: Period
    filters: Filters
    by: str
    products: tuple[ProductRow, ...]


@frozen
class CategoryRow:
    id: int | None
    name: str
    revenue: Decimal
    quantity: Decimal
    has_children: bool = False


@frozen
class ProductMetrics:
    products: int
    revenue: Decimal
    quantity: Decimal


@frozen
class ProductPerformance:
    period: Period
    filters: Filters
    top_by_revenue: tuple[ProductRow, ...]
    categories: tuple[CategoryRow, ...]
    metrics: ProductMetrics


@frozen
class CategoryRef:
    id: int
    name: str


@frozen
class CategoryBreakdown:
    period: Period
    filters: Filters
    parent: CategoryRef | None
    categories: tuple[CategoryRow, ...]


@frozen
class AovPoint:
    date: date
    aov: Decimal


@frozen
class CustomerInsights:
    period: Period
    filters: Filters
    customers: int
    new_customers: int
    returning_customers: int
    repeat_rate_pct: Decimal
    aov: Decimal
    aov_trend: tuple[AovPoint, ...]


@frozen
class BrandRow:
    brand: str
    revenue: Decimal
    quantity: Decimal
    orders: int
    share_pct: Decimal


@frozen
class BrandMetrics:
    brands: int
    top_brand: str | None
    top_brand_share_pct: Decimal
    unbranded_revenue: Decimal


@frozen
class BrandAnalytics:
    period: Period
    filters: Filters
    top_by_revenue: tuple[BrandRow, ...]
    top_by_quantity: tuple[BrandRow, ...]
    metrics: BrandMetrics


@frozen
class ExpenseTypeRow:
    id: int | None
    name: str
    amount: Decimal
    count: int


@frozen
class ExpensePoint:
    date: date
    amount: Decimal


@frozen
class ExpenseSummary:
    period: Period
    filters: Filters
    expense_type_id: int | None
    total: Decimal
    count: int
    orders_with_expenses: int
    avg_per_order: Decimal
    by_type: tuple[ExpenseTypeRow, ...]
    trend: tuple[ExpensePoint, ...]


@frozen
class ProfitPoint:
    date: date
    revenue: Decimal
    cogs: Decimal
    expenses: Decimal
    profit: Decimal


@frozen
class Profit:
    """Revenue → cost of goods → gross profit → expenses → profit (SPEC §5 "Cost of goods")."""

    period: Period
    filters: Filters
    revenue: Decimal
    cogs: Decimal
    gross_profit: Decimal
    gross_margin_pct: Decimal
    expenses: Decimal
    profit: Decimal
    margin_pct: Decimal
    cost_coverage_pct: Decimal
    trend: tuple[ProfitPoint, ...]


@frozen
class ReportBundle:
    """Everything a full report (the Excel workbook) shows for one period and filter state."""

    summary: Summary
    daily: Trend
    sources: SourceBreakdown
    products: TopProducts
    categories: CategoryBreakdown
    brands: BrandAnalytics
    expenses: ExpenseSummary
    profit: Profit
