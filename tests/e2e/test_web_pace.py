"""Summary until, projection and goal; `/api/goals`, changed by an admin's session with its CSRF token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from ksales.adapters.memory import FixedClock
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.entrypoints.web import create_app
from tests.e2e.conftest import make_container
from tests.e2e.test_web_auth import (  # noqa: F401 (fixtures)
    ADMIN,
    APPROVED,
    bot_api,
    clock,
    log_in,
    secured_client,
    users,
)


@pytest.fixture
def open_client() -> Iterator[TestClient]:
    container = make_container({"KSALES_GOALS": "2026-11=10000,b2b:2026-11=20000"})
    with TestClient(create_app(container, background=False)) as test_client:
        yield test_client


@pytest.fixture
def secured(users: InMemoryUserStore, clock: FixedClock, bot_api: str) -> Iterator[TestClient]:  # noqa: F811
    with secured_client(users, clock, bot_api) as test_client:
        yield test_client


def test_a_period_ending_today_is_compared_until_now(open_client: TestClient) -> None:
    today = open_client.get("/api/summary", params={"period": "today"}).json()
    # Now is 12:30 in Kyiv: yesterday counts until 12:30 too.
    assert today["comparison"]["until"] == "12:30"
    assert today["projection"] is not None and set(today["projection"]) == {"revenue", "orders"}
    assert today["projection"]["revenue"] >= today["revenue"]
    assert today["goal"] is None
    ended = open_client.get("/api/summary", params={"period": "last_week"}).json()
    assert (ended["comparison"]["until"], ended["projection"]) == (None, None)
    custom = open_client.get(
        "/api/summary", params={"start_date": "2026-11-20", "end_date": "2026-11-26"}
    ).json()
    assert (custom["comparison"]["until"], custom["projection"]) == ("12:30", None)


def test_the_month_carries_its_goal(open_client: TestClient) -> None:
    body = open_client.get("/api/summary", params={"period": "month"}).json()
    goal = body["goal"]
    assert (goal["month"], goal["sales_type"], goal["amount"], goal["source"]) == (
        "2026-11",
        "retail",
        10000,
        "env",
    )
    assert goal["progress_pct"] == round(body["revenue"] * 100 / 10000, 2)
    assert goal["projected_pct"] == round(body["projection"]["revenue"] * 100 / 10000, 2)
    assert goal["on_pace"] is (body["projection"]["revenue"] >= 10000)
    # (10000 − revenue) ÷ the 5 days 26–30 Nov.
    assert goal["needed_per_day"] == round((10000 - body["revenue"]) / 5, 2)
    b2b = open_client.get("/api/summary", params={"period": "month", "sales_type": "b2b"}).json()["goal"]
    assert (b2b["amount"], b2b["source"]) == (20000, "env")
    filtered = open_client.get("/api/summary", params={"period": "month", "source_id": "1"}).json()
    assert filtered["goal"] is None
    csv = open_client.get("/api/summary", params={"period": "month", "format": "csv"})
    assert csv.status_code == 200


def test_goals_list_and_csv_and_an_open_dashboard_cannot_change_them(open_client: TestClient) -> None:
    listing = open_client.get("/api/goals").json()
    assert listing["month"] == "2026-11"
    assert [(g["sales_type"], g["amount"], g["source"]) for g in listing["goals"]] == [
        ("retail", 10000, "env"),
        ("b2b", 20000, "env"),
        ("all", None, None),
    ]
    assert (listing["editable"], listing["csrf_token"]) == (False, None)
    csv = open_client.get("/api/goals", params={"format": "csv", "month": "2026-11"})
    assert (
        csv.status_code == 200
        and "ksales_goals_2026-11-01_2026-11-30.csv" in csv.headers["content-disposition"]
    )
    assert "retail,10000,env" in csv.text
    assert open_client.get("/api/goals", params={"month": "2026-13"}).status_code == 400
    refused = open_client.put("/api/goals/2026-11", json={"amount": 1}, headers={"X-CSRF-Token": "x"})
    assert refused.status_code == 403
    assert open_client.delete("/api/goals/2026-11").status_code == 403
    assert open_client.get("/api/goals").json() == listing


def test_an_admin_sets_and_clears_a_goal_with_the_pages_csrf_token(
    secured: TestClient,
    clock: FixedClock,  # noqa: F811
) -> None:
    log_in(secured, ADMIN, clock)
    listing = secured.get("/api/goals").json()
    assert listing["editable"] is True and listing["csrf_token"]
    token = {"X-CSRF-Token": listing["csrf_token"]}
    before = secured.get("/api/goals").json()
    # Refusals change nothing: no token, a wrong one, a bad amount, a bad month, a bad body.
    assert secured.put("/api/goals/2026-11", json={"amount": 5000}).status_code == 403
    assert (
        secured.put(
            "/api/goals/2026-11", json={"amount": 5000}, headers={"X-CSRF-Token": "0" * 64}
        ).status_code
        == 403
    )
    for body in ({"amount": -5}, {"amount": "lots"}, {"amount": 0}, {"amount": 1e20}, {"amount": 1.005}, {}):
        answer = secured.put("/api/goals/2026-11", json=body, headers=token)
        assert (answer.status_code, answer.json()["field"]) == (400, "amount"), body
    bad_type = secured.put("/api/goals/2026-11", json={"amount": 5, "sales_type": "vip"}, headers=token)
    assert (bad_type.status_code, bad_type.json()["field"]) == (400, "sales_type")
    assert secured.put("/api/goals/26-11", json={"amount": 5}, headers=token).status_code == 400
    assert secured.put("/api/goals/2026-11", content=b"{", headers=token).status_code == 400
    assert secured.put("/api/goals/2026-11", json=[1], headers=token).status_code == 400
    assert secured.get("/api/goals").json() == before
    # Set: the summary's goal follows, and the list says who set it.
    done = secured.put("/api/goals/2026-11", json={"amount": "3 500 000", "sales_type": "b2b"}, headers=token)
    assert done.status_code == 200
    assert done.json()["goals"][1] == {"sales_type": "b2b", "amount": 3500000, "source": "set"}
    goal = secured.get("/api/summary", params={"period": "month", "sales_type": "b2b"}).json()["goal"]
    assert (goal["amount"], goal["source"]) == (3500000, "set")
    cleared = secured.delete("/api/goals/2026-11", params={"sales_type": "b2b"}, headers=token)
    assert cleared.status_code == 200 and cleared.json()["goals"][1]["source"] is None


def test_an_approved_user_who_is_not_an_admin_cannot_change_goals(
    secured: TestClient,
    clock: FixedClock,  # noqa: F811
) -> None:
    log_in(secured, APPROVED, clock)
    listing = secured.get("/api/goals").json()
    assert (listing["editable"], listing["csrf_token"]) == (False, None)
    answer = secured.put("/api/goals/2026-11", json={"amount": 5}, headers={"X-CSRF-Token": "anything"})
    assert answer.status_code == 403
    assert secured.get("/api/goals").json() == listing
