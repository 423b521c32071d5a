"""Fault injection (SPEC §8, issue 9): KeyCRM or Telegram down at start or mid-run — the dashboard answers
200 throughout, /api/health says `degraded` with the reason, and everything recovers without a restart,
with nothing lost. Real HTTP on loopback to the fake KeyCRM and the fake Bot API; waits are on conditions.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from dependency_injector import providers
from starlette.testclient import TestClient

from ksales.adapters.keycrm.client import KeyCrmClient
from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.model import Order
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import create_app
from ksales.entrypoints.web.auth import telegram_hash
from ksales.ports.store import OrderChanges
from ksales.services.health import Backoff
from tests.e2e.fake_telegram import FakeTelegram, TgUser
from tests.integration.fake_keycrm import API_KEY, FakeKeyCrm, FakeTime, make_shop, serving, shop_dictionaries

T = TypeVar("T")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OWNER = TgUser(5, "Owner")


def eventually(check: Callable[[], T | None], what: str, timeout: float = 30) -> T:
    """Poll `check` until it returns something truthy (the system works in background threads)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def health(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/health")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def degraded_by(client: TestClient, component: str) -> bool:
    body = health(client)
    return body["status"] == "degraded" and any(r.startswith(f"{component}:") for r in body["reasons"])


def healthy(client: TestClient) -> bool:
    return health(client)["status"] == "ok"


def dashboard_answers(client: TestClient) -> None:
    for path in ("/", "/api/summary", "/api/revenue/trend", "/api/sales/by-source"):
        assert client.get(path, params={"period": "last_28_days"}).status_code == 200, path


# --- KeyCRM -------------------------------------------------------------------------------------


@pytest.fixture
def keycrm() -> Iterator[FakeKeyCrm]:
    fake = FakeKeyCrm()
    with serving(fake):
        fake.load(shop_dictionaries(), make_shop(3, 120, NOW, 60))
        yield fake


def keycrm_container(fake: FakeKeyCrm, store: InMemorySalesStore) -> Container:
    settings = Settings.from_mapping(
        {"KEYCRM_API_KEY": API_KEY, "KEYCRM_BASE_URL": fake.base_url, "KSALES_SYNC_INTERVAL": "1"}
    )
    container = Container(settings=settings)
    container.sales_store.override(providers.Object(store))
    container.user_store.override(providers.Object(InMemoryUserStore()))
    container.clock.override(providers.Object(FixedClock(NOW)))
    # Retries back off on a fake clock: a 503 storm costs no real waiting.
    fake_time = FakeTime()
    client = KeyCrmClient(
        fake.base_url, API_KEY, 100_000, "Brand", sleep=fake_time.sleep, clock=fake_time.monotonic,
        rng=random.Random(1), timeout=2.0, max_attempts=3,
    )  # fmt: skip
    container.crm.override(providers.Object(client))
    return container


def same_as_crm(store: InMemorySalesStore, fake: FakeKeyCrm) -> bool:
    return {o.id: o.grand_total for o in store.orders.values()} == {
        o.id: o.grand_total for o in fake.orders.values()
    }


def test_keycrm_down_at_start_then_back(keycrm: FakeKeyCrm) -> None:
    keycrm.go_down()
    store = InMemorySalesStore()
    with TestClient(create_app(keycrm_container(keycrm, store))) as client:
        eventually(lambda: degraded_by(client, "sync"), "the failed first sync to show in health")
        dashboard_answers(client)
        assert health(client)["store"]["last_sync_ok"] is False
        keycrm.come_back()
        eventually(lambda: healthy(client), "recovery after KeyCRM came back")
        dashboard_answers(client)
        assert same_as_crm(store, keycrm)
        assert health(client)["store"]["last_sync_ok"] is True


def test_keycrm_down_in_the_middle_of_a_sync_loses_nothing(keycrm: FakeKeyCrm) -> None:
    store = InMemorySalesStore()
    keycrm.go_down(after=12)  # dictionaries and a few windows, then nothing
    with TestClient(create_app(keycrm_container(keycrm, store))) as client:
        eventually(lambda: degraded_by(client, "sync"), "the broken sync to show in health")
        dashboard_answers(client)
        # An order placed meanwhile must arrive too.
        keycrm.put(Order(990_001, 1, Decimal("123.45"), ordered_at=NOW, created_at=NOW, updated_at=NOW))
        keycrm.come_back()
        eventually(lambda: healthy(client) and same_as_crm(store, keycrm), "a complete store after recovery")
        dashboard_answers(client)


# --- Telegram -----------------------------------------------------------------------------------


def telegram_container(fake: FakeTelegram) -> Container:
    settings = Settings.from_mapping(
        {
            "BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "ADMIN_USER_IDS": str(OWNER.id),
            "KSALES_SYNC_INTERVAL": "0",
            "KSALES_LANGUAGE": "en",  # the assertions read English
        }
    )
    container = Container(settings=settings)
    store = InMemorySalesStore()
    # A store with orders: the runtime then starts no sync; only the bot talks to the outside.
    store.apply(OrderChanges(upserts=(Order(1, 1, Decimal(100), created_at=NOW),)))
    container.sales_store.override(providers.Object(store))
    container.user_store.override(providers.Object(InMemoryUserStore()))
    container.clock.override(providers.Object(FixedClock(NOW)))
    container.bot_backoff.override(providers.Object(Backoff(first=0.05, cap=0.5)))
    return container


def log_in(client: TestClient, token: str) -> None:
    """Sign in as the owner with widget data signed for `token` (checked locally: no Telegram needed)."""
    fields = {"id": str(OWNER.id), "first_name": "Owner", "auth_date": str(int(NOW.timestamp()))}
    response = client.get("/auth/telegram/callback", params={**fields, "hash": telegram_hash(fields, token)})
    assert response.status_code == 200, response.text  # followed the redirect to the page


def bot_answers(fake: FakeTelegram) -> None:
    mark = fake.send(OWNER, "/help")
    fake.message(OWNER.id, "/report", mark, timeout=30)


def test_telegram_down_at_start_then_back(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeTelegram(token="424242:SECRET-token")  # not started: nothing listens on its port yet
    try:
        with TestClient(create_app(telegram_container(fake))) as client:
            eventually(lambda: degraded_by(client, "telegram"), "Telegram's outage to show in health")
            log_in(client, fake.token)
            dashboard_answers(client)
            login = client.get("/login")
            assert login.status_code == 200
            assert "temporarily unavailable" in login.text
            fake.start()
            eventually(lambda: healthy(client), "the bot to reach Telegram")
            bot_answers(fake)
            assert "telegram-widget.js" in client.get("/login").text
    finally:
        fake.stop()
    downs = [r for r in caplog.records if "telegram is down" in r.getMessage()]
    assert len(downs) == 1, [r.getMessage() for r in downs]  # one line per change of state, not per try
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("ksales"))
    assert "SECRET-token" not in caplog.text


def test_telegram_down_mid_run_then_back(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeTelegram(token="424242:SECRET-token").start()
    try:
        with TestClient(create_app(telegram_container(fake))) as client:
            eventually(lambda: any(c.method == "deleteWebhook" for c in fake.calls), "polling to start")
            bot_answers(fake)
            assert healthy(client)
            log_in(client, fake.token)
            fake.stop()
            eventually(lambda: degraded_by(client, "telegram"), "the outage to show in health")
            dashboard_answers(client)
            fake.start()
            eventually(lambda: healthy(client), "polling to recover", timeout=60)
            bot_answers(fake)
    finally:
        fake.stop()
    assert "SECRET-token" not in caplog.text


def test_a_rejected_bot_token_degrades_but_serves() -> None:
    fake = FakeTelegram(token="424242:the-real-one").start()
    try:
        container = telegram_container(fake)
        container.settings.override(
            providers.Object(
                Settings.from_mapping(
                    {
                        "BOT_TOKEN": "424242:revoked",
                        "TELEGRAM_API_BASE_URL": fake.base_url,
                        "ADMIN_USER_IDS": str(OWNER.id),
                        "KSALES_SYNC_INTERVAL": "0",
                    }
                )
            )
        )
        with TestClient(create_app(container)) as client:
            body = eventually(
                lambda: (b := health(client))["status"] == "degraded" and b, "the rejected token in health"
            )
            assert any("rejects BOT_TOKEN" in r for r in body["reasons"])
            assert "revoked" not in str(body).replace("(revoked or mistyped?)", "")
            log_in(client, "424242:revoked")
            dashboard_answers(client)
    finally:
        fake.stop()
