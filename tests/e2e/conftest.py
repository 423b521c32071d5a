"""The dashboard over in-memory fakes: the hand-made shop of tests/shop.py, a fixed clock, an empty CRM."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from starlette.testclient import TestClient

from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.model import Order
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import create_app
from ksales.ports.store import OrderChanges
from tests.containers import on_fakes
from tests.e2e.fake_telegram import FakeTelegram
from tests.shop import DICTIONARIES, NOW, ORDERS

#: The settings that give tests/shop.py its rules (B2B manager 15, source 9 excluded, status 42 canceled).
SHOP_ENV = {
    "KSALES_B2B_MANAGER_IDS": "15",
    "KSALES_EXCLUDED_SOURCE_IDS": "9",
    "KSALES_CANCELED_STATUS_IDS": "42",
    "KSALES_SYNC_INTERVAL": "0",
    "KSALES_MILESTONES_DAILY": "1000,2000,5000",
    # The assertions read English; tests of the Ukrainian texts ask for it.
    "KSALES_LANGUAGE": "en",
}


def shop_store(settings: Settings, orders: tuple[Order, ...] = ORDERS) -> InMemorySalesStore:
    store = InMemorySalesStore(settings.rules)
    store.save_dictionaries(DICTIONARIES)
    store.apply(OrderChanges(upserts=orders))
    return store


def make_container(
    env: Mapping[str, str] | None = None,
    store: Any = None,
    users: InMemoryUserStore | None = None,
    clock: FixedClock | None = None,
) -> Container:
    settings = Settings.from_mapping({**SHOP_ENV, **(env or {})})
    # An empty CRM: the web tests never sync, but the sync service needs one.
    return on_fakes(
        Container(settings=settings),
        clock=clock or FixedClock(NOW),
        store=store if store is not None else shop_store(settings),
        users=users,
    )


@pytest.fixture
def container() -> Container:
    return make_container()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container, background=False)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    """A fake Telegram Bot API on loopback, one per test module (the bot tests talk to it)."""
    server = FakeTelegram().start()
    yield server
    server.stop()
