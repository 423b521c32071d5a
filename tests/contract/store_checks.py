"""Comparing two SalesStores: every read of the port, for a set of scopes, must give equal answers."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from attrs import frozen

from ksales.domain.customers import Segment
from ksales.domain.filters import Scope
from ksales.domain.margin import CostGroup
from ksales.domain.rules import SalesType
from ksales.ports.store import SalesStore

#: Not reads of the shop.
WRITES = frozenset(
    {"apply", "save_dictionaries", "set_meta", "save_stock_snapshot", "set_goal", "delete_goal", "close"}
)
#: Reads with arguments of their own: `product_ranking` and the lookups by id or window are compared
#: by hand below; meta values are whatever the caller wrote, checked by the tests that write them.
BY_HAND = frozenset(
    {
        "product_ranking",
        "get_order",
        "order_ids_placed_between",
        "get_meta",
        "stock_snapshot",
        "line_costs",
        "totals_until",
        "daily_before",
        "offer_units",
        "stock_trend",
        "data_version",  # each store counts its own writes: `test_every_write_changes_the_data_version`
    }
    | {
        "time_to_second_order",
        "segment_totals",
        "customer_facts",
        "customers_entering",
    }  # `assert_same_customers`
)
#: Cuts of the same-time reads (`totals_until`, `daily_before`): midnight, a morning, the last second.
CUTS = (time(0, 0), time(10, 42), time(23, 59, 59))


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


def assert_same_aggregates(
    real: SalesStore, fake: SalesStore, scopes: Iterable[Scope], cuts: Iterable[time] = CUTS
) -> None:
    cuts = tuple(cuts)
    for scope in scopes:
        for until in cuts:
            for canceled in (False, True):
                assert real.totals_until(scope, until, canceled) == fake.totals_until(
                    scope, until, canceled
                ), (
                    until,
                    canceled,
                    scope,
                )
            assert real.daily_before(scope, until) == fake.daily_before(scope, until), (until, scope)
        for name in AGGREGATES:
            assert getattr(real, name)(scope) == getattr(fake, name)(scope), (name, scope)
        for limit in (1, 3, 50):
            assert real.product_ranking(scope, limit) == fake.product_ranking(scope, limit), (limit, scope)
        for expense_type_id in (1, 2):
            assert real.expense_totals(scope, expense_type_id) == fake.expense_totals(scope, expense_type_id)
        for group in CostGroup:
            assert real.line_costs(scope, group) == fake.line_costs(scope, group), (group, scope)


def assert_same_orders(real: SalesStore, fake: SalesStore, ids: Iterable[int]) -> None:
    for order_id in ids:
        assert real.get_order(order_id) == fake.get_order(order_id), order_id
    window = (datetime(2024, 3, 1, tzinfo=UTC), datetime(2025, 3, 30, 1, tzinfo=UTC))
    assert real.order_ids_placed_between(*window) == fake.order_ids_placed_between(*window)


def assert_same_snapshots(real: SalesStore, fake: SalesStore, days: Iterable[date]) -> None:
    """Each day's stock snapshot (and the days that have none) alike."""
    for day in days:
        assert real.stock_snapshot(day) == fake.stock_snapshot(day), day


def assert_same_customers(real: SalesStore, fake: SalesStore, days: Iterable[date]) -> None:
    """Segments, the customer list and the time to a second order, seen on (and around) these days.

    `segment_totals` classifies every customer; the list and the moves are checked where the page and the
    bot use them (everyone, the at-risk list, who moved to at risk), to keep the hypothesis runs short.
    """
    for day in days:
        for as_of in (day, day + timedelta(days=61), day + timedelta(days=366)):
            assert real.time_to_second_order(day, as_of) == fake.time_to_second_order(day, as_of), as_of
            for sales_type in SalesType:
                assert real.segment_totals(as_of, sales_type) == fake.segment_totals(as_of, sales_type)
                entering = (Segment.AT_RISK, day, as_of, sales_type)
                assert real.customers_entering(*entering) == fake.customers_entering(*entering), entering
                for segment, limit in ((None, 1), (None, 50), (Segment.AT_RISK, 50)):
                    assert real.customer_facts(as_of, sales_type, segment, limit) == fake.customer_facts(
                        as_of, sales_type, segment, limit
                    ), (as_of, sales_type, segment, limit)


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
