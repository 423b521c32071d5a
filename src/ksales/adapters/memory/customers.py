"""The customer queries of the in-memory store: per-buyer histories classified by the domain's rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from ksales.domain.customers import (
    CohortCell,
    CohortFacts,
    CustomerFacts,
    Segment,
    SegmentTotals,
    median_days,
    month_start,
    months_after,
    segment_of,
)
from ksales.domain.model import Order

ZERO = Decimal(0)


def buyer_days(counted: Iterable[tuple[Order, date]]) -> dict[int, list[date]]:
    """Each buyer's counted business days, sorted."""
    days: dict[int, list[date]] = defaultdict(list)
    for order, day in counted:
        if order.buyer_id is not None:
            days[order.buyer_id].append(day)
    for values in days.values():
        values.sort()
    return days


def cohort_facts(
    buyer_days: dict[int, list[date]], active: Iterable[tuple[int, date, Decimal]], start: date, end: date
) -> CohortFacts:
    """`active`: (buyer, business day, revenue) of the scope's counted orders up to `end`."""
    sizes: dict[date, int] = defaultdict(int)
    for days in buyer_days.values():
        if start <= days[0] <= end:
            sizes[month_start(days[0])] += 1
    buyers: dict[tuple[date, int], set[int]] = defaultdict(set)
    revenue: dict[tuple[date, int], Decimal] = defaultdict(Decimal)
    for buyer, day, amount in active:
        first = buyer_days[buyer][0]
        if not start <= first <= end:
            continue
        key = (month_start(first), months_after(first, day))
        buyers[key].add(buyer)
        revenue[key] += amount
    cells = tuple(CohortCell(c, k, len(buyers[(c, k)]), revenue[(c, k)]) for c, k in sorted(buyers))
    return CohortFacts(tuple(sorted(sizes.items())), cells)


def time_to_second_order(buyer_days: dict[int, list[date]], start: date, end: date) -> Decimal | None:
    gaps = [(d[1] - d[0]).days for d in buyer_days.values() if len(d) >= 2 and start <= d[1] <= end]
    return median_days(gaps)


def customer_histories(
    orders: Iterable[tuple[Order, date]], every_order: Iterable[Order]
) -> list[CustomerFacts]:
    """Facts per buyer of the counted orders given; contacts from the buyer's latest stored order."""
    count: dict[int, int] = defaultdict(int)
    revenue: dict[int, Decimal] = defaultdict(Decimal)
    first: dict[int, date] = {}
    last: dict[int, date] = {}
    for order, day in orders:
        buyer = order.buyer_id
        if buyer is None:
            continue
        count[buyer] += 1
        revenue[buyer] += order.grand_total
        first[buyer] = min(first.get(buyer, day), day)
        last[buyer] = max(last.get(buyer, day), day)
    latest: dict[int, Order] = {}
    for order in every_order:
        buyer = order.buyer_id
        if buyer in count:
            seen = latest.get(buyer)
            if seen is None or (order.placed_at, order.id) > (seen.placed_at, seen.id):
                latest[buyer] = order
    result = []
    for buyer in count:
        contact = latest[buyer].buyer
        result.append(
            CustomerFacts(
                buyer,
                contact.full_name if contact else None,
                contact.phone if contact else None,
                contact.email if contact else None,
                count[buyer],
                revenue[buyer],
                first[buyer],
                last[buyer],
            )
        )
    return result


def segment_totals(facts: Iterable[CustomerFacts], as_of: date) -> list[SegmentTotals]:
    customers: dict[Segment, int] = defaultdict(int)
    revenue: dict[Segment, Decimal] = defaultdict(Decimal)
    orders: dict[Segment, int] = defaultdict(int)
    recency: dict[Segment, int] = defaultdict(int)
    for f in facts:
        segment = segment_of(f.orders, f.first_order, f.last_order, as_of)
        customers[segment] += 1
        revenue[segment] += f.revenue
        orders[segment] += f.orders
        recency[segment] += (as_of - f.last_order).days
    return [SegmentTotals(s, customers[s], revenue[s], orders[s], recency[s]) for s in Segment]


def customer_facts(
    facts: Iterable[CustomerFacts], as_of: date, segment: Segment | None, limit: int
) -> list[CustomerFacts]:
    chosen = [
        f
        for f in facts
        if segment is None or segment_of(f.orders, f.first_order, f.last_order, as_of) is segment
    ]
    return sorted(chosen, key=lambda f: (-f.revenue, f.buyer_id))[:limit]
