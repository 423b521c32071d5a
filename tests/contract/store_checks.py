"""Comparing two SalesStores: every read of the port, for a set of scopes, must give equal answers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from ksales.domain.filters import Scope
from ksales.domain.ranking import RankBy
from ksales.ports.store import SalesStore

AGGREGATES = (
    "totals",
    "returns",
    "daily",
    "source_totals",
    "product_totals",
    "category_totals",
    "customer_counts",
    "brand_breakdown",
    "expense_totals",
)
LOOKUPS = ("order_count", "sources", "statuses", "expense_types", "categories", "products", "brands")


def assert_same_lookups(real: SalesStore, fake: SalesStore) -> None:
    for name in LOOKUPS:
        assert getattr(real, name)() == getattr(fake, name)(), name


def assert_same_aggregates(real: SalesStore, fake: SalesStore, scopes: Iterable[Scope]) -> None:
    for scope in scopes:
        for name in AGGREGATES:
            assert getattr(real, name)(scope) == getattr(fake, name)(scope), (name, scope)
        for by in RankBy:
            for limit in (1, 3, 50):
                assert real.product_ranking(scope, by, limit) == fake.product_ranking(scope, by, limit), (
                    by,
                    limit,
                    scope,
                )
        for expense_type_id in (1, 2):
            assert real.expense_totals(scope, expense_type_id) == fake.expense_totals(scope, expense_type_id)


def assert_same_orders(real: SalesStore, fake: SalesStore, ids: Iterable[int]) -> None:
    for order_id in ids:
        assert real.get_order(order_id) == fake.get_order(order_id), order_id
    window = (datetime(2024, 3, 1, tzinfo=UTC), datetime(2025, 3, 30, 1, tzinfo=UTC))
    assert real.order_ids_placed_between(*window) == fake.order_ids_placed_between(*window)
