"""Orders of the demo shop, generated day by day from a seed: the same seed gives the same shop."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Generic, TypeVar

from ksales.domain.model import Buyer, Expense, Order, OrderLine, Product

_FIRST_NAMES = ("Олена", "Ірина", "Марія", "Анна", "Оксана", "Тетяна", "Андрій", "Дмитро", "Сергій", "Олег")
_LAST_NAMES = (
    "Шевченко",
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Олійник",
    "Мельник",
    "Лисенко",
)
T = TypeVar("T")


class Weighted(Generic[T]):
    """A weighted choice with precomputed cumulative weights (random.choices recomputes them per call)."""

    def __init__(self, items: Iterable[T], weights: Iterable[float]) -> None:
        self.items = tuple(items)
        self.cumulative = tuple(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


_HOURS = Weighted(
    range(24), (3, 2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 10, 10, 9, 9, 10, 11, 12, 13, 13, 11, 8, 5)
)
_SOURCES = Weighted((1, 2, 3, 4), (45, 25, 28, 2))
_LINE_COUNTS = Weighted((1, 2, 3, 4), (50, 30, 15, 5))
_RETAIL_QUANTITIES = Weighted((Decimal(1), Decimal(2), Decimal(3)), (80, 15, 5))
_EXPENSE_STATUSES: Weighted[str | None] = Weighted(("paid", "canceled", None), (90, 5, 5))
_MONTH_FACTOR = (0.85, 0.8, 0.95, 1.0, 1.0, 0.9, 0.85, 0.9, 1.0, 1.05, 1.3, 1.45)
_WEEKDAY_FACTOR = (1.05, 1.05, 1.0, 1.0, 1.1, 0.9, 0.8)
RETAIL_MANAGERS = (3, 7, 9)
B2B_MANAGER = 15
_CENT = Decimal("0.01")
#: Order ids are day number × this + the order's number within the day.
ID_STRIDE = 1000


def buyer(buyer_id: int) -> Buyer:
    """A deterministic person for a buyer id."""
    first = _FIRST_NAMES[buyer_id % len(_FIRST_NAMES)]
    last = _LAST_NAMES[(buyer_id // len(_FIRST_NAMES)) % len(_LAST_NAMES)]
    phone = f"380{(670000000 + buyer_id * 7919) % 1000000000:09d}"
    return Buyer(buyer_id, f"{first} {last}", f"buyer{buyer_id}@example.com", phone)


def buyer_id_for_phone(phone: str) -> int | None:
    """Invert `buyer`'s phone scheme (7919 is invertible modulo 10⁹) to find whose phone it is."""
    if not (phone.startswith("380") and len(phone) == 12 and phone.isdigit()):
        return None
    inverse = pow(7919, -1, 1_000_000_000)
    return ((int(phone[3:]) - 670000000) * inverse) % 1_000_000_000


