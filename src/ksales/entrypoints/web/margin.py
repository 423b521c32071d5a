"""Who sees costs on the web (SPEC §6 "Costs"), and `/api/margin/breakdown`.

Costs (COGS, gross profit, profit and margins) are for admins unless `KSALES_SHOW_COSTS=all`; API tokens see
them, and so does everyone on an open dashboard (no BOT_TOKEN). Others get 403 from `/api/margin/*` and the
profit figures without their cost fields (absent, not null; `cost_coverage_pct` is not a cost).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ksales.domain.access import sees_costs
from ksales.domain.margin import MARGIN_LIMIT_DEFAULT, MARGIN_LIMIT_MAX, MarginRow, parse_margin_by
from ksales.domain.results import Profit
from ksales.entrypoints.serialize import to_json
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web.auth import Auth
from ksales.entrypoints.web.customers import may_see_contacts
from ksales.entrypoints.web.export import csv_response, rows_of
from ksales.entrypoints.web.query import Query
from ksales.services.analytics import AnalyticsService, ScopedRequest
from ksales.services.params import parse_limit
from ksales.services.workbook import workbook_report

#: The profit report's fields that are costs, at the top and in each trend point.
COST_FIELDS = ("cogs", "gross_profit", "gross_margin_pct", "profit", "margin_pct")


def may_see_costs(request: Request) -> bool:
    state = request.state
    auth: Auth | None = getattr(state, "auth", None)
    if auth is None or getattr(state, "api_token", None) is not None:
        return True
    user_id: int | None = getattr(state, "user_id", None)
    settings: Settings = state.settings
    return user_id is not None and sees_costs(settings.show_costs, is_admin=user_id in auth.admin_ids)


def _forbidden() -> JSONResponse:
    return JSONResponse(
        {"error": "forbidden", "message": "cost of goods and margins are shown to admins only"},
        status_code=403,
    )


def without_costs(body: dict[str, Any]) -> dict[str, Any]:
    """The profit report's JSON without its cost fields (in its trend too)."""
    shown = {k: v for k, v in body.items() if k not in COST_FIELDS}
    shown["trend"] = [{k: v for k, v in p.items() if k not in COST_FIELDS} for p in body["trend"]]
    return shown


def profit_response(query: Query, request: Request, result: Profit) -> Response:
    body = to_json(result)
    if not may_see_costs(request):
        body = without_costs(body)
    if query.csv:
        trend = body["trend"]
        header = list(trend[0]) if trend else ["date", "revenue", "expenses"]
        return csv_response("expenses_profit", header, trend, result.period)
    return JSONResponse(body)


def hide_bundle_costs(request: Request, body: dict[str, Any]) -> dict[str, Any]:
    """`/api/report`'s JSON with the profit part stripped of its costs for those who may not see them."""
    if not may_see_costs(request):
        body["profit"] = without_costs(body["profit"])
    return body


def bundle_response(request: Request, analytics: AnalyticsService, report: ScopedRequest) -> JSONResponse:
    """The bundle, and beside its parts what the requester may see of the workbook's other figures (SPEC §7):
    `costs` (absent for those who may not see costs), `customers` (contacts: an admin's session only) and
    `inventory` (without values at cost for those who may not see costs)."""
    costs = may_see_costs(request)
    result = workbook_report(
        analytics, request.state.inventory, report, costs=costs, contacts=may_see_contacts(request)
    )
    body = hide_bundle_costs(request, to_json(result.bundle))
    for part in ("costs", "customers", "inventory"):
        value = getattr(result, part)
        if value is not None:
            body[part] = to_json(value)
    return JSONResponse(body)


def margin_breakdown(request: Request) -> Response:
    query = Query(request)
    if not may_see_costs(request):
        return _forbidden()
    by = parse_margin_by(query.get("by"))
    parent_id = query.optional_id("parent_id")
    limit = parse_limit(query.get("limit"), default=MARGIN_LIMIT_DEFAULT, maximum=MARGIN_LIMIT_MAX)
    result = query.analytics.margin_breakdown(query.report(), by, parent_id, limit)
    if query.csv:
        header, rows = rows_of(MarginRow, result.rows)
        return csv_response(f"margin_{by.value}", header, rows, result.period)
    body = to_json(result)
    body["limit"] = limit
    return JSONResponse(body)
