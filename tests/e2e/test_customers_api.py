"""`/api/customers/*` over HTTP: cohorts and segments for everyone allowed in, the contact list for admins."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from ksales.adapters.memory import FixedClock
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.users import User, UserStatus
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import create_app
from tests.customer_shop import CUSTOMER_ORDERS
from tests.e2e.conftest import SHOP_ENV, make_container, shop_store
from tests.e2e.test_web_auth import ADMIN, APPROVED, BOT_TOKEN, log_in
from tests.shop import NOW

NOVEMBER = {"start_date": "2026-11-01", "end_date": "2026-11-30"}
LOGIN = {
    "BOT_TOKEN": BOT_TOKEN,
    "ADMIN_USER_IDS": str(ADMIN),
    "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
}


def customer_store(env: dict[str, str]) -> object:
    return shop_store(Settings.from_mapping({**SHOP_ENV, **env}), CUSTOMER_ORDERS)


@pytest.fixture
def open_client() -> Iterator[TestClient]:
    container = make_container(store=customer_store({}))
    with TestClient(create_app(container, background=False)) as client:
        yield client


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def login_client(clock: FixedClock) -> Iterator[TestClient]:
    users = InMemoryUserStore([User(APPROVED, UserStatus.APPROVED, "olena")])
    container = make_container(LOGIN, store=customer_store(LOGIN), users=users, clock=clock)
    with TestClient(create_app(container, background=False), follow_redirects=False) as client:
        yield client


def test_cohorts_answer_the_heat_map(open_client: TestClient) -> None:
    body = open_client.get("/api/customers/cohorts", params={**NOVEMBER, "months": "3"}).json()
    assert body["months"] == 3
    assert body["period"] == {"start": "2026-11-01", "end": "2026-11-30", "kind": "custom"}
    assert [(c["month"], c["size"]) for c in body["cohorts"]] == [
        ("2026-09", 2),
        ("2026-10", 2),
        ("2026-11", 2),
    ]
    assert body["cohorts"][0]["months"] == [
        {"k": 0, "active": 2, "retention_pct": 100, "revenue": 150},
        {"k": 1, "active": 1, "retention_pct": 50, "revenue": 200},
        {"k": 2, "active": 1, "retention_pct": 50, "revenue": 300},
    ]
    assert body["time_to_second_purchase_days"] == 23.5


def test_segments_in_spec_order_with_zero_rows(open_client: TestClient) -> None:
    body = open_client.get("/api/customers/segments", params=NOVEMBER).json()
    assert [s["segment"] for s in body["segments"]] == [
        "lost",
        "at_risk",
        "champions",
        "loyal",
        "promising",
        "first_timer",
        "one_time",
    ]
    assert body["segments"][1] == {
        "segment": "at_risk",
        "customers": 1,
        "revenue": 100,
        "avg_orders": 2,
        "avg_recency_days": 58,
    }


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/customers/cohorts", {"months": "0"}, "months"),
        ("/api/customers/cohorts", {"months": "37"}, "months"),
        ("/api/customers/cohorts", {"months": "twelve"}, "months"),
        ("/api/customers/segments", {"sales_type": "wholesale"}, "sales_type"),
        ("/api/customers/cohorts", {"start_date": "2026-11-31", "end_date": "2026-12-01"}, "start_date"),
    ],
)
def test_bad_parameters_are_a_400(
    open_client: TestClient, path: str, params: dict[str, str], field: str
) -> None:
    response = open_client.get(path, params=params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_an_open_dashboard_has_no_contact_list(open_client: TestClient) -> None:
    response = open_client.get("/api/customers/list", params=NOVEMBER)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert "380" not in response.text


def test_an_approved_user_who_is_not_an_admin_gets_a_403(login_client: TestClient, clock: FixedClock) -> None:
    log_in(login_client, APPROVED, clock)
    assert login_client.get("/api/customers/segments", params=NOVEMBER).status_code == 200
    for params in (NOVEMBER, {**NOVEMBER, "format": "csv"}, {"segment": "bogus"}):
        response = login_client.get("/api/customers/list", params=params)
        assert response.status_code == 403
        assert "@example.com" not in response.text


def test_without_a_session_the_list_is_a_401(login_client: TestClient) -> None:
    assert login_client.get("/api/customers/list", params=NOVEMBER).status_code == 401


def test_an_admin_reads_the_at_risk_calling_list_as_json_and_csv(
    login_client: TestClient, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    log_in(login_client, ADMIN, clock)
    body = login_client.get("/api/customers/list", params={**NOVEMBER, "segment": "at_risk"}).json()
    assert body["segment"] == "at_risk" and body["limit"] == 50
    assert body["customers"] == [
        {
            "buyer_id": 3,
            "name": "Buyer C",
            "phone": "380670000333",
            "email": "c@example.com",
            "orders": 2,
            "revenue": 100,
            "first_order": "2026-10-03",
            "last_order": "2026-10-03",
            "recency_days": 58,
            "interval_days": 0,
        }
    ]
    everyone = login_client.get("/api/customers/list", params={**NOVEMBER, "limit": "2"}).json()
    assert [c["buyer_id"] for c in everyone["customers"]] == [1, 3]
    response = login_client.get("/api/customers/list", params={**NOVEMBER, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "ksales_customers_list_2026-11-01_2026-11-30.csv" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["buyer_id"], r["name"], r["phone"]) for r in rows][:2] == [
        ("1", "Buyer A", "380500000001"),
        ("3", "Buyer C", "380670000333"),
    ]
    assert rows[0]["interval_days"] == "38"  # 5 Sep → 20 Nov is 76 days over 2 intervals
    for bad in ({"segment": "bogus"}, {"limit": "0"}, {"limit": "501"}):
        answer = login_client.get("/api/customers/list", params={**NOVEMBER, **bad})
        assert answer.status_code == 400, bad
        assert answer.json()["field"] == next(iter(bad))
    assert "380670000333" not in caplog.text and "c@example.com" not in caplog.text
