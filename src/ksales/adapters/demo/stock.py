"""The demo shop's stock: each offer is restocked in its own cycle and run down by the shop's own orders.

Restock sizes follow each product's popularity, some too small (bestsellers run low, then out of stock
before the next delivery) and some far too big (overstock); every ninth product has a second offer that
never sells, some of them empty. Everything follows from the seed and the clock.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from attrs import frozen

from ksales.domain.model import Order, Product
from ksales.domain.stock import OfferStock

#: Every this many products, a second offer (another size or colour) that never sells.
UNSOLD_EVERY = 9
#: Days between deliveries, per offer.
CYCLES = (21, 28, 35, 42, 56)
#: Restock size ÷ what the cycle is expected to sell: below 1 runs out before the delivery.
COVERAGE = (0.6, 0.9, 1.0, 1.2, 1.5, 4.0)
#: Units an order takes on average (lines per order × units per line), to size the deliveries.
UNITS_PER_ORDER = 2.2
#: Status groups of orders not shipped yet: their units are reserved, not gone.
OPEN_GROUPS = frozenset({1, 2, 3})
_CENT = Decimal("0.01")


@frozen
class StockPlan:
    """How one offer's stock moves: `level` units delivered every `cycle` days (on day `phase` of it)."""

    offer_id: int
    product_id: int
    sku: str
    price: Decimal
    purchased_price: Decimal | None
    cycle: int
    phase: int
    level: Decimal
    sells: bool = True

    def restocked_on(self, today: date) -> date:
        """The day of the latest delivery, today or before."""
        return today - timedelta(days=(today.toordinal() - self.phase) % self.cycle)


def stock_plans(
    seed: int,
    products: Sequence[Product],
    prices: dict[int, Decimal],
    shares: dict[int, float],
    per_day: float,
) -> list[StockPlan]:
    """Every offer of the catalog: one per product (id × 10, as the orders' lines), plus the unsold ones."""
    rng = random.Random(f"{seed}:stock")
    plans: list[StockPlan] = []
    for number, product in enumerate(products):
        price = prices[product.id]
        # A few offers have no purchase price in the CRM: their stock has no value at cost.
        cost = None if product.id % 25 == 0 else (price * Decimal("0.55")).quantize(_CENT)
        cycle = rng.choice(CYCLES)
        expected = per_day * UNITS_PER_ORDER * shares.get(product.id, 0.0) * cycle
        level = max(1, math.ceil(expected * rng.choice(COVERAGE)))
        plans.append(
            StockPlan(
                product.id * 10,
                product.id,
                f"SKU-{product.id}",
                price,
                cost,
                cycle,
                rng.randrange(cycle),
                Decimal(level),
            )
        )
        if number % UNSOLD_EVERY == 0:
            plans.append(
                StockPlan(
                    product.id * 10 + 1,
                    product.id,
                    f"SKU-{product.id}-B",
                    price,
                    cost,
                    1,
                    0,
                    Decimal(rng.choice((0, 0, 2, 5, 12))),
                    sells=False,
                )
            )
    return plans


def stock_levels(
    plans: Sequence[StockPlan], today: date, day_orders: Callable[[date], list[Order]]
) -> list[OfferStock]:
    """Each offer's stock now: its last delivery less what was sold since, with open orders reserved."""
    oldest = today - timedelta(days=max(CYCLES) - 1)
    committed: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    reserved: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    day = oldest
    while day <= today:
        for order in day_orders(day):
            if order.status_group_id == 6:  # canceled or returned: back on the shelf
                continue
            for line in order.lines:
                if line.offer_id is None:
                    continue
                committed[line.offer_id][day] += line.quantity
                if order.status_group_id in OPEN_GROUPS:
                    reserved[line.offer_id][day] += line.quantity
        day += timedelta(days=1)
    rows = []
    for plan in plans:
        since = plan.restocked_on(today)
        sold = sum((q for d, q in committed[plan.offer_id].items() if d >= since), Decimal(0))
        open_units = sum((q for d, q in reserved[plan.offer_id].items() if d >= since), Decimal(0))
        # Shipped units left the warehouse; reserved ones are still in it (KeyCRM's quantity counts them).
        quantity = max(plan.level - (sold - open_units), Decimal(0)) if plan.sells else plan.level
        rows.append(
            OfferStock(
                offer_id=plan.offer_id,
                quantity=quantity,
                reserve=min(open_units, quantity),
                price=plan.price,
                purchased_price=plan.purchased_price,
                sku=plan.sku,
                product_id=plan.product_id,
            )
        )
    return rows
