"""Products missing from the catalog are named after their latest line in the scope, with the rollups,
without them and in the fake alike: also when their latest month's lines fall outside the scope's days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.memory import InMemorySalesStore
from ksales.domain.filters import Scope
from ksales.domain.model import Dictionaries, Order, OrderLine, Product
from ksales.domain.ranking import RankBy
from ksales.domain.rules import Rules, SalesType
from ksales.ports.store import OrderChanges, SalesStore

RULES = Rules()
#: Product 7 is not in the catalog: named "Tee" in October, "Tee v2" on 5 November, "Tee v3" on 20 November.
ORDERS = tuple(
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
CATALOG = Dictionaries(products=(Product(1, "Cap"),))


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
        (date(2026, 10, 1), date(2026, 11, 30), "Tee v3"),
        (date(2026, 10, 1), date(2026, 11, 10), "Tee v2"),  # November's latest line is past the end
        (date(2026, 10, 1), date(2026, 11, 4), "Tee"),  # November's lines are all past the end
        (date(2026, 11, 6), date(2026, 11, 30), "Tee v3"),
        (date(2026, 10, 1), date(2026, 10, 31), "Tee"),
    ],
)
def test_a_product_missing_from_the_catalog_has_its_latest_lines_name(
    start: date, end: date, name: str
) -> None:
    scope = Scope(start, end, SalesType.ALL)
    for store in stores():
        names = {p.product_id: p.name for p in store.product_totals(scope)}
        assert names == {1: "Cap", 7: name}, store
        ranked = store.product_ranking(scope, RankBy.REVENUE, 1)
        assert [(p.product_id, p.name) for p in ranked.rows] == [(7, name)], store
