"""A small stock beside tests/shop.py: two snapshot days (and a missing one) whose every bucket is known.

On 26 Nov 2026 (the shop's NOW): offer 1 low (2 left, 1 a day), 2 out of stock, 3 dead, 4 never sold
(its only sale is from the excluded source 9), 5 overstock, 6 inactive, 7 healthy. On 25 Nov offers 1 and 2
were healthy and low: so offers 1 and 2 became low or out of stock since the previous snapshot.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from ksales.domain.model import OrderLine
from ksales.domain.stock import OfferStock, StockSnapshot
from ksales.ports.store import OrderChanges, SalesStore
from tests.shop import at, make_order

DAY, PREVIOUS, EARLIER = date(2026, 11, 26), date(2026, 11, 25), date(2026, 11, 23)


def offer_line(offer_id: int, product_id: int | None, quantity: str) -> OrderLine:
    return OrderLine("Line", Decimal(quantity), Decimal(10), product_id, offer_id=offer_id)


ORDERS = (
    make_order(
        9001,
        at(20),
        "100",
        offer_line(1, 100, "90"),
        offer_line(2, 102, "9"),
        offer_line(5, 101, "90"),
        offer_line(7, 100, "90"),
    ),
    make_order(9002, at(1, month=3), "10", offer_line(3, 103, "1")),  # long ago: offer 3 sold before
    make_order(9003, at(21), "10", offer_line(3, 103, "5"), status_id=6, status_group_id=6),  # canceled
    make_order(9004, at(21), "10", offer_line(4, None, "5"), source_id=9),  # an excluded source
)


def stock(offer_id: int, quantity: str, price: str, cost: str | None, product_id: int | None) -> OfferStock:
    return OfferStock(
        offer_id,
        Decimal(quantity),
        Decimal(0),
        Decimal(price),
        None if cost is None else Decimal(cost),
        f"SKU-{offer_id}",
        product_id,
    )


def latest_rows(one: str = "2", two: str = "0") -> tuple[OfferStock, ...]:
    return (
        stock(1, one, "1000", "600", 100),
        stock(2, two, "800", "400", 102),
        stock(3, "50", "500", "200", 103),
        stock(4, "10", "100", None, None),
        stock(5, "400", "300", "100", 101),
        stock(6, "0", "100", "50", None),
        stock(7, "30", "200", "50", 100),
    )


def snapshot(day: date, rows: tuple[OfferStock, ...]) -> StockSnapshot:
    return StockSnapshot(day, datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC), rows)


def fill(store: SalesStore) -> SalesStore:
    """Add the stock's orders and its three snapshots (23 and 25, 26 Nov; 24 Nov is missing)."""
    store.apply(OrderChanges(upserts=ORDERS))
    store.save_stock_snapshot(snapshot(EARLIER, latest_rows("100", "100")))
    store.save_stock_snapshot(snapshot(PREVIOUS, latest_rows("20", "1")))
    store.save_stock_snapshot(snapshot(DAY, latest_rows()))
    return store