class DayGenerator:
    """Generates the orders placed on one shop-local day, as they stand at `now`."""

    def __init__(
        self, seed: int, timezone: tzinfo, products: tuple[Product, ...], prices: dict[int, Decimal]
    ) -> None:
        self.seed = seed
        self.timezone = timezone
        self.products = products
        self.prices = prices
        # Popular products sell more: Zipf-like weights over a seed-shuffled catalog.
        order = list(range(len(products)))
        random.Random(f"{seed}:popularity").shuffle(order)
        self.catalog = Weighted(products, (1.0 / (rank + 1) ** 0.8 for rank in order))

    def shares(self) -> dict[int, float]:
        """Each catalog product's share of the lines that name a product."""
        weights = self.catalog.cumulative
        return {
            product.id: (weights[i] - (weights[i - 1] if i else 0.0)) / self.catalog.total
            for i, product in enumerate(self.catalog.items)
        }

    def expected_orders(self, day: date, first_day: date, last_day: date, per_day: float) -> float:
        span = max((last_day - first_day).days, 1)
        growth = 0.8 + 0.4 * (day - first_day).days / span
        return per_day * growth * _MONTH_FACTOR[day.month - 1] * _WEEKDAY_FACTOR[day.weekday()]

    def orders(self, day: date, day_number: int, expected: float, now: datetime) -> list[Order]:
        rng, moments = self._placements(day, expected)
        result = []
        for index, placed in enumerate(moments):
            order = self._order(rng, day_number * ID_STRIDE + index + 1, day_number, placed, now)
            if order is not None:
                result.append(order)
        return result

    def placements(self, day: date, expected: float) -> list[datetime]:
        """When the day's orders are placed (sorted), without generating them: what a count needs."""
        return self._placements(day, expected)[1]

    def _placements(self, day: date, expected: float) -> tuple[random.Random, list[datetime]]:
        """The day's random stream, drawn up to the orders themselves, and their placement times."""
        rng = random.Random(f"{self.seed}:{day.isoformat()}")
        count = max(0, min(ID_STRIDE - 1, round(rng.gauss(expected, math.sqrt(max(expected, 1.0))))))
        return rng, sorted(self._moment(rng, day) for _ in range(count))

    def _moment(self, rng: random.Random, day: date) -> datetime:
        if rng.random() < 0.03:  # orders right around midnight, on either side of it
            local = datetime.combine(day, time(23, 50)) + timedelta(minutes=rng.randrange(10))
            if rng.random() < 0.5:
                local = datetime.combine(day, time(0, rng.randrange(10)))
        else:
            hour = _HOURS.pick(rng)
            local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
        return local.replace(tzinfo=self.timezone).astimezone(UTC)

    def _order(
        self, rng: random.Random, order_id: int, day_number: int, placed: datetime, now: datetime
    ) -> Order | None:
        source_id = _SOURCES.pick(rng)
        b2b = source_id != 3 and rng.random() < 0.06
        manager = B2B_MANAGER if b2b else (None if source_id == 3 else rng.choice(RETAIL_MANAGERS))
        lines = tuple(self._line(rng, b2b) for _ in range(_LINE_COUNTS.pick(rng) + b2b))
        shipping = Decimal(0) if b2b or rng.random() < 0.4 else Decimal(80)
        total = sum((line.revenue for line in lines), Decimal(0)) + shipping
        status_id, changed = self._status(rng, placed, now)
        if changed is None:
            return None  # not placed yet at `now`
        return Order(
            id=order_id,
            source_id=source_id,
            grand_total=total.quantize(_CENT),
            created_at=placed + timedelta(seconds=rng.randrange(1, 120)),
            ordered_at=placed,
            updated_at=changed,
            status_id=status_id,
            status_group_id=6 if status_id in (6, 7) else status_id,
            manager_id=manager,
            buyer=self._buyer(rng, order_id, day_number),
            lines=lines,
            expenses=self._expenses(rng, order_id, total, source_id),
            shipping_price=shipping,
        )

    def _line(self, rng: random.Random, b2b: bool) -> OrderLine:
        quantity = Decimal(rng.randrange(2, 11)) if b2b else _RETAIL_QUANTITIES.pick(rng)
        if rng.random() < 0.04:
            name = rng.choice(("Подарункове пакування", "Індивідуальне замовлення", "Ремонт / підгонка"))
            return OrderLine(name, Decimal(1), Decimal(rng.randrange(50, 400, 10)))
        product = self.catalog.pick(rng)
        price = self.prices[product.id]
        discount = (
            Decimal("0.85") if b2b else rng.choice((Decimal(1), Decimal(1), Decimal(1), Decimal("0.9")))
        )
        return OrderLine(
            name=product.name,
            quantity=quantity,
            price_sold=(price * discount).quantize(_CENT),
            product_id=product.id,
            offer_id=product.id * 10,
            sku=f"SKU-{product.id}",
            price=price,
            purchased_price=_purchase_price(product.id, price),
        )

    def _status(self, rng: random.Random, placed: datetime, now: datetime) -> tuple[int, datetime | None]:
        """The status at `now` and when it last changed; None when the order is not placed yet."""
        canceled = rng.random() < 0.05
        returned = canceled and rng.random() < 0.3
        steps = [(1, placed)]
        at = placed
        for status in (2, 3, 4):
            at += timedelta(hours=rng.uniform(2, 30))
            steps.append((status, at))
        at += timedelta(hours=rng.uniform(24, 96))
        steps.append(((7 if returned else 6) if canceled else 5, at))
        if canceled and not returned:
            steps[2:] = [(6, placed + timedelta(hours=rng.uniform(1, 48)))]
        reached = [(s, t) for s, t in steps if t <= now]
        return reached[-1] if reached else (1, None)

    def _buyer(self, rng: random.Random, order_id: int, day_number: int) -> Buyer | None:
        roll = rng.random()
        if roll < 0.03:
            return None
        if roll < 0.4 and day_number > 0:  # a returning buyer from an earlier day
            earlier = rng.randrange(max(0, day_number - 400), day_number)
            return buyer(earlier * ID_STRIDE + rng.randrange(1, 40))
        return buyer(order_id)

    def _expenses(
        self, rng: random.Random, order_id: int, total: Decimal, source: int
    ) -> tuple[Expense, ...]:
        expenses = []
        if rng.random() < 0.7:
            status = _EXPENSE_STATUSES.pick(rng)
            expenses.append(Expense(order_id * 10 + 1, Decimal(rng.randrange(45, 130)), 1, status))
        if source == 3:
            expenses.append(Expense(order_id * 10 + 2, (total * Decimal("0.025")).quantize(_CENT), 2, "paid"))
        if rng.random() < 0.1:
            expenses.append(Expense(order_id * 10 + 3, Decimal(rng.randrange(15, 40)), 3, "paid"))
        return tuple(expenses)


def _purchase_price(product_id: int, price: Decimal) -> Decimal | None:
    """A believable cost: 42–66 % of the price by product, and none for one product in 15 (not entered in
    KeyCRM), so that the demo's cost coverage is below 100 % (SPEC §5). A function of the id, not of the
    random stream, so the demo's orders stay as they were."""
    if product_id % 15 == 7:
        return None
    return (price * Decimal(42 + product_id * 7 % 25) / 100).quantize(_CENT)
