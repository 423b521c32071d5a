"""Alerts to admins through the fake Bot API, against a fake KeyCRM that fails, answers 401, and recovers."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from dependency_injector import providers

from ksales.adapters.keycrm.client import KeyCrmClient
from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.language import Language
from ksales.entrypoints.bot.jobs import ALERTS_JOB
from ksales.entrypoints.container import Container
from ksales.entrypoints.runtime import sync_once
from ksales.entrypoints.settings import Secret, Settings
from tests.e2e.fake_telegram import BotThread, FakeTelegram, TgUser
from tests.integration.fake_keycrm import API_KEY, FakeKeyCrm, FakeTime, make_shop, serving, shop_dictionaries

ADMIN = TgUser(1, "Admin", "boss")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
FAILING = "The sync with KeyCRM is failing"
REJECTED = "KeyCRM rejects the API key"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
def keycrm() -> Iterator[FakeKeyCrm]:
    crm = FakeKeyCrm()
    with serving(crm):
        crm.load(shop_dictionaries(), make_shop(3, 20, NOW, 10))
        yield crm


class Service:
    """One run of the service (a process): its own container, health board and bot; the store outlives it."""

    def __init__(
        self, fake: FakeTelegram, keycrm: FakeKeyCrm, store: InMemorySalesStore, clock: FixedClock, data: Path
    ):
        settings = Settings(
            bot_token=Secret(fake.token),
            telegram_api_base_url=fake.base_url,
            admin_user_ids=frozenset({ADMIN.id}),
            data_dir=data,
            keycrm_api_key=Secret(API_KEY),
            keycrm_base_url=keycrm.base_url,
            language=Language.EN,
        )
        self.container = Container(settings=settings)
        self.container.sales_store.override(providers.Object(store))
        self.container.user_store.override(providers.Object(InMemoryUserStore()))
        self.container.clock.override(providers.Object(clock))
        fake_time = FakeTime()
        client = KeyCrmClient(
            keycrm.base_url, API_KEY, 100_000, "Brand", sleep=fake_time.sleep, clock=fake_time.monotonic,
            rng=random.Random(1), timeout=2.0, max_attempts=2, status=self.container.health(),
        )  # fmt: skip
        self.container.crm.override(providers.Object(client))
        self.client = client
        self.bot = BotThread(self.container).start()

    def sync(self) -> None:
        self.bot.call(sync_once(self.container.sync(), self.container.health(), 30))

    def stop(self) -> None:
        self.bot.call(self.client.aclose())
        self.bot.stop()


def alerts(fake: FakeTelegram, since: int) -> list[str]:
    return [t for t in fake.texts_to(ADMIN.id, since=since) if t.startswith(("🚨", "✅"))]


def test_alerts_start_and_clear_once_each_without_a_storm(
    fake: FakeTelegram, keycrm: FakeKeyCrm, tmp_path: Path
) -> None:
    store, clock = InMemorySalesStore(), FixedClock(NOW)
    service = Service(fake, keycrm, store, clock, tmp_path)
    mark = fake.mark()
    service.sync()
    service.bot.run_job(ALERTS_JOB)
    assert alerts(fake, mark) == []

    keycrm.go_down()  # 503s
    for _ in range(2):
        clock.advance(timedelta(minutes=1))
        service.sync()
        service.bot.run_job(ALERTS_JOB)
    assert alerts(fake, mark) == []  # two failures are no alert yet
    clock.advance(timedelta(minutes=1))
    service.sync()
    service.bot.run_job(ALERTS_JOB)
    assert [a[2:].startswith(FAILING) for a in alerts(fake, mark)] == [True]

    # The fault persists for an hour of fake time: the job runs every minute, the sync every 5.
    for minute in range(60):
        clock.advance(timedelta(minutes=1))
        if minute % 5 == 0:
            service.sync()
        service.bot.run_job(ALERTS_JOB)
    assert len(alerts(fake, mark)) == 1

    # Now KeyCRM answers 401: the key alert at once.
    keycrm.come_back()
    keycrm.api_key = "revoked"
    service.sync()
    service.bot.run_job(ALERTS_JOB)
    assert alerts(fake, mark)[1:] == ["🚨 KeyCRM rejects the API key (KEYCRM_API_KEY): the sync has stopped."]

    # A restart repeats nothing and forgets nothing.
    service.stop()
    service = Service(fake, keycrm, store, clock, tmp_path)
    restarted = fake.mark()
    service.bot.run_job(ALERTS_JOB)
    service.sync()
    service.bot.run_job(ALERTS_JOB)
    assert alerts(fake, restarted) == []

    # The key is accepted again and the sync works: each alert clears, once.
    keycrm.api_key = API_KEY
    clock.advance(timedelta(minutes=30))
    service.sync()
    for _ in range(5):
        service.bot.run_job(ALERTS_JOB)
        clock.advance(timedelta(minutes=1))
    assert sorted(alerts(fake, restarted)) == [
        "✅ KeyCRM accepts the API key again.",
        "✅ The sync with KeyCRM works again.",
    ]
    service.stop()
