"""The analytics use cases: a request (period, filters, comparison) in, typed report figures out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from ksales.domain.categories import CategoryTree
from ksales.domain.errors import InvalidFilter, InvalidParameter, NotFound
from ksales.domain.filters import Filters, Scope, brand_key
from ksales.domain.milestones import MilestoneConfig, evaluate
from ksales.domain.model import Category, ExpenseType, Source
from ksales.domain.money import ZERO, average, change_pct, percent
from ksales.domain.periods import Period
from ksales.domain.ranking import RankBy
from ksales.domain.results import (
    AovPoint,
    BrandAnalytics,
    BrandMetrics,
    BrandRow,
    BrandTotals,
    CategoryBreakdown,
    CategoryRef,
    Comparison,
    CustomerInsights,
    DayTotals,
    ExpensePoint,
    ExpenseSummary,
    ExpenseTypeRow,
    ProductMetrics,
    ProductPerformance,
    ProductRanking,
    ProductRow,
    Profit,
    ProfitPoint,
    ReportBundle,
    SourceBreakdown,
    SourceRow,
    Summary,
    TopProducts,
    Trend,
    TrendComparison,
    TrendPoint,
)
from ksales.domain.rules import Rules
from ksales.ports.clock import Clock
from ksales.ports.store import SalesStore
from ksales.services.params import Granularity, ReportRequest, parse_request


def bucket_start(day: date, granularity: Granularity) -> date:
    """The first day of the day/week (Monday)/month bucket holding `day`."""
    match granularity:
        case Granularity.DAY:
            return day
        case Granularity.WEEK:
            return day - timedelta(days=day.weekday())
        case Granularity.MONTH:
            return day.replace(day=1)


def bucket_points(
    period: Period, daily: Iterable[DayTotals], granularity: Granularity
) -> tuple[TrendPoint, ...]:
    """Every bucket of the period, zeros included, labelled by its first date inside the period."""
    revenue: dict[date, Decimal] = {}
    orders: dict[date, int] = {}
    for day in period.dates():
        label = max(bucket_start(day, granularity), period.start)
        revenue.setdefault(label, ZERO)
        orders.setdefault(label, 0)
    for row in daily:
        if row.day in period:
            label = max(bucket_start(row.day, granularity), period.start)
            revenue[label] += row.revenue
            orders[label] += row.orders
    return tuple(TrendPoint(label, revenue[label], orders[label]) for label in sorted(revenue))


class AnalyticsService:
    """Every figure of the dashboard, the bot and the library, computed from one SalesStore."""

    def __init__(self, store: SalesStore, rules: Rules, milestones: MilestoneConfig, clock: Clock) -> None:
        self.store = store
        self.rules = rules
        self.milestones = milestones
        self.clock = clock

    # --- requests -----------------------------------------------------------------------------
    def today(self) -> date:
        return self.clock.now().astimezone(self.rules.timezone).date()

    def parse(self, params: Mapping[str, str]) -> ReportRequest:
        """Validate raw parameters into a request; raises InvalidParameter naming the field."""
        request = parse_request(params, self.today())
        self.scope(request.period, request.filters)
        return request

    def scope(self, period: Period, filters: Filters) -> Scope:
        """Resolve filters against the store: ids must exist, categories expand to their subtrees."""
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
        return Scope(period.start, period.end, filters.sales_type, filters.source_id, category_ids, key)

    # --- reports ------------------------------------------------------------------------------
    def summary(self, request: ReportRequest) -> Summary:
        period, filters = request.period, request.filters
        totals = self.store.totals(self.scope(period, filters))
        avg_check = average(totals.revenue, totals.orders)
        comparison = None
        other = period.comparison(request.compare)
        if other is not None:
            before = self.store.totals(self.scope(other, filters))
            before_avg = average(before.revenue, before.orders)
            comparison = Comparison(
                start=other.start,
                end=other.end,
                orders=before.orders,
                revenue=before.revenue,
                avg_check=before_avg,
                revenue_change_pct=change_pct(totals.revenue, before.revenue),
                orders_change_pct=change_pct(totals.orders, before.orders),
                avg_check_change_pct=change_pct(avg_check, before_avg),
            )
        return Summary(
            period=period,
            filters=filters,
            orders=totals.orders,
            revenue=totals.revenue,
            avg_check=avg_check,
            returns=self.store.returns(self.scope(period, filters)),
            comparison=comparison,
            milestones=evaluate(totals.revenue, period.kind, self.milestones),
        )

    def trend(self, request: ReportRequest, granularity: Granularity = Granularity.DAY) -> Trend:
        period, filters = request.period, request.filters
        points = bucket_points(period, self.store.daily(self.scope(period, filters)), granularity)
        comparison = None
        other = period.comparison(request.compare)
        if other is not None:
            before = bucket_points(other, self.store.daily(self.scope(other, filters)), granularity)
            comparison = TrendComparison(other.start, other.end, before)
        return Trend(period, filters, granularity.value, points, comparison)

    def sources_breakdown(self, request: ReportRequest) -> SourceBreakdown:
        period, filters = request.period, request.filters
        names = {s.id: s.name for s in self.store.sources()}
        rows = [r for r in self.store.source_totals(self.scope(period, filters)) if r.orders]
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
        return SourceBreakdown(period, filters, tuple(result), total_orders, total_revenue)

    def top_products(
        self, request: ReportRequest, limit: int = 10, by: RankBy = RankBy.QUANTITY
    ) -> TopProducts:
        ranking = self.store.product_ranking(self.scope(request.period, request.filters), by, limit)
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
            for r in ranking.rows
        )

    def product_performance(self, request: ReportRequest, limit: int = 10) -> ProductPerformance:
        scope = self.scope(request.period, request.filters)
        ranking = self.store.product_ranking(scope, RankBy.REVENUE, limit)
        categories = self._tree().roll_up(self.store.category_totals(scope))
        metrics = ProductMetrics(
            products=ranking.products, revenue=ranking.revenue, quantity=ranking.quantity
        )
        top = self._product_rows(ranking, RankBy.REVENUE)
        return ProductPerformance(request.period, request.filters, top, tuple(categories), metrics)

    def category_breakdown(self, request: ReportRequest, parent_id: int | None = None) -> CategoryBreakdown:
        tree = self._tree()
        parent = None
        if parent_id is not None:
            category = tree.get(parent_id)
            if category is None:
                raise InvalidParameter("parent_id", f"no category with id {parent_id}")
            parent = CategoryRef(category.id, category.name)
        totals = self.store.category_totals(self.scope(request.period, request.filters))
        rows = tree.roll_up(totals, parent_id)
        return CategoryBreakdown(request.period, request.filters, parent, tuple(rows))

    def customers(self, request: ReportRequest) -> CustomerInsights:
        scope = self.scope(request.period, request.filters)
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

    def brands(self, request: ReportRequest, limit: int = 10) -> BrandAnalytics:
        breakdown = self.store.brand_breakdown(self.scope(request.period, request.filters))
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

    def expenses(self, request: ReportRequest, expense_type_id: int | None = None) -> ExpenseSummary:
        types = {t.id: t.name for t in self.store.expense_types()}
        if expense_type_id is not None and expense_type_id not in types:
            raise InvalidParameter("expense_type_id", f"no expense type with id {expense_type_id}")
        totals = self.store.expense_totals(self.scope(request.period, request.filters), expense_type_id)
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

    def profit(self, request: ReportRequest) -> Profit:
        scope = self.scope(request.period, request.filters)
        totals = self.store.totals(scope)
        expense_totals = self.store.expense_totals(scope)
        expenses = sum((t.amount for t in expense_totals.by_type), ZERO)
        revenue_by_day = {d.day: d.revenue for d in self.store.daily(scope)}
        expenses_by_day = {d.day: d.amount for d in expense_totals.daily}
        trend = []
        for day in request.period.dates():
            revenue, spent = revenue_by_day.get(day, ZERO), expenses_by_day.get(day, ZERO)
            trend.append(ProfitPoint(day, revenue, spent, revenue - spent))
        profit = totals.revenue - expenses
        return Profit(
            request.period,
            request.filters,
            totals.revenue,
            expenses,
            profit,
            percent(profit, totals.revenue),
            tuple(trend),
        )

    def bundle(self, request: ReportRequest) -> ReportBundle:
        """Everything the Excel workbook needs, from one consistent set of queries."""
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

    def _tree(self) -> CategoryTree:
        return CategoryTree(self.store.categories())
