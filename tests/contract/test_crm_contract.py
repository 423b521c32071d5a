"""InMemoryCrm answers the Crm port like DemoCrm, and like KeyCrmClient over HTTP, for the same shop.

Each real adapter's shop is loaded into an InMemoryCrm; then generated windows (either timestamp, to the
microsecond) and searches (by id, phone, e-mail, with limits) must get equal answers from both.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ksales.adapters.demo import DemoCrm
from ksales.adapters.keycrm.client import KeyCrmClient
from ksales.adapters.memory import FixedClock, InMemoryCrm
from ksales.domain.model import Buyer, Dictionaries, Order
from ksales.domain.search import OrderQuery
from ksales.ports.crm import TimeWindow, WindowField
from tests.contract.crm_checks import (
    assert_same_searches,
    assert_same_windows,
    metered,
    read_stock,
    searches,
    stamps,
    windows,
)
from tests.integration.fake_keycrm import (
    API_KEY,
    FakeKeyCrm,
    make_order,
    make_stock,
    serving,
    shop_dictionaries,
)

KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 3, 1, 12, 0, 30, 250_000, tzinfo=UTC)
DEMO_DAYS = 40
KEYCRM_DAYS = 20

# --- DemoCrm ------------------------------------------------------------------------------------


@cache
def demo_shop(seed: int) -> tuple[Dictionaries, tuple[Order, ...]]:
    demo = demo_crm(seed)
    return asyncio.run(demo.dictionaries()), tuple(demo.all_orders())


def demo_crm(seed: int) -> DemoCrm:
    return DemoCrm(FixedClock(NOW), seed=seed, timezone=KYIV, orders_per_year=3000, history_days=DEMO_DAYS)


@st.composite
def demo_cases(
    draw: st.DrawFn,
) -> tuple[int, list[tuple[TimeWindow, WindowField]], list[tuple[OrderQuery, int]]]:
    seed = draw(st.integers(0, 2), label="seed")
    _, orders = demo_shop(seed)
    reach = (NOW - timedelta(days=DEMO_DAYS + 3), NOW + timedelta(days=2))
    window_list = draw(st.lists(windows(*reach, timedelta(days=12), stamps(orders)), min_size=1, max_size=5))
    search_list = draw(st.lists(searches(orders), max_size=6))
    return seed, window_list, search_list


@given(case=demo_cases())
def test_in_memory_crm_answers_like_the_demo_shop(
    case: tuple[int, list[tuple[TimeWindow, WindowField]], list[tuple[OrderQuery, int]]],
) -> None:
    seed, window_list, search_list = case
    catalog, orders = demo_shop(seed)
    assert orders, "the demo shop should have orders in its history"

    async def compare() -> None:
        demo, fake = demo_crm(seed), InMemoryCrm(orders, catalog)
        with metered(demo):
            answer = await demo.dictionaries()
        with metered(fake):
            assert answer == await fake.dictionaries()
        await assert_same_windows(demo, fake, window_list)
        await assert_same_searches(demo, fake, search_list)

    asyncio.run(compare())


@given(seed=st.integers(0, 2), hours=st.integers(0, 24 * 9))
def test_in_memory_crm_answers_the_stock_like_the_demo_shop(seed: int, hours: int) -> None:
    demo = demo_crm(seed)
    demo.clock = FixedClock(NOW + timedelta(hours=hours))
    fake = InMemoryCrm(stock=demo.stock_now())
    assert asyncio.run(read_stock(demo)) == asyncio.run(read_stock(fake))


# --- KeyCrmClient over the fake KeyCRM ----------------------------------------------------------


@pytest.fixture(scope="module")
def keycrm() -> Iterator[FakeKeyCrm]:
    fake = FakeKeyCrm()
    with serving(fake):
        yield fake


#: Few buyers, so that searches by phone and e-mail find several orders (phones written variously).
BUYERS = (
    Buyer(1, "Olena", "Olena@Example.com", "+380501112233"),
    Buyer(2, "Taras", "taras@example.com", "+38 (067) 444-55-66"),
    Buyer(3, "Ivan", None, "380931234567"),
)


@st.composite
def keycrm_shops(draw: st.DrawFn) -> tuple[list[Order], dict[int, str]]:
    """Orders in whole seconds (as KeyCRM keeps them), numbered in placement order as KeyCRM numbers
    them, some of them unreadable (these have no buyer: no search finds them)."""
    rng = random.Random(draw(st.integers(0, 2**32), label="rng seed"))
    # Some orders share a second: searches then order them by id.
    seconds_ago = st.one_of(st.integers(0, KEYCRM_DAYS * 86400), st.sampled_from([3600, 7200]))
    offsets = sorted(draw(st.lists(seconds_ago, max_size=70)), reverse=True)
    start = NOW.replace(microsecond=0)
    orders = []
    for order_id, offset in enumerate(offsets, start=1):
        order = make_order(rng, order_id, start - timedelta(seconds=offset))
        buyer = draw(st.sampled_from((None, *BUYERS)))
        orders.append(attrs.evolve(order, buyer=buyer))
    broken = draw(st.sets(st.sampled_from([o.id for o in orders]), max_size=3) if orders else st.just(set()))
    orders = [attrs.evolve(o, buyer=None) if o.id in broken else o for o in orders]
    return orders, dict.fromkeys(broken, "unreadable ordered_at")


@given(shop=keycrm_shops(), data=st.data())
def test_in_memory_crm_answers_like_keycrm_over_http(
    keycrm: FakeKeyCrm, shop: tuple[list[Order], dict[int, str]], data: st.DataObject
) -> None:
    orders, unreadable = shop
    reach = (NOW - timedelta(days=KEYCRM_DAYS + 1), NOW + timedelta(hours=1))
    window_list = data.draw(
        st.lists(windows(*reach, timedelta(days=8), stamps(orders)), min_size=1, max_size=4), label="windows"
    )
    search_list = data.draw(st.lists(searches(orders), max_size=4), label="searches")
    keycrm.load(shop_dictionaries(), orders)
    for order_id in unreadable:
        keycrm.corrupt(order_id, ordered_at="31.02.2026")
    fake = InMemoryCrm(orders, shop_dictionaries())
    fake.unreadable.update(unreadable)

    async def compare() -> None:
        client = KeyCrmClient(keycrm.base_url, API_KEY, rate_limit=100_000, timeout=5.0)
        try:
            await assert_same_windows(client, fake, window_list)
            await assert_same_searches(client, fake, search_list)
        finally:
            await client.aclose()

    asyncio.run(compare())


def test_keycrm_dictionaries_read_back_as_the_in_memory_ones(keycrm: FakeKeyCrm) -> None:
    keycrm.load(shop_dictionaries(), [])

    async def read() -> Dictionaries:
        client = KeyCrmClient(keycrm.base_url, API_KEY, rate_limit=100_000, timeout=5.0)
        try:
            with metered(client):
                return await client.dictionaries()
        finally:
            await client.aclose()

    assert asyncio.run(read()) == asyncio.run(InMemoryCrm(catalog=shop_dictionaries()).dictionaries())


@given(seed=st.integers(0, 2**16), count=st.integers(0, 160), data=st.data())
def test_in_memory_crm_answers_the_stock_like_keycrm_over_http(
    keycrm: FakeKeyCrm, seed: int, count: int, data: st.DataObject
) -> None:
    stock = make_stock(seed, count)
    broken = data.draw(
        st.sets(st.integers(1, count), max_size=3) if count else st.just(set()), label="broken"
    )
    keycrm.load(shop_dictionaries(), [])
    keycrm.load_stock(stock)
    fake = InMemoryCrm(stock=stock)
    for offer_id in broken:
        keycrm.corrupt_stock(offer_id, quantity="n/a")
        fake.unreadable_stock[offer_id] = "non-numeric quantity"

    async def compare() -> None:
        client = KeyCrmClient(keycrm.base_url, API_KEY, rate_limit=100_000, timeout=5.0)
        try:
            assert await read_stock(client) == await read_stock(fake)
        finally:
            await client.aclose()

    asyncio.run(compare())
