"""Comparing two SalesStores: every read of the port, for a set of scopes, must give equal answers."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterable
from datetime import UTC, date, datetime

from attrs import frozen

from ksales.domain.filters import Scope
from ksales.domain.ranking import RankBy
from ksales.ports.store import SalesStore

#: Not reads of the shop.
WRITES = frozenset({"apply", "save_dictionaries", "set_meta", "save_stock_snapshot", "close"})
#: Reads with arguments of their own: `product_ranking` and the lookups by id or window are compared
#: by hand below; meta values are whatever the caller wrote, checked by the tests that write them.
BY_HAND = frozenset(
    {
        "product_ranking",
        "get_order",
        "order_ids_placed_between",
        "get_meta",
        "stock_snapshot",
        "offer_units",
        "stock_trend",
    }
)


@frozen
class Queries:
    """A store port's reads, by how they are called: with a scope alone, or with nothing."""

    aggregates: tuple[str, ...]
    lookups: tuple[str, ...]
    unsorted: tuple[str, ...]


def queries_of(port: type) -> Queries:
    """Sort the port's methods by signature, so that a new query is compared without being listed."""
    aggregates, lookups, unsorted = [], [], []
    members = {name: method for klass in reversed(port.__mro__) for name, method in vars(klass).items()}
    for name, method in members.items():
        if name.startswith("_") or not inspect.isfunction(method) or name in WRITES | BY_HAND:
            continue
        hints = typing.get_type_hints(method)
        required = [
            hints.get(p.name)
            for p in list(inspect.signature(method).parameters.values())[1:]
            if p.default is inspect.Parameter.empty
        ]
        (aggregates if required == [Scope] else lookups if required == [] else unsorted).append(name)
    return Queries(tuple(aggregates), tuple(lookups), tuple(unsorted))


SALES_STORE = queries_of(SalesStore)
AGGREGATES = SALES_STORE.aggregates
LOOKUPS = SALES_STORE.lookups


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


def assert_same_snapshots(real: SalesStore, fake: SalesStore, days: Iterable[date]) -> None:
    """Each day's stock snapshot (and the days that have none) alike."""
    for day in days:
        assert real.stock_snapshot(day) == fake.stock_snapshot(day), day


#: Windows for the inventory reads: from the start, a 90-day window, one day, and a range with no data.
INVENTORY_WINDOWS: tuple[tuple[date | None, date], ...] = (
    (None, date(2025, 6, 1)),
    (date(2025, 1, 1), date(2025, 3, 31)),
    (date(2025, 3, 30), date(2025, 3, 30)),
    (None, date(2000, 1, 1)),
)


def assert_same_inventory(real: SalesStore, fake: SalesStore) -> None:
    """Units sold per offer and the stock trend alike, over windows around the test data."""
    for first, last in INVENTORY_WINDOWS:
        assert real.offer_units(first, last) == fake.offer_units(first, last), (first, last)
        trend_first = first or date(2000, 1, 1)
        assert real.stock_trend(trend_first, last) == fake.stock_trend(trend_first, last), (first, last)
