"""The weekly report (SPEC §7): last week against its neighbours, the change explained, the unusual week."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from attrs import evolve, frozen

from ksales.domain.money import CENT, ZERO, average, change_pct, round2
from ksales.domain.periods import Period
from ksales.domain.results import DayTotals, ProductTotals, Totals
from ksales.domain.schedule import WeeklySlot

#: How many weeks the "4-week average" and the unusual-week test look back.
MEAN_WEEKS = 4
HISTORY_WEEKS = 12
#: |z| at or above this flags the week as unusual.
UNUSUAL_Z = Decimal(2)
MOVERS = 3


@frozen
class CustomerRevenue:
    """Revenue of counted orders by whether their buyer's first counted order fell in the period."""

    new: Decimal
    returning: Decimal


@frozen
class WeekFigures:
    """A week's (or a mean week's) orders, revenue and average check against the report week."""

    orders: Decimal
    revenue: Decimal
    avg_check: Decimal
    revenue_change_pct: Decimal | None
    orders_change_pct: Decimal | None
    avg_check_change_pct: Decimal | None


@frozen
class Decomposition:
    """Revenue change vs the week before = orders effect + average-check effect (exactly)."""

    change: Decimal
    orders_effect: Decimal
    check_effect: Decimal


@frozen
class Mover:
    product_id: int | None
    name: str
    revenue: Decimal
    previous_revenue: Decimal

    @property
    def change(self) -> Decimal:
        return self.revenue - self.previous_revenue


@frozen
class WeekRevenue:
    """One bar of the chart: a week (its Monday) and its revenue."""

    monday: date
    revenue: Decimal


@frozen
class WeeklyReport:
    week: Period
    orders: int
    revenue: Decimal
    avg_check: Decimal
    previous: WeekFigures
    four_week_mean: WeekFigures
    year_ago: WeekFigures
    year_ago_week: Period
    decomposition: Decomposition
    customers: int
    new_customers: int
    returning_customers: int
    customer_revenue: CustomerRevenue
    gainers: tuple[Mover, ...]
    losers: tuple[Mover, ...]
    #: The last 12 weeks' revenue, oldest first, ending with the report week (the chart's bars).
    history: tuple[WeekRevenue, ...]
    #: The mean of the 4 weeks before each bar (the chart's line), None while there are fewer.
    rolling_mean: tuple[Decimal | None, ...]
    z_score: Decimal | None
    unusual: bool


def report_week(today: date) -> Period:
    """The last complete Monday–Sunday week before `today`."""
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=1))


def due_week(slot: WeeklySlot, now: datetime) -> Period:
    """The week whose report is due at local `now`: the latest one whose slot has passed.

    Week W's slot is the slot's weekday and time in the week after W; before this week's slot,
    the week before last is the latest one due.
    """
    week = report_week(now.date())
    if now < slot_moment(slot, week, now):
        return Period(week.start - timedelta(days=7), week.end - timedelta(days=7))
    return week


def slot_moment(slot: WeeklySlot, week: Period, like: datetime) -> datetime:
    """When `week`'s report is due: the slot in the following week, in `like`'s time zone."""
    return datetime.combine(week.end + timedelta(days=1 + slot.weekday), slot.at, like.tzinfo)


def year_ago_week(week: Period) -> Period:
    """The same ISO week a year earlier (week 53 compares with week 52)."""
    year, number, _ = week.start.isocalendar()
    monday = date.fromisocalendar(year - 1, min(number, 52), 1)
    return Period(monday, monday + timedelta(days=6))


def weeks_before(week: Period, count: int) -> list[Period]:
    """The `count` weeks before `week`, oldest first."""
    return [
        Period(week.start - timedelta(days=7 * k), week.end - timedelta(days=7 * k))
        for k in range(count, 0, -1)
    ]


def weekly_totals(days: Sequence[DayTotals], weeks: Sequence[Period]) -> list[Totals]:
    """Sum daily totals into the given weeks (days outside them are ignored)."""
    orders = {w.start: 0 for w in weeks}
    revenue = {w.start: ZERO for w in weeks}
    for day in days:
        monday = day.day - timedelta(days=day.day.weekday())
        if monday in orders:
            orders[monday] += day.orders
            revenue[monday] += day.revenue
    return [Totals(orders[w.start], revenue[w.start]) for w in weeks]


def _figures(current: Totals, orders: Decimal, revenue: Decimal) -> WeekFigures:
    check = average(revenue, orders)
    return WeekFigures(
        orders=orders,
        revenue=revenue,
        avg_check=check,
        revenue_change_pct=change_pct(current.revenue, revenue),
        orders_change_pct=change_pct(current.orders, orders),
        avg_check_change_pct=change_pct(average(current.revenue, current.orders), check),
    )


