"""The report endpoints of SPEC §6: parse the query, call one AnalyticsService method, serialise.

Each answers JSON, or with `format=csv` its main table as a CSV download. They are plain functions, so
Starlette runs them in its thread pool (the DuckDB store keeps one cursor per thread) and the event loop
stays free.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ksales.domain.results import (
    AovPoint,
    BrandRow,
    CategoryRow,
    ExpenseTypeRow,
    ProductRow,
    ReportBundle,
    SourceRow,
    Summary,
    Trend,
    TrendPoint,
)
from ksales.entrypoints.serialize import to_json
from ksales.entrypoints.web import customers, inventory_api, margin
from ksales.entrypoints.web.export import Row, csv_response, rows_of
from ksales.entrypoints.web.query import Query

Table = tuple[list[str], list[Row]]


def _answer(query: Query, name: str, result: Any, table: Callable[[Any], Table], **extra: Any) -> Response:
    """JSON of `result` (plus `extra`), or its main table as CSV when the query asks for `format=csv`."""
    if query.csv:
        header, rows = table(result)
        period = result.summary.period if isinstance(result, ReportBundle) else result.period
        return csv_response(name, header, rows, period)
    body = to_json(result)
    body.update(extra)
    return JSONResponse(body)


def summary_table(result: Summary) -> Table:
    """One row: the period's figures and, when compared, the comparison's."""
    c = result.comparison
    row = {
        "start": result.period.start,
        "end": result.period.end,
        "orders": result.orders,
        "revenue": result.revenue,
        "avg_check": result.avg_check,
        "returns_orders": result.returns.orders,
        "returns_revenue": result.returns.revenue,
        "comparison_start": c and c.start,
        "comparison_end": c and c.end,
        "comparison_orders": c and c.orders,
        "comparison_revenue": c and c.revenue,
        "comparison_avg_check": c and c.avg_check,
        "revenue_change_pct": c and c.revenue_change_pct,
        "comparison_until": c and c.until,
        "projected_revenue": result.projection and result.projection.revenue,
        "projected_orders": result.projection and result.projection.orders,
        "goal": result.goal and result.goal.amount,
    }
    return list(row), [to_json(row)]


def trend_table(result: Trend) -> Table:
    """The points; beside each, the comparison range's point of the same position (when there is one)."""
    header, rows = rows_of(TrendPoint, result.points)
    if result.comparison is None:
        return header, rows
    extra = [f"comparison_{column}" for column in header]
    before = [to_json(point) for point in result.comparison.points]
    for index, row in enumerate(rows):
        if index < len(before):
            rows[index] = {**row, **{f"comparison_{k}": v for k, v in before[index].items()}}
    return header + extra, rows


def summary(request: Request) -> Response:
    query = Query(request)
    return _answer(query, "summary", query.analytics.summary(query.report()), summary_table)


def revenue_trend(request: Request) -> Response:
    query = Query(request)
    granularity = query.granularity()
    return _answer(query, "revenue_trend", query.analytics.trend(query.report(), granularity), trend_table)


def sales_by_source(request: Request) -> Response:
    query = Query(request)
    result = query.analytics.sources_breakdown(query.report())
    return _answer(query, "sales_by_source", result, lambda r: rows_of(SourceRow, r.sources))


def products_top(request: Request) -> Response:
    query = Query(request)
    limit, by = query.limit(), query.rank_by()
    result = query.analytics.top_products(query.report(), limit=limit, by=by)
    return _answer(query, "products_top", result, lambda r: rows_of(ProductRow, r.products), limit=limit)


def products_performance(request: Request) -> Response:
    query = Query(request)
    limit = query.limit()
    result = query.analytics.product_performance(query.report(), limit=limit)
    return _answer(query, "products_performance", result, lambda r: rows_of(ProductRow, r.top_by_revenue))


def categories_breakdown(request: Request) -> Response:
    query = Query(request)
    parent_id = query.optional_id("parent_id")
    result = query.analytics.category_breakdown(query.report(), parent_id)
    return _answer(query, "categories_breakdown", result, lambda r: rows_of(CategoryRow, r.categories))


def customers_insights(request: Request) -> Response:
    query = Query(request)
    result = query.analytics.customers(query.report())
    return _answer(query, "customers_insights", result, lambda r: rows_of(AovPoint, r.aov_trend))


def brands_analytics(request: Request) -> Response:
    query = Query(request)
    limit = query.limit()
    result = query.analytics.brands(query.report(), limit=limit)
    return _answer(
        query, "brands_analytics", result, lambda r: rows_of(BrandRow, r.top_by_revenue), limit=limit
    )


def expenses_summary(request: Request) -> Response:
    query = Query(request)
    expense_type_id = query.optional_id("expense_type_id")
    result = query.analytics.expenses(query.report(), expense_type_id)
    return _answer(query, "expenses_summary", result, lambda r: rows_of(ExpenseTypeRow, r.by_type))


def expenses_profit(request: Request) -> Response:
    """Profit after the cost of goods; without the cost fields for those who may not see costs."""
    query = Query(request)
    return margin.profit_response(query, request, query.analytics.profit(query.report()))


def report(request: Request) -> Response:
    """Everything the Excel workbook shows (every product and brand); as CSV, the daily figures."""
    query = Query(request)
    if not query.csv:
        return margin.bundle_response(request, query.analytics, query.report())
    result = query.analytics.bundle(query.report())
    return _answer(query, "report", result, lambda r: trend_table(r.daily))


#: path → endpoint; the OpenAPI document describes exactly these (a test keeps them in step).
REPORTS = {
    "/api/summary": summary,
    "/api/revenue/trend": revenue_trend,
    "/api/sales/by-source": sales_by_source,
    "/api/products/top": products_top,
    "/api/products/performance": products_performance,
    "/api/categories/breakdown": categories_breakdown,
    "/api/customers/insights": customers_insights,
    "/api/brands/analytics": brands_analytics,
    "/api/expenses/summary": expenses_summary,
    "/api/expenses/profit": expenses_profit,
    "/api/report": report,
    "/api/customers/cohorts": customers.customers_cohorts,
    "/api/customers/segments": customers.customers_segments,
    "/api/customers/list": customers.customers_list,
    "/api/margin/breakdown": margin.margin_breakdown,
    **inventory_api.REPORTS,
}

routes = [Route(path, endpoint, methods=["GET"]) for path, endpoint in REPORTS.items()]
