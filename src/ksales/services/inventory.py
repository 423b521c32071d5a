"""Inventory figures (SPEC §5, §6): the latest snapshot's health, its items, and the stock value over time.

Assessing a snapshot (5,000 offers: their velocity from the sales, their health, the buckets, the rankings)
takes far longer than SPEC §8's 10 ms, and its answer changes only when the store does: a new snapshot, a
sync's orders (velocity), the catalog (names). So each answer is kept until the store's `data_version`
changes, and computed again on the first read after any write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from datetime import date, timedelta
from typing import Any, TypeVar

from attrs import evolve, frozen

from ksales.domain.inventory import (
    NEEDS_RESTOCK,
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

T = TypeVar("T")


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
        self._lock = threading.Lock()
        #: The answers computed at one `data_version` of the store (see the module's docstring).
        self._memo: tuple[int, dict[Hashable, Any]] = (-1, {})

    def _memoised(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, or its answer at this data version of the store if it was asked for already."""
        version = self.store.data_version()
        with self._lock:
            memo_version, answers = self._memo
            if memo_version == version and key in answers:
                return answers[key]  # type: ignore[no-any-return]
        answer = compute()
        with self._lock:
            # Kept only if no write landed meanwhile: `compute` may have read some of it or not.
            if self.store.data_version() == version:
                if self._memo[0] != version:
                    self._memo = (version, {})
                self._memo[1][key] = answer
        return answer

    def assessed(self, snapshot: StockSnapshot) -> list[OfferHealth]:
        """Every offer of the snapshot with its velocity, days of supply and health on that day."""
        first, last = velocity_window(snapshot.day)
        recent = {k: v for k, v in self.store.offer_units(first, last).items() if v > 0}
        before = self.store.offer_units(None, first - timedelta(days=1))
        return assess(snapshot, recent, [k for k, v in before.items() if v > 0], self.restock_days)

    def _latest(self) -> tuple[StockSnapshot, tuple[OfferHealth, ...]] | None:
        def compute() -> tuple[StockSnapshot, tuple[OfferHealth, ...]] | None:
            snapshot = self.store.latest_stock_snapshot()
            return None if snapshot is None else (snapshot, tuple(self.assessed(snapshot)))

        return self._memoised("latest", compute)

    def summary(self) -> InventorySummary:
        def compute() -> InventorySummary:
            latest = self._latest()
            if latest is None:
                return InventorySummary(None, stock_value([]), health_counts([]))
            snapshot, assessed = latest
            return InventorySummary(snapshot.day, stock_value(snapshot.rows), health_counts(assessed))

        return self._memoised("summary", compute)

    def items(self, bucket: Health | None, limit: int) -> list[InventoryItem]:
        """The latest snapshot's offers of a bucket (or all), ranked as SPEC §6 says, the first `limit`."""

        def compute() -> tuple[OfferHealth, ...]:
            latest = self._latest()
            return () if latest is None else tuple(ranked(latest[1], bucket))

        chosen = self._memoised(("ranked", bucket), compute)[:limit]
        return list(self._memoised(("items", bucket, limit), lambda: tuple(self._items(chosen))))

    def listed(self, assessed: list[OfferHealth], bucket: Health | None, limit: int) -> list[InventoryItem]:
        """Offers already assessed, of a bucket (or all), ranked and named like `items`."""
        return self._items(ranked(assessed, bucket)[:limit])

    def trend(self, period: Period) -> list[StockDay]:
        """One point per snapshot day of the period; missing days are left out, never interpolated."""
        return self.store.stock_trend(period.start, period.end)

    def restock_news(self) -> tuple[date, list[InventoryItem]] | None:
        """The latest snapshot's day and its offers that became low or out of stock since the one before.

        None without two snapshots (nothing to compare with).
        """
        news = self._memoised("restock news", self._restock_news)
        return None if news is None else (news[0], list(news[1]))

    def _restock_news(self) -> tuple[date, tuple[InventoryItem, ...]] | None:
        days = self.store.stock_snapshot_days()
        latest = self._latest()
        if len(days) < 2 or latest is None:
            return None
        snapshot, assessed = latest
        candidates = [a for a in assessed if a.health in NEEDS_RESTOCK]
        previous = self.store.stock_snapshot(days[-2])
        if previous is None:
            return None
        # Only the offers that need restocking now are assessed on the day before (the rest cannot be news).
        wanted = {a.stock.offer_id for a in candidates}
        before = evolve(previous, rows=tuple(r for r in previous.rows if r.offer_id in wanted))
        news = became_restock(self.assessed(before), candidates)
        return snapshot.day, tuple(self._items(by_supply(news)))

    def _items(self, chosen: Iterable[OfferHealth]) -> list[InventoryItem]:
        def catalog() -> tuple[dict[int, Product], dict[int, Category]]:
            return {p.id: p for p in self.store.products()}, {c.id: c for c in self.store.categories()}

        products, categories = self._memoised("catalog", catalog)
        return [self._item(a, products, categories) for a in chosen]

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
