"""Inventory health from the latest stock snapshot (SPEC §5 Inventory): velocity, days of supply, buckets.

Velocity is the units of an offer sold by counted orders of every sales type and source (the stock is
shared) in the 90 days ending on the snapshot's day, ÷ 90. Buckets use exact values; only the output rounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from attrs import frozen

from ksales.domain.stock import OfferStock, StockSnapshot

#: The window that velocity is measured over, ending on the snapshot's day.
VELOCITY_DAYS = 90
#: Days of supply above this are `overstock`.
OVERSTOCK_DAYS = 180
ZERO = Decimal(0)


class Health(StrEnum):
    """An offer's stock health; the order is that of the rules (the first that holds wins)."""

    OUT_OF_STOCK = "out_of_stock"
    INACTIVE = "inactive"
    LOW = "low"
    OVERSTOCK = "overstock"
    DEAD = "dead"
    NEVER_SOLD = "never_sold"
    HEALTHY = "healthy"


#: The buckets that need restocking (the restock alert and `/stock`).
NEEDS_RESTOCK = frozenset({Health.OUT_OF_STOCK, Health.LOW})


def velocity_window(day: date) -> tuple[date, date]:
    """The 90 days ending on `day`, both ends included."""
    return day - timedelta(days=VELOCITY_DAYS - 1), day


def velocity(units_sold: Decimal) -> Decimal:
    """Units sold per day over the velocity window (exact)."""
    return units_sold / VELOCITY_DAYS


def days_of_supply(available: Decimal, per_day: Decimal) -> Decimal | None:
    """How many days the available units last at `per_day`; None when nothing sells."""
    if per_day <= 0:
        return None
    return available / per_day


def health(available: Decimal, units_recent: Decimal, sold_before: bool, restock_days: int) -> Health:
    """The first rule of SPEC §5 that holds, on exact values."""
    sold_recently = units_recent > 0
    if available <= 0:
        return Health.OUT_OF_STOCK if sold_recently else Health.INACTIVE
    supply = days_of_supply(available, velocity(units_recent))
    if supply is not None and supply < restock_days:
        return Health.LOW
    if supply is not None and supply > OVERSTOCK_DAYS:
        return Health.OVERSTOCK
    if not sold_recently:
        return Health.DEAD if sold_before else Health.NEVER_SOLD
    return Health.HEALTHY


def half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@frozen
class OfferHealth:
    """One offer of a snapshot with its exact velocity, days of supply and bucket."""

    stock: OfferStock
    units_recent: Decimal
    velocity: Decimal
    days_of_supply: Decimal | None
    health: Health

    @property
    def available(self) -> Decimal:
        return self.stock.available

    @property
    def value_at_cost(self) -> Decimal | None:
        """available × purchase price for available stock with a known price (None: no known cost)."""
        price = self.stock.purchased_price
        if price is None or price <= 0:
            return None
        return max(self.available, ZERO) * price

    @property
    def value_at_price(self) -> Decimal:
        return max(self.available, ZERO) * self.stock.price


def assess(
    snapshot: StockSnapshot,
    units_recent: Mapping[int, Decimal],
    sold_before: Iterable[int],
    restock_days: int,
) -> list[OfferHealth]:
    """Every offer of the snapshot, by offer id, with its health.

    `units_recent`: units sold per offer in the velocity window; `sold_before`: offers with a sale before it.
    """
    earlier = frozenset(sold_before)
    assessed = []
    for row in snapshot.rows:
        units = units_recent.get(row.offer_id, ZERO)
        per_day = velocity(units)
        assessed.append(
            OfferHealth(
                stock=row,
                units_recent=units,
                velocity=per_day,
                days_of_supply=days_of_supply(row.available, per_day),
                health=health(row.available, units, row.offer_id in earlier, restock_days),
            )
        )
    return assessed


@frozen
class StockValue:
    """What the available stock is worth: `SPEC §5` counts offers with available > 0 only."""

    offers: int
    units_available: Decimal
    value_at_cost: Decimal
    value_at_price: Decimal
    cost_coverage_pct: Decimal


def stock_value(rows: Iterable[OfferStock]) -> StockValue:
    """Offers, units and value (at cost and at price) of the available stock, with its cost coverage."""
    offers, units, cost, price, covered = 0, ZERO, ZERO, ZERO, ZERO
    for row in rows:
        if row.available <= 0:
            continue
        offers += 1
        units += row.available
        price += row.available * row.price
        if row.purchased_price is not None and row.purchased_price > 0:
            cost += row.available * row.purchased_price
            covered += row.available * row.price
    coverage = half_up(covered / price * 100, 2) if price else ZERO
    return StockValue(offers, units, cost, price, coverage)


def health_counts(assessed: Iterable[OfferHealth]) -> dict[Health, int]:
    """Offers per bucket, every bucket present (zeros included), in the order of `Health`."""
    counts = dict.fromkeys(Health, 0)
    for item in assessed:
        counts[item.health] += 1
    return counts


def by_supply(assessed: Iterable[OfferHealth]) -> list[OfferHealth]:
    """Out of stock first, then by days of supply asc; ties: offer id."""
    return sorted(
        assessed,
        key=lambda a: (
            a.available > 0 and a.days_of_supply is not None,
            a.days_of_supply if a.available > 0 and a.days_of_supply is not None else ZERO,
            a.stock.offer_id,
        ),
    )


def by_value(assessed: Iterable[OfferHealth]) -> list[OfferHealth]:
    """By value at cost desc, offers without a known cost last; ties: offer id."""
    return sorted(
        assessed, key=lambda a: (a.value_at_cost is None, -(a.value_at_cost or ZERO), a.stock.offer_id)
    )


def ranked(assessed: Iterable[OfferHealth], bucket: Health | None) -> list[OfferHealth]:
    """A bucket's offers (or every offer): `low`/`out_of_stock` `by_supply`, the others `by_value`."""
    chosen = [a for a in assessed if bucket is None or a.health is bucket]
    return by_supply(chosen) if bucket in NEEDS_RESTOCK else by_value(chosen)


def became_restock(before: Iterable[OfferHealth], now: Iterable[OfferHealth]) -> list[OfferHealth]:
    """Offers of `now` that became `low` or `out_of_stock` since `before` (a change of bucket into one of
    them, new offers included), by offer id."""
    earlier = {a.stock.offer_id: a.health for a in before}
    return [a for a in now if a.health in NEEDS_RESTOCK and earlier.get(a.stock.offer_id) is not a.health]


@frozen
class StockDay:
    """One snapshot day's available units and their value at cost (offers with available > 0)."""

    day: date
    units_available: Decimal
    value_at_cost: Decimal
