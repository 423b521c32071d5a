"""The reference store pinned by small, obvious examples (the contract tests compare DuckDB against it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.filters import Scope
from ksales.domain.model import Buyer, Dictionaries, Expense, Order, OrderLine, Product, Source
from ksales.domain.results import (
    BrandBreakdown,
    BrandTotals,
    CategoryTotals,
    CustomerCounts,
    DayTotals,
    ExpenseTypeTotals,
    ProductTotals,
    SourceTotals,
    Totals,
)
from ksales.domain.rules import Rules, SalesType
from ksales.ports.store import ApplyResult, OrderChanges

D = Decimal
RULES = Rules(b2b_manager_ids=frozenset({15}), excluded_source_ids=frozenset({9}), canceled_status_ids={40})
JUNE = Scope(date(2025, 6, 1), date(2025, 6, 30), SalesType.RETAIL)
ALL_JUNE = Scope(JUNE.start, JUNE.end, SalesType.ALL)


def at(day: int, hour: int = 12, month: int = 6) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=UTC)


def line(name: str, quantity: str, price: str, product_id: int | None = None) -> OrderLine:
    return OrderLine(name, D(quantity), D(price), product_id=product_id)


def order(order_id: int, placed: datetime, total: str, **fields: object) -> Order:
    values: dict[str, object] = {"source_id": 1, "status_group_id": 5, **fields}
    return Order(id=order_id, grand_total=D(total), created_at=placed, **values)  # type: ignore[arg-type]


ORDERS = [
    order(1, at(2), "300", buyer=Buyer(1), lines=(line("Tee", "2", "100", 10), line("Mug", "1", "100", 20))),
    order(2, at(2, 21, 6), "50", buyer=Buyer(2), source_id=2, lines=(line("Gift card", "1", "50"),)),
    order(3, at(3), "200", buyer=Buyer(1), status_group_id=6, lines=(line("Tee", "2", "100", 10),)),
    order(4, at(4), "70", buyer=Buyer(3), status_id=40, lines=(line("Mug", "1", "70", 20),)),
    order(5, at(5), "900", buyer=Buyer(4), manager_id=15, lines=(line("Tee", "9", "100", 10),)),
    order(6, at(6), "1000", buyer=Buyer(1), source_id=9, lines=(line("Tee", "10", "100", 10),)),
    order(7, at(20, month=5), "10", buyer=Buyer(2), lines=(line("Mug", "1", "10", 20),)),
    order(8, at(7), "25", lines=(line("Sticker", "0.5", "50", 30),)),
]
CATALOG = Dictionaries(
    sources=(Source(1, "Instagram"),),
    products=(
        Product(10, "T-shirt", 100, "Acme"),
        Product(20, "Mug", 200, " acme "),
        Product(21, "Cap", 200, "Zed"),
    ),
)


@pytest.fixture
def store() -> InMemorySalesStore:
    store = InMemorySalesStore(RULES)
    store.save_dictionaries(CATALOG)
    store.apply(OrderChanges(upserts=ORDERS))
    return store


def test_revenue_counts_retail_sales_of_counted_orders(store: InMemorySalesStore) -> None:
    # 1, 2 and 8: not canceled (3, 4), not B2B (5), not from the excluded source (6), inside June (not 7).
    assert store.totals(JUNE) == Totals(3, D(375))
    assert store.totals(ALL_JUNE) == Totals(4, D(1275))
    assert store.totals(Scope(JUNE.start, JUNE.end, SalesType.B2B)) == Totals(1, D(900))


def test_business_day_is_local(store: InMemorySalesStore) -> None:
    # Order 2 was placed at 21:00 UTC on 2 June: 00:00 on 3 June in Kyiv.
    assert store.daily(JUNE) == [
        DayTotals(date(2025, 6, 2), 1, D(300)),
        DayTotals(date(2025, 6, 3), 1, D(50)),
        DayTotals(date(2025, 6, 7), 1, D(25)),
    ]


def test_returns_are_canceled_orders_by_group_or_status(store: InMemorySalesStore) -> None:
    assert store.returns(JUNE) == Totals(2, D(270))


def test_sources_include_ids_seen_only_on_orders(store: InMemorySalesStore) -> None:
    assert store.source_totals(JUNE) == [SourceTotals(1, 2, D(325)), SourceTotals(2, 1, D(50))]
    assert [s.name for s in store.sources()] == ["Instagram", "Source 2", "Source 9"]


def test_line_filters_change_revenue_to_matching_lines(store: InMemorySalesStore) -> None:
    mugs = Scope(JUNE.start, JUNE.end, JUNE.sales_type, category_ids=frozenset({200}))
    assert store.totals(mugs) == Totals(1, D(100))
    assert store.returns(mugs) == Totals(1, D(70))
    acme = Scope(JUNE.start, JUNE.end, JUNE.sales_type, brand_key="acme")
    assert store.totals(acme) == Totals(1, D(300))


def test_products_categories_and_brands(store: InMemorySalesStore) -> None:
    assert store.product_totals(JUNE) == [
        ProductTotals(10, "T-shirt", D(2), D(200)),
        ProductTotals(20, "Mug", D(1), D(100)),
        ProductTotals(30, "Sticker", D("0.5"), D(25)),
        ProductTotals(None, "Gift card", D(1), D(50)),
    ]
    assert store.category_totals(JUNE) == [
        CategoryTotals(100, D(2), D(200)),
        CategoryTotals(200, D(1), D(100)),
        CategoryTotals(None, D("1.5"), D(75)),
    ]
    # "Acme" and " acme " are one brand, spelled as on the lowest product id.
    assert store.brand_breakdown(JUNE) == BrandBreakdown((BrandTotals("Acme", D(300), D(3), 1),), D(75))
    assert store.brands() == ["Acme", "Zed"]


def test_customers_are_new_when_their_first_counted_order_is_in_the_period(store: InMemorySalesStore) -> None:
    # Buyer 1 (first order 2 June) is new; buyer 2 bought in May; order 8 has no buyer.
    assert store.customer_counts(JUNE) == CustomerCounts(2, 1)
    # Buyer 1's canceled order on 3 June does not make them a customer of that day.
    assert store.customer_counts(Scope(date(2025, 6, 3), date(2025, 6, 3))) == CustomerCounts(1, 0)


def test_expenses_of_canceled_orders_count_but_canceled_expenses_do_not() -> None:
    expenses = (Expense(1, D(30), 1, "paid"), Expense(2, D(5), 2, "CANCELED"), Expense(3, D(7), 2, None))
    store = InMemorySalesStore(RULES)
    store.apply(OrderChanges(upserts=[order(1, at(2), "100", status_group_id=6, expenses=expenses),
                                      order(2, at(2), "100", source_id=9, expenses=expenses)]))  # fmt: skip
    totals = store.expense_totals(JUNE)
    assert totals.by_type == (ExpenseTypeTotals(1, D(30), 1), ExpenseTypeTotals(2, D(7), 1))
    assert totals.orders_with_expenses == 1
    assert [(d.day, d.amount) for d in totals.daily] == [(date(2025, 6, 2), D(37))]
    assert store.expense_totals(JUNE, expense_type_id=2).by_type == (ExpenseTypeTotals(2, D(7), 1),)


def test_apply_counts_inserts_updates_no_ops_and_removals(store: InMemorySalesStore) -> None:
    changed = Order(1, 1, D(1), at(2))
    result = store.apply(
        OrderChanges(upserts=[ORDERS[1], changed, Order(99, 1, D(1), at(2))], deletions={3, 404})
    )
    assert result == ApplyResult(inserted=1, updated=1, unchanged=1, removed=1)
    assert store.get_order(1) == changed
    assert store.order_ids_placed_between(at(2), at(2) + timedelta(hours=1)) == frozenset({1, 99})
