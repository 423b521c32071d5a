"""`GET /api/weekly`: the weekly report of SPEC §7 for a complete week (default: the last one)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ksales.domain.filters import parse_sales_type
from ksales.entrypoints.serialize import to_json
from ksales.entrypoints.web.export import csv_response
from ksales.entrypoints.web.query import Query
from ksales.services.weekly import WeeklyReports, parse_week


def weekly_report(request: Request) -> Response:
    """Every figure of the weekly report; as CSV, its 12 weeks with the mean of the 4 before each."""
    query = Query(request)
    reports: WeeklyReports = request.state.weekly
    sales_type = parse_sales_type(query.get("sales_type"))
    week = parse_week(query.get("week"), query.analytics.today())
    result = reports.report(week, sales_type)
    if query.csv:
        rows = [
            {"week_start": bar.monday, "revenue": bar.revenue, "mean_of_4_weeks_before": mean}
            for bar, mean in zip(result.history, result.rolling_mean, strict=True)
        ]
        header = ["week_start", "revenue", "mean_of_4_weeks_before"]
        return csv_response("weekly", header, [to_json(row) for row in rows], week)
    return JSONResponse({**to_json(result), "sales_type": sales_type.value})


routes = [Route("/api/weekly", weekly_report, methods=["GET"])]
