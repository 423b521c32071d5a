"""Comparing two Crms: the same windows and searches must give the same orders, skips and results;
every request an adapter sends counts into the request meters too."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta

from attrs import frozen
from hypothesis import strategies as st

from ksales.domain.model import Order
from ksales.domain.search import OrderQuery
from ksales.domain.stock import Offer, OfferStock
from ksales.ports.crm import Crm, TimeWindow, WindowField
from ksales.ports.request_meter import counting


@contextmanager
def metered(crm: Crm) -> Iterator[None]:
    """Assert that every request the block sends through `crm` also counts into the meters around it."""
    before = crm.requests
    with counting() as meter:
        yield
    assert meter.requests == crm.requests - before, (crm, meter)


@frozen
class WindowAnswer:
    """What a window's pages add up to: the orders in page order and the ids of the skipped records.

    Page boundaries and the skip reasons' wording are each adapter's own.
    """

    orders: tuple[Order, ...]
    skipped: tuple[int | None, ...]


async def read_window(crm: Crm, window: TimeWindow, by: WindowField) -> WindowAnswer:
    orders: list[Order] = []
    skipped: list[int | None] = []
    with metered(crm):
        async for page in crm.orders(window, by):
            orders.extend(page.orders)
            skipped.extend(record.order_id for record in page.skipped)
    return WindowAnswer(tuple(orders), tuple(skipped))


async def assert_same_windows(
    real: Crm, fake: Crm, windows: Sequence[tuple[TimeWindow, WindowField]]
) -> None:
    for window, by in windows:
        assert await read_window(real, window, by) == await read_window(fake, window, by), (window, by)


async def assert_same_searches(real: Crm, fake: Crm, searches: Sequence[tuple[OrderQuery, int]]) -> None:
    for query, limit in searches:
        with metered(real):
            answer = await real.search_orders(query, limit)
        with metered(fake):
            assert answer == await fake.search_orders(query, limit), (query, limit)


def windows(
    first: datetime, last: datetime, longest: timedelta, stamps: Sequence[datetime] = ()
) -> st.SearchStrategy[tuple[TimeWindow, WindowField]]:
    """Windows (either field) up to `longest` long starting anywhere in [first, last], to the microsecond;
    some start or end at one of `stamps` or a hair beside it, where half-open ends matter."""
    days = (last - first).days

    def near(stamp: datetime) -> st.SearchStrategy[datetime]:
        return st.sampled_from([0, 0, 1, -1, 1_000_000, -1_000_000]).map(
            lambda shift: stamp + timedelta(microseconds=shift)
        )

    anywhere = st.builds(
        lambda day, second, micro: first + timedelta(days=day, seconds=second, microseconds=micro),
        st.integers(0, days),
        st.integers(0, 86_399),
        st.sampled_from([0, 0, 1, 500_000, 999_999]),
    )
    length = st.one_of(
        st.integers(0, 2_000_000).map(lambda micro: timedelta(microseconds=micro)),
        st.builds(
            lambda day, second: timedelta(days=day, seconds=second),
            st.integers(0, longest.days),
            st.integers(0, 86_399),
        ),
    )
    moments = st.one_of(anywhere, st.sampled_from(stamps).flatmap(near)) if stamps else anywhere

    @st.composite
    def window(draw: st.DrawFn) -> tuple[TimeWindow, WindowField]:
        moment, span = draw(moments), draw(length)
        ends_there = draw(st.booleans())
        start, end = (moment - span, moment) if ends_there else (moment, moment + span)
        return TimeWindow(start, end), draw(st.sampled_from(WindowField))

    return window()


def stamps(orders: Sequence[Order]) -> list[datetime]:
    """Every placement and update time of the orders, for `windows` to start or end at."""
    found = {o.placed_at for o in orders} | {o.updated_at for o in orders if o.updated_at is not None}
    return sorted(found)


def searches(orders: Sequence[Order]) -> st.SearchStrategy[tuple[OrderQuery, int]]:
    """Searches by the shop's ids, phones and e-mails (and some that find nothing), limits 1..10."""
    ids = sorted({o.id for o in orders})
    phones = sorted({o.buyer.phone for o in orders if o.buyer and o.buyer.phone})
    emails = sorted({o.buyer.email for o in orders if o.buyer and o.buyer.email})
    texts = st.one_of(
        st.integers(1, 10**8).map(str),
        st.integers(0, 10**9 - 1).map(lambda n: f"+380{n:09d}"),
        st.just("nobody@example.com"),
        *(st.sampled_from(known) for known in (ids, phones, emails) if known),
    )
    query = texts.map(lambda text: OrderQuery.parse(str(text)))
    return st.tuples(query, st.integers(1, 10))


@frozen
class StockAnswer:
    """What every page of `stocks()` and `offers()` adds up to (page boundaries are each adapter's own)."""

    rows: tuple[OfferStock, ...]
    skipped: tuple[int | None, ...]
    offers: tuple[Offer, ...]


async def read_stock(crm: Crm) -> StockAnswer:
    rows: list[OfferStock] = []
    skipped: list[int | None] = []
    offers: list[Offer] = []
    with metered(crm):
        async for page in crm.stocks():
            rows.extend(page.rows)
            skipped.extend(record.offer_id for record in page.skipped)
        async for offer_page in crm.offers():
            offers.extend(offer_page.offers)
    return StockAnswer(tuple(rows), tuple(skipped), tuple(offers))
