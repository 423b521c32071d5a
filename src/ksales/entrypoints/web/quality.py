"""`GET /api/data-quality`: the `ksales doctor` report (SPEC §3, §6)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web.export import csv_response, wants_csv
from ksales.entrypoints.web.query import first_values
from ksales.services.analytics import AnalyticsService
from ksales.services.doctor import data_quality


def report(request: Request) -> Response:
    """The doctor's report as JSON; as CSV, one row per finding that needs attention."""
    settings: Settings = request.state.settings
    analytics: AnalyticsService = request.state.analytics
    body = data_quality(analytics.store, settings.currency, analytics.today())
    if wants_csv(first_values(request.query_params).get("format")):
        return csv_response("data_quality", ["finding"], [{"finding": code} for code in body["attention"]])
    return JSONResponse(body)


routes = [Route("/api/data-quality", report, methods=["GET"])]
