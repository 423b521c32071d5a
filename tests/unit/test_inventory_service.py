"""InventoryService on the in-memory store: the velocity window, what the restock alert compares, and that
its memo never serves an answer the store has moved past."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import attrs

from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.inventory import Health, became_restock, by_supply
from ksales.domain.model import Dictionaries, Source
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


# --- the memo: an answer is kept while the store does not change, and never served after a write --------


def test_an_answer_is_kept_while_the_shop_data_does_not_change() -> None:
    inventory = service()
    summary = inventory.summary()
    assert inventory.summary() is summary
    assert inventory.items(Health.LOW, 10) == inventory.items(Health.LOW, 10)
    # a sync that found nothing new: its meta and the same orders again
    inventory.store.apply(OrderChanges(upserts=stockshop.ORDERS, meta={"last_sync": "x"}))
    assert inventory.summary() is summary
    inventory.store.save_dictionaries(Dictionaries())  # no entry: nothing changed
    assert inventory.summary() is summary
    # a write of data: computed again, the same figures
    inventory.store.save_dictionaries(Dictionaries(sources=(Source(99, "New shop"),)))
    assert inventory.summary() is not summary and inventory.summary() == summary


def test_a_sync_that_changes_velocity_is_seen_at_once() -> None:
    """Offer 6 is inactive (none available, no sale); a sale in the window makes it out of stock."""
    inventory = service()
    before = inventory.summary()
    assert before.health[Health.INACTIVE] == 1
    assert inventory.items(Health.INACTIVE, 5)[0].offer.stock.offer_id == 6
    sale = make_order(9200, at(25), "10", stockshop.offer_line(6, None, "1"))
    inventory.store.apply(OrderChanges(upserts=(sale,)))
    after = inventory.summary()
    assert after.health[Health.INACTIVE] == 0
    assert after.health[Health.OUT_OF_STOCK] == before.health[Health.OUT_OF_STOCK] + 1
    assert inventory.items(Health.INACTIVE, 5) == []
    assert 6 in [i.offer.stock.offer_id for i in inventory.items(Health.OUT_OF_STOCK, 5)]
    inventory.store.apply(OrderChanges(deletions=frozenset({9200})))  # and back when it goes
    assert inventory.summary() == before


def test_a_new_snapshot_and_a_renamed_product_are_seen_at_once() -> None:
    inventory = service()
    news = inventory.restock_news()
    assert news is not None and news[0] == stockshop.DAY
    later = stockshop.DAY + timedelta(days=1)
    inventory.store.save_stock_snapshot(stockshop.snapshot(later, stockshop.latest_rows("2", "5")))
    assert inventory.summary().snapshot_date == later
    news = inventory.restock_news()
    assert news is not None and news[0] == later and [i.offer.stock.offer_id for i in news[1]] == []
    name = inventory.items(Health.LOW, 1)[0].name
    product = next(p for p in inventory.store.products() if p.id == 100)
    inventory.store.save_dictionaries(Dictionaries(products=(attrs.evolve(product, name="Renamed"),)))
    assert name != "Renamed" and inventory.items(Health.LOW, 1)[0].name == "Renamed"


def test_the_restock_news_equals_assessing_both_snapshots_whole() -> None:
    inventory = service()
    store = inventory.store
    for day, rows in (
        (stockshop.DAY + timedelta(days=1), stockshop.latest_rows("1", "3")),
        (stockshop.DAY + timedelta(days=2), stockshop.latest_rows("0", "1")),
    ):
        previous = store.latest_stock_snapshot()
        store.save_stock_snapshot(stockshop.snapshot(day, rows))
        latest = store.latest_stock_snapshot()
        assert previous is not None and latest is not None
        whole = became_restock(inventory.assessed(previous), inventory.assessed(latest))
        news = inventory.restock_news()
        assert news is not None
        assert [i.offer for i in news[1]] == by_supply(whole)
