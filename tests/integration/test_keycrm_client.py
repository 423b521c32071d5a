"""KeyCrmClient against the fake KeyCRM over real HTTP: paging, windows, retries, errors, the rate limit."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from ksales.adapters.keycrm.client import KeyCrmClient, keycrm_between
from ksales.domain.errors import CrmRejected, CrmUnavailable
from ksales.domain.model import Order
from ksales.domain.search import OrderQuery
from ksales.ports.crm import TimeWindow, WindowField
from tests.integration.fake_keycrm import (
    API_KEY,
    FakeKeyCrm,
    FakeTime,
    Fault,
    make_shop,
    serving,
    shop_dictionaries,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
EVERYTHING = TimeWindow(NOW - timedelta(days=400), NOW + timedelta(days=1))


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[FakeKeyCrm, str]]:
    fake = FakeKeyCrm()
    with serving(fake) as url:
        yield fake, url


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def fake(server: tuple[FakeKeyCrm, str], time: FakeTime) -> FakeKeyCrm:
    fake = server[0]
    fake.rate_limit, fake.window, fake.clock = 100_000, 60.0, time.monotonic
    fake.load(shop_dictionaries(), make_shop(7, 120, NOW, 60))
    return fake


@pytest.fixture
async def client(fake: FakeKeyCrm, time: FakeTime) -> AsyncIterator[KeyCrmClient]:
    crm = KeyCrmClient(
        fake.base_url, API_KEY, 1000, "Brand", sleep=time.sleep, clock=time.monotonic,
        rng=random.Random(1), timeout=0.5, max_attempts=4,
    )  # fmt: skip
    yield crm
    await crm.aclose()


async def collect(crm: KeyCrmClient, window: TimeWindow, by: WindowField) -> dict[int, Order]:
    found: dict[int, Order] = {}
    async for page in crm.orders(window, by):
        assert not page.skipped
        for order in page.orders:
            assert order.id not in found
            found[order.id] = order
    return found


async def test_pages_through_every_order_in_the_vendor_shapes(fake: FakeKeyCrm, client: KeyCrmClient) -> None:
    assert await collect(client, EVERYTHING, WindowField.CREATED) == fake.orders
    # statuses once (for orders carrying no status group), then ceil(120 / 50) pages
    assert client.requests == 1 + 3
    assert fake.paths[-3:] == ["/v1/order"] * 3


async def test_consecutive_windows_neither_miss_nor_double_count(
    fake: FakeKeyCrm, client: KeyCrmClient
) -> None:
    edge = NOW - timedelta(days=3)
    rng = random.Random(3)
    from tests.integration.fake_keycrm import make_order

    for i, offset in enumerate([0, -1, 1, 86399, 86400, 86401, -86400]):
        fake.put(make_order(rng, 1000 + i, edge + timedelta(seconds=offset), NOW))
    cuts = [
        edge - timedelta(days=2),
        edge - timedelta(days=1),
        edge,
        edge + timedelta(days=1, microseconds=500),
    ]
    seen: dict[int, int] = {}
    for start, end in zip([EVERYTHING.start, *cuts], [*cuts, EVERYTHING.end], strict=True):
        for order_id in await collect(client, TimeWindow(start, end), WindowField.CREATED):
            seen[order_id] = seen.get(order_id, 0) + 1
    assert seen == dict.fromkeys(fake.orders, 1)


def test_the_filter_maps_half_open_windows_to_inclusive_seconds() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert keycrm_between(TimeWindow(start, start + timedelta(days=7))) == (
        "2026-01-01 00:00:00, 2026-01-07 23:59:59"
    )
    assert keycrm_between(
        TimeWindow(start + timedelta(microseconds=1), start + timedelta(seconds=2, microseconds=1))
    ) == ("2026-01-01 00:00:01, 2026-01-01 00:00:02")
    kyiv = start.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Kyiv"))
    assert (
        keycrm_between(TimeWindow(kyiv, kyiv + timedelta(seconds=1)))
        == "2026-01-01 00:00:00, 2026-01-01 00:00:00"
    )
    assert keycrm_between(TimeWindow(start, start)) is None


async def test_filters_and_includes_survive_every_page(fake: FakeKeyCrm, client: KeyCrmClient) -> None:
    window = TimeWindow(NOW - timedelta(days=30), NOW)
    found = await collect(client, window, WindowField.UPDATED)
    expected = {
        o.id for o in fake.orders.values() if o.updated_at and window.start <= o.updated_at < window.end
    }
    assert set(found) == expected and len(expected) > 50
    assert all(found[i] == fake.orders[i] for i in found)


async def test_dictionaries(fake: FakeKeyCrm, client: KeyCrmClient) -> None:
    assert await client.dictionaries() == fake.dictionaries


async def test_search_by_id_phone_and_email(fake: FakeKeyCrm, client: KeyCrmClient) -> None:
    order = next(o for o in fake.orders.values() if o.buyer is not None)
    assert order.buyer is not None and order.buyer.email and order.buyer.phone
    by_id = await client.search_orders(OrderQuery.parse(f"#{order.id}"))
    assert by_id.orders == (order,) and by_id.total == 1
    assert (await client.search_orders(OrderQuery.parse("99999"))).orders == ()
    assert (await client.search_orders(OrderQuery.parse(order.buyer.email.upper()))).orders == (order,)
    assert (await client.search_orders(OrderQuery.parse(order.buyer.phone))).orders == (order,)
    buyer_orders = [o for o in fake.orders.values() if o.buyer and o.buyer.id == order.buyer.id]
    for other in buyer_orders:
        fake.put(attrs.evolve(other, buyer=order.buyer))
    result = await client.search_orders(OrderQuery.parse(order.buyer.email), limit=2)
    assert result.total == len(buyer_orders) and len(result.orders) == min(2, len(buyer_orders))
    assert [o.placed_at for o in result.orders] == sorted((o.placed_at for o in result.orders), reverse=True)


async def test_retries_5xx_429_and_stalls_then_succeeds(
    fake: FakeKeyCrm, client: KeyCrmClient, time: FakeTime
) -> None:
    fake.fail(1, Fault(503))
    fake.fail(2, Fault(429, retry_after="7"))
    fake.fail(3, Fault(502, stall=0.0))
    fake.fail(5, Fault(200, stall=1.5))  # held past the client's 0.5 s timeout
    started = time.now
    assert await client.dictionaries() == fake.dictionaries
    assert client.requests == fake.received == 6 + 4
    assert time.now - started >= 7  # Retry-After honoured


async def test_gives_up_after_the_attempts_without_leaking_the_key(
    fake: FakeKeyCrm, client: KeyCrmClient
) -> None:
    for n in range(1, 5):
        fake.fail(n, Fault(500))
    with pytest.raises(CrmUnavailable) as caught:
        await client.dictionaries()
    assert "after 4 attempts" in str(caught.value) and "HTTP 500" in str(caught.value)
    assert "/order/source" in str(caught.value) and API_KEY not in str(caught.value)


async def test_other_4xx_fail_at_once(fake: FakeKeyCrm, client: KeyCrmClient) -> None:
    fake.fail(1, Fault(422))
    with pytest.raises(CrmRejected, match="HTTP 422"):
        await collect(client, EVERYTHING, WindowField.CREATED)
    assert fake.received == 1


async def test_a_wrong_key_is_rejected_and_never_shown(fake: FakeKeyCrm, time: FakeTime) -> None:
    crm = KeyCrmClient(fake.base_url, "wrong-key-456", 60, sleep=time.sleep, clock=time.monotonic)
    try:
        with pytest.raises(CrmRejected) as caught:
            await crm.dictionaries()
    finally:
        await crm.aclose()
    assert "HTTP 401" in str(caught.value) and "KEYCRM_API_KEY" in str(caught.value)
    assert "wrong-key-456" not in str(caught.value) + repr(crm)
    assert fake.received == 1


async def test_connection_errors_become_crm_unavailable(time: FakeTime) -> None:
    crm = KeyCrmClient(
        "http://127.0.0.1:9/v1", API_KEY, 60, sleep=time.sleep, clock=time.monotonic, max_attempts=2
    )
    try:
        with pytest.raises(CrmUnavailable, match="connection failed"):
            await crm.dictionaries()
    finally:
        await crm.aclose()
    assert crm.requests == 2


async def test_the_limiter_keeps_under_the_servers_rolling_minute(fake: FakeKeyCrm, time: FakeTime) -> None:
    fake.rate_limit = 10
    crm = KeyCrmClient(fake.base_url, API_KEY, 10, sleep=time.sleep, clock=time.monotonic)
    started = time.now
    try:
        for _ in range(4):
            assert await collect(crm, EVERYTHING, WindowField.CREATED) == fake.orders
    finally:
        await crm.aclose()
    assert fake.rejected_429 == 0
    assert crm.requests == 13
    assert 60 <= time.now - started <= 61  # the 11th request waits for the first minute to pass
