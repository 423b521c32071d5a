import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ksales.adapters.demo.crm import DemoCrm
from ksales.adapters.demo.generator import buyer, buyer_id_for_phone
from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.periods import Period
from ksales.domain.rules import Rules, is_canceled, sales_type_of
from ksales.domain.search import OrderQuery
from ksales.ports.crm import TimeWindow, WindowField
from ksales.services.analytics import AnalyticsService
from ksales.services.params import ReportRequest
from ksales.services.sync import SyncService

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture(scope="module")
def shop() -> tuple[DemoCrm, InMemorySalesStore]:
    clock = FixedClock(NOW)
    crm = DemoCrm(clock, seed=7, timezone=KYIV, orders_per_year=6000)
    store = InMemorySalesStore(Rules())
    asyncio.run(SyncService(crm, store, clock).full(days=crm.history_days + 1))
    return crm, store


def test_same_seed_same_shop(shop: tuple[DemoCrm, InMemorySalesStore]) -> None:
    crm, store = shop
    again = DemoCrm(FixedClock(NOW), seed=7, timezone=KYIV, orders_per_year=6000)
    assert again.all_orders() == crm.all_orders()
    assert store.order_count() == len(crm.all_orders())
    other = DemoCrm(FixedClock(NOW), seed=8, timezone=KYIV, orders_per_year=6000)
    assert other.all_orders() != crm.all_orders()


def test_sync_copies_the_whole_shop(shop: tuple[DemoCrm, InMemorySalesStore]) -> None:
    crm, store = shop
    assert store.orders == {o.id: o for o in crm.all_orders()}


def test_shape_is_plausible(shop: tuple[DemoCrm, InMemorySalesStore]) -> None:
    crm, _ = shop
    orders = crm.all_orders()
    rules = Rules()
    assert 2 * 6000 * 0.8 < len(orders) < 2.2 * 6000 * 1.2
    days = (NOW.date() - min(o.placed_at for o in orders).date()).days
    assert days >= 730
    assert all(o.placed_at <= NOW and (o.updated_at or NOW) <= NOW for o in orders)
    canceled = sum(is_canceled(o, rules) for o in orders) / len(orders)
    assert 0.03 < canceled < 0.08
    sources = Counter(o.source_id for o in orders)
    assert set(sources) == {1, 2, 3, 4}
    assert sources[4] < 0.05 * len(orders)
    assert {sales_type_of(o, rules).value for o in orders} == {"retail", "b2b"}
    assert any(o.manager_id is None for o in orders)
    assert any(o.buyer is None for o in orders)
    buyers = Counter(o.buyer_id for o in orders if o.buyer_id)
    assert sum(1 for count in buyers.values() if count > 1) > 0.1 * len(buyers)
    lines = [line for o in orders for line in o.lines]
    assert any(line.product_id is None for line in lines)
    assert any(len(o.expenses) > 1 for o in orders)
    assert all(
        o.grand_total == sum((x.revenue for x in o.lines), Decimal(0)) + o.shipping_price for o in orders
    )
    local_hours = Counter(o.placed_at.astimezone(crm.timezone).hour for o in orders)
    assert local_hours[23] and local_hours[0]


def test_figures_are_plausible(shop: tuple[DemoCrm, InMemorySalesStore]) -> None:
    _, store = shop
    analytics = AnalyticsService(store, Rules(), MilestoneConfig(), FixedClock(NOW))
    month = analytics.summary(ReportRequest(Period.named("last_month", analytics.today())))
    assert 200 < month.orders < 900
    assert Decimal(1000) < month.avg_check < Decimal(6000)
    assert 0 < month.returns.orders < month.orders * Decimal("0.1")
    categories = analytics.category_breakdown(ReportRequest(Period.named("last_month", analytics.today())))
    assert {c.name for c in categories.categories} >= {"Одяг", "Взуття", "Аксесуари", "Косметика"}
    brands = analytics.brands(ReportRequest(Period.named("last_month", analytics.today())))
    assert brands.metrics.brands > 5
    assert brands.metrics.unbranded_revenue > 0


def test_windows_select_by_creation_and_update(shop: tuple[DemoCrm, InMemorySalesStore]) -> None:
    crm, _ = shop
    window = TimeWindow(NOW - timedelta(days=3), NOW)

    async def collect(by: WindowField) -> list[int]:
        return [o.id for page in [p async for p in crm.orders(window, by)] for o in page.orders]

    created = asyncio.run(collect(WindowField.CREATED))
    updated = asyncio.run(collect(WindowField.UPDATED))
    by_id = {o.id: o for o in crm.all_orders()}
    assert created and all(window.start <= by_id[i].placed_at < window.end for i in created)
    assert updated and all(window.start <= (by_id[i].updated_at or NOW) < window.end for i in updated)


def test_search(shop: tuple[DemoCrm, InMemorySalesStore]) -> None:
    crm, _ = shop
    some = crm.all_orders()[-1]
    assert asyncio.run(crm.search_orders(OrderQuery.parse(str(some.id)))).orders == (some,)
    assert some.buyer is not None and some.buyer.phone and some.buyer.email
    by_phone = asyncio.run(crm.search_orders(OrderQuery.parse(some.buyer.phone)))
    assert some in by_phone.orders or by_phone.total > 5
    by_email = asyncio.run(crm.search_orders(OrderQuery.parse(some.buyer.email.upper())))
    assert by_email.total == by_phone.total
    assert buyer_id_for_phone(buyer(123456).phone or "") == 123456


def test_the_demo_has_believable_costs_with_gaps(shop: tuple[DemoCrm, InMemorySalesStore]) -> None:
    """Costs 42–66 % of the price, some lines without one: a gross margin near half, coverage below 100 %."""
    _, store = shop
    analytics = AnalyticsService(store, Rules(), MilestoneConfig((), (), ()), FixedClock(NOW))
    profit = analytics.profit(ReportRequest(Period.named("last_month", NOW.date())))
    assert Decimal(80) < profit.cost_coverage_pct < Decimal(99)
    assert Decimal(25) < profit.gross_margin_pct < Decimal(60)
    assert profit.profit < profit.gross_profit < profit.revenue


@pytest.mark.parametrize(
    "window",
    [
        TimeWindow(datetime(2000, 1, 1, tzinfo=UTC), NOW + timedelta(days=1)),  # the whole shop
        TimeWindow(NOW - timedelta(days=40, hours=5), NOW - timedelta(days=3, hours=7)),
        TimeWindow(NOW - timedelta(hours=6), NOW + timedelta(hours=6)),  # today, part not placed yet
        TimeWindow(datetime(2000, 1, 1, tzinfo=UTC), datetime(2001, 1, 1, tzinfo=UTC)),  # before the shop
    ],
)
def test_count_orders_counts_what_the_window_lists_without_generating_the_orders(window: TimeWindow) -> None:
    """A whole-history sync starts with a count; generating 760 days of orders for it on the event loop
    held the dashboard's first request for two seconds."""
    crm = DemoCrm(FixedClock(NOW), seed=7, timezone=KYIV, orders_per_year=6000)
    counted = asyncio.run(crm.count_orders(window))
    assert crm._days == {}  # nothing generated: the count comes from the days' placement times alone

    async def listed() -> int:
        return sum([len(page.orders) async for page in crm.orders(window, WindowField.CREATED)])

    assert counted == asyncio.run(listed())
