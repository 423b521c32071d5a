"""The dashboard over in-memory fakes: the hand-made shop of tests/shop.py, a fixed clock, no CRM calls."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

import pytest
from dependency_injector import providers
from starlette.testclient import TestClient

from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.model import Dictionaries, Order
from ksales.domain.search import OrderQuery
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import create_app
from ksales.ports.crm import OrderPage, SearchResult, TimeWindow, WindowField
from ksales.ports.store import OrderChanges
from tests.shop import DICTIONARIES, NOW, ORDERS

#: The settings that give tests/shop.py its rules (B2B manager 15, source 9 excluded, status 42 canceled).
SHOP_ENV = {
    "KSALES_B2B_MANAGER_IDS": "15",
    "KSALES_EXCLUDED_SOURCE_IDS": "9",
    "KSALES_CANCELED_STATUS_IDS": "42",
    "KSALES_SYNC_INTERVAL": "0",
    "KSALES_MILESTONES_DAILY": "1000,2000,5000",
}


class EmptyCrm:
    """A CRM with nothing in it: the web tests never sync, but the sync service needs one."""

    requests = 0

    async def dictionaries(self) -> Dictionaries:
        return Dictionaries()

    async def orders(self, window: TimeWindow, by: WindowField) -> AsyncIterator[OrderPage]:
        pages: tuple[OrderPage, ...] = ()
        for page in pages:
            yield page

    async def search_orders(self, query: OrderQuery, limit: int = 5) -> SearchResult:
        return SearchResult((), 0)

    async def aclose(self) -> None:
        return None


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
    container = Container(settings=settings)
    container.sales_store.override(providers.Object(store if store is not None else shop_store(settings)))
    container.clock.override(providers.Object(clock or FixedClock(NOW)))
    container.crm.override(providers.Object(EmptyCrm()))
    container.user_store.override(providers.Object(users or InMemoryUserStore()))
    return container


@pytest.fixture
def container() -> Container:
    return make_container()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container, background=False)) as test_client:
        yield test_client
