"""The JSON API over the hand-made shop (tests/shop.py): figures, filters, echo, errors, headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from ksales.domain.ranking import RankBy
from ksales.entrypoints.container import Container
from ksales.entrypoints.serialize import to_json
from ksales.services.analytics import AnalyticsService
from ksales.services.params import Granularity, ReportRequest

Call = Callable[[AnalyticsService, ReportRequest], Any]

ENDPOINTS: list[tuple[str, dict[str, str], Call]] = [
    ("/api/summary", {}, lambda s, r: s.summary(r)),
    ("/api/revenue/trend", {"granularity": "week"}, lambda s, r: s.trend(r, Granularity.WEEK)),
    ("/api/revenue/trend", {}, lambda s, r: s.trend(r)),
    ("/api/sales/by-source", {}, lambda s, r: s.sources_breakdown(r)),
    ("/api/products/top", {"limit": "2", "by": "revenue"}, lambda s, r: s.top_products(r, 2, RankBy.REVENUE)),
    ("/api/products/top", {}, lambda s, r: s.top_products(r)),
    ("/api/products/performance", {}, lambda s, r: s.product_performance(r)),
    ("/api/categories/breakdown", {}, lambda s, r: s.category_breakdown(r)),
    ("/api/categories/breakdown", {"parent_id": "1"}, lambda s, r: s.category_breakdown(r, 1)),
    ("/api/customers/insights", {}, lambda s, r: s.customers(r)),
    ("/api/brands/analytics", {"limit": "1"}, lambda s, r: s.brands(r, 1)),
    ("/api/expenses/summary", {}, lambda s, r: s.expenses(r)),
    ("/api/expenses/summary", {"expense_type_id": "1"}, lambda s, r: s.expenses(r, 1)),
    ("/api/expenses/profit", {}, lambda s, r: s.profit(r)),
]
VIEWS: list[dict[str, str]] = [
    {},
    {"period": "month"},
    {"period": "week", "sales_type": "all", "compare": "year_ago"},
    {"start_date": "2026-10-01", "end_date": "2026-11-30", "source_id": "1"},
    {"period": "last_28_days", "category_id": "11", "sales_type": "all"},
    {"period": "month", "brand": "ZARA", "compare": "none"},
]


def get(client: TestClient, path: str, **params: str) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items()) or "default")
@pytest.mark.parametrize(("path", "extra", "call"), ENDPOINTS, ids=[f"{p}{e}" for p, e, _ in ENDPOINTS])
def test_every_report_equals_the_analytics_service(
    client: TestClient,
    container: Container,
    view: dict[str, str],
    path: str,
    extra: dict[str, str],
    call: Call,
) -> None:
    service = container.analytics()
    expected = to_json(call(service, service.parse(view)))
    body = get(client, path, **view, **extra)
    assert {k: v for k, v in body.items() if k != "limit"} == expected
    assert set(body["period"]) == {"start", "end", "kind"}
    assert set(body["filters"]) == {"sales_type", "source_id", "category_id", "brand"}


def test_summary_figures_worked_out_on_paper(client: TestClient) -> None:
    body = get(client, "/api/summary")
    assert body["period"] == {"start": "2026-11-26", "end": "2026-11-26", "kind": "today"}
    assert body["filters"] == {"sales_type": "retail", "source_id": None, "category_id": None, "brand": None}
    assert (body["orders"], body["revenue"], body["avg_check"]) == (2, 1900, 950)
    assert body["comparison"]["start"] == body["comparison"]["end"] == "2026-11-25"
    assert (body["comparison"]["revenue"], body["comparison"]["revenue_change_pct"]) == (750, 153.33)
    assert body["milestones"] == {
        "kind": "daily",
        "thresholds": [1000, 2000, 5000],
        "reached": [1000],
        "next": 2000,
        "progress_pct": 95,
    }
    week = get(client, "/api/summary", period="week")
    assert week["returns"] == {"orders": 2, "revenue": 2300}
    assert week["milestones"]["kind"] == "weekly"
    custom = get(client, "/api/summary", start_date="2026-11-01", end_date="2026-11-26")
    assert custom["milestones"] == {
        "kind": None,
        "thresholds": [],
        "reached": [],
        "next": None,
        "progress_pct": None,
    }


@pytest.mark.parametrize(
    ("params", "orders", "revenue"),
    [
        ({}, 2, 1900),
        ({"sales_type": "all"}, 3, 11900),
        ({"sales_type": "b2b"}, 1, 10000),
        ({"source_id": "3"}, 1, 400),
        ({"source_id": "2"}, 0, 0),
        ({"category_id": "1"}, 1, 1500),
        ({"category_id": "12", "sales_type": "all"}, 2, 10500),
        ({"brand": "zara"}, 1, 1000),
        ({"brand": " NIKE "}, 1, 250),
        ({"brand": "Zara", "category_id": "12"}, 0, 0),
    ],
)
def test_each_filter_narrows_what_it_should(
    client: TestClient, params: dict[str, str], orders: int, revenue: int
) -> None:
    body = get(client, "/api/summary", **params)
    assert (body["orders"], body["revenue"]) == (orders, revenue)


def test_filters_are_echoed_as_applied(client: TestClient) -> None:
    body = get(
        client, "/api/sales/by-source", sales_type="ALL", source_id="1", category_id="11", brand="zara"
    )
    assert body["filters"] == {"sales_type": "all", "source_id": 1, "category_id": 11, "brand": "zara"}


def test_comparison_ranges(client: TestClient) -> None:
    month = get(client, "/api/summary", period="month")["comparison"]
    assert (month["start"], month["end"]) == ("2026-10-01", "2026-10-26")
    year = get(client, "/api/summary", period="month", compare="Year_Ago")["comparison"]
    assert (year["start"], year["end"]) == ("2025-11-01", "2025-11-26")
    assert get(client, "/api/summary", compare="none")["comparison"] is None
    trend = get(client, "/api/revenue/trend", period="last_week")
    assert trend["points"][0]["date"] == "2026-11-16"
    assert len(trend["points"]) == len(trend["comparison"]["points"]) == 7
    assert trend["comparison"]["start"] == "2026-11-09"


def test_trend_has_every_bucket(client: TestClient) -> None:
    days = get(client, "/api/revenue/trend", period="month")
    assert len(days["points"]) == 26
    assert sum(p["revenue"] for p in days["points"]) == get(client, "/api/summary", period="month")["revenue"]
    weeks = get(client, "/api/revenue/trend", period="month", granularity="WEEK")
    assert [p["date"] for p in weeks["points"]] == [
        "2026-11-01",
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
        "2026-11-23",
    ]


def test_category_drill_down_and_lookups(client: TestClient) -> None:
    root = get(client, "/api/categories/breakdown", period="month", sales_type="all")
    assert root["parent"] is None
    clothing = next(c for c in root["categories"] if c["id"] == 1)
    assert clothing["has_children"] is True
    child = get(client, "/api/categories/breakdown", period="month", sales_type="all", parent_id="1")
    assert child["parent"] == {"id": 1, "name": "Clothing"}
    assert sum(c["revenue"] for c in child["categories"]) == clothing["revenue"]
    assert get(client, "/api/categories/1/children") == [
        {"id": 11, "name": "Dresses", "parent_id": 1},
        {"id": 12, "name": "Shirts", "parent_id": 1},
    ]
    assert get(client, "/api/brands") == [{"name": "Mango"}, {"name": "Nike"}, {"name": "Zara"}]
    assert [s["id"] for s in get(client, "/api/sources")] == [1, 2, 3]  # 9 is excluded
    assert get(client, "/api/expense-types") == [
        {"id": 1, "name": "Delivery"},
        {"id": 2, "name": "Commission"},
    ]
    assert len(get(client, "/api/categories")) == 5


def test_health_counts_every_stored_order(client: TestClient) -> None:
    body = get(client, "/api/health")
    assert body["status"] == "ok"
    assert body["store"] == {
        "orders": 8,
        "last_sync_at": None,
        "last_sync_ok": None,
        "reconciled_at": None,
        "mismatched_months": [],
    }
    assert body["version"]
    assert body["uptime_s"] >= 0


def test_health_is_degraded_after_a_failed_sync(container: Container) -> None:
    from ksales.entrypoints.web import create_app

    container.sales_store().set_meta(
        {"sync.last": '{"finished_at": "2026-11-26T09:59:00+00:00", "ok": false, "error": "CRM down"}'}
    )
    with TestClient(create_app(container, background=False)) as client:
        body = get(client, "/api/health")
    assert body["status"] == "degraded"
    assert body["store"]["last_sync_ok"] is False
    assert body["store"]["last_sync_at"] == "2026-11-26T09:59:00+00:00"


def test_money_has_at_most_two_decimals(client: TestClient) -> None:
    body = get(client, "/api/summary", period="week")
    assert body["avg_check"] == 883.33
    assert get(client, "/api/products/top", period="month")["products"][1]["quantity"] == 1.5


# --- parameters ----------------------------------------------------------------------------------


def test_repeated_parameter_takes_its_first_value(client: TestClient) -> None:
    body = client.get("/api/summary?period=week&period=bogus&sales_type=all&sales_type=b2b").json()
    assert body["period"]["kind"] == "week"
    assert body["filters"]["sales_type"] == "all"
    assert client.get("/api/products/top?limit=1&limit=999").json()["limit"] == 1


@pytest.mark.parametrize(
    "query",
    ["period=WEEK", "period=Week&sales_type=RETAIL", "period=week&compare=PREVIOUS_PERIOD&granularity=Day"],
)
def test_enums_are_case_insensitive(client: TestClient, query: str) -> None:
    body = client.get(f"/api/revenue/trend?{query}").json()
    assert body["period"]["kind"] == "week"
    assert body["filters"]["sales_type"] == "retail"


def test_empty_values_count_as_absent(client: TestClient) -> None:
    query = "period=&sales_type=&source_id=&category_id=&brand=&compare=&start_date=&end_date="
    assert client.get(f"/api/summary?{query}").json() == get(client, "/api/summary")
    top = client.get("/api/products/top?limit=&by=&period=month").json()
    assert (top["limit"], top["by"]) == (10, "quantity")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/summary?period=fortnight", "period"),
        ("/api/summary?period=custom", "start_date"),
        ("/api/summary?start_date=2026-11-01", "end_date"),
        ("/api/summary?end_date=2026-11-01", "start_date"),
        ("/api/summary?start_date=2026-02-30&end_date=2026-03-01", "start_date"),
        ("/api/summary?start_date=26.11.2026&end_date=2026-11-26", "start_date"),
        ("/api/summary?start_date=2026-11-26&end_date=2026-11-01", "start_date"),
        ("/api/summary?start_date=0001-01-01&end_date=2026-11-01", "start_date"),
        ("/api/summary?start_date=2000-01-01&end_date=2026-11-01", "end_date"),
        ("/api/summary?sales_type=wholesale", "sales_type"),
        ("/api/summary?source_id=99", "source_id"),
        ("/api/summary?source_id=9", "source_id"),
        ("/api/summary?source_id=-1", "source_id"),
        ("/api/summary?source_id=1%20OR%201=1", "source_id"),
        ("/api/summary?source_id=99999999999999999999999", "source_id"),
        ("/api/summary?category_id=777", "category_id"),
        ("/api/summary?brand=%27%3B%20DROP%20TABLE%20orders%3B--", "brand"),
        ("/api/summary?brand=" + "x" * 201, "brand"),
        ("/api/summary?brand=%D0%9C%D1%80%D1%96%D1%8F%20%F0%9F%8C%B8", "brand"),
        ("/api/summary?compare=tomorrow", "compare"),
        ("/api/revenue/trend?granularity=hour", "granularity"),
        ("/api/products/top?limit=0", "limit"),
        ("/api/products/top?limit=51", "limit"),
        ("/api/products/top?limit=99999999999999999999", "limit"),
        ("/api/products/top?limit=1.5", "limit"),
        ("/api/products/top?by=profit", "by"),
        ("/api/brands/analytics?limit=-3", "limit"),
        ("/api/categories/breakdown?parent_id=777", "parent_id"),
        ("/api/categories/breakdown?parent_id=abc", "parent_id"),
        ("/api/expenses/summary?expense_type_id=5", "expense_type_id"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(client: TestClient, path: str, field: str) -> None:
    response = client.get(path)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert body["field"] == field
    assert isinstance(body["message"], str) and body["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/categories/777/children",
        "/api/categories/abc/children",
        "/api/categories/0/children",
        "/api/nope",
    ],
)
def test_unknown_things_are_404_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert response.headers["content-type"] == "application/json"


def test_wrong_method_is_json_under_api(client: TestClient) -> None:
    response = client.post("/api/summary")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


# --- headers --------------------------------------------------------------------------------------


def test_request_id_is_echoed_when_sane_and_generated_otherwise(client: TestClient) -> None:
    assert client.get("/api/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    generated = client.get("/api/health", headers={"X-Request-ID": "<script>"}).headers["x-request-id"]
    assert generated != "<script>" and len(generated) == 32
    assert client.get("/api/nope").headers["x-request-id"]
    page = client.get("/")
    assert page.headers["x-request-id"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_json_is_gzipped_when_accepted(client: TestClient) -> None:
    response = client.get("/api/revenue/trend?period=month", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    raw = client.get("/api/revenue/trend?period=month", headers={"Accept-Encoding": "identity"}).headers.get(
        "content-encoding"
    )
    assert raw is None
    assert response.json()["period"]["kind"] == "month"  # httpx has decoded it


def test_page_and_static_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "/static/vendor/chart.js/chart.umd.min.js" in page.text
    assert "telegram.org" not in page.text
    for asset in (
        "app.js",
        "render.js",
        "charts.js",
        "format.js",
        "app.css",
        "vendor/chart.js/chart.umd.min.js",
    ):
        assert client.get(f"/static/{asset}").status_code == 200
    assert client.get("/login", follow_redirects=False).status_code == 303  # no login without BOT_TOKEN


def test_the_page_modules_are_served_under_the_version(client: TestClient) -> None:
    """Relative imports keep the version in the entry module's path (a `?v=` query they would drop)."""
    from ksales import __version__

    assert f'<script type="module" src="/static/{__version__}/app.js">' in client.get("/").text
    for module in ("app.js", "labels.js", "query.js", "vendor.js"):
        versioned = client.get(f"/static/{__version__}/{module}")
        assert versioned.status_code == 200
        assert "javascript" in versioned.headers["content-type"]
        assert versioned.text == client.get(f"/static/{module}").text
