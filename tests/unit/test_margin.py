"""Cost of goods, gross profit, profit and the margin breakdown on hand-worked numbers (tests/margin_shop.py).

Lines of counted orders: maxi dress 1000 (cost 600), shirt 500 (cost unknown), sneakers 750 (cost 300.75),
gift wrap 300 (cost unknown): line revenue 2550, of it 1750 with a known cost, COGS 900.75.
Revenue (grand totals) 2600; expenses 80.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.domain.errors import InvalidParameter
from ksales.domain.filters import Filters
from ksales.domain.margin import MarginBy, line_cost, parse_margin_by
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.model import OrderLine
from ksales.domain.periods import Period
from ksales.ports.store import OrderChanges, SalesStore
from ksales.services.analytics import AnalyticsService
from ksales.services.params import ReportRequest
from tests.margin_shop import MARGIN_ORDERS
from tests.shop import DICTIONARIES, NOW, RULES

NOVEMBER = Period.custom(date(2026, 11, 1), date(2026, 11, 30))
D = Decimal


@pytest.fixture(params=["memory", "duckdb"])
def analytics(request: pytest.FixtureRequest) -> Iterator[AnalyticsService]:
    store: SalesStore = (
        InMemorySalesStore(RULES) if request.param == "memory" else DuckDbSalesStore(None, RULES)
    )
    store.save_dictionaries(DICTIONARIES)
    store.apply(OrderChanges(MARGIN_ORDERS))
    yield AnalyticsService(store, RULES, MilestoneConfig((), (), ()), FixedClock(NOW))
    store.close()


def request(**filters: object) -> ReportRequest:
    return ReportRequest(NOVEMBER, Filters(**filters))  # type: ignore[arg-type]


def test_line_cost_is_known_only_above_zero() -> None:
    assert line_cost(OrderLine("x", D("1.5"), D(500), purchased_price=D("200.50"))) == D("300.750")
    assert line_cost(OrderLine("x", D(1), D(500), purchased_price=D(0))) is None
    assert line_cost(OrderLine("x", D(1), D(500))) is None


def test_profit_counts_the_cost_of_goods(analytics: AnalyticsService) -> None:
    p = analytics.profit(request())
    assert (p.revenue, p.cogs, p.gross_profit, p.expenses, p.profit) == (
        D(2600),
        D("900.75"),
        D("1699.25"),
        D(80),
        D("1619.25"),
    )
    assert p.gross_margin_pct == D("65.36")  # 1699.25 / 2600
    assert p.margin_pct == D("62.28")  # 1619.25 / 2600
    assert p.cost_coverage_pct == D("68.63")  # 1750 / 2550
    by_day = {point.date: point for point in p.trend}
    assert (by_day[date(2026, 11, 10)].cogs, by_day[date(2026, 11, 10)].profit) == (D(600), D(870))
    assert by_day[date(2026, 11, 11)].profit == D("449.25")
    assert by_day[date(2026, 11, 12)].cogs == 0  # the canceled order's lines cost nothing
    assert sum(point.profit for point in p.trend) == p.profit


def test_profit_under_brand_and_category_filters(analytics: AnalyticsService) -> None:
    zara = analytics.profit(request(brand="zara"))
    assert (zara.revenue, zara.cogs, zara.gross_profit, zara.cost_coverage_pct) == (
        D(1000),
        D(600),
        D(400),
        D(100),
    )
    assert (zara.expenses, zara.profit) == (D(80), D(320))  # the whole expenses of the matching order
    clothing = analytics.profit(request(category_id=1))
    assert (clothing.revenue, clothing.cogs, clothing.cost_coverage_pct) == (D(1500), D(600), D("66.67"))


def test_margin_by_product_ranks_by_gross_profit(analytics: AnalyticsService) -> None:
    m = analytics.margin_breakdown(request(), MarginBy.PRODUCT)
    assert [(r.id, r.name, r.revenue, r.cogs, r.gross_profit, r.cost_coverage_pct) for r in m.rows] == [
        (102, "Shirt", D(500), D(0), D(500), D(0)),
        (103, "Sneakers", D(750), D("300.75"), D("449.25"), D(100)),
        (100, "Maxi dress", D(1000), D(600), D(400), D(100)),
        (None, "Gift wrap", D(300), D(0), D(300), D(0)),
    ]
    assert m.rows[1].gross_margin_pct == D("59.90")
    assert (m.metrics.revenue, m.metrics.cogs, m.metrics.gross_profit) == (D(2550), D("900.75"), D("1649.25"))
    assert m.metrics.cost_coverage_pct == D("68.63")
    top = analytics.margin_breakdown(request(), MarginBy.PRODUCT, limit=1)
    assert [r.id for r in top.rows] == [102] and top.metrics == m.metrics  # metrics cover every line


def test_margin_by_brand_leaves_unbranded_lines_out(analytics: AnalyticsService) -> None:
    m = analytics.margin_breakdown(request(), MarginBy.BRAND)
    assert [(r.id, r.name, r.revenue, r.cogs, r.gross_profit) for r in m.rows] == [
        (None, "Mango", D(500), D(0), D(500)),
        (None, "Zara", D(1000), D(600), D(400)),
    ]
    assert (m.metrics.revenue, m.metrics.cogs, m.metrics.cost_coverage_pct) == (D(1500), D(600), D("66.67"))


def test_margin_by_category_and_drill_down(analytics: AnalyticsService) -> None:
    roots = analytics.margin_breakdown(request(), MarginBy.CATEGORY)
    assert [(r.id, r.name, r.revenue, r.gross_profit, r.has_children) for r in roots.rows] == [
        (1, "Clothing", D(1500), D(900), True),
        (2, "Shoes", D(750), D("449.25"), False),
        (None, "Uncategorized", D(300), D(300), False),
    ]
    clothing = analytics.margin_breakdown(request(), MarginBy.CATEGORY, parent_id=1)
    assert clothing.parent is not None and clothing.parent.name == "Clothing"
    assert [(r.id, r.revenue, r.cogs, r.gross_profit) for r in clothing.rows] == [
        (12, D(500), D(0), D(500)),
        (11, D(1000), D(600), D(400)),
    ]
    assert clothing.metrics.revenue == D(1500)
    with pytest.raises(InvalidParameter) as unknown:
        analytics.margin_breakdown(request(), MarginBy.CATEGORY, parent_id=999)
    assert unknown.value.field == "parent_id"
    with pytest.raises(InvalidParameter):
        analytics.margin_breakdown(request(), MarginBy.BRAND, parent_id=1)


def test_an_empty_period_has_zero_margins(analytics: AnalyticsService) -> None:
    empty = ReportRequest(Period.custom(date(2025, 1, 1), date(2025, 1, 2)), Filters())
    p = analytics.profit(empty)
    assert (p.revenue, p.cogs, p.profit, p.margin_pct, p.cost_coverage_pct) == (0, 0, 0, 0, 0)
    assert analytics.margin_breakdown(empty, MarginBy.PRODUCT).rows == ()


def test_by_is_parsed_case_insensitively() -> None:
    assert parse_margin_by(None) is MarginBy.PRODUCT
    assert parse_margin_by(" Brand ") is MarginBy.BRAND
    with pytest.raises(InvalidParameter):
        parse_margin_by("sku")