def decompose(current: Totals, previous: Totals) -> Decomposition:
    """Δrevenue = Δorders × the earlier check + this week's orders × Δcheck, with unrounded checks.

    The orders effect rounds half-up to cents; the check effect is the change minus it, so the two
    add up to the change exactly (it equals its own half-up rounding except on an exact tie).
    """
    change = current.revenue - previous.revenue
    before = Fraction(previous.revenue) / previous.orders if previous.orders else Fraction(0)
    orders_effect = (current.orders - previous.orders) * before
    rounded = Decimal(orders_effect.numerator) / Decimal(orders_effect.denominator)
    rounded = rounded.quantize(CENT, rounding=ROUND_HALF_UP)
    return Decomposition(round2(change), rounded, round2(change - rounded))


def movers(
    current: Sequence[ProductTotals], previous: Sequence[ProductTotals]
) -> tuple[tuple[Mover, ...], tuple[Mover, ...]]:
    """The products that gained and that lost most revenue (ties: name case-insensitive, id)."""
    rows: dict[tuple[int | None, str], list[Decimal]] = {}
    names: dict[tuple[int | None, str], str] = {}
    for index, side in enumerate((current, previous)):
        for p in side:
            key = (p.product_id, p.name if p.product_id is None else "")
            rows.setdefault(key, [ZERO, ZERO])[index] += p.revenue
            names.setdefault(key, p.name)
    all_movers = [Mover(k[0], names[k], v[0], v[1]) for k, v in rows.items()]

    def order(m: Mover) -> tuple[str, int]:
        return (m.name.casefold(), m.product_id if m.product_id is not None else -1)

    gainers = sorted((m for m in all_movers if m.change > 0), key=lambda m: (-m.change, order(m)))
    losers = sorted((m for m in all_movers if m.change < 0), key=lambda m: (m.change, order(m)))
    return tuple(gainers[:MOVERS]), tuple(losers[:MOVERS])


def z_score(revenue: Decimal, history: Sequence[Decimal]) -> Decimal | None:
    """(revenue − mean) ÷ sample standard deviation of the 12 weeks before; None without them or spread."""
    if len(history) < HISTORY_WEEKS:
        return None
    values = [Fraction(v) for v in history[-HISTORY_WEEKS:]]
    mean = sum(values, Fraction(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), Fraction(0)) / (len(values) - 1)
    if variance == 0:
        return None
    deviation = Decimal(math.sqrt(variance))
    return round2((revenue - Decimal(mean.numerator) / Decimal(mean.denominator)) / deviation)


def build_report(
    week: Period,
    current: Totals,
    before: Sequence[Totals],
    history_starts: date | None,
    year_ago: Totals,
    customers: int,
    new_customers: int,
    customer_revenue: CustomerRevenue,
    products: Sequence[ProductTotals],
    previous_products: Sequence[ProductTotals],
) -> WeeklyReport:
    """Every figure of the weekly report from the store's answers.

    `before` holds the 12 weeks before `week`, oldest first, then `history_starts` the first business
    day with an order (None when none): weeks before it are no history, so no z-score then.
    """
    assert len(before) == HISTORY_WEEKS
    previous = before[-1]
    last4 = before[-MEAN_WEEKS:]
    mean_orders = Decimal(sum(t.orders for t in last4)) / MEAN_WEEKS
    mean_revenue = sum((t.revenue for t in last4), ZERO) / MEAN_WEEKS
    weeks = weeks_before(week, HISTORY_WEEKS)
    known = [
        t.revenue
        for w, t in zip(weeks, before, strict=True)
        if history_starts is not None and w.start >= history_starts - timedelta(days=history_starts.weekday())
    ]
    z = z_score(current.revenue, known)
    series = [*before, current]
    # Bars: the last 12 weeks ending with the report week; the line: mean of the 4 weeks before each bar.
    bars = [WeekRevenue(w.start, t.revenue) for w, t in zip([*weeks, week], series, strict=True)]
    offset = len(series) - HISTORY_WEEKS
    rolling = tuple(
        sum((t.revenue for t in series[i - MEAN_WEEKS : i]), ZERO) / MEAN_WEEKS if i >= MEAN_WEEKS else None
        for i in range(offset, len(series))
    )
    gainers, losers = movers(products, previous_products)
    return WeeklyReport(
        week=week,
        orders=current.orders,
        revenue=current.revenue,
        avg_check=average(current.revenue, current.orders),
        previous=_figures(current, Decimal(previous.orders), previous.revenue),
        # A mean is an average: its revenue rounds half-up to cents (its check and changes use the exact one).
        four_week_mean=evolve(_figures(current, mean_orders, mean_revenue), revenue=round2(mean_revenue)),
        year_ago=_figures(current, Decimal(year_ago.orders), year_ago.revenue),
        year_ago_week=year_ago_week(week),
        decomposition=decompose(current, previous),
        customers=customers,
        new_customers=new_customers,
        returning_customers=customers - new_customers,
        customer_revenue=customer_revenue,
        gainers=gainers,
        losers=losers,
        history=tuple(bars[-HISTORY_WEEKS:]),
        rolling_mean=tuple(None if v is None else round2(v) for v in rolling),
        z_score=z,
        unusual=z is not None and abs(z) >= UNUSUAL_Z,
    )
