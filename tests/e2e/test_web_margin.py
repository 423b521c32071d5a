"""Who sees costs on the web (SPEC §6 "Costs"): admins, API tokens and an open dashboard; not other users."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dependency_injector import providers
from starlette.testclient import TestClient

from ksales.adapters.memory.tokens import InMemoryApiTokens
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.users import User, UserStatus
from ksales.entrypoints.container import Container
from ksales.entrypoints.web import create_app
from ksales.entrypoints.web.auth import SESSION_COOKIE
from ksales.entrypoints.web.margin import COST_FIELDS
from tests.e2e.conftest import make_container, shop_store
from tests.margin_shop import MARGIN_ORDERS

ADMIN, APPROVED = 1, 42
LOGIN = {
    "BOT_TOKEN": "123456:TEST-token",
    "ADMIN_USER_IDS": str(ADMIN),
    "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
}
NOVEMBER = {"start_date": "2026-11-01", "end_date": "2026-11-30"}


def container_for(env: dict[str, str]) -> Container:
    from ksales.entrypoints.settings import Settings
    from tests.e2e.conftest import SHOP_ENV

    settings = Settings.from_mapping({**SHOP_ENV, **env})
    users = InMemoryUserStore([User(APPROVED, UserStatus.APPROVED, "olena")])
    container = make_container(env, store=shop_store(settings, MARGIN_ORDERS), users=users)
    container.api_tokens.override(providers.Object(InMemoryApiTokens()))
    return container


@pytest.fixture
def login() -> Iterator[tuple[Container, TestClient]]:
    container = container_for(LOGIN)
    with TestClient(create_app(container, background=False)) as client:
        yield container, client


def as_user(container: Container, client: TestClient, user_id: int) -> TestClient:
    client.cookies.set(SESSION_COOKIE, container.auth().issue(user_id))
    return client


def test_an_admin_sees_every_cost_figure(login: tuple[Container, TestClient]) -> None:
    container, client = login
    as_user(container, client, ADMIN)
    body = client.get("/api/expenses/profit", params=NOVEMBER).json()
    assert (body["revenue"], body["cogs"], body["gross_profit"], body["profit"]) == (
        2600,
        900.75,
        1699.25,
        1619.25,
    )
    assert (body["gross_margin_pct"], body["margin_pct"], body["cost_coverage_pct"]) == (65.36, 62.28, 68.63)
    assert set(body["trend"][0]) == {"date", "revenue", "cogs", "expenses", "profit"}
    margin = client.get("/api/margin/breakdown", params={**NOVEMBER, "by": "BRAND"}).json()
    assert [(r["name"], r["gross_profit"]) for r in margin["rows"]] == [("Mango", 500), ("Zara", 400)]
    assert margin["metrics"]["cost_coverage_pct"] == 66.67
    drill = client.get(
        "/api/margin/breakdown", params={**NOVEMBER, "by": "category", "parent_id": "1"}
    ).json()
    assert [r["id"] for r in drill["rows"]] == [12, 11]


def test_an_approved_user_gets_no_costs(login: tuple[Container, TestClient]) -> None:
    container, client = login
    as_user(container, client, APPROVED)
    body = client.get("/api/expenses/profit", params=NOVEMBER).json()
    assert not set(COST_FIELDS) & set(body)
    assert (body["revenue"], body["expenses"], body["cost_coverage_pct"]) == (2600, 80, 68.63)
    assert all(set(p) == {"date", "revenue", "expenses"} for p in body["trend"])
    csv = client.get("/api/expenses/profit", params={**NOVEMBER, "format": "csv"}).text
    assert csv.splitlines()[0].lstrip("\ufeff") == "date,revenue,expenses"
    for by in ("product", "brand", "category"):
        refused = client.get("/api/margin/breakdown", params={**NOVEMBER, "by": by})
        assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    assert client.get("/api/margin/breakdown", params={**NOVEMBER, "format": "csv"}).status_code == 403
    bundle = client.get("/api/report", params=NOVEMBER).json()
    assert not set(COST_FIELDS) & set(bundle["profit"])


def test_show_costs_all_shows_them_to_approved_users() -> None:
    container = container_for({**LOGIN, "KSALES_SHOW_COSTS": "all"})
    with TestClient(create_app(container, background=False)) as client:
        as_user(container, client, APPROVED)
        assert client.get("/api/expenses/profit", params=NOVEMBER).json()["cogs"] == 900.75
        assert client.get("/api/margin/breakdown", params=NOVEMBER).status_code == 200


def test_a_token_sees_costs(login: tuple[Container, TestClient]) -> None:
    container, client = login
    secret = container.tokens().create("sheets").secret
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/expenses/profit", params=NOVEMBER, headers=headers).json()["cogs"] == 900.75
    response = client.get("/api/margin/breakdown", params={**NOVEMBER, "format": "csv"}, headers=headers)
    assert response.status_code == 200
    assert "ksales_margin_product_2026-11-01_2026-11-30.csv" in response.headers["content-disposition"]
    assert response.text.splitlines()[0].lstrip("\ufeff").startswith("id,name,revenue,cogs,gross_profit")


def test_an_open_dashboard_shows_costs() -> None:
    container = container_for({})
    with TestClient(create_app(container, background=False)) as client:
        body = client.get("/api/expenses/profit", params=NOVEMBER).json()
        assert body["cogs"] == 900.75
        margin = client.get("/api/margin/breakdown", params={**NOVEMBER, "limit": "2"}).json()
        assert [r["id"] for r in margin["rows"]] == [102, 103] and margin["limit"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"by": "sku"}, "by"),
        ({"limit": "201"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"by": "category", "parent_id": "999"}, "parent_id"),
        ({"parent_id": "1"}, "parent_id"),
    ],
)
def test_bad_margin_parameters_are_400(params: dict[str, str], field: str) -> None:
    container = container_for({})
    with TestClient(create_app(container, background=False)) as client:
        response = client.get("/api/margin/breakdown", params={**NOVEMBER, **params})
        assert response.status_code == 400 and response.json()["field"] == field
