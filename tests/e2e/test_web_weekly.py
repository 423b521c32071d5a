"""`GET /api/weekly` on the hand-worked 14-week shop: the figures, the week parameter, CSV, refusals, auth."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.domain.rules import SalesType
from ksales.domain.weekly import WeeklyReport
from ksales.entrypoints.container import Container
from ksales.entrypoints.serialize import from_json
from ksales.entrypoints.web import create_app
from ksales.ports.store import OrderChanges
from tests.e2e.conftest import make_container
from tests.unit.test_weekly_report import WEEK, shop

KYIV = ZoneInfo("Europe/Kyiv")
#: Wednesday 2 Dec 2026: the last complete week is 23–29 Nov.
NOW = datetime(2026, 12, 2, 10, tzinfo=KYIV)
LOGIN = {
    "BOT_TOKEN": "123456:TEST-token",
    "ADMIN_USER_IDS": "1",
    "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/b",
}


def weekly_container(env: dict[str, str] | None = None) -> Container:
    container = make_container(env, clock=FixedClock(NOW))
    store = InMemorySalesStore(container.settings().rules)
    store.apply(OrderChanges(upserts=tuple(shop())))
    container.sales_store.override(store)  # type: ignore[arg-type]
    return container


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(weekly_container(), background=False)) as test_client:
        yield test_client


def test_the_last_complete_week_by_default(client: TestClient) -> None:
    body = client.get("/api/weekly").json()
    assert body["week"] == {"start": "2026-11-23", "end": "2026-11-29", "kind": "custom"}
    assert body["sales_type"] == "retail"
    assert (body["orders"], body["revenue"], body["avg_check"]) == (4, 2000, 500)
    assert body["decomposition"] == {"change": 1000, "orders_effect": 333.33, "check_effect": 666.67}
    assert body["z_score"] == 3.6 and body["unusual"] is True
    assert body["history"][-1] == {"monday": "2026-11-23", "revenue": 2000}
    assert [g["name"] for g in body["gainers"]] == ["Alpha", "Delta", "Epsilon"]
    report = from_json(WeeklyReport, body)
    assert report.week == WEEK and report.revenue == 2000


def test_any_day_of_an_ended_week_names_it(client: TestClient) -> None:
    body = client.get("/api/weekly", params={"week": "2026-11-18", "sales_type": "all"}).json()
    assert body["week"]["start"] == "2026-11-16" and body["sales_type"] == "all"
    assert body["revenue"] == 1000  # the week before the report week


@pytest.mark.parametrize(
    "params",
    [
        {"week": "2026-11-30"},  # this week has not ended
        {"week": "2026-12-25"},
        {"week": "9999-12-31"},
        {"week": "0001-01-01"},
        {"week": "yesterday"},
        {"week": "2026-02-30"},
        {"sales_type": "wholesale"},
    ],
)
def test_bad_parameters_are_a_clear_400(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/weekly", params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_parameter" and body["field"] == next(iter(params))


def test_the_csv_is_the_12_weeks_with_the_mean(client: TestClient) -> None:
    response = client.get("/api/weekly", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "ksales_weekly_2026-11-23_2026-11-29.csv" in response.headers["content-disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "week_start,revenue,mean_of_4_weeks_before"
    assert len(lines) == 13
    assert lines[-1] == "2026-11-23,2000,1000"


def test_it_needs_a_session_or_a_token_like_every_api_route() -> None:
    container = weekly_container(LOGIN)
    with TestClient(create_app(container, background=False)) as client:
        assert client.get("/api/weekly").status_code == 401
        headers = {"Authorization": f"Bearer {container.local_secret()}"}
        assert client.get("/api/weekly", headers=headers).json()["sales_type"] == SalesType.RETAIL.value
