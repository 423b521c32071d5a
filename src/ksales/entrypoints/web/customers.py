"""The customer endpoints of SPEC §6: cohorts, segments and (admins only) the list with contacts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ksales.domain.customers import CohortReport, CustomerRow, SegmentRow
from ksales.entrypoints.serialize import to_json
from ksales.entrypoints.web.auth import Auth
from ksales.entrypoints.web.export import Row, csv_response, rows_of
from ksales.entrypoints.web.query import Query
from ksales.services.customers import parse_list_limit, parse_months, parse_segment

Table = tuple[list[str], list[Row]]
#: Routes for an admin's session only (not an API token, not an open dashboard): they hold contacts.
ADMIN_SESSION_ONLY = frozenset({"/api/customers/list"})


def _answer(query: Query, name: str, result: Any, table: Callable[[Any], Table], **extra: Any) -> Response:
    """JSON of `result` (plus `extra`), or its main table as CSV (as `api._answer`, which imports us)."""
    if query.csv:
        header, rows = table(result)
        return csv_response(name, header, rows, result.period)
    body = to_json(result)
    body.update(extra)
    return JSONResponse(body)


def cohort_table(result: CohortReport) -> Table:
    """One row per cohort and month after it."""
    header = ["month", "size", "k", "active", "retention_pct", "revenue"]
    rows: list[Row] = [
        {"month": c.month, "size": c.size, **to_json(m)} for c in result.cohorts for m in c.months
    ]
    return header, rows


def may_see_contacts(request: Request) -> bool:
    """Buyers' contacts: an admin's session only — not an API token, not an open dashboard (SPEC §6)."""
    auth: Auth | None = request.state.auth
    user_id: int | None = getattr(request.state, "user_id", None)
    token = getattr(request.state, "api_token", None)
    return auth is not None and token is None and user_id is not None and user_id in auth.admin_ids


def customers_cohorts(request: Request) -> Response:
    query = Query(request)
    months = parse_months(query.get("months"))
    result = query.analytics.cohorts(query.report(), months)
    return _answer(query, "customers_cohorts", result, cohort_table, months=months)


def customers_segments(request: Request) -> Response:
    query = Query(request)
    result = query.analytics.segments(query.report())
    return _answer(query, "customers_segments", result, lambda r: rows_of(SegmentRow, r.segments))


def customers_list(request: Request) -> Response:
    if not may_see_contacts(request):
        return JSONResponse(
            {"error": "forbidden", "message": "the customer list (buyers' contacts) is for admins only"},
            status_code=403,
        )
    query = Query(request)
    segment, limit = parse_segment(query.get("segment")), parse_list_limit(query.get("limit"))
    result = query.analytics.customer_list(query.report(), segment, limit)
    return _answer(query, "customers_list", result, lambda r: rows_of(CustomerRow, r.customers))
