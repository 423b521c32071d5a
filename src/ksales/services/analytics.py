"""The analytics use cases: a request (period, filters, comparison) in, typed report figures out.

One method per report of SPEC §6, each a few lines over the store's queries; kept in one class because the
web API, the bot, the workbook and the library all go through exactly this surface.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from attrs import frozen

from ksales.domain.categories import CategoryTree
from ksales.domain.comparison import compare_totals
from ksales.domain.customers import DEFAULT_MONTHS, CohortReport, CustomerList, Segment, SegmentReport
from ksales.domain.errors import InvalidFilter, InvalidParameter, NotFound
from ksales.domain.filters import Scope, brand_key
from ksales.domain.goals import MonthlyGoal
from ksales.domain.margin import MARGIN_LIMIT_DEFAULT, MarginBreakdown, MarginBy
from ksales.domain.milestones import MilestoneConfig, evaluate
from ksales.domain.model import Category, ExpenseType, Source
from ksales.domain.money import ZERO, average, percent
from ksales.domain.pace import until_label
from ksales.domain.ranking import RankBy
from ksales.domain.results import (
    AovPoint,
    BrandAnalytics,
    BrandMetrics,
    BrandRow,
    BrandTotals,
    CategoryBreakdown,
    CategoryRef,
    CustomerInsights,
    ExpensePoint,
    ExpenseSummary,
    ExpenseTypeRow,
    ProductMetrics,
    ProductPerformance,
    ProductRanking,
    ProductRow,
    Profit,
    ReportBundle,
    SourceBreakdown,
    SourceRow,
    Summary,
    TopProducts,
    Trend,
    TrendComparison,
)
from ksales.domain.rules import Rules
from ksales.domain.trend import Granularity, bucket_points
from ksales.ports.clock import Clock
from ksales.ports.store import SalesStore
from ksales.services import customers, pace
from ksales.services.margin import margin_report, profit_report
from ksales.services.memo import memoised
from ksales.services.params import ReportRequest, parse_request


@frozen
class ScopedRequest:
    """A request whose filters are resolved against the store, ready for the store's queries."""

    request: ReportRequest
    scope: Scope


