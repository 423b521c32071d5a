"""`GET /api/report`'s workbook parts (SPEC §6, §7): costs for those who may see them, contacts for an
admin's session only, stock values at cost as the inventory endpoints show them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from dependency_injector import providers
from starlette.testclient import TestClient

from ksales.adapters.memory.tokens import InMemoryApiTokens
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.users import User, UserStatus
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import create_app
from tests import stockshop
from tests.customer_shop import CUSTOMER_ORDERS
from tests.e2e.conftest import SHOP_ENV, make_container, shop_store
from tests.e2e.test_web_margin import ADMIN, APPROVED, LOGIN, NOVEMBER, as_user
from tests.margin_shop import MARGIN_ORDERS


@pytest.fixture
def login() -> Iterator[tuple[Container, TestClient]]:
    settings = Settings.from_mapping({**SHOP_ENV, **LOGIN})
    store = shop_store(settings, MARGIN_ORDERS + CUSTOMER_ORDERS)
    stockshop.fill(store)
    users = InMemoryUserStore([User(APPROVED, UserStatus.APPROVED, "olena")])
    container = make_container(LOGIN, store=store, users=users)
    container.api_tokens.override(providers.Object(InMemoryApiTokens()))
    with TestClient(create_app(container, background=False)) as client:
        yield container, client


def test_an_admin_gets_every_part_with_costs_and_contacts(login: tuple[Container, TestClient]) -> None:
    container, client = login
    body = as_user(container, client, ADMIN).get("/api/report", params=NOVEMBER).json()
    figures = client.get("/api/margin/breakdown", params={**NOVEMBER, "by": "brand", "limit": "200"}).json()
    assert body["costs"]["brands"]["rows"] == figures["rows"]
    assert body["costs"]["brands"]["metrics"] == figures["metrics"]
    assert {r["name"] for r in body["costs"]["products"]["rows"]} >= {"Shirt", "Sneakers", "Gift wrap"}
    assert body["inventory"]["value_at_cost"] == 52_700
    assert body["inventory"]["snapshot_date"] == "2026-11-26"
    (buyer_c,) = body["customers"]["at_risk"]["customers"]
    assert (buyer_c["name"], buyer_c["phone"]) == ("Buyer C", "380670000333")
    assert [s["segment"] for s in body["customers"]["segments"]["segments"]][:2] == ["lost", "at_risk"]


def test_an_approved_user_gets_no_cost_and_no_contact(login: tuple[Container, TestClient]) -> None:
    container, client = login
    body = as_user(container, client, APPROVED).get("/api/report", params=NOVEMBER).json()
    assert "costs" not in body
    assert body["inventory"]["value_at_cost"] is None
    assert {i["value_at_cost"] for i in body["inventory"]["restock"] + body["inventory"]["dead"]} == {None}
    assert body["inventory"]["value_at_price"] == 154_000  # not a cost
    assert body["customers"]["at_risk"] is None
    assert "380670000333" not in str(body)


def test_a_token_sees_costs_but_no_contacts(login: tuple[Container, TestClient]) -> None:
    container, client = login
    secret = container.tokens().create("sheets").secret
    headers = {"Authorization": f"Bearer {secret}"}
    body = client.get("/api/report", params=NOVEMBER, headers=headers).json()
    profit = client.get("/api/expenses/profit", params=NOVEMBER, headers=headers).json()
    assert body["costs"]["products"]["metrics"]["cogs"] == profit["cogs"] > 0
    assert body["inventory"]["value_at_cost"] == 52_700
    assert body["customers"]["at_risk"] is None
