"""The reference SalesStore: plain Python over dicts, as direct a reading of SPEC §5 as possible.

It implements every query of the `SalesStore` port in one place on purpose: it is what the contract tests
compare the DuckDB store with, and it reads best side by side with the spec.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import TypeVar

from ksales.adapters.memory import customers
from ksales.domain.customers import CohortFacts, CustomerFacts, Segment, SegmentTotals
from ksales.domain.filters import Scope, brand_key
from ksales.domain.goals import MonthlyGoal
from ksales.domain.inventory import StockDay, stock_value
from ksales.domain.margin import CostGroup, LineCosts, cost_sort_key, line_cost
from ksales.domain.model import (
    Category,
    Dictionaries,
    ExpenseType,
    Order,
    OrderLine,
    Product,
    Source,
    Status,
)
from ksales.domain.pace import local_seconds, seconds_of_day
from ksales.domain.quality import DataQualityCounts
from ksales.domain.ranking import RankBy, rank_products
from ksales.domain.results import (
    BrandBreakdown,
    BrandTotals,
    CategoryTotals,
    CustomerCounts,
    DayAmount,
    DayTotals,
    ExpenseTotals,
    ExpenseTypeTotals,
    ProductRanking,
    ProductTotals,
    SourceTotals,
    Totals,
)
from ksales.domain.rules import (
    Rules,
    SalesType,
    business_day,
    is_canceled,
    is_counted,
    is_excluded,
    matches_sales_type,
)
from ksales.domain.stock import StockSnapshot
from ksales.domain.weekly import CustomerRevenue
from ksales.ports.store import ApplyResult, OrderChanges

ZERO = Decimal(0)


class InMemorySalesStore:
    """Implements `SalesStore` over Python dicts."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or Rules()
        self.orders: dict[int, Order] = {}
        self.meta: dict[str, str] = {}
        #: Stock snapshots by their day.
        self.snapshots: dict[date, StockSnapshot] = {}
        self._sources: dict[int, Source] = {}
        self._statuses: dict[int, Status] = {}
        self._expense_types: dict[int, ExpenseType] = {}
        self._categories: dict[int, Category] = {}
        self._products: dict[int, Product] = {}
        self._goals: dict[tuple[date, str], MonthlyGoal] = {}
        self._lock = threading.RLock()
        #: Bumped by every write that changes the shop's data, not by meta alone (`data_version`).
        self._version = 0

    # --- writes -------------------------------------------------------------------------------
    def apply(self, changes: OrderChanges) -> ApplyResult:
        with self._lock:
            inserted = updated = unchanged = removed = 0
            for order in changes.upserts:
                old = self.orders.get(order.id)
                if old is None:
                    inserted += 1
                elif old == order:
                    unchanged += 1
                else:
                    updated += 1
                self.orders[order.id] = order
            for order_id in changes.deletions:
                if self.orders.pop(order_id, None) is not None:
                    removed += 1
            self.meta.update(changes.meta)
            if inserted or updated or removed:
                self._version += 1
            return ApplyResult(inserted, updated, unchanged, removed)

    def save_dictionaries(self, dictionaries: Dictionaries) -> None:
        with self._lock:
            changed = [
                _upsert(self._sources, dictionaries.sources),
                _upsert(self._statuses, dictionaries.statuses),
                _upsert(self._expense_types, dictionaries.expense_types),
                _upsert(self._categories, dictionaries.categories),
                _upsert(self._products, dictionaries.products),
            ]
            if any(changed):  # the same entries again change nothing the reads answer
                self._version += 1

    def set_meta(self, values: Mapping[str, str]) -> None:
        with self._lock:
            self.meta.update(values)

    def save_stock_snapshot(self, snapshot: StockSnapshot) -> None:
        with self._lock:
            self._version += 1
            self.snapshots[snapshot.day] = snapshot

    # --- reads --------------------------------------------------------------------------------
    def data_version(self) -> int:
        return self._version

    def get_meta(self, key: str) -> str | None:
        return self.meta.get(key)

    def get_order(self, order_id: int) -> Order | None:
        return self.orders.get(order_id)

    def order_count(self) -> int:
        return len(self.orders)

    def order_ids_placed_between(self, start: datetime, end: datetime) -> frozenset[int]:
        return frozenset(o.id for o in self._snapshot() if start <= o.placed_at < end)

    def monthly_order_counts(self) -> dict[date, int]:
        counts: dict[date, int] = {}
        for order in self._snapshot():
            placed = order.placed_at.astimezone(UTC)
            month = date(placed.year, placed.month, 1)
            counts[month] = counts.get(month, 0) + 1
        return dict(sorted(counts.items()))

    def data_quality(self) -> DataQualityCounts:
        orders = self._snapshot()
        bare = [o for o in orders if not o.lines and o.grand_total != 0]
        lines = [line for o in orders for line in o.lines]
        return DataQualityCounts(
            orders_without_lines=len(bare),
            orders_without_lines_total=sum((o.grand_total for o in bare), Decimal(0)),
            lines=len(lines),
            lines_without_product=sum(1 for line in lines if line.product_id is None),
            lines_without_purchase_price=sum(1 for line in lines if line.purchased_price is None),
            unknown_products=tuple(
                sorted({ln.product_id for ln in lines if ln.product_id is not None} - self._products.keys())
            ),
            unknown_sources=tuple(sorted({o.source_id for o in orders} - self._sources.keys())),
            unknown_statuses=tuple(
                sorted({o.status_id for o in orders if o.status_id is not None} - self._statuses.keys())
            ),
        )

    def sources(self) -> list[Source]:
        known = dict(self._sources)
        for order in self._snapshot():
            known.setdefault(order.source_id, Source(order.source_id, f"Source {order.source_id}"))
        return sorted(known.values(), key=lambda s: s.id)

    def statuses(self) -> list[Status]:
        return sorted(self._statuses.values(), key=lambda s: s.id)

    def expense_types(self) -> list[ExpenseType]:
        return sorted(self._expense_types.values(), key=lambda t: t.id)

    def categories(self) -> list[Category]:
        return sorted(self._categories.values(), key=lambda c: c.id)

    def products(self) -> list[Product]:
        return sorted(self._products.values(), key=lambda p: p.id)

    def brands(self) -> list[str]:
        return sorted(self._brand_names().values(), key=lambda b: (b.lower(), b))

    def stock_snapshot_days(self) -> list[date]:
        with self._lock:
            return sorted(self.snapshots)

    def stock_snapshot(self, day: date) -> StockSnapshot | None:
        return self.snapshots.get(day)

    def latest_stock_snapshot(self) -> StockSnapshot | None:
        with self._lock:
            return self.snapshots[max(self.snapshots)] if self.snapshots else None

    # --- aggregates ---------------------------------------------------------------------------
    def totals(self, scope: Scope) -> Totals:
        return self._totals(self._counted(scope), scope)

    def returns(self, scope: Scope) -> Totals:
        return self._totals(self._canceled(scope), scope)

    def daily(self, scope: Scope) -> list[DayTotals]:
        by_day: dict[date, list[Order]] = defaultdict(list)
        for order in self._counted(scope):
            by_day[self._day(order)].append(order)
        return [
            DayTotals(day, totals.orders, totals.revenue)
            for day, orders in sorted(by_day.items())
            for totals in [self._totals(orders, scope)]
        ]

    def source_totals(self, scope: Scope) -> list[SourceTotals]:
        by_source: dict[int, list[Order]] = defaultdict(list)
        for order in self._counted(scope):
            by_source[order.source_id].append(order)
        return [
            SourceTotals(source_id, totals.orders, totals.revenue)
            for source_id, orders in sorted(by_source.items())
            for totals in [self._totals(orders, scope)]
        ]

    def product_totals(self, scope: Scope) -> list[ProductTotals]:
        quantity: dict[tuple[int | None, str], Decimal] = defaultdict(Decimal)
        revenue: dict[tuple[int | None, str], Decimal] = defaultdict(Decimal)
        latest_name: dict[int, tuple[datetime, int, str]] = {}
        for order in self._counted(scope):
            for line in self._lines(order, scope):
                key = (line.product_id, "" if line.product_id is not None else line.name)
                quantity[key] += line.quantity
                revenue[key] += line.revenue
                if line.product_id is not None:
                    seen = (order.placed_at, order.id, line.name)
                    if line.product_id not in latest_name or seen[:2] > latest_name[line.product_id][:2]:
                        latest_name[line.product_id] = seen
        rows = []
        for key in quantity:
            product_id, line_name = key
            if product_id is None:
                name = line_name
            elif product_id in self._products:
                name = self._products[product_id].name
            else:
                name = latest_name[product_id][2]
            rows.append(ProductTotals(product_id, name, quantity[key], revenue[key]))
        return sorted(rows, key=lambda r: (r.product_id is None, r.product_id or 0, r.name))

    def product_ranking(self, scope: Scope, limit: int) -> ProductRanking:
        rows = self.product_totals(scope)
        return ProductRanking(
            by_quantity=tuple(rank_products(rows, RankBy.QUANTITY)[:limit]),
            by_revenue=tuple(rank_products(rows, RankBy.REVENUE)[:limit]),
            products=len(rows),
            quantity=sum((r.quantity for r in rows), ZERO),
            revenue=sum((r.revenue for r in rows), ZERO),
        )

    def category_totals(self, scope: Scope) -> list[CategoryTotals]:
        quantity: dict[int | None, Decimal] = defaultdict(Decimal)
        revenue: dict[int | None, Decimal] = defaultdict(Decimal)
        for order in self._counted(scope):
            for line in self._lines(order, scope):
                category_id = self._category_of(line)
                quantity[category_id] += line.quantity
                revenue[category_id] += line.revenue
        return [
            CategoryTotals(c, quantity[c], revenue[c])
            for c in sorted(quantity, key=lambda c: (c is None, c or 0))
        ]

    def customer_counts(self, scope: Scope) -> CustomerCounts:
        buyers = {o.buyer_id for o in self._counted(scope) if o.buyer_id is not None}
        first_day: dict[int, date] = {}
        for order in self._snapshot():
            if order.buyer_id is not None and is_counted(order, self.rules):
                day = self._day(order)
                if order.buyer_id not in first_day or day < first_day[order.buyer_id]:
                    first_day[order.buyer_id] = day
        new = sum(1 for b in buyers if scope.start <= first_day[b] <= scope.end)
        return CustomerCounts(len(buyers), new)

    def customer_revenue(self, scope: Scope) -> CustomerRevenue:
        first_day = self._first_days()
        new = returning = ZERO
        for order in self._counted(scope):
            if order.buyer_id is None:
                continue
            revenue = self._totals([order], scope).revenue
            if first_day[order.buyer_id] >= scope.start:
                new += revenue
            else:
                returning += revenue
        return CustomerRevenue(new, returning)

    def _first_days(self) -> dict[int, date]:
        first_day: dict[int, date] = {}
        for order in self._snapshot():
            if order.buyer_id is not None and is_counted(order, self.rules):
                day = self._day(order)
                if order.buyer_id not in first_day or day < first_day[order.buyer_id]:
                    first_day[order.buyer_id] = day
        return first_day

    def brand_breakdown(self, scope: Scope) -> BrandBreakdown:
        names = self._brand_names()
        revenue: dict[str, Decimal] = defaultdict(Decimal)
        quantity: dict[str, Decimal] = defaultdict(Decimal)
        orders: dict[str, set[int]] = defaultdict(set)
        unbranded = ZERO
        for order in self._counted(scope):
            for line in self._lines(order, scope):
                key = self._brand_key_of(line)
                if key is None:
                    unbranded += line.revenue
                    continue
                revenue[key] += line.revenue
                quantity[key] += line.quantity
                orders[key].add(order.id)
        brands = tuple(
            BrandTotals(names[k], revenue[k], quantity[k], len(orders[k])) for k in sorted(revenue)
        )
        return BrandBreakdown(brands, unbranded)

    def expense_totals(self, scope: Scope, expense_type_id: int | None = None) -> ExpenseTotals:
        amount: dict[int | None, Decimal] = defaultdict(Decimal)
        count: dict[int | None, int] = defaultdict(int)
        daily: dict[date, Decimal] = defaultdict(Decimal)
        orders_with: set[int] = set()
        for order in self._in_scope(scope):
            if scope.narrows_lines and not any(True for _ in self._lines(order, scope)):
                continue
            for expense in order.expenses:
                if not expense.is_paid:
                    continue
                if expense_type_id is not None and expense.expense_type_id != expense_type_id:
                    continue
                amount[expense.expense_type_id] += expense.amount
                count[expense.expense_type_id] += 1
                daily[self._day(order)] += expense.amount
                orders_with.add(order.id)
        by_type = tuple(
            ExpenseTypeTotals(t, amount[t], count[t])
            for t in sorted(amount, key=lambda t: (t is None, t or 0))
        )
        return ExpenseTotals(
            by_type, len(orders_with), tuple(DayAmount(d, a) for d, a in sorted(daily.items()))
        )

    def line_costs(self, scope: Scope, by: CostGroup) -> list[LineCosts]:
        sums: dict[tuple[object, str | None], list[Decimal]] = {}
        for order in self._counted(scope):
            for line in self._lines(order, scope):
                key: object
                name = None
                if by is CostGroup.DAY:
                    key = self._day(order)
                elif by is CostGroup.PRODUCT:
                    key = line.product_id
                    name = line.name if line.product_id is None else None
                elif by is CostGroup.CATEGORY:
                    key = self._category_of(line)
                else:
                    key = self._brand_key_of(line)
                acc = sums.setdefault((key, name), [ZERO, ZERO, ZERO])
                cost = line_cost(line)
                acc[0] += line.revenue
                if cost is not None:
                    acc[1] += line.revenue
                    acc[2] += cost
        rows = [LineCosts(k, n, *values) for (k, n), values in sums.items()]  # type: ignore[arg-type]
        return sorted(rows, key=cost_sort_key)

    # --- pace and goals -----------------------------------------------------------------------
    def totals_until(self, scope: Scope, until: time, canceled: bool = False) -> Totals:
        cut = seconds_of_day(until)
        orders = self._canceled(scope) if canceled else self._counted(scope)
        return self._totals(
            (o for o in orders if self._day(o) < scope.end or local_seconds(o, self.rules.timezone) < cut),
            scope,
        )

    def daily_before(self, scope: Scope, until: time) -> list[DayTotals]:
        cut = seconds_of_day(until)
        by_day: dict[date, list[Order]] = defaultdict(list)
        for order in self._counted(scope):
            if local_seconds(order, self.rules.timezone) < cut:
                by_day[self._day(order)].append(order)
        return [
            DayTotals(day, totals.orders, totals.revenue)
            for day, orders in sorted(by_day.items())
            for totals in [self._totals(orders, scope)]
        ]

    def goals(self) -> list[MonthlyGoal]:
        with self._lock:
            return [self._goals[key] for key in sorted(self._goals)]

    def set_goal(self, goal: MonthlyGoal) -> None:
        with self._lock:
            self._version += 1
            self._goals[(goal.month, goal.sales_type.value)] = goal

    def delete_goal(self, month: date, sales_type: SalesType) -> bool:
        with self._lock:
            self._version += 1
            return self._goals.pop((month, sales_type.value), None) is not None

    # --- inventory ----------------------------------------------------------------------------
    def offer_units(self, first: date | None, last: date) -> dict[int, Decimal]:
        units: dict[int, Decimal] = defaultdict(Decimal)
        for order in self._snapshot():
            day = self._day(order)
            if not is_counted(order, self.rules) or day > last or (first is not None and day < first):
                continue
            for line in order.lines:
                if line.offer_id is not None:
                    units[line.offer_id] += line.quantity
        return dict(units)

    def stock_trend(self, first: date, last: date) -> list[StockDay]:
        with self._lock:
            days = sorted(d for d in self.snapshots if first <= d <= last)
            snapshots = [self.snapshots[d] for d in days]
        points = []
        for snapshot in snapshots:
            value = stock_value(snapshot.rows)
            points.append(StockDay(snapshot.day, value.units_available, value.value_at_cost))
        return points

    def close(self) -> None:
        """Nothing to release."""

    # --- helpers ------------------------------------------------------------------------------
    def _snapshot(self) -> list[Order]:
        with self._lock:
            return list(self.orders.values())

    def _day(self, order: Order) -> date:
        return business_day(order, self.rules.timezone)

    def _in_scope(self, scope: Scope) -> Iterator[Order]:
        """Non-excluded orders of the period, source and sales type (canceled or not)."""
        for order in self._snapshot():
            if is_excluded(order, self.rules):
                continue
            if not scope.start <= self._day(order) <= scope.end:
                continue
            if scope.source_id is not None and order.source_id != scope.source_id:
                continue
            if not matches_sales_type(order, scope.sales_type, self.rules):
                continue
            yield order

    def _counted(self, scope: Scope) -> Iterator[Order]:
        return self._with_matching_lines(
            (o for o in self._in_scope(scope) if is_counted(o, self.rules)), scope
        )

    def _canceled(self, scope: Scope) -> Iterator[Order]:
        return self._with_matching_lines(
            (o for o in self._in_scope(scope) if is_canceled(o, self.rules)), scope
        )

    def _with_matching_lines(self, orders: Iterable[Order], scope: Scope) -> Iterator[Order]:
        for order in orders:
            if not scope.narrows_lines or any(True for _ in self._lines(order, scope)):
                yield order

    def _lines(self, order: Order, scope: Scope) -> Iterator[OrderLine]:
        """The order's lines that pass the category and brand filters."""
        for line in order.lines:
            if scope.category_ids is not None and self._category_of(line) not in scope.category_ids:
                continue
            if scope.brand_key is not None and self._brand_key_of(line) != scope.brand_key:
                continue
            yield line

    def _totals(self, orders: Iterable[Order], scope: Scope) -> Totals:
        count, revenue = 0, ZERO
        for order in orders:
            count += 1
            if scope.narrows_lines:
                revenue += sum((line.revenue for line in self._lines(order, scope)), ZERO)
            else:
                revenue += order.grand_total
        return Totals(count, revenue)

    def _product(self, line: OrderLine) -> Product | None:
        return self._products.get(line.product_id) if line.product_id is not None else None

    def _category_of(self, line: OrderLine) -> int | None:
        product = self._product(line)
        return product.category_id if product else None

    def _brand_key_of(self, line: OrderLine) -> str | None:
        product = self._product(line)
        if product is None or product.brand is None or not brand_key(product.brand):
            return None
        return brand_key(product.brand)

    def _brand_names(self) -> dict[str, str]:
        """Brand key → spelling of the lowest product id carrying it."""
        names: dict[str, str] = {}
        for product in sorted(self._products.values(), key=lambda p: p.id):
            if product.brand and brand_key(product.brand):
                names.setdefault(brand_key(product.brand), product.brand.strip())
        return names

    # --- customers (SPEC §5 Cohorts, Segments) -------------------------------------------------
    def _buyer_days(self) -> dict[int, list[date]]:
        counted = [o for o in self._snapshot() if is_counted(o, self.rules)]
        return customers.buyer_days((o, self._day(o)) for o in counted)

    def cohort_facts(self, scope: Scope) -> CohortFacts:
        active = (
            (o.buyer_id, self._day(o), self._totals([o], scope).revenue)
            for o in self._counted(scope)
            if o.buyer_id is not None
        )
        return customers.cohort_facts(self._buyer_days(), active, scope.start, scope.end)

    def time_to_second_order(self, start: date, end: date) -> Decimal | None:
        return customers.time_to_second_order(self._buyer_days(), start, end)

    def _customer_histories(self, as_of: date, sales_type: SalesType) -> list[CustomerFacts]:
        everything = self._snapshot()
        counted = [
            (o, self._day(o))
            for o in everything
            if is_counted(o, self.rules)
            and matches_sales_type(o, sales_type, self.rules)
            and self._day(o) <= as_of
        ]
        return customers.customer_histories(counted, everything)

    def segment_totals(self, as_of: date, sales_type: SalesType) -> list[SegmentTotals]:
        return customers.segment_totals(self._customer_histories(as_of, sales_type), as_of)

    def customer_facts(
        self, as_of: date, sales_type: SalesType, segment: Segment | None, limit: int
    ) -> list[CustomerFacts]:
        facts = self._customer_histories(as_of, sales_type)
        return customers.customer_facts(facts, as_of, segment, limit)

    def customers_entering(self, segment: Segment, before: date, as_of: date, sales_type: SalesType) -> int:
        def members(day: date) -> set[int]:
            facts = self._customer_histories(day, sales_type)
            return {f.buyer_id for f in customers.customer_facts(facts, day, segment, len(facts))}

        return len(members(as_of) - members(before))

    def __repr__(self) -> str:
        return f"InMemorySalesStore(orders={len(self.orders)})"


E = TypeVar("E", Source, Status, ExpenseType, Category, Product)


def _upsert(stored: dict[int, E], entries: Iterable[E]) -> bool:
    """Store the entries by id (the last of an id wins); whether any differed from the stored one."""
    new = {entry.id: entry for entry in entries}
    changed = any(stored.get(key) != entry for key, entry in new.items())
    stored.update(new)
    return changed
