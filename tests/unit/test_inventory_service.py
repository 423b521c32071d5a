"""InventoryService on the in-memory store: the velocity window, and what the restock alert compares."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.inventory import Health
from ksales.ports.store import OrderChanges
from ksales.services.inventory import InventoryService
from tests import stockshop
from tests.shop import DICTIONARIES, RULES, at, make_order


def service(store: InMemorySalesStore | None = None) -> InventoryService:
    if store is None:
        store = InMemorySalesStore(RULES)
        store.save_dictionaries(DICTIONARIES)
        stockshop.fill(store)
    return InventoryService(store, restock_days=14)


def health_of(inventory: InventoryService, offer_id: int) -> Health:
    snapshot = inventory.store.latest_stock_snapshot()
    assert snapshot is not None
    return next(a.health for a in inventory.assessed(snapshot) if a.stock.offer_id == offer_id)


def test_canceled_and_excluded_sales_do_not_count_toward_velocity() -> None:
    inventory = service()
    assert health_of(inventory, 3) is Health.DEAD  # its canceled order in the window is no sale
    assert health_of(inventory, 4) is Health.NEVER_SOLD  # its sale from the excluded source 9 neither


def test_the_window_is_the_90_days_ending_on_the_snapshot_day() -> None:
    inventory = service()
    day = stockshop.DAY
    edge = day - timedelta(days=89)  # the first day of the window: a sale then counts
    store = inventory.store
    store.apply(
        OrderChanges(
            upserts=(
                make_order(9100, at(edge.day, month=edge.month), "1", stockshop.offer_line(6, None, "1")),
            )
        )
    )
    assert health_of(inventory, 6) is Health.OUT_OF_STOCK
    before = edge - timedelta(days=1)  # the day before: sold before, not in the window
    store.apply(
        OrderChanges(
            upserts=(
                make_order(9100, at(before.day, month=before.month), "1", stockshop.offer_line(6, None, "1")),
            )
        )
    )
    assert health_of(inventory, 6) is Health.INACTIVE
    snapshot = store.latest_stock_snapshot()
    assert snapshot is not None
    assert inventory.assessed(snapshot)[0].velocity == Decimal(90) / 90


def test_restock_news_needs_two_snapshots() -> None:
    store = InMemorySalesStore(RULES)
    assert service(store).restock_news() is None
    store.save_stock_snapshot(stockshop.snapshot(stockshop.DAY, stockshop.latest_rows()))
    assert service(store).restock_news() is None
    news = service().restock_news()
    assert news is not None
    day, items = news
    assert day == stockshop.DAY and [i.offer.stock.offer_id for i in items] == [2, 1]  # out of stock first
