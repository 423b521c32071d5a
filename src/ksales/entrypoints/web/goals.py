"""The month's goals (SPEC §6 Goals): read by anyone who may read, changed by an admin's session only.

A change must carry the session's CSRF token in `X-CSRF-Token`: an HMAC of the session cookie under the
dashboard's secret key, handed to the admin's page with `GET /api/goals` (`editable`, `csrf_token`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ksales.domain.errors import InvalidParameter
from ksales.domain.goals import add_months
from ksales.domain.periods import EARLIEST, LATEST, Period
from ksales.entrypoints.serialize import to_json
from ksales.entrypoints.web.auth import SESSION_COOKIE, Auth
from ksales.entrypoints.web.export import csv_response, rows_of
from ksales.entrypoints.web.query import Query
from ksales.services.analytics import AnalyticsService
from ksales.services.pace import GoalRow, GoalService, parse_goal_amount, parse_goal_sales_type, parse_month

log = logging.getLogger(__name__)
CSRF_HEADER = "x-csrf-token"


def csrf_token(auth: Auth, session: str) -> str:
    """The session's CSRF token: bound to this session, unguessable without the secret key."""
    key = hashlib.sha256(("ksales-csrf:" + auth.secret_key).encode()).digest()
    return hmac.new(key, session.encode(), hashlib.sha256).hexdigest()


def _admin_session(request: Request) -> str | None:
    """The session cookie of an admin logged in on the page; None for anyone else (tokens included)."""
    auth: Auth | None = request.state.auth
    user_id = request.scope.get("state", {}).get("user_id")
    session = request.cookies.get(SESSION_COOKIE)
    if auth is None or user_id is None or user_id not in auth.admin_ids or not session:
        return None
    return session


def _month(request: Request, value: str | None) -> date:
    analytics: AnalyticsService = request.state.analytics
    month = parse_month(value, analytics.today())
    if not EARLIEST <= month <= LATEST:
        raise InvalidParameter("month", f"month must be between {EARLIEST:%Y-%m} and {LATEST:%Y-%m}")
    return month


def _listing(request: Request, month: date) -> dict[str, Any]:
    analytics: AnalyticsService = request.state.analytics
    body: dict[str, Any] = to_json(analytics.month_goals(month))
    session = _admin_session(request)
    body["editable"] = session is not None
    body["csrf_token"] = None if session is None else csrf_token(request.state.auth, session)
    return body


def goals(request: Request) -> Response:
    query = Query(request)
    month = _month(request, query.get("month"))
    if query.csv:
        result = query.analytics.month_goals(month)
        header, rows = rows_of(GoalRow, result.goals)
        return csv_response("goals", header, rows, Period(month, add_months(month, 1) - timedelta(days=1)))
    return JSONResponse(_listing(request, month))


def _refused(status: int, error: str, message: str) -> Response:
    return JSONResponse({"error": error, "message": message}, status_code=status)


async def _change(request: Request) -> Response | None:
    """None when the request may change goals; else the refusal (nothing is changed)."""
    session = _admin_session(request)
    if session is None:
        return _refused(403, "forbidden", "only an admin logged in on the dashboard can change goals")
    presented = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(presented.encode(), csrf_token(request.state.auth, session).encode()):
        return _refused(403, "csrf", "the request lacks the page's CSRF token; reload the page")
    return None


async def change_goal(request: Request) -> Response:
    refusal = await _change(request)
    if refusal is not None:
        return refusal
    month = _month(request, request.path_params["month"])
    service: GoalService = request.state.goal_service
    if request.method == "DELETE":
        sales_type = parse_goal_sales_type(request.query_params.get("sales_type"))
        service.clear(month, sales_type)
        log.info("goal for %s %s returned to the suggestion", month, sales_type.value)
        return JSONResponse(_listing(request, month))
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError:
        raise InvalidParameter("body", 'the body must be JSON: {"sales_type": T, "amount": A}') from None
    if not isinstance(body, dict):
        raise InvalidParameter("body", 'the body must be a JSON object: {"sales_type": T, "amount": A}')
    sales_type = parse_goal_sales_type(body.get("sales_type"))
    amount = parse_goal_amount(body.get("amount"))
    service.set(month, sales_type, amount)
    log.info("goal for %s %s set", month, sales_type.value)
    return JSONResponse(_listing(request, month))


routes = [
    Route("/api/goals", goals, methods=["GET"]),
    Route("/api/goals/{month}", change_goal, methods=["PUT", "DELETE"]),
]
