"""The weekly report's figures on a hand-worked 14-week shop (SPEC §7)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.model import Buyer, Order, OrderLine
from ksales.domain.periods import Period
from ksales.domain.results import Totals
from ksales.domain.rules import Rules
from ksales.domain.schedule import WeeklySlot
from ksales.domain.users import User, UserSettings, UserStatus
from ksales.domain.weekly import (
    Mover,
    decompose,
    due_week,
    report_week,
    year_ago_week,
    z_score,
)
from ksales.ports.store import OrderChanges
from ksales.services.access import AccessService
from ksales.services.analytics import AnalyticsService
from ksales.services.weekly import WeeklyReports

KYIV = ZoneInfo("Europe/Kyiv")
#: Week 0 of the shop; the report week is week 13 (23–29 Nov 2026).
W0 = date(2026, 8, 24)
WEEK = Period(date(2026, 11, 23), date(2026, 11, 29))
NAMES = {100: "Alpha", 101: "Beta", 102: "Gamma", 103: "Delta", 104: "Epsilon"}


def sale(order_id: int, week: int, total: int, *lines: tuple[int, int], buyer: int | None = None) -> Order:
    placed = datetime.combine(W0 + timedelta(weeks=week, days=2), time(12), KYIV)
    return Order(
        order_id,
        1,
        Decimal(total),
        created_at=placed,
        status_group_id=5,
        buyer=None if buyer is None else Buyer(buyer, f"Buyer {buyer}"),
        lines=tuple(OrderLine(NAMES[p], Decimal(1), Decimal(price), p) for p, price in lines),
    )


def shop() -> list[Order]:
    """Weeks 1–7: 1000 each (2 × 500); week 8: no order; then 1200, 800, 1000, 1000; week 13: 2000."""
    orders = [sale(1, 0, 1000, buyer=1)]
    next_id = 2
    for week in range(1, 8):
        orders += [sale(next_id, week, 500), sale(next_id + 1, week, 500)]
        next_id += 2
    orders += [sale(20, 9, 600), sale(21, 9, 600), sale(22, 10, 800), sale(23, 11, 500), sale(24, 11, 500)]
    # Week 12, the week before: 3 orders, 1000.
    orders += [sale(30, 12, 300, (100, 300)), sale(31, 12, 300, (101, 300)), sale(32, 12, 400, (102, 400))]
    # Week 13: 4 orders of 500; buyer 1 returns, buyer 2 is new (twice), one order without a buyer.
    orders += [
        sale(40, 13, 500, (100, 500), buyer=1),
        sale(41, 13, 500, (100, 500), buyer=2),
        sale(42, 13, 500, (101, 500), buyer=2),
        sale(43, 13, 500, (103, 250), (104, 250)),
    ]
    return orders


def service(orders: list[Order], now: datetime | None = None) -> tuple[WeeklyReports, InMemoryUserStore]:
    rules = Rules(timezone=KYIV)
    store = InMemorySalesStore(rules)
    store.apply(OrderChanges(upserts=tuple(orders)))
    clock = FixedClock(now or datetime(2026, 12, 2, 10, tzinfo=KYIV))
    users = InMemoryUserStore()
    analytics = AnalyticsService(store, rules, MilestoneConfig(), clock)
    access = AccessService(users, [1], clock)
    return WeeklyReports(analytics, access, WeeklySlot(0, time(9))), users


def test_the_report_week_against_the_week_before_the_4_week_mean_and_a_year_ago() -> None:
    report = service(shop())[0].report(WEEK)
    assert (report.orders, report.revenue, report.avg_check) == (4, Decimal(2000), Decimal("500.00"))
    previous = report.previous
    assert (previous.orders, previous.revenue, previous.avg_check) == (3, 1000, Decimal("333.33"))
    assert previous.revenue_change_pct == Decimal("100.00")
    assert previous.orders_change_pct == Decimal("33.33")
    assert previous.avg_check_change_pct == Decimal("50.00")  # 500 vs the rounded 333.33: 50.0015 %
    mean = report.four_week_mean  # weeks 9–12: 1200, 800, 1000, 1000 in 2, 1, 2, 3 orders
    assert (mean.orders, mean.revenue, mean.avg_check) == (2, 1000, Decimal("500.00"))
    assert (mean.revenue_change_pct, mean.orders_change_pct, mean.avg_check_change_pct) == (100, 100, 0)
    # A year ago (ISO week 48 of 2025) the shop had no data: zeros, no change %.
    assert report.year_ago_week == Period(date(2025, 11, 24), date(2025, 11, 30))
    assert (report.year_ago.orders, report.year_ago.revenue) == (0, 0)
    assert report.year_ago.revenue_change_pct is None
    assert report.year_ago.avg_check_change_pct is None


def test_the_change_splits_exactly_into_orders_and_average_check() -> None:
    split = service(shop())[0].report(WEEK).decomposition
    # (4 − 3) × 1000/3 = 333.333… and 4 × (500 − 1000/3) = 666.666…
    assert (split.change, split.orders_effect, split.check_effect) == (
        1000,
        Decimal("333.33"),
        Decimal("666.67"),
    )
    assert split.orders_effect + split.check_effect == split.change


def test_the_split_with_an_empty_week_on_either_side() -> None:
    up = decompose(Totals(2, Decimal(900)), Totals(0, Decimal(0)))
    assert (up.orders_effect, up.check_effect) == (0, 900)
    down = decompose(Totals(0, Decimal(0)), Totals(3, Decimal("1000.01")))
    assert (down.change, down.orders_effect, down.check_effect) == (
        Decimal("-1000.01"),
        Decimal("-1000.01"),
        0,
    )


def test_new_and_returning_customers_with_their_revenue() -> None:
    report = service(shop())[0].report(WEEK)
    assert (report.customers, report.new_customers, report.returning_customers) == (2, 1, 1)
    assert (report.customer_revenue.new, report.customer_revenue.returning) == (1000, 500)


def test_top_gainers_and_losers() -> None:
    report = service(shop())[0].report(WEEK)
    # Alpha +700, Delta and Epsilon +250 (a tie, by name), Beta +200 left out; Gamma −400.
    assert report.gainers == (
        Mover(100, "Alpha", Decimal(1000), Decimal(300)),
        Mover(103, "Delta", Decimal(250), Decimal(0)),
        Mover(104, "Epsilon", Decimal(250), Decimal(0)),
    )
    assert report.losers == (Mover(102, "Gamma", Decimal(0), Decimal(400)),)


def test_the_unusual_week_and_the_chart_series() -> None:
    report = service(shop())[0].report(WEEK)
    # Weeks 1–12: seven 1000s, a zero week, 1200, 800, 1000, 1000: mean 916.67, sample sd 301.01.
    assert report.z_score == Decimal("3.60")
    assert report.unusual
    assert [bar.revenue for bar in report.history] == [1000] * 6 + [0, 1200, 800, 1000, 1000, 2000]
    assert report.history[0].monday == W0 + timedelta(weeks=2)
    assert report.rolling_mean == (None, None, None, 1000, 1000, 1000, 1000, 750, 800, 750, 750, 1000)


def test_no_flag_without_12_weeks_of_history_or_spread() -> None:
    young = [o for o in shop() if o.created_at >= datetime.combine(W0 + timedelta(weeks=3), time(), KYIV)]
    assert service(young)[0].report(WEEK).z_score is None
    assert z_score(Decimal(5000), [Decimal(1000)] * 12) is None
    assert z_score(Decimal(5000), [Decimal(1000)] * 11 + [Decimal(2000)]) is not None


def test_week_53_compares_with_week_52_a_year_earlier() -> None:
    week53 = Period(date(2026, 12, 28), date(2027, 1, 3))
    assert week53.start.isocalendar()[1] == 53
    assert year_ago_week(week53) == Period(date(2025, 12, 22), date(2025, 12, 28))


def test_which_week_is_due() -> None:
    slot = WeeklySlot(0, time(9))
    assert report_week(date(2026, 12, 2)) == WEEK
    assert due_week(slot, datetime(2026, 11, 30, 8, 59, tzinfo=KYIV)) == Period(
        date(2026, 11, 16), date(2026, 11, 22)
    )
    assert due_week(slot, datetime(2026, 11, 30, 9, 0, tzinfo=KYIV)) == WEEK
    assert due_week(slot, datetime(2026, 12, 6, 23, 0, tzinfo=KYIV)) == WEEK


def test_each_report_is_due_once_per_week_and_user_admins_by_default() -> None:
    reports, users = service(shop(), datetime(2026, 11, 30, 9, 0, tzinfo=KYIV))
    users.save(User(10, UserStatus.APPROVED))  # not an admin: off by default
    users.save(User(11, UserStatus.APPROVED, settings=UserSettings(weekly_report=True)))
    users.save(User(12, UserStatus.PENDING, settings=UserSettings(weekly_report=True)))
    assert [(d.user_id, d.report.week) for d in reports.due()] == [(1, WEEK), (11, WEEK)]
    assert reports.due() == []


def test_an_admin_who_turned_it_off_gets_none() -> None:
    reports, users = service(shop(), datetime(2026, 11, 30, 9, 0, tzinfo=KYIV))
    users.save(User(1, UserStatus.APPROVED, settings=UserSettings(weekly_report=False)))
    assert reports.due() == []


def test_a_fresh_store_does_not_count_an_earlier_slot_as_missed() -> None:
    reports, _ = service(shop(), datetime(2026, 12, 2, 10, 0, tzinfo=KYIV))
    assert reports.due() == []  # the 30 Nov slot passed before the first look
    clock = reports.analytics.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(days=5))  # Monday 7 Dec, 10:00: the week of 30 Nov – 6 Dec is due
    assert [d.report.week.start for d in reports.due()] == [date(2026, 11, 30)]
    assert reports.due() == []
