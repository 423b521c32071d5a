"""Property-based fuzzing of the API against its own OpenAPI document (schemathesis), plus hostile inputs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.routing import Route
from starlette.testclient import TestClient

from ksales.entrypoints.web import create_app
from ksales.entrypoints.web.openapi import build_document
from tests.e2e.conftest import make_container

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Loaded through the app itself, so the document tested is the one served.
schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(make_container(), background=False))


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_openapi_document(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)


def test_document_describes_every_api_route() -> None:
    app = create_app(make_container(), background=False)
    api_routes = {r.path for r in app.routes if isinstance(r, Route) and r.path.startswith("/api/")}
    documented = set(build_document("test")["paths"])
    assert api_routes - {"/api/openapi.json"} == documented
    for path, item in build_document("test")["paths"].items():
        if "get" not in item:  # changes only (PUT/DELETE /api/goals/{month})
            continue
        assert item["get"]["responses"]["200"]["content"]["application/json"]["schema"], path


HOSTILE_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1e3",
    "0x10",
    "１２",  # full-width digits
    "9" * 40,
    "0001-01-01",
    "9999-12-31",
    "2026-13-01",
    "2026-02-29",
    "null",
    "undefined",
    "' OR '1'='1",
    "1; DROP TABLE orders",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "\x00",
    "🙂" * 50,
    "Мрія",
    "x" * 5000,
    "[]",
    "{}",
]
PARAMETERS = [
    "period",
    "start_date",
    "end_date",
    "sales_type",
    "source_id",
    "category_id",
    "brand",
    "compare",
    "granularity",
    "limit",
    "by",
    "parent_id",
    "expense_type_id",
    "week",
]
PATHS = [
    "/api/summary",
    "/api/revenue/trend",
    "/api/sales/by-source",
    "/api/products/top",
    "/api/products/performance",
    "/api/categories/breakdown",
    "/api/customers/insights",
    "/api/brands/analytics",
    "/api/expenses/summary",
    "/api/expenses/profit",
    "/api/weekly",
]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(make_container(), background=False)) as test_client:
        yield test_client


@pytest.mark.parametrize("path", PATHS)
def test_hostile_values_never_cause_a_server_error(client: TestClient, path: str) -> None:
    for name in PARAMETERS:
        for value in HOSTILE_VALUES:
            response = client.get(f"{path}?{name}={quote(value)}")
            assert response.status_code in (200, 400), (path, name, value, response.text)
            body = response.json()
            if response.status_code == 400:
                assert body["error"] == "invalid_parameter" and body["field"], body


@pytest.mark.parametrize(
    "query",
    [
        "start_date=2026-11-26&end_date=2026-11-01",
        "start_date=0001-01-01&end_date=0001-01-02",
        "start_date=2999-12-01&end_date=2999-12-31",
        "start_date=1970-01-01&end_date=1980-01-01",
        "period=custom&start_date=2016-12-01&end_date=2026-12-01",
        "period=today&start_date=garbage&end_date=garbage",
        "period=%E2%80%AEtoday",
        "brand=%F0%9F%8C%B8&category_id=1",
        "limit=50&by=REVENUE&period=last_28_days",
        "source_id=1&source_id=abc",
        "start_date=2026-11-01&start_date=bad&end_date=2026-11-26",
        "a=1&" * 200 + "period=week",
    ],
)
def test_hostile_combinations(client: TestClient, query: str) -> None:
    for path in PATHS:
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 400), (path, query, response.text)


def test_the_widest_allowed_range_answers(client: TestClient) -> None:
    query = "start_date=2017-01-01&end_date=2027-01-07&sales_type=all&granularity=month"
    response = client.get(f"/api/revenue/trend?{query}")
    assert response.status_code == 200
    assert len(response.json()["points"]) == 121


@pytest.mark.parametrize(
    "path", ["/api/categories/%00/children", "/api/categories/-1/children", "/api/x/y/z"]
)
def test_hostile_paths_are_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404
