"""The bot's /search is answered within 2 s while a sync has a backlog (KeyCRM's limit is shared)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from ksales.adapters.keycrm.client import KeyCrmClient
from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.domain.search import OrderQuery, QueryKind
from ksales.services.sync import SyncService
from tests.integration.fake_keycrm import API_KEY, FakeKeyCrm, make_shop, serving, shop_dictionaries

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LIMIT = 20


class ManualTime:
    """Monotonic time that moves only when the test moves it; sleepers wake when it passes them."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.sleepers.append((self.now + seconds, future))
        await future

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for wake, future in self.sleepers:
            if wake <= self.now and not future.done():
                future.set_result(None)
        self.sleepers = [(w, f) for w, f in self.sleepers if not f.done()]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeKeyCrm]:
    fake = FakeKeyCrm()
    with serving(fake):
        yield fake


async def until(condition: object) -> None:
    """Let the event loop (and the HTTP round trips) run until `condition()` holds."""
    for _ in range(2000):
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.005)
    raise AssertionError("never happened")


async def test_a_search_goes_ahead_of_a_sync_backlog(server: FakeKeyCrm) -> None:
    time = ManualTime()
    server.load(shop_dictionaries(), make_shop(4, 400, NOW, 60))
    server.clock, server.rate_limit = time.monotonic, LIMIT
    crm = KeyCrmClient(
        server.base_url, API_KEY, LIMIT, sleep=time.sleep, clock=time.monotonic, rng=random.Random(1)
    )
    try:
        sync = SyncService(crm, InMemorySalesStore(), FixedClock(NOW))
        running = asyncio.create_task(sync.full(days=60))
        await until(lambda: time.sleepers)  # the sync used its share of the minute and queues for more
        backlog = server.received
        started = time.now
        result = await crm.search_orders(OrderQuery(QueryKind.ID, "7"))
        assert [o.id for o in result.orders] == [7]
        assert time.now - started <= 2.0 and server.received == backlog + 1
        while not running.done():
            time.advance(60.0)
            await asyncio.sleep(0.01)
        report = await running
        assert report.ok and sync.store.orders == server.orders  # type: ignore[attr-defined]
    finally:
        await crm.aclose()
    assert server.rejected_429 == 0
