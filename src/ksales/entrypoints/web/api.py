"""The report endpoints of SPEC §6: parse the query, call one AnalyticsService method, serialise.

They are plain functions, so Starlette runs them in its thread pool (the DuckDB store keeps one
cursor per thread) and the event loop stays free.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ksales.entrypoints.serialize import to_json
from ksales.entrypoints.web.query import Query


def _json(result: Any, **extra: Any) -> JSONResponse:
    body = to_json(result)
    body.update(extra)
    return JSONResponse(body)


def summary(request: Request) -> JSONResponse:
    query = Query(request)
    return _json(query.analytics.summary(query.report()))


def revenue_trend(request: Request) -> JSONResponse:
    query = Query(request)
    granularity = query.granularity()
    return _json(query.analytics.trend(query.report(), granularity))


def sales_by_source(request: Request) -> JSONResponse:
    query = Query(request)
    return _json(query.analytics.sources_breakdown(query.report()))


def products_top(request: Request) -> JSONResponse:
    query = Query(request)
    limit, by = query.limit(), query.rank_by()
    return _json(query.analytics.top_products(query.report(), limit=limit, by=by), limit=limit)


def products_performance(request: Request) -> JSONResponse:
    query = Query(request)
    return _json(query.analytics.product_performance(query.report()))


def categories_breakdown(request: Request) -> JSONResponse:
    query = Query(request)
    parent_id = query.optional_id("parent_id")
    return _json(query.analytics.category_breakdown(query.report(), parent_id))


def customers_insights(request: Request) -> JSONResponse:
    query = Query(request)
    return _json(query.analytics.customers(query.report()))


def brands_analytics(request: Request) -> JSONResponse:
    query = Query(request)
    limit = query.limit()
    return _json(query.analytics.brands(query.report(), limit=limit), limit=limit)


def expenses_summary(request: Request) -> JSONResponse:
    query = Query(request)
    expense_type_id = query.optional_id("expense_type_id")
    return _json(query.analytics.expenses(query.report(), expense_type_id))


def expenses_profit(request: Request) -> JSONResponse:
    query = Query(request)
    return _json(query.analytics.profit(query.report()))


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
}

routes = [Route(path, endpoint, methods=["GET"]) for path, endpoint in REPORTS.items()]
