from datetime import date
from decimal import Decimal

import attrs
import pytest

from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.domain.errors import InvalidParameter, NotFound
from ksales.domain.filters import Filters, Scope
from ksales.domain.milestones import MilestoneConfig, MilestoneKind
from ksales.domain.periods import Compare, Period, PeriodKind
from ksales.domain.ranking import RankBy
from ksales.domain.rules import SalesType
from ksales.domain.trend import Granularity
from ksales.ports.store import OrderChanges
from ksales.services.analytics import AnalyticsService
from ksales.services.params import ReportRequest
from tests.shop import DICTIONARIES, NOW, ORDERS, RULES

TODAY = date(2026, 11, 26)
NOVEMBER = Period.custom(date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def analytics() -> AnalyticsService:
    store = InMemorySalesStore(RULES)
    store.save_dictionaries(DICTIONARIES)
    store.apply(OrderChanges(ORDERS))
    milestones = MilestoneConfig(daily=(Decimal(1000), Decimal(5000)), weekly=(), monthly=())
    return AnalyticsService(store, RULES, milestones, FixedClock(NOW))


def request(period: Period = NOVEMBER, **filters: object) -> ReportRequest:
    return ReportRequest(period, Filters(**filters))  # type: ignore[arg-type]


def test_today_summary(analytics: AnalyticsService) -> None:
    summary = analytics.summary(ReportRequest(Period.named("today", TODAY)))
    # Retail orders of the 26th: #2 (1500) and #8 (400, placed after local midnight).
    assert (summary.orders, summary.revenue, summary.avg_check) == (2, Decimal(1900), Decimal(950))
    assert summary.comparison is not None
    # Yesterday: #3 (750); #8 belongs to the 26th.
    assert (summary.comparison.orders, summary.comparison.revenue) == (1, Decimal(750))
    assert summary.comparison.revenue_change_pct == Decimal("153.33")
    assert summary.milestones.kind is MilestoneKind.DAILY
    assert summary.milestones.reached == (Decimal(1000),)
    assert summary.milestones.next == Decimal(5000)
    assert summary.milestones.progress_pct == Decimal("38.00")


def test_month_summary_with_returns(analytics: AnalyticsService) -> None:
    summary = analytics.summary(request())
    assert (summary.orders, summary.revenue) == (3, Decimal(2650))
    # #5 (group 6) and #6 (extra canceled status); #7 is excluded.
    assert (summary.returns.orders, summary.returns.revenue) == (2, Decimal(2300))
    assert summary.comparison is not None
    assert summary.comparison.revenue == Decimal(1000)


def test_sales_types(analytics: AnalyticsService) -> None:
    assert analytics.summary(request(sales_type=SalesType.B2B)).revenue == Decimal(10000)
    assert analytics.summary(request(sales_type=SalesType.ALL)).revenue == Decimal(12650)


def test_line_filters_change_revenue_to_matching_lines(analytics: AnalyticsService) -> None:
    dresses = analytics.summary(request(category_id=11, sales_type=SalesType.ALL))
    # Only #2's maxi-dress line; the canceled #5 is a return.
    assert (dresses.orders, dresses.revenue) == (1, Decimal(1000))
    assert (dresses.returns.orders, dresses.returns.revenue) == (1, Decimal(2000))
    zara = analytics.summary(request(brand="ZARA"))
    assert (zara.orders, zara.revenue) == (1, Decimal(1000))
    both = analytics.summary(request(brand="mango", category_id=1, sales_type=SalesType.ALL))
    assert (both.orders, both.revenue) == (2, Decimal(10500))


def test_unknown_filters_are_invalid(analytics: AnalyticsService) -> None:
    for filters, field in (
        ({"source_id": 5}, "source_id"),
        ({"source_id": 9}, "source_id"),  # excluded
        ({"category_id": 5}, "category_id"),
        ({"brand": "Gucci"}, "brand"),
    ):
        with pytest.raises(InvalidParameter) as error:
            analytics.summary(request(**filters))
        assert error.value.field == field


def test_a_request_is_resolved_once_into_its_scope(analytics: AnalyticsService) -> None:
    scoped = analytics.parse({"period": "month", "sales_type": "all", "category_id": "1", "brand": " Mango "})
    assert scoped.scope == Scope(
        date(2026, 11, 1), TODAY, SalesType.ALL, None, frozenset({1, 11, 111, 12}), "mango", category_id=1
    )
    assert analytics.resolve(scoped) is scoped
    assert analytics.summary(scoped) == analytics.summary(scoped.request)
    october = Period.custom(date(2026, 10, 1), date(2026, 10, 31))
    assert scoped.scope.over(october) == attrs.evolve(scoped.scope, start=october.start, end=october.end)
    with pytest.raises(InvalidParameter) as error:
        analytics.parse({"period": "month", "source_id": "5"})
    assert error.value.field == "source_id"


def test_trend_has_every_bucket(analytics: AnalyticsService) -> None:
    trend = analytics.trend(request(), Granularity.DAY)
    assert len(trend.points) == 30
    assert sum(p.revenue for p in trend.points) == Decimal(2650)
    weekly = analytics.trend(request(), Granularity.WEEK)
    assert [p.date for p in weekly.points][:2] == [date(2026, 11, 1), date(2026, 11, 2)]
    assert weekly.comparison is not None
    assert weekly.comparison.start == date(2026, 10, 2)
    monthly = analytics.trend(ReportRequest(NOVEMBER, compare=Compare.NONE), Granularity.MONTH)
    assert [(p.date, p.orders) for p in monthly.points] == [(date(2026, 11, 1), 3)]
    assert monthly.comparison is None


def test_sources(analytics: AnalyticsService) -> None:
    rows = analytics.sources_breakdown(request()).sources
    assert [(r.id, r.name, r.orders, r.revenue, r.share_pct) for r in rows] == [
        (1, "Instagram", 1, Decimal(1500), Decimal("56.60")),
        (2, "Telegram", 1, Decimal(750), Decimal("28.30")),
        (3, "Shopify", 1, Decimal(400), Decimal("15.09")),
    ]


def test_top_products(analytics: AnalyticsService) -> None:
    by_quantity = analytics.top_products(request(), by=RankBy.QUANTITY).products
    assert [(p.product_id, p.name, p.quantity) for p in by_quantity] == [
        (None, "Custom print", Decimal(2)),
        (103, "Sneakers", Decimal("1.5")),
        (100, "Maxi dress", Decimal(1)),
        (102, "Shirt", Decimal(1)),
        (104, "Orphan", Decimal(1)),
    ]
    by_revenue = analytics.top_products(request(), limit=2, by=RankBy.REVENUE).products
    assert [(p.product_id, p.revenue, p.share_pct) for p in by_revenue] == [
        (100, Decimal(1000), Decimal("37.74")),
        (103, Decimal("750.0"), Decimal("28.30")),
    ]


def test_categories_roll_up_and_drill_down(analytics: AnalyticsService) -> None:
    roots = analytics.category_breakdown(request()).categories
    assert [(c.id, c.name, c.revenue, c.has_children) for c in roots] == [
        (1, "Clothing", Decimal(1500), True),
        (2, "Shoes", Decimal("750.0"), False),
        (None, "Uncategorized", Decimal(400), False),
    ]
    clothing = analytics.category_breakdown(request(), parent_id=1)
    assert clothing.parent is not None and clothing.parent.name == "Clothing"
    assert [(c.id, c.revenue, c.has_children) for c in clothing.categories] == [
        (11, Decimal(1000), True),
        (12, Decimal(500), False),
    ]
    with pytest.raises(InvalidParameter):
        analytics.category_breakdown(request(), parent_id=999)
    with pytest.raises(NotFound):
        analytics.category_children(999)
    assert [c.id for c in analytics.category_children(1)] == [11, 12]


def test_customers_new_and_returning(analytics: AnalyticsService) -> None:
    insights = analytics.customers(request())
    # Buyers 1 (first order in October: returning) and 2 (new); #4 has no buyer.
    assert (insights.customers, insights.new_customers, insights.returning_customers) == (2, 1, 1)
    assert insights.repeat_rate_pct == Decimal("50.00")
    assert insights.aov == Decimal("883.33")
    assert len(insights.aov_trend) == 30


def test_brands(analytics: AnalyticsService) -> None:
    brands = analytics.brands(request(sales_type=SalesType.ALL))
    assert [(b.brand, b.revenue, b.orders) for b in brands.top_by_revenue] == [
        ("Mango", Decimal(10500), 2),
        ("Zara", Decimal(1000), 1),
        ("Nike", Decimal(250), 1),
    ]
    assert brands.metrics.brands == 3
    assert brands.metrics.top_brand == "Mango"
    # Sneakers (no brand) and the custom lines.
    assert brands.metrics.unbranded_revenue == Decimal("900.0")
    assert analytics.brand_names() == ["Mango", "Nike", "Zara"]


def test_expenses_include_canceled_orders(analytics: AnalyticsService) -> None:
    expenses = analytics.expenses(request())
    assert (expenses.total, expenses.count, expenses.orders_with_expenses) == (Decimal(140), 2, 2)
    assert expenses.avg_per_order == Decimal(70)
    assert [(t.id, t.name, t.amount) for t in expenses.by_type] == [(1, "Delivery", Decimal(140))]
    with pytest.raises(InvalidParameter):
        analytics.expenses(request(), expense_type_id=77)


def test_profit(analytics: AnalyticsService) -> None:
    profit = analytics.profit(request())
    # The shop's lines carry no purchase prices: no known cost, so COGS 0 and a coverage of 0 %.
    assert (profit.revenue, profit.cogs, profit.expenses, profit.profit) == (
        Decimal(2650),
        Decimal(0),
        Decimal(140),
        Decimal(2510),
    )
    assert (profit.gross_profit, profit.cost_coverage_pct) == (Decimal(2650), Decimal(0))
    assert profit.margin_pct == Decimal("94.72")
    assert sum(p.profit for p in profit.trend) == Decimal(2510)


def test_lookups_leave_out_excluded_sources(analytics: AnalyticsService) -> None:
    assert [s.id for s in analytics.sources()] == [1, 2, 3]
    assert [c.id for c in analytics.root_categories()] == [1, 2]


def test_bundle_is_consistent(analytics: AnalyticsService) -> None:
    bundle = analytics.bundle(request())
    assert bundle.summary.revenue == bundle.profit.revenue == sum(p.revenue for p in bundle.daily.points)
    assert bundle.summary.period.kind is PeriodKind.CUSTOM
