"""`format=csv` on every data endpoint: its main table, a BOM, a file name; parsed back, it is the JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from ksales.entrypoints.web.api import REPORTS
from ksales.entrypoints.web.customers import ADMIN_SESSION_ONLY

PARAMS = {"period": "month", "sales_type": "all"}
Rows = Callable[[dict[str, Any]], list[dict[str, Any]]]


def _trend(body: dict[str, Any]) -> list[dict[str, Any]]:
    before = body["comparison"]["points"] if body["comparison"] else []
    rows = []
    for index, point in enumerate(body["points"]):
        row = dict(point)
        if body["comparison"]:
            other = before[index] if index < len(before) else {}
            row.update({f"comparison_{k}": other.get(k) for k in ("date", "revenue", "orders")})
        rows.append(row)
    return rows


def _summary(body: dict[str, Any]) -> list[dict[str, Any]]:
    c = body["comparison"] or {}
    return [
        {
            "start": body["period"]["start"],
            "end": body["period"]["end"],
            "orders": body["orders"],
            "revenue": body["revenue"],
            "avg_check": body["avg_check"],
            "returns_orders": body["returns"]["orders"],
            "returns_revenue": body["returns"]["revenue"],
            "comparison_start": c.get("start"),
            "comparison_end": c.get("end"),
            "comparison_orders": c.get("orders"),
            "comparison_revenue": c.get("revenue"),
            "comparison_avg_check": c.get("avg_check"),
            "revenue_change_pct": c.get("revenue_change_pct"),
        }
    ]


#: path → (file name part, extra query, the JSON rows its CSV holds)
TABLES: dict[str, tuple[str, dict[str, str], Rows]] = {
    "/api/summary": ("summary", {}, _summary),
    "/api/revenue/trend": ("revenue_trend", {"granularity": "week"}, _trend),
    "/api/sales/by-source": ("sales_by_source", {}, lambda b: b["sources"]),
    "/api/products/top": ("products_top", {"by": "revenue", "limit": "5"}, lambda b: b["products"]),
    "/api/products/performance": ("products_performance", {}, lambda b: b["top_by_revenue"]),
    "/api/categories/breakdown": ("categories_breakdown", {"parent_id": "1"}, lambda b: b["categories"]),
    "/api/customers/insights": ("customers_insights", {}, lambda b: b["aov_trend"]),
    "/api/brands/analytics": ("brands_analytics", {}, lambda b: b["top_by_revenue"]),
    "/api/expenses/summary": ("expenses_summary", {}, lambda b: b["by_type"]),
    "/api/expenses/profit": ("expenses_profit", {}, lambda b: b["trend"]),
    "/api/report": ("report", {}, lambda b: _trend(b["daily"])),
    "/api/customers/cohorts": (
        "customers_cohorts",
        {"months": "3"},
        lambda b: [{"month": c["month"], "size": c["size"], **m} for c in b["cohorts"] for m in c["months"]],
    ),
    "/api/customers/segments": ("customers_segments", {}, lambda b: b["segments"]),
    "/api/margin/breakdown": ("margin_product", {}, lambda b: b["rows"]),
    "/api/inventory/summary": (
        "inventory_summary",
        {},
        lambda b: [
            {
                **{k: v for k, v in b.items() if k not in ("period", "filters", "health")},
                **{f"health_{k}": v for k, v in b["health"].items()},
            }
        ],
    ),
    "/api/inventory/items": ("inventory_items", {"health": "low"}, lambda b: b["items"]),
    "/api/inventory/trend": ("inventory_trend", {}, lambda b: b["points"]),
}
LOOKUPS = {
    "/api/categories": "categories",
    "/api/categories/1/children": "category_1_children",
    "/api/brands": "brands",
    "/api/sources": "sources",
    "/api/expense-types": "expense_types",
}


def parse(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def same_table(parsed: list[dict[str, str]], rows: list[dict[str, Any]]) -> None:
    assert len(parsed) == len(rows)
    for got, want in zip(parsed, rows, strict=True):
        assert set(want) <= set(got)
        for key, value in want.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                assert float(got[key]) == value, key  # numbers unformatted: a point, no grouping
            else:
                assert got[key] == as_cell(value), key


def test_every_report_endpoint_has_a_table() -> None:
    # the customer list needs an admin's session: tests/e2e/test_customers_api.py reads its CSV
    assert set(TABLES) | ADMIN_SESSION_ONLY == set(REPORTS)


@pytest.mark.parametrize("path", list(TABLES))
@pytest.mark.parametrize("compare", ["previous_period", "none"])
def test_the_csv_is_the_jsons_main_table(client: TestClient, path: str, compare: str) -> None:
    name, extra, rows = TABLES[path]
    params = {**PARAMS, **extra, "compare": compare}
    body = client.get(path, params=params).json()
    response = client.get(path, params={**params, "format": "CSV"})
    period = body["summary"]["period"] if path == "/api/report" else body["period"]
    start, end = period["start"], period["end"]
    disposition = f"attachment; filename=ksales_{name}_{start}_{end}.csv"
    assert response.headers["content-disposition"] == disposition
    same_table(parse(response), rows(body))


@pytest.mark.parametrize("path", list(LOOKUPS))
def test_lookup_lists_as_csv(client: TestClient, path: str) -> None:
    response = client.get(path, params={"format": "csv"})
    assert response.headers["content-disposition"] == f"attachment; filename=ksales_{LOOKUPS[path]}.csv"
    same_table(parse(response), client.get(path).json())


def test_names_survive_and_a_bad_format_is_a_400(client: TestClient) -> None:
    assert client.get("/api/summary", params={"format": "xml"}).json()["field"] == "format"
    assert client.get("/api/sources", params={"format": "xml"}).status_code == 400
    assert client.get("/api/summary", params={"format": "json"}).headers["content-type"] == "application/json"
    rows = parse(client.get("/api/products/top", params={**PARAMS, "format": "csv", "by": "revenue"}))
    names = [
        p["name"]
        for p in client.get("/api/products/top", params={**PARAMS, "by": "revenue"}).json()["products"]
    ]
    assert [r["name"] for r in rows] == names


def test_the_openapi_document_offers_csv_and_tokens_on_every_data_endpoint(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    assert document["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token from `ksales token create`",
    }
    for path in [
        *TABLES,
        *LOOKUPS.keys() - {"/api/categories/1/children"},
        "/api/categories/{category_id}/children",
    ]:
        item = document["paths"][path]
        assert [p["name"] for p in item["parameters"]] == ["format"], path
        assert "text/csv" in item["get"]["responses"]["200"]["content"], path
        assert {"token": []} in item["get"]["security"], path
