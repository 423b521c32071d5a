"""Product reads: `netted_split` covers a period exactly once, and products missing from the catalog are
named after their latest line in the scope, with the rollups, without them and in the fake alike (also when
their latest month's lines fall outside the scope's days)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.duckdb.rollup_reads import netted_split
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.filters import Scope
from ksales.domain.model import Dictionaries, Order, OrderLine, Product
from ksales.domain.rules import Rules, SalesType
from ksales.ports.store import OrderChanges, SalesStore

RULES = Rules()
#: Product 7 is not in the catalog: named "Tee" in October, "Tee v2" on 5 November, "Tee v3" on 20 November.
TEES = tuple(
    Order(
        id=n,
        source_id=1,
        grand_total=Decimal(10),
        created_at=datetime(2026, month, day, 12, tzinfo=UTC),
        status_group_id=1,
        lines=(
            OrderLine(name, Decimal(1), Decimal(10), product_id=7),
            OrderLine("Cap", Decimal(1), Decimal(5), product_id=1),
        ),
    )
    for n, (month, day, name) in enumerate(((10, 5, "Tee"), (11, 5, "Tee v2"), (11, 20, "Tee v3")), 1)
)
#: Socks sell on 28 November only: a month read whole less its 27th–30th leaves them no lines.
SOCKS = (
    Order(
        id=4,
        source_id=1,
        grand_total=Decimal(3),
        created_at=datetime(2026, 11, 28, 12, tzinfo=UTC),
        status_group_id=1,
        lines=(OrderLine("Sock", Decimal(1), Decimal(3), product_id=2),),
    ),
)
ORDERS = (*TEES, *SOCKS)
CATALOG = Dictionaries(products=(Product(1, "Cap"), Product(2, "Sock")))


def stores() -> list[SalesStore]:
    found: list[SalesStore] = [
        InMemorySalesStore(RULES),
        DuckDbSalesStore(None, RULES),
        DuckDbSalesStore(None, RULES, rollups=False),
    ]
    for store in found:
        store.save_dictionaries(CATALOG)
        store.apply(OrderChanges(upserts=ORDERS))
    return found


@pytest.mark.parametrize(
    ("start", "end", "name"),
    [
        (date(2026, 10, 1), date(2026, 11, 26), "Tee v3"),
        (date(2026, 10, 1), date(2026, 11, 10), "Tee v2"),  # November's latest line is past the end
        (date(2026, 10, 1), date(2026, 11, 4), "Tee"),  # November's lines are all past the end
        (date(2026, 11, 6), date(2026, 11, 27), "Tee v3"),
        (date(2026, 10, 1), date(2026, 10, 31), "Tee"),
    ],
)
def test_a_product_missing_from_the_catalog_has_its_latest_lines_name(
    start: date, end: date, name: str
) -> None:
    scope = Scope(start, end, SalesType.ALL)
    fake, *duckdb_stores = stores()
    for store in (fake, *duckdb_stores):
        names = {p.product_id: p.name for p in store.product_totals(scope)}
        assert names == {1: "Cap", 7: name}, store
        assert store.product_totals(scope) == fake.product_totals(scope)
        ranked = store.product_ranking(scope, 1)
        assert [(p.product_id, p.name) for p in ranked.by_revenue] == [(7, name)], store


def days(ranges: list[tuple[date, date]]) -> list[int]:
    return [d for first, last in ranges for d in range(first.toordinal(), last.toordinal() + 1)]


@given(start=st.dates(date(2023, 1, 1), date(2027, 1, 1)), length=st.integers(0, 800))
def test_netted_split_covers_the_period_once(start: date, length: int) -> None:
    end = date.fromordinal(start.toordinal() + length)
    months, add, subtract = netted_split(start, end)
    covered = days(add)
    if months is not None:
        first, last = months
        assert first.day == last.day == 1 and first <= last
        month_end = date(last.year + last.month // 12, last.month % 12 + 1, 1) - timedelta(days=1)
        covered += days([(first, month_end)])
    for day in days(subtract):
        assert day not in range(start.toordinal(), end.toordinal() + 1)
        covered.remove(day)
    assert sorted(covered) == list(range(start.toordinal(), end.toordinal() + 1))


def test_a_month_mostly_covered_is_read_whole_less_its_other_days() -> None:
    months, add, subtract = netted_split(date(2025, 11, 27), date(2026, 11, 26))
    assert months == (date(2025, 12, 1), date(2026, 11, 1))
    assert add == [(date(2025, 11, 27), date(2025, 11, 30))]
    assert subtract == [(date(2026, 11, 27), date(2026, 11, 30))]


def test_a_product_sold_on_the_days_taken_off_a_whole_month_is_left_out() -> None:
    fake, *duckdb_stores = stores()
    for scope in (Scope(date(2026, 11, 1), date(2026, 11, 26)), Scope(date(2026, 11, 1), date(2026, 11, 30))):
        for store in duckdb_stores:
            assert store.product_totals(scope) == fake.product_totals(scope)
            ranking = store.product_ranking(scope, 10)
            assert ranking == fake.product_ranking(scope, 10)
    assert 2 not in {p.product_id for p in fake.product_totals(Scope(date(2026, 11, 1), date(2026, 11, 26)))}
    assert 2 in {p.product_id for p in fake.product_totals(Scope(date(2026, 11, 1), date(2026, 11, 30)))}
