"""The snapshot schedule (due after 01:00 local, once a day), missing days, and StockSnapshots on fakes."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ksales.adapters.demo import DemoCrm
from ksales.adapters.keycrm.mapping import offer_from_keycrm, stock_page_from_keycrm
from ksales.adapters.memory import FixedClock, InMemoryCrm, InMemorySalesStore
from ksales.domain.stock import Offer, OfferStock, StockSnapshot, missing_days, snapshot_due
from ksales.services.stocks import StockSnapshots

KYIV = ZoneInfo("Europe/Kyiv")


def kyiv(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=KYIV)


DAY = date(2026, 3, 10)


# --- the rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        (kyiv(DAY, 0, 0), False),
        (kyiv(DAY, 0, 59, 59), False),
        (kyiv(DAY, 1, 0), True),
        (kyiv(DAY, 23, 59, 59), True),
    ],
)
def test_a_snapshot_is_due_from_0100_local(moment: datetime, due: bool) -> None:
    assert snapshot_due(moment, KYIV, set()) is due
    assert snapshot_due(moment.astimezone(UTC), KYIV, set()) is due  # the zone, not the instant's offset


def test_a_snapshot_is_not_due_again_the_same_local_day_but_is_the_next() -> None:
    taken = {DAY}
    assert not snapshot_due(kyiv(DAY, 1, 0), KYIV, taken)
    assert not snapshot_due(kyiv(DAY, 23, 59), KYIV, taken)
    # 22:30 UTC is already the next day in Kyiv, but before 01:00 there
    assert not snapshot_due(datetime(2026, 3, 10, 22, 30, tzinfo=UTC), KYIV, taken)
    assert snapshot_due(datetime(2026, 3, 10, 23, 0, tzinfo=UTC), KYIV, taken)  # 01:00 on the 11th


def test_the_rule_follows_the_local_clock_across_a_dst_change() -> None:
    spring = date(2026, 3, 29)  # clocks go 03:00 → 04:00; 01:00 local is 23:00 UTC the day before
    assert not snapshot_due(datetime(2026, 3, 28, 22, 59, tzinfo=UTC), KYIV, set())
    assert snapshot_due(datetime(2026, 3, 28, 23, 0, tzinfo=UTC), KYIV, set())
    assert snapshot_due(kyiv(spring, 5), KYIV, {date(2026, 3, 28)})


def test_missing_days_run_from_the_first_snapshot_to_today_once_it_is_due() -> None:
    taken = {date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 9)}
    assert missing_days(taken, kyiv(DAY, 0, 30), KYIV) == [date(2026, 3, 7), date(2026, 3, 8)]
    assert missing_days(taken, kyiv(DAY, 1, 0), KYIV) == [date(2026, 3, 7), date(2026, 3, 8), DAY]
    assert missing_days(taken, kyiv(DAY, 1, 0), KYIV, since=date(2026, 3, 8)) == [date(2026, 3, 8), DAY]
    assert missing_days(taken, kyiv(DAY, 1, 0), KYIV, since=date(2020, 1, 1))[0] == date(2026, 3, 7)
    assert missing_days(set(), kyiv(DAY, 12), KYIV) == []  # nothing before the first snapshot
    assert missing_days({DAY}, kyiv(DAY, 12), KYIV) == []


def test_a_snapshot_keeps_one_row_per_offer_by_id() -> None:
    rows = (OfferStock(5, Decimal(1)), OfferStock(2, Decimal(3)), OfferStock(5, Decimal(9)))
    snapshot = StockSnapshot(DAY, kyiv(DAY, 2), rows)
    assert [(r.offer_id, r.quantity) for r in snapshot.rows] == [(2, 3), (5, 9)]
    assert OfferStock(1, Decimal("2.5"), Decimal(1)).available == Decimal("1.5")
    with pytest.raises(ValueError, match="timezone-aware"):
        StockSnapshot(DAY, datetime(2026, 3, 10, 2))


# --- KeyCRM's records -----------------------------------------------------------------------------


def test_stock_rows_are_read_tolerantly_and_bad_ones_skipped_by_offer_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    page = stock_page_from_keycrm(
        [
            {
                "id": "7",
                "sku": "A",
                "price": "10.50",
                "purchased_price": None,
                "quantity": "2.5",
                "reserve": None,
            },
            {"id": 8, "price": 3, "purchased_price": 1.2, "quantity": 4, "reserve": 1},
            {"id": 9, "quantity": "lots"},
            {"sku": "no id", "quantity": 1},
        ]
    )
    assert page.rows == (
        OfferStock(7, Decimal("2.5"), Decimal(0), Decimal("10.50"), None, "A"),
        OfferStock(8, Decimal(4), Decimal(1), Decimal(3), Decimal("1.2")),
    )
    assert [s.offer_id for s in page.skipped] == [9, None]
    assert "skipping KeyCRM stock of offer 9: non-numeric quantity" in caplog.text
    assert offer_from_keycrm({"id": 3, "product": {"id": 11}}) == Offer(3, 11)
    assert offer_from_keycrm({"id": 3, "product_id": 12, "sku": "X"}) == Offer(3, 12, "X")


# --- the service ----------------------------------------------------------------------------------


def shop(clock: FixedClock, page_size: int = 2) -> tuple[StockSnapshots, InMemoryCrm, InMemorySalesStore]:
    stock = [
        OfferStock(1, Decimal(5), Decimal(1), Decimal(100), Decimal(40), "A", product_id=10),
        OfferStock(2, Decimal(0), price=Decimal(50), product_id=11),
        OfferStock(3, Decimal("1.5"), price=Decimal(70)),
    ]
    crm = InMemoryCrm(stock=stock, page_size=page_size)
    store = InMemorySalesStore()
    return StockSnapshots(crm, store, clock, KYIV), crm, store


def test_a_snapshot_stores_every_page_with_each_offers_product() -> None:
    clock = FixedClock(kyiv(DAY, 1, 5))
    snapshots, crm, store = shop(clock)
    report = asyncio.run(snapshots.take())
    assert report.day == DAY and report.offers == 3
    assert report.requests == crm.requests == 2 + 2  # two pages of stock, two of offers
    assert crm.asked == ["stocks", "offers"]
    assert store.snapshots[DAY] == StockSnapshot(DAY, clock.now(), tuple(crm.stock.values()))
    assert "stock snapshot 2026-03-10: 3 offers, 4 requests" in report.line()


def test_taking_it_again_the_same_day_replaces_it_and_the_next_day_adds_one() -> None:
    clock = FixedClock(kyiv(DAY, 1, 5))
    snapshots, crm, store = shop(clock)
    asyncio.run(snapshots.take())
    crm.stock[1] = OfferStock(1, Decimal(2), product_id=10)
    clock.advance(timedelta(hours=3))
    asyncio.run(snapshots.take())
    assert store.stock_snapshot_days() == [DAY]
    latest = store.latest_stock_snapshot()
    assert latest is not None and latest.taken_at == clock.now() and latest.rows[0].quantity == 2
    clock.advance(timedelta(days=1))
    asyncio.run(snapshots.take())
    assert store.stock_snapshot_days() == [DAY, DAY + timedelta(days=1)]


def test_due_and_take_if_due_take_one_a_day_after_0100() -> None:
    clock = FixedClock(kyiv(DAY, 0, 59, 59))
    snapshots, crm, store = shop(clock)
    assert not snapshots.due(clock.now()) and asyncio.run(snapshots.take_if_due()) is None
    assert crm.requests == 0
    clock.advance(timedelta(seconds=1))
    assert snapshots.due(clock.now())
    assert asyncio.run(snapshots.take_if_due()) is not None
    assert asyncio.run(snapshots.take_if_due()) is None
    assert store.stock_snapshot_days() == [DAY]


def test_missing_days_come_from_the_store() -> None:
    clock = FixedClock(kyiv(DAY, 1, 5))
    snapshots, _, store = shop(clock)
    asyncio.run(snapshots.take())
    clock.advance(timedelta(days=3))  # two days the service did not run, and today not yet taken
    assert snapshots.missing_days() == [DAY + timedelta(days=n) for n in (1, 2, 3)]
    asyncio.run(snapshots.take())
    assert snapshots.missing_days() == [DAY + timedelta(days=n) for n in (1, 2)]
    assert store.stock_snapshot_days() == [DAY, DAY + timedelta(days=3)]


def test_unreadable_rows_are_left_out_and_reported() -> None:
    snapshots, crm, store = shop(FixedClock(kyiv(DAY, 2)))
    crm.unreadable_stock[2] = "non-numeric quantity"
    report = asyncio.run(snapshots.take())
    assert report.offers == 2 and [s.offer_id for s in report.skipped] == [2]
    assert [r.offer_id for r in store.snapshots[DAY].rows] == [1, 3]


# --- the demo shop's stock ------------------------------------------------------------------------


def test_the_demo_stock_moves_with_its_sales_and_is_deterministic() -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    demo = DemoCrm(FixedClock(now), seed=7, timezone=KYIV, orders_per_year=20_000)
    rows = {r.offer_id: r for r in demo.stock_now()}
    again = DemoCrm(FixedClock(now), seed=7, timezone=KYIV, orders_per_year=20_000)
    assert list(rows.values()) == again.stock_now()
    sold: dict[int, Decimal] = {}
    for order in (o for d in range(90) for o in demo.day_orders(now.date() - timedelta(days=d))):
        for line in order.lines:
            if line.offer_id is not None:
                sold[line.offer_id] = sold.get(line.offer_id, Decimal(0)) + line.quantity
    never_sold = [i for i in rows if i not in sold]
    assert 5 <= len(never_sold) <= len(rows) // 5
    assert any(rows[i].available <= 0 for i in sold), "some offers that sell are out of stock"
    assert any(rows[i].available <= 0 for i in never_sold) and any(rows[i].available > 0 for i in never_sold)
    best = sorted(sold, key=lambda i: sold[i], reverse=True)[:10]
    # bestsellers run low: most hold less than a month of their sales
    assert sum(1 for i in best if rows[i].available < sold[i] / 3) >= 5
    later = DemoCrm(FixedClock(now + timedelta(days=3)), seed=7, timezone=KYIV, orders_per_year=20_000)
    assert later.stock_now() != list(rows.values()), "the stock moves from day to day"
    assert all(r.reserve <= r.quantity and r.quantity >= 0 for r in rows.values())