class AnalyticsService:
    """Every figure of the dashboard, the bot and the library, computed from one SalesStore."""

    def __init__(
        self,
        store: SalesStore,
        rules: Rules,
        milestones: MilestoneConfig,
        clock: Clock,
        goals: Sequence[MonthlyGoal] = (),
    ) -> None:
        #: The store's reads memoised per data version: a view's reports share the figures they have in
        #: common, and requests sent at once compute each of them once (`services/memo.py`).
        self.store = memoised(store)
        self.rules = rules
        self.milestones = milestones
        self.clock = clock
        #: The goals of `KSALES_GOALS` (an admin's goal in the store wins over them).
        self.goals = tuple(goals)

    # --- requests -----------------------------------------------------------------------------
    def today(self) -> date:
        return self.clock.now().astimezone(self.rules.timezone).date()

    def parse(self, params: Mapping[str, str]) -> ScopedRequest:
        """Validate raw parameters into a resolved request; raises InvalidParameter naming the field."""
        return self.resolve(parse_request(params, self.today()))

    def resolve(self, request: ReportRequest | ScopedRequest) -> ScopedRequest:
        """Resolve the filters against the store: ids must exist, categories expand to their subtrees.

        Every report resolves a plain request once; resolve it yourself to share that between reports.
        """
        if isinstance(request, ScopedRequest):
            return request
        period, filters = request.period, request.filters
        if filters.source_id is not None and filters.source_id not in {s.id for s in self.sources()}:
            raise InvalidFilter("source_id", f"no source with id {filters.source_id}")
        category_ids = None
        if filters.category_id is not None:
            tree = self._tree()
            if filters.category_id not in tree:
                raise InvalidFilter("category_id", f"no category with id {filters.category_id}")
            category_ids = tree.descendants(filters.category_id)
        key = None
        if filters.brand is not None:
            key = brand_key(filters.brand)
            if key not in {brand_key(b) for b in self.store.brands()}:
                raise InvalidFilter("brand", "no brand with that name")
        scope = Scope(
            period.start,
            period.end,
            filters.sales_type,
            filters.source_id,
            category_ids,
            key,
            filters.category_id,
        )
        return ScopedRequest(request, scope)

    # --- reports ------------------------------------------------------------------------------
    def summary(self, request: ReportRequest | ScopedRequest) -> Summary:
        request, scope = self._resolve(request)
        period = request.period
        now = self.clock.now().astimezone(self.rules.timezone)
        until = pace.cut_for(period, now)
        totals = pace.cut_totals(self.store, scope, until)
        other = period.comparison(request.compare)
        comparison = None
        if other is not None:
            before = pace.cut_totals(self.store, scope.over(other), until)
            comparison = compare_totals(totals, before, other, until_label(until))
        projected = pace.projection(self.store, period, scope, totals, now)
        return Summary(
            period=period,
            filters=request.filters,
            orders=totals.orders,
            revenue=totals.revenue,
            avg_check=average(totals.revenue, totals.orders),
            returns=pace.cut_totals(self.store, scope, until, canceled=True),
            comparison=comparison,
            milestones=evaluate(totals.revenue, period.kind, self.milestones),
            projection=projected,
            goal=pace.goal_for(
                self.store, self.goals, period, request.filters, totals.revenue, projected, now.date()
            ),
        )

    def month_goals(self, month: date | None = None) -> pace.MonthGoals:
        """Each sales type's goal for the month (default: this month) with its source (SPEC §6 Goals)."""
        return pace.month_goals(self.store, self.goals, month or self.today().replace(day=1))

    def trend(
        self, request: ReportRequest | ScopedRequest, granularity: Granularity = Granularity.DAY
    ) -> Trend:
        request, scope = self._resolve(request)
        period = request.period
        points = bucket_points(period, self.store.daily(scope), granularity)
        comparison = None
        other = period.comparison(request.compare)
        if other is not None:
            before = bucket_points(other, self.store.daily(scope.over(other)), granularity)
            comparison = TrendComparison(other.start, other.end, before)
        return Trend(period, request.filters, granularity.value, points, comparison)

    def sources_breakdown(self, request: ReportRequest | ScopedRequest) -> SourceBreakdown:
        request, scope = self._resolve(request)
        names = {s.id: s.name for s in self.store.sources()}
        rows = [r for r in self.store.source_totals(scope) if r.orders]
        total_revenue = sum((r.revenue for r in rows), ZERO)
        total_orders = sum(r.orders for r in rows)
        result = [
            SourceRow(
                id=r.source_id,
                name=names.get(r.source_id, f"Source {r.source_id}"),
                orders=r.orders,
                revenue=r.revenue,
                share_pct=percent(r.revenue, total_revenue),
            )
            for r in sorted(rows, key=lambda r: (-r.revenue, r.source_id))
        ]
        return SourceBreakdown(request.period, request.filters, tuple(result), total_orders, total_revenue)

    def top_products(
        self, request: ReportRequest | ScopedRequest, limit: int = 10, by: RankBy = RankBy.QUANTITY
    ) -> TopProducts:
        request, scope = self._resolve(request)
        ranking = self.store.product_ranking(scope, limit)
        return TopProducts(request.period, request.filters, by.value, self._product_rows(ranking, by))

    @staticmethod
    def _product_rows(ranking: ProductRanking, by: RankBy) -> tuple[ProductRow, ...]:
        """Share % is of the quantity (or revenue) of every product of the scope, not just the top."""
        whole = ranking.quantity if by is RankBy.QUANTITY else ranking.revenue
        return tuple(
            ProductRow(
                r.product_id,
                r.name,
                r.quantity,
                r.revenue,
                percent(r.quantity if by is RankBy.QUANTITY else r.revenue, whole),
            )
            for r in (ranking.by_quantity if by is RankBy.QUANTITY else ranking.by_revenue)
        )

    def product_performance(
        self, request: ReportRequest | ScopedRequest, limit: int = 10
    ) -> ProductPerformance:
        request, scope = self._resolve(request)
        ranking = self.store.product_ranking(scope, limit)
        categories = self._tree().roll_up(self.store.category_totals(scope))
        metrics = ProductMetrics(
            products=ranking.products, revenue=ranking.revenue, quantity=ranking.quantity
        )
        top = self._product_rows(ranking, RankBy.REVENUE)
        return ProductPerformance(request.period, request.filters, top, tuple(categories), metrics)

    def category_breakdown(
        self, request: ReportRequest | ScopedRequest, parent_id: int | None = None
    ) -> CategoryBreakdown:
        request, scope = self._resolve(request)
        tree = self._tree()
        parent = None
        if parent_id is not None:
            category = tree.get(parent_id)
            if category is None:
                raise InvalidParameter("parent_id", f"no category with id {parent_id}")
            parent = CategoryRef(category.id, category.name)
        totals = self.store.category_totals(scope)
        rows = tree.roll_up(totals, parent_id)
        return CategoryBreakdown(request.period, request.filters, parent, tuple(rows))

    def customers(self, request: ReportRequest | ScopedRequest) -> CustomerInsights:
        request, scope = self._resolve(request)
        counts = self.store.customer_counts(scope)
        totals = self.store.totals(scope)
        daily = {row.day: row for row in self.store.daily(scope)}
        trend = tuple(
            AovPoint(
                day, average(daily[day].revenue, daily[day].orders) if day in daily else average(ZERO, 0)
            )
            for day in request.period.dates()
        )
        returning = counts.customers - counts.new_customers
        return CustomerInsights(
            period=request.period,
            filters=request.filters,
            customers=counts.customers,
            new_customers=counts.new_customers,
            returning_customers=returning,
            repeat_rate_pct=percent(returning, counts.customers),
            aov=average(totals.revenue, totals.orders),
            aov_trend=trend,
        )

    def brands(self, request: ReportRequest | ScopedRequest, limit: int = 10) -> BrandAnalytics:
        request, scope = self._resolve(request)
        breakdown = self.store.brand_breakdown(scope)
        brands = list(breakdown.brands)
        whole = sum((b.revenue for b in brands), breakdown.unbranded_revenue)

        def row(b: BrandTotals) -> BrandRow:
            return BrandRow(b.brand, b.revenue, b.quantity, b.orders, percent(b.revenue, whole))

        by_revenue = sorted(brands, key=lambda b: (-b.revenue, -b.quantity, b.brand.casefold(), b.brand))
        by_quantity = sorted(brands, key=lambda b: (-b.quantity, -b.revenue, b.brand.casefold(), b.brand))
        top = by_revenue[0] if by_revenue else None
        metrics = BrandMetrics(
            brands=len(brands),
            top_brand=top.brand if top else None,
            top_brand_share_pct=percent(top.revenue, whole) if top else percent(ZERO, 0),
            unbranded_revenue=breakdown.unbranded_revenue,
        )
        return BrandAnalytics(
            request.period,
            request.filters,
            tuple(row(b) for b in by_revenue[:limit]),
            tuple(row(b) for b in by_quantity[:limit]),
            metrics,
        )

    def expenses(
        self, request: ReportRequest | ScopedRequest, expense_type_id: int | None = None
    ) -> ExpenseSummary:
        request, scope = self._resolve(request)
        types = {t.id: t.name for t in self.store.expense_types()}
        if expense_type_id is not None and expense_type_id not in types:
            raise InvalidParameter("expense_type_id", f"no expense type with id {expense_type_id}")
        totals = self.store.expense_totals(scope, expense_type_id)
        total = sum((t.amount for t in totals.by_type), ZERO)
        count = sum(t.count for t in totals.by_type)
        daily = {d.day: d.amount for d in totals.daily}
        by_type = sorted(totals.by_type, key=lambda t: (-t.amount, t.expense_type_id or 0))
        return ExpenseSummary(
            period=request.period,
            filters=request.filters,
            expense_type_id=expense_type_id,
            total=total,
            count=count,
            orders_with_expenses=totals.orders_with_expenses,
            avg_per_order=average(total, totals.orders_with_expenses),
            by_type=tuple(
                ExpenseTypeRow(
                    t.expense_type_id,
                    types.get(t.expense_type_id, f"Expense type {t.expense_type_id}")
                    if t.expense_type_id is not None
                    else "Other",
                    t.amount,
                    t.count,
                )
                for t in by_type
            ),
            trend=tuple(ExpensePoint(day, daily.get(day, ZERO)) for day in request.period.dates()),
        )

    def profit(self, request: ReportRequest | ScopedRequest) -> Profit:
        request, scope = self._resolve(request)
        return profit_report(self.store, request, scope)

    def margin_breakdown(
        self,
        request: ReportRequest | ScopedRequest,
        by: MarginBy = MarginBy.PRODUCT,
        parent_id: int | None = None,
        limit: int = MARGIN_LIMIT_DEFAULT,
    ) -> MarginBreakdown:
        """Products, brands or categories (a category's children with `parent_id`) by gross profit."""
        request, scope = self._resolve(request)
        return margin_report(self.store, self._tree(), request, scope, by, parent_id, limit)

    def bundle(self, request: ReportRequest | ScopedRequest) -> ReportBundle:
        """Everything the Excel workbook needs, from one consistent set of queries."""
        request = self.resolve(request)
        return ReportBundle(
            summary=self.summary(request),
            daily=self.trend(request, Granularity.DAY),
            sources=self.sources_breakdown(request),
            products=self.top_products(request, limit=10_000, by=RankBy.QUANTITY),
            categories=self.category_breakdown(request),
            brands=self.brands(request, limit=10_000),
            expenses=self.expenses(request),
            profit=self.profit(request),
        )

    # --- customers (SPEC §5 Cohorts, Segments) -------------------------------------------------
    def cohorts(self, request: ReportRequest | ScopedRequest, months: int = DEFAULT_MONTHS) -> CohortReport:
        """Retention of the `months` (1–36) cohorts ending with the period's end month."""
        request, scope = self._resolve(request)
        months = customers.checked_months(months)
        return customers.cohorts(self.store, request.period, request.filters, scope, months)

    def segments(self, request: ReportRequest | ScopedRequest) -> SegmentReport:
        request, _ = self._resolve(request)
        return customers.segments(self.store, request.period, request.filters)

    def customer_list(
        self, request: ReportRequest | ScopedRequest, segment: Segment | None = None, limit: int = 50
    ) -> CustomerList:
        """Customers with their contacts, by revenue (admins only: the caller checks)."""
        request, _ = self._resolve(request)
        limit = customers.checked_limit(limit)
        return customers.customer_list(self.store, request.period, request.filters, segment, limit)

    # --- lookups ------------------------------------------------------------------------------
    def sources(self) -> list[Source]:
        """Sources that can be filtered on (excluded ones are left out)."""
        return [s for s in self.store.sources() if s.id not in self.rules.excluded_source_ids]

    def categories(self) -> list[Category]:
        return self.store.categories()

    def category_children(self, category_id: int) -> list[Category]:
        tree = self._tree()
        if category_id not in tree:
            raise NotFound(f"no category with id {category_id}")
        return tree.children(category_id)

    def root_categories(self) -> list[Category]:
        return self._tree().children(None)

    def brand_names(self) -> list[str]:
        return self.store.brands()

    def expense_types(self) -> list[ExpenseType]:
        return self.store.expense_types()

    def _resolve(self, request: ReportRequest | ScopedRequest) -> tuple[ReportRequest, Scope]:
        scoped = self.resolve(request)
        return scoped.request, scoped.scope

    def _tree(self) -> CategoryTree:
        return CategoryTree(self.store.categories())
