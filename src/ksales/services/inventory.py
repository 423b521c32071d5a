"""Inventory figures (SPEC §5, §6): the latest snapshot's health, its items, and the stock value over time."""

from __future__ import annotations

from datetime import date, timedelta

from attrs import frozen

from ksales.domain.inventory import (
    Health,
    OfferHealth,
    StockDay,
    StockValue,
    assess,
    became_restock,
    by_supply,
    health_counts,
    ranked,
    stock_value,
    velocity_window,
)
from ksales.domain.model import Category, Product
from ksales.domain.periods import Period
from ksales.domain.stock import StockSnapshot
from ksales.ports.store import SalesStore


@frozen
class InventoryItem:
    """An assessed offer with what the catalog says about it."""

    offer: OfferHealth
    name: str
    brand: str | None
    category: str | None


@frozen
class InventorySummary:
    """The latest snapshot's value and health buckets (`snapshot_date` None: no snapshot yet)."""

    snapshot_date: date | None
    value: StockValue
    health: dict[Health, int]


class InventoryService:
    """Reads the snapshots and the counted sales of the store and applies the inventory rules."""

    def __init__(self, store: SalesStore, restock_days: int) -> None:
        self.store = store
        self.restock_days = restock_days

    def assessed(self, snapshot: StockSnapshot) -> list[OfferHealth]:
        """Every offer of the snapshot with its velocity, days of supply and health on that day."""
        first, last = velocity_window(snapshot.day)
        recent = {k: v for k, v in self.store.offer_units(first, last).items() if v > 0}
        before = self.store.offer_units(None, first - timedelta(days=1))
        return assess(snapshot, recent, [k for k, v in before.items() if v > 0], self.restock_days)

    def summary(self) -> InventorySummary:
        snapshot = self.store.latest_stock_snapshot()
        if snapshot is None:
            return InventorySummary(None, stock_value([]), health_counts([]))
        return InventorySummary(
            snapshot.day, stock_value(snapshot.rows), health_counts(self.assessed(snapshot))
        )

    def items(self, bucket: Health | None, limit: int) -> list[InventoryItem]:
        """The latest snapshot's offers of a bucket (or all), ranked as SPEC §6 says, the first `limit`."""
        snapshot = self.store.latest_stock_snapshot()
        if snapshot is None:
            return []
        return self.listed(self.assessed(snapshot), bucket, limit)

    def listed(self, assessed: list[OfferHealth], bucket: Health | None, limit: int) -> list[InventoryItem]:
        """Offers already assessed, of a bucket (or all), ranked and named like `items`."""
        products = {p.id: p for p in self.store.products()}
        categories = {c.id: c for c in self.store.categories()}
        return [self._item(a, products, categories) for a in ranked(assessed, bucket)[:limit]]

    def trend(self, period: Period) -> list[StockDay]:
        """One point per snapshot day of the period; missing days are left out, never interpolated."""
        return self.store.stock_trend(period.start, period.end)

    def restock_news(self) -> tuple[date, list[InventoryItem]] | None:
        """The latest snapshot's day and its offers that became low or out of stock since the one before.

        None without two snapshots (nothing to compare with).
        """
        days = self.store.stock_snapshot_days()
        if len(days) < 2:
            return None
        previous, latest = self.store.stock_snapshot(days[-2]), self.store.stock_snapshot(days[-1])
        if previous is None or latest is None:
            return None
        news = became_restock(self.assessed(previous), self.assessed(latest))
        products = {p.id: p for p in self.store.products()}
        categories = {c.id: c for c in self.store.categories()}
        return latest.day, [self._item(a, products, categories) for a in by_supply(news)]

    @staticmethod
    def _item(
        offer: OfferHealth, products: dict[int, Product], categories: dict[int, Category]
    ) -> InventoryItem:
        product_id = offer.stock.product_id
        product = products.get(product_id) if product_id is not None else None
        category = (
            categories.get(product.category_id) if product and product.category_id is not None else None
        )
        name = product.name if product else offer.stock.sku or f"Offer {offer.stock.offer_id}"
        return InventoryItem(
            offer, name, product.brand if product else None, category.name if category else None
        )

    def __repr__(self) -> str:
        return f"InventoryService({self.store!r})"
