"""Stock snapshots from the fake KeyCRM over HTTP: paging, request count, missed days, catch-up at start."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dependency_injector import providers

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.keycrm.client import KeyCrmClient
from ksales.adapters.memory import FixedClock, InMemorySalesStore, InMemoryUserStore
from ksales.domain.rules import Rules
from ksales.entrypoints.container import Container
from ksales.entrypoints.runtime import background
from ksales.entrypoints.settings import Settings
from ksales.services.health import Backoff
from ksales.services.stocks import StockSnapshots
from tests.integration.fake_keycrm import (
    API_KEY,
    FakeKeyCrm,
    FakeTime,
    make_stock,
    serving,
    shop_dictionaries,
)

KYIV = ZoneInfo("Europe/Kyiv")
DAY = date(2026, 3, 10)
OFFERS = 123  # three pages of 50


def kyiv(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=KYIV)


@pytest.fixture
def keycrm() -> Iterator[FakeKeyCrm]:
    fake = FakeKeyCrm()
    with serving(fake):
        fake.load(shop_dictionaries(), [])
        fake.load_stock(make_stock(5, OFFERS))
        yield fake


def snapshots_over(keycrm: FakeKeyCrm, store: DuckDbSalesStore, clock: FixedClock) -> StockSnapshots:
    client = KeyCrmClient(keycrm.base_url, API_KEY, rate_limit=100_000, timeout=5.0)
    return StockSnapshots(client, store, clock, KYIV)


async def take(snapshots: StockSnapshots) -> int:
    try:
        return (await snapshots.take()).requests
    finally:
        await snapshots.crm.aclose()


def test_a_snapshot_reads_every_page_of_stocks_and_offers_into_the_store(
    keycrm: FakeKeyCrm, tmp_path: Path
) -> None:
    store = DuckDbSalesStore(tmp_path / "analytics.duckdb", Rules(timezone=KYIV))
    clock = FixedClock(kyiv(DAY, 1, 10))
    try:
        requests = asyncio.run(take(snapshots_over(keycrm, store, clock)))
        pages = math.ceil(OFFERS / 50)
        assert requests == keycrm.received == 2 * pages
        assert keycrm.paths.count("/v1/offers/stocks") == keycrm.paths.count("/v1/offers") == pages
        snapshot = store.stock_snapshot(DAY)
        assert snapshot is not None and snapshot.rows == tuple(keycrm.stock.values())
        assert snapshot.taken_at == clock.now()
    finally:
        store.close()


def test_a_missed_day_stays_missing_and_retaking_a_day_replaces_it(
    keycrm: FakeKeyCrm, tmp_path: Path
) -> None:
    store = DuckDbSalesStore(tmp_path / "analytics.duckdb", Rules(timezone=KYIV))
    clock = FixedClock(kyiv(DAY, 2))
    try:
        asyncio.run(take(snapshots_over(keycrm, store, clock)))
        clock.advance(timedelta(days=2))  # the service was down all of the 11th
        keycrm.load_stock(make_stock(6, 60))
        asyncio.run(take(snapshots_over(keycrm, store, clock)))
        clock.advance(timedelta(hours=5))
        keycrm.load_stock(make_stock(7, 40))
        asyncio.run(take(snapshots_over(keycrm, store, clock)))
        assert store.stock_snapshot_days() == [DAY, DAY + timedelta(days=2)]
        assert store.stock_snapshot(DAY + timedelta(days=1)) is None
        assert snapshots_over(keycrm, store, clock).missing_days() == [DAY + timedelta(days=1)]
        latest = store.latest_stock_snapshot()
        assert latest is not None and len(latest.rows) == 40 and latest.taken_at == clock.now()
        first = store.stock_snapshot(DAY)
        assert first is not None and len(first.rows) == OFFERS
    finally:
        store.close()


# --- beside the service -------------------------------------------------------------------------


def service(keycrm: FakeKeyCrm, store: InMemorySalesStore, clock: FixedClock, interval: str) -> Container:
    settings = Settings.from_mapping(
        {
            "KEYCRM_API_KEY": API_KEY,
            "KEYCRM_BASE_URL": keycrm.base_url,
            "KSALES_SYNC_INTERVAL": interval,
            # The first full sync of the empty store shares the limiter: no real minute's wait.
            "KEYCRM_RATE_LIMIT": "100000",
        }
    )
    container = Container(settings=settings)
    container.sales_store.override(providers.Object(store))
    container.user_store.override(providers.Object(InMemoryUserStore()))
    container.clock.override(providers.Object(clock))
    container.stock_check_every.override(providers.Object(0.01))
    return container


async def run_for(container: Container, clock: FixedClock, steps: list[timedelta]) -> None:
    async with background(container, with_bot=False):
        for step in steps:
            await asyncio.sleep(0.3)
            clock.advance(step)
        await asyncio.sleep(0.3)


def test_the_service_catches_up_at_start_and_then_takes_one_a_day(keycrm: FakeKeyCrm) -> None:
    store = InMemorySalesStore(Rules(timezone=KYIV))
    clock = FixedClock(kyiv(DAY, 15))  # started in the afternoon: today's is missing
    container = service(keycrm, store, clock, interval="0")  # the snapshot keeps its own clock
    # into the evening, past midnight (not due before 01:00), then 01:00 of the next day
    steps = [timedelta(hours=4), timedelta(hours=5, minutes=59), timedelta(minutes=1), timedelta(hours=3)]
    asyncio.run(run_for(container, clock, steps))
    assert store.stock_snapshot_days() == [DAY, DAY + timedelta(days=1)]
    taken = [store.snapshots[d].taken_at for d in store.stock_snapshot_days()]
    assert taken == [kyiv(DAY, 15), kyiv(DAY + timedelta(days=1), 1)]
    assert keycrm.paths.count("/v1/offers/stocks") == 2 * math.ceil(OFFERS / 50)


def test_before_0100_the_service_waits_and_a_failure_is_retried(keycrm: FakeKeyCrm) -> None:
    store = InMemorySalesStore(Rules(timezone=KYIV))
    clock = FixedClock(kyiv(DAY, 0, 30))
    container = service(keycrm, store, clock, interval="0")
    container.stock_backoff.override(providers.Object(Backoff(0.01, 0.01)))
    fake_time = FakeTime()  # the client's retries back off on a fake clock: a 503 costs no real waiting
    client = KeyCrmClient(
        keycrm.base_url, API_KEY, 100_000, sleep=fake_time.sleep, clock=fake_time.monotonic, max_attempts=2
    )
    container.crm.override(providers.Object(client))
    keycrm.go_down()

    async def run() -> None:
        async with background(container, with_bot=False):
            await asyncio.sleep(0.3)
            assert store.stock_snapshot_days() == [] and "/v1/offers/stocks" not in keycrm.paths
            clock.advance(timedelta(minutes=30))
            await asyncio.sleep(1.0)
            assert any(r.startswith("stocks:") for r in container.health().reasons())
            keycrm.come_back()
            for _ in range(100):
                if store.stock_snapshot_days():
                    break
                await asyncio.sleep(0.05)
            assert store.stock_snapshot_days() == [DAY]
            assert not any(r.startswith("stocks:") for r in container.health().reasons())

    asyncio.run(run())


def test_a_snapshot_never_takes_more_than_half_the_rate_limit_in_any_minute(tmp_path: Path) -> None:
    fake_time = FakeTime()  # shared by the client's limiter and the server's log of arrivals
    keycrm = FakeKeyCrm(rate_limit=60, window=60.0, clock=fake_time.monotonic)
    store = InMemorySalesStore(Rules(timezone=KYIV))
    with serving(keycrm):
        keycrm.load(shop_dictionaries(), [])
        keycrm.load_stock(make_stock(5, 2_000))  # 40 pages of stock and 40 of offers
        client = KeyCrmClient(
            keycrm.base_url,
            API_KEY,
            rate_limit=60,
            timeout=5.0,
            clock=fake_time.monotonic,
            sleep=fake_time.sleep,
        )
        snapshots = StockSnapshots(client, store, FixedClock(kyiv(DAY, 2)), KYIV)
        assert asyncio.run(take(snapshots)) == 80
        times = keycrm.times
        busiest = max(sum(1 for t in times if start <= t < start + 60.0) for start in times)
        assert busiest == 30  # half of 60 a minute, and the half is used
        assert keycrm.rejected_429 == 0
        assert times[-1] - times[0] >= 60.0 * (80 // 30)  # 80 requests at 30 a minute take over 2 minutes
        latest = store.latest_stock_snapshot()
        assert latest is not None and len(latest.rows) == 2_000
