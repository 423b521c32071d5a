"""SPEC §5 Inventory: every health rule at its boundaries, velocity, days of supply, the stock value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from ksales.domain.inventory import (
    Health,
    assess,
    became_restock,
    days_of_supply,
    health,
    health_counts,
    ranked,
    stock_value,
    velocity,
    velocity_window,
)
from ksales.domain.stock import OfferStock, StockSnapshot

RESTOCK = 14


def test_velocity_is_units_over_90_days_and_the_window_ends_on_the_snapshot_day() -> None:
    assert velocity(D(90)) == D(1)
    assert velocity(D(0)) == D(0)
    assert velocity_window(date(2026, 12, 2)) == (date(2026, 9, 4), date(2026, 12, 2))


def test_days_of_supply_is_available_over_velocity_and_none_without_sales() -> None:
    assert days_of_supply(D(10), D(2)) == D(5)
    assert days_of_supply(D(10), D(0)) is None


@pytest.mark.parametrize(
    ("available", "units", "before", "expected"),
    [
        # available ≤ 0: out of stock when it sold in the 90 days, else inactive
        (D(0), D(1), False, Health.OUT_OF_STOCK),
        (D(-2), D(1), True, Health.OUT_OF_STOCK),
        (D(0), D(0), True, Health.INACTIVE),
        (D("0.001"), D(0), False, Health.NEVER_SOLD),
        # low: days of supply < 14 (velocity 1/day: 13.99 low, 14 not)
        (D("13.99"), D(90), False, Health.LOW),
        (D(14), D(90), False, Health.HEALTHY),
        # overstock: days of supply > 180 (180 is healthy, 180.01 overstock)
        (D(180), D(90), False, Health.HEALTHY),
        (D("180.01"), D(90), False, Health.OVERSTOCK),
        # no sale in the 90 days: dead when it sold before, else never sold
        (D(5), D(0), True, Health.DEAD),
        (D(5), D(0), False, Health.NEVER_SOLD),
        # the rules are ordered: a recently sold, low offer is low whatever came before
        (D(1), D(90), True, Health.LOW),
    ],
)
def test_health_rules_at_their_boundaries(available: D, units: D, before: bool, expected: Health) -> None:
    assert health(available, units, before, RESTOCK) is expected


def test_the_restock_days_setting_moves_the_low_boundary() -> None:
    assert health(D(29), D(90), False, 30) is Health.LOW
    assert health(D(30), D(90), False, 30) is Health.HEALTHY


def stock(
    offer_id: int, quantity: str, reserve: str = "0", price: str = "100", cost: str | None = "60"
) -> OfferStock:
    return OfferStock(
        offer_id,
        D(quantity),
        D(reserve),
        D(price),
        None if cost is None else D(cost),
    )


def snapshot(*rows: OfferStock) -> StockSnapshot:
    return StockSnapshot(date(2026, 12, 2), datetime(2026, 12, 2, 1, 30, tzinfo=UTC), rows)


def test_stock_value_counts_available_offers_and_the_cost_coverage() -> None:
    value = stock_value(
        [
            stock(1, "10", "2"),  # 8 available: 800 at price, 480 at cost
            stock(2, "5", cost=None),  # 5 available: 500 at price, no cost
            stock(3, "4", cost="0"),  # a zero purchase price is no known cost
            stock(4, "1", "3"),  # available < 0: left out
            stock(5, "0"),
        ]
    )
    assert (value.offers, value.units_available) == (3, D(17))
    assert (value.value_at_cost, value.value_at_price) == (D(480), D(1700))
    assert value.cost_coverage_pct == D("47.06")  # 800 ÷ 1700


def test_an_empty_stock_is_worth_nothing_with_zero_coverage() -> None:
    value = stock_value([])
    assert (value.offers, value.value_at_price, value.cost_coverage_pct) == (0, D(0), D(0))


def test_assess_buckets_every_offer_and_ranks_them() -> None:
    snap = snapshot(
        stock(1, "0"), stock(2, "5"), stock(3, "2"), stock(4, "500"), stock(5, "7"), stock(6, "3")
    )
    assessed = assess(snap, {1: D(9), 2: D(90), 3: D(90), 4: D(90), 6: D(45)}, {5}, RESTOCK)
    kinds = {a.stock.offer_id: a.health for a in assessed}
    assert kinds == {
        1: Health.OUT_OF_STOCK,
        2: Health.LOW,
        3: Health.LOW,
        4: Health.OVERSTOCK,
        5: Health.DEAD,
        6: Health.LOW,
    }
    counts = health_counts(assessed)
    assert counts[Health.LOW] == 3 and counts[Health.NEVER_SOLD] == 0 and sum(counts.values()) == 6
    # low / out of stock: out of stock first, then by days of supply (3 → 2 d, 2 → 5 d, 6 → 6 d)
    assert [a.stock.offer_id for a in ranked(assessed, Health.LOW)] == [3, 2, 6]
    assert [a.stock.offer_id for a in ranked(assessed, Health.OUT_OF_STOCK)] == [1]
    # everything else by value at cost desc, ties by offer id
    assert [a.stock.offer_id for a in ranked(assessed, None)][:3] == [4, 5, 2]


def test_became_restock_lists_offers_that_turned_low_or_out_since_the_previous_snapshot() -> None:
    before = assess(
        snapshot(stock(1, "50"), stock(2, "3"), stock(3, "0")), {1: D(90), 2: D(90)}, set(), RESTOCK
    )
    now = assess(
        snapshot(stock(1, "5"), stock(2, "2"), stock(3, "0"), stock(4, "1")),
        {1: D(90), 2: D(90), 4: D(90)},
        set(),
        RESTOCK,
    )
    # 1 healthy → low; 2 was low already; 3 stays inactive; 4 is new and low
    assert [a.stock.offer_id for a in became_restock(before, now)] == [1, 4]
    assert became_restock(now, now) == []
