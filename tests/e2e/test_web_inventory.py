"""`/api/inventory/*` over tests/stockshop.py: figures, ranking, the trend's gaps, CSV, costs, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from ksales.adapters.memory import FixedClock
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.entrypoints.container import Container
from ksales.entrypoints.web import create_app
from tests import stockshop
from tests.e2e.conftest import make_container, shop_store
from tests.e2e.test_web_auth import ADMIN, APPROVED, bot_api, log_in, users  # noqa: F401 - fixtures
from tests.shop import NOW


@pytest.fixture
def container() -> Container:
    base = make_container()
    return make_container(store=stockshop.fill(shop_store(base.settings())))


def get(client: TestClient, path: str, **params: str) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_summary_is_the_latest_snapshot_with_every_bucket(client: TestClient) -> None:
    body = get(client, "/api/inventory/summary", period="last_7_days")
    assert body["period"] == {"start": "2026-11-20", "end": "2026-11-26", "kind": "last_7_days"}
    assert body["filters"]["sales_type"] == "retail"
    assert body["snapshot_date"] == "2026-11-26"
    assert (body["offers"], body["units_available"]) == (5, 492)
    assert (body["value_at_cost"], body["value_at_price"], body["cost_coverage_pct"]) == (
        52700,
        154000,
        99.35,
    )
    assert body["health"] == {
        "out_of_stock": 1,
        "inactive": 1,
        "low": 1,
        "overstock": 1,
        "dead": 1,
        "never_sold": 1,
        "healthy": 1,
    }


def test_items_by_bucket_with_velocity_and_days_of_supply(client: TestClient) -> None:
    low = get(client, "/api/inventory/items", health="LOW")
    assert [i["offer_id"] for i in low["items"]] == [1]
    item = low["items"][0]
    assert item == {
        "offer_id": 1,
        "sku": "SKU-1",
        "product_id": 100,
        "name": "Maxi dress",
        "brand": "Zara",
        "category": "Maxi dresses",
        "available": 2,
        "reserve": 0,
        "velocity_per_day": 1,
        "days_of_supply": 2,
        "value_at_cost": 1200,
    }
    out = get(client, "/api/inventory/items", health="out_of_stock")["items"]
    assert [(i["offer_id"], i["days_of_supply"], i["velocity_per_day"]) for i in out] == [(2, None, 0.1)]
    every = get(client, "/api/inventory/items", limit="3")
    assert every["limit"] == 3 and every["health"] is None
    # by value at cost desc: 5 (40 000), 3 (10 000), 7 (1 500)
    assert [i["offer_id"] for i in every["items"]] == [5, 3, 7]
    never = get(client, "/api/inventory/items", health="never_sold")["items"]
    assert [(i["offer_id"], i["name"], i["value_at_cost"]) for i in never] == [(4, "SKU-4", None)]


def test_trend_has_one_point_per_snapshot_day_and_leaves_missing_days_out(client: TestClient) -> None:
    body = get(client, "/api/inventory/trend", start_date="2026-11-22", end_date="2026-11-26")
    assert [p["date"] for p in body["points"]] == ["2026-11-23", "2026-11-25", "2026-11-26"]
    assert body["points"][-1] == {"date": "2026-11-26", "units_available": 492, "value_at_cost": 52700}
    assert get(client, "/api/inventory/trend", period="yesterday")["points"][0]["date"] == "2026-11-25"


def test_every_inventory_endpoint_answers_csv(client: TestClient) -> None:
    for path, name in [
        ("summary", "inventory_summary"),
        ("items", "inventory_items"),
        ("trend", "inventory_trend"),
    ]:
        response = client.get(f"/api/inventory/{path}", params={"format": "csv", "period": "month"})
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == (
            f"attachment; filename=ksales_{name}_2026-11-01_2026-11-26.csv"
        )
        assert response.text.startswith("\ufeff")
    items = client.get("/api/inventory/items", params={"format": "csv", "health": "dead"}).text
    assert items.splitlines()[0].lstrip("\ufeff").startswith("offer_id,sku,product_id,name")
    assert "SKU-3" in items


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"health": "sick"}, "health"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"period": "x"}, "period"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client: TestClient, params: dict[str, str], field: str) -> None:
    response = client.get("/api/inventory/items", params=params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_an_empty_store_has_no_snapshot_and_zero_figures() -> None:
    with TestClient(create_app(make_container(), background=False)) as client:
        body = get(client, "/api/inventory/summary")
        assert body["snapshot_date"] is None and body["offers"] == 0 and body["value_at_cost"] == 0
        assert get(client, "/api/inventory/items")["items"] == []
        assert get(client, "/api/inventory/trend")["points"] == []


def _secured(user_store: InMemoryUserStore, api_url: str, env: dict[str, str] | None = None) -> TestClient:
    clock = FixedClock(NOW)
    settings_env = {
        "BOT_TOKEN": "123456:TEST-token",
        "ADMIN_USER_IDS": str(ADMIN),
        "TELEGRAM_API_BASE_URL": api_url,
        **(env or {}),
    }
    base = make_container(settings_env, users=user_store, clock=clock)
    container = make_container(
        settings_env, users=user_store, clock=clock, store=stockshop.fill(shop_store(base.settings()))
    )
    client = TestClient(create_app(container, background=False), follow_redirects=False)
    client.clock = clock  # type: ignore[attr-defined]
    return client


@pytest.mark.parametrize(
    ("user_id", "show", "sees"),
    [(ADMIN, "admins", True), (APPROVED, "admins", False), (APPROVED, "all", True)],
)
def test_values_at_cost_only_for_those_allowed_to_see_costs(
    request: pytest.FixtureRequest, user_id: int, show: str, sees: bool
) -> None:
    # the login fixtures of test_web_auth (a fake Bot API and three users)
    user_store, api_url = request.getfixturevalue("users"), request.getfixturevalue("bot_api")
    with _secured(user_store, api_url, {"KSALES_SHOW_COSTS": show}) as client:
        log_in(client, user_id, client.clock)  # type: ignore[attr-defined]
        summary = get(client, "/api/inventory/summary")
        items = get(client, "/api/inventory/items")["items"]
        points = get(client, "/api/inventory/trend", period="last_7_days")["points"]
        csv = client.get("/api/inventory/items", params={"format": "csv"}).text
        assert ("value_at_cost" in summary) is sees
        assert all(("value_at_cost" in i) is sees for i in items) and items
        assert all(("value_at_cost" in p) is sees for p in points) and points
        assert ("value_at_cost" in csv) is sees
        assert summary["value_at_price"] == 154000  # not a cost
