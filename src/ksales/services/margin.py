"""Profit after the cost of goods, and the margin breakdown (SPEC §5), over the store's line costs."""

from __future__ import annotations

from ksales.domain.categories import CategoryTree
from ksales.domain.errors import InvalidParameter
from ksales.domain.filters import Scope, brand_key
from ksales.domain.margin import (
    CostGroup,
    MarginBreakdown,
    MarginBy,
    MarginRow,
    category_rows,
    coverage_pct,
    margin_metrics,
    margin_row,
    rank_margin,
)
from ksales.domain.money import ZERO, percent
from ksales.domain.results import CategoryRef, Profit, ProfitPoint
from ksales.ports.store import SalesStore
from ksales.services.params import ReportRequest


def profit_report(store: SalesStore, request: ReportRequest, scope: Scope) -> Profit:
    """Revenue (as the summary counts it) − COGS of the matching lines − expenses, with the daily trend."""
    totals = store.totals(scope)
    expense_totals = store.expense_totals(scope)
    expenses = sum((t.amount for t in expense_totals.by_type), ZERO)
    costs = store.line_costs(scope, CostGroup.DAY)
    line_revenue = sum((c.revenue for c in costs), ZERO)
    costed = sum((c.costed_revenue for c in costs), ZERO)
    cogs = sum((c.cogs for c in costs), ZERO)
    revenue_by_day = {d.day: d.revenue for d in store.daily(scope)}
    cogs_by_day = {c.key: c.cogs for c in costs}
    expenses_by_day = {d.day: d.amount for d in expense_totals.daily}
    trend = []
    for day in request.period.dates():
        revenue, cost = revenue_by_day.get(day, ZERO), cogs_by_day.get(day, ZERO)
        spent = expenses_by_day.get(day, ZERO)
        trend.append(ProfitPoint(day, revenue, cost, spent, revenue - cost - spent))
    gross = totals.revenue - cogs
    profit = gross - expenses
    return Profit(
        period=request.period,
        filters=request.filters,
        revenue=totals.revenue,
        cogs=cogs,
        gross_profit=gross,
        gross_margin_pct=percent(gross, totals.revenue),
        expenses=expenses,
        profit=profit,
        margin_pct=percent(profit, totals.revenue),
        cost_coverage_pct=coverage_pct(line_revenue, costed),
        trend=tuple(trend),
    )


def margin_report(
    store: SalesStore,
    tree: CategoryTree,
    request: ReportRequest,
    scope: Scope,
    by: MarginBy,
    parent_id: int | None,
    limit: int,
) -> MarginBreakdown:
    parent = None
    if parent_id is not None:
        if by is not MarginBy.CATEGORY:
            raise InvalidParameter("parent_id", "parent_id goes with by=category only")
        category = tree.get(parent_id)
        if category is None:
            raise InvalidParameter("parent_id", f"no category with id {parent_id}")
        parent = CategoryRef(category.id, category.name)
    rows: list[MarginRow]
    if by is MarginBy.CATEGORY:
        rows, covered = category_rows(tree, store.line_costs(scope, CostGroup.CATEGORY), parent_id)
    elif by is MarginBy.BRAND:
        names = {brand_key(name): name for name in store.brands()}
        covered = [c for c in store.line_costs(scope, CostGroup.BRAND) if c.key is not None]
        rows = [margin_row(None, names.get(str(c.key), str(c.key)), [c]) for c in covered]
    else:
        covered = store.line_costs(scope, CostGroup.PRODUCT)
        products = store.product_totals(scope)
        product_names = {(p.product_id, p.name if p.product_id is None else None): p.name for p in products}
        catalog = {p.id: p for p in store.products()}
        rows = []
        for c in covered:
            product_id = c.key if isinstance(c.key, int) else None
            name = product_names.get((product_id, c.name), c.name or f"Product {product_id}")
            product = catalog.get(product_id) if product_id is not None else None
            brand = product.brand.strip() if product and product.brand and product.brand.strip() else None
            category = tree.get(product.category_id) if product and product.category_id is not None else None
            category_name = category.name if category else None
            rows.append(margin_row(product_id, name, [c], brand=brand, category=category_name))
    return MarginBreakdown(
        request.period,
        request.filters,
        by,
        parent,
        tuple(rank_margin(rows)[:limit]),
        margin_metrics(covered),
    )
