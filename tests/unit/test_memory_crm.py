"""InMemoryCrm: pages by id, unreadable records, searches, injected failures and what it was asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from ksales.adapters.memory import InMemoryCrm
from ksales.domain.errors import CrmUnavailable
from ksales.domain.model import Buyer, Dictionaries, Order, Source
from ksales.domain.search import OrderQuery, QueryKind
from ksales.ports.crm import Crm, OrderPage, SkippedRecord, TimeWindow, WindowField

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
OLENA = Buyer(7, "Olena", "Olena@Example.com", "+38 (050) 111-22-33")


def order(
    order_id: int, hours_ago: int, buyer: Buyer | None = None, updated: datetime | None = None
) -> Order:
    placed = NOW - timedelta(hours=hours_ago)
    return Order(order_id, 1, Decimal(order_id), placed, placed, updated or placed, buyer=buyer)


async def pages(crm: Crm, window: TimeWindow, by: WindowField = WindowField.CREATED) -> list[OrderPage]:
    return [page async for page in crm.orders(window, by)]


DAY = TimeWindow(NOW - timedelta(days=1), NOW)


async def test_orders_come_by_id_a_page_per_request() -> None:
    crm = InMemoryCrm([order(i, i) for i in (5, 3, 9, 1, 7)], page_size=2)
    found = await pages(crm, DAY)
    assert [[o.id for o in p.orders] for p in found] == [[1, 3], [5, 7], [9]]
    assert crm.requests == 3 and crm.asked == [(DAY, WindowField.CREATED)]


async def test_a_window_is_half_open_and_selects_on_the_chosen_timestamp() -> None:
    late = order(2, 48, updated=NOW - timedelta(hours=1))
    crm = InMemoryCrm([order(1, 24), late, order(3, 0)])
    assert [o.id for p in await pages(crm, DAY) for o in p.orders] == [1]
    assert [o.id for p in await pages(crm, DAY, WindowField.UPDATED) for o in p.orders] == [1, 2]


async def test_an_empty_window_is_one_empty_page() -> None:
    crm = InMemoryCrm()
    assert await pages(crm, DAY) == [OrderPage(())]
    assert crm.requests == 1


async def test_unreadable_orders_are_named_in_their_windows_and_never_found() -> None:
    crm = InMemoryCrm([order(1, 2, OLENA), order(2, 3, OLENA), order(3, 50)])
    crm.unreadable[2] = "bad ordered_at"
    crm.unreadable[3] = "bad grand_total"
    assert await pages(crm, DAY) == [OrderPage((crm.by_id[1],), (SkippedRecord(2, "bad ordered_at"),))]
    assert (await crm.search_orders(OrderQuery(QueryKind.ID, "2"))).orders == ()
    by_phone = await crm.search_orders(OrderQuery.parse("+380501112233"))
    assert [o.id for o in by_phone.orders] == [1] and by_phone.total == 1


async def test_searches_match_id_phone_digits_and_email_newest_first() -> None:
    crm = InMemoryCrm([order(i, i, OLENA) for i in range(1, 8)] + [order(8, 0)])
    by_phone = await crm.search_orders(OrderQuery.parse("050 111 22 33"), limit=3)
    assert [o.id for o in by_phone.orders] == [1, 2, 3] and by_phone.total == 7
    by_email = await crm.search_orders(OrderQuery.parse("olena@example.com"), limit=10)
    assert len(by_email.orders) == by_email.total == 7
    by_id = await crm.search_orders(OrderQuery.parse("#8"))
    assert by_id.orders == (crm.by_id[8],) and by_id.total == 1
    assert (await crm.search_orders(OrderQuery.parse("#80"))).total == 0
    assert crm.asked[-1] == OrderQuery(QueryKind.ID, "80")


async def test_same_placement_is_ordered_by_id_and_limit_zero_finds_nothing() -> None:
    crm = InMemoryCrm([order(1, 5, OLENA), order(2, 5, OLENA)])
    email = OrderQuery.parse("olena@example.com")
    assert [o.id for o in (await crm.search_orders(email)).orders] == [2, 1]
    empty = await crm.search_orders(email, limit=0)
    assert empty.orders == () and empty.total == 2


async def test_a_failure_fires_once_at_its_request_number() -> None:
    catalog = Dictionaries(sources=(Source(1, "Shop"),))
    crm = InMemoryCrm(catalog=catalog)
    crm.failures[2] = CrmUnavailable("down")
    assert await crm.dictionaries() == catalog
    with pytest.raises(CrmUnavailable):
        await crm.dictionaries()
    assert await crm.dictionaries() == catalog
    assert crm.requests == 3 and crm.asked == ["dictionaries"] * 3


async def test_changes_to_its_state_are_what_it_answers() -> None:
    crm = InMemoryCrm([order(1, 2)])
    crm.by_id[2] = order(2, 3)
    del crm.by_id[1]
    assert [o.id for p in await pages(crm, DAY) for o in p.orders] == [2]
    await crm.aclose()
    assert repr(crm) == "InMemoryCrm(1 orders, 1 requests)"


def test_a_skipped_record_reads_as_id_and_reason() -> None:
    assert str(SkippedRecord(23, "bad date")) == "23: bad date"
    assert str(SkippedRecord(None, "no id")) == "?: no id"
