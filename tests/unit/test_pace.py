"""Same time of day, the projection and goals (SPEC §5) on hand-worked shops with a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.domain.filters import Filters
from ksales.domain.goals import GoalSource, MonthlyGoal, suggested_goal
from ksales.domain.milestones import MilestoneConfig
from ksales.domain.model import Order
from ksales.domain.pace import WeekdayProfile, profile_weeks, project
from ksales.domain.periods import Compare, Period, PeriodKind
from ksales.domain.results import DayTotals, Summary, Totals
from ksales.domain.rules import Rules, SalesType
from ksales.ports.store import OrderChanges
from ksales.services.analytics import AnalyticsService
from ksales.services.params import ReportRequest

KYIV = ZoneInfo("Europe/Kyiv")
RULES = Rules(timezone=KYIV)
_ids = iter(range(1, 1_000_000))


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=KYIV)


def order(placed: datetime, total: str | int, **fields: object) -> Order:
    values: dict[str, object] = {"source_id": 1, "status_group_id": 1, **fields}
    return Order(
        id=next(_ids),
        grand_total=Decimal(total),
        created_at=placed.astimezone(UTC),
        **values,  # type: ignore[arg-type]
    )


def service(now: datetime, *orders: Order, goals: tuple[MonthlyGoal, ...] = ()) -> AnalyticsService:
    store = InMemorySalesStore(RULES)
    store.apply(OrderChanges(upserts=orders))
    return AnalyticsService(store, RULES, MilestoneConfig(), FixedClock(now.astimezone(UTC)), goals)


def summary(
    analytics: AnalyticsService, kind: str, compare: Compare = Compare.PREVIOUS_PERIOD, **filters: object
) -> Summary:
    period = Period.named(kind, analytics.today())
    return analytics.summary(ReportRequest(period, Filters(**filters), compare))  # type: ignore[arg-type]


# --- same time of day -----------------------------------------------------------------------------------
def test_today_stops_at_10_42_and_so_does_yesterday() -> None:
    now = local(2026, 12, 2, 10, 42, 30)
    analytics = service(
        now,
        order(local(2026, 12, 2, 10, 41), 100),
        order(local(2026, 12, 2, 10, 43), 7),  # after now: clock skew, a late import
        order(local(2026, 12, 1, 10, 41), 50),
        order(local(2026, 12, 1, 10, 43), 1000),  # later in yesterday than now: left out
        order(local(2026, 12, 1, 10, 43), 40, status_group_id=6),  # a return after the cut
        order(local(2026, 12, 2, 9, 0), 30, status_group_id=6),
    )
    result = summary(analytics, "today")
    assert (result.orders, result.revenue) == (1, Decimal(100))
    assert (result.returns.orders, result.returns.revenue) == (1, Decimal(30))
    assert result.comparison is not None
    assert (result.comparison.orders, result.comparison.revenue, result.comparison.until) == (1, 50, "10:42")
    assert result.comparison.revenue_change_pct == Decimal(100)


def test_the_cut_is_to_the_second() -> None:
    analytics = service(local(2026, 12, 2, 10, 42), order(local(2026, 12, 1, 10, 41, 59), 5))
    at_cut = service(local(2026, 12, 2, 10, 41, 59), order(local(2026, 12, 1, 10, 41, 59), 5))
    assert summary(analytics, "today").comparison.orders == 1
    assert summary(at_cut, "today").comparison.orders == 0


def test_month_to_date_stops_on_its_last_day_only() -> None:
    analytics = service(
        local(2026, 12, 2, 10, 42),
        order(local(2026, 12, 1, 23, 0), 1000),
        order(local(2026, 12, 2, 10, 41), 100),
        order(local(2026, 11, 1, 23, 0), 500),
        order(local(2026, 11, 2, 10, 41), 50),
        order(local(2026, 11, 2, 10, 43), 9000),
    )
    result = summary(analytics, "month")
    assert result.revenue == Decimal(1100)
    assert result.comparison is not None
    assert (result.comparison.start, result.comparison.end) == (date(2026, 11, 1), date(2026, 11, 2))
    assert (result.comparison.revenue, result.comparison.until) == (Decimal(550), "10:42")
    year_ago = summary(analytics, "month", Compare.YEAR_AGO)
    assert year_ago.comparison is not None and year_ago.comparison.until == "10:42"


def test_a_shorter_comparison_month_is_cut_on_its_clamped_last_day() -> None:
    analytics = service(
        local(2026, 3, 31, 10, 42),
        order(local(2026, 2, 28, 10, 41), 10),
        order(local(2026, 2, 28, 10, 43), 2000),
        order(local(2026, 2, 27, 22, 0), 300),
    )
    result = summary(analytics, "month")
    assert result.comparison is not None
    assert (result.comparison.end, result.comparison.revenue) == (date(2026, 2, 28), Decimal(310))


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_dst_days_cut_at_the_local_wall_time(day: date) -> None:
    """29 Mar 2026 springs forward (03:00 → 04:00), 25 Oct falls back (04:00 → 03:00) in Kyiv."""
    before = day - timedelta(days=1)
    analytics = service(
        local(day.year, day.month, day.day, 10, 42),
        order(local(day.year, day.month, day.day, 10, 41), 100),
        order(local(day.year, day.month, day.day, 10, 43), 1),
        order(local(before.year, before.month, before.day, 10, 41), 20),
        order(local(before.year, before.month, before.day, 10, 43), 3),
    )
    result = summary(analytics, "today")
    assert result.revenue == Decimal(100)
    assert result.comparison is not None and result.comparison.revenue == Decimal(20)


def test_periods_that_ended_before_today_are_whole_days() -> None:
    analytics = service(local(2026, 12, 2, 10, 42), order(local(2026, 12, 1, 23, 0), 70))
    for kind in ("yesterday", "last_week", "last_month"):
        result = summary(analytics, kind)
        assert result.comparison is not None and result.comparison.until is None
        assert result.projection is None
    assert summary(analytics, "yesterday").revenue == Decimal(70)


def test_a_morning_is_not_set_against_a_whole_day_in_the_cut_comparison() -> None:
    """Without a comparison there is nothing to label, but the figures are still cut."""
    analytics = service(local(2026, 12, 2, 8), order(local(2026, 12, 2, 7), 5))
    result = summary(analytics, "today", Compare.NONE)
    assert (result.revenue, result.comparison) == (Decimal(5), None)


# --- the projection -------------------------------------------------------------------------------------
def test_profile_weeks_are_the_8_complete_weeks_before_this_one() -> None:
    weeks = profile_weeks(date(2026, 12, 2))  # a Wednesday
    assert (weeks.start, weeks.end) == (date(2026, 10, 5), date(2026, 11, 29))


def test_projection_with_empty_weekdays_adds_only_the_days_that_sell() -> None:
    weeks = profile_weeks(date(2026, 12, 2))
    # Only Mondays sell (800 each, 200 of it before the cut); the other weekdays are empty.
    mondays = [d for d in weeks.dates() if d.weekday() == 0]
    whole = [DayTotals(d, 4, Decimal(800)) for d in mondays]
    early = [DayTotals(d, 1, Decimal(200)) for d in mondays]
    profile = WeekdayProfile.of(weeks, whole, early)
    assert profile.revenue[0] == Decimal(800) and profile.revenue[1:] == (0,) * 6
    assert profile.revenue_share[0] == Decimal("0.25") and profile.revenue_share[2] == 0
    # Wednesday 2 Dec: the rest of Wednesday and Thu–Sun add nothing.
    assert project(Totals(2, Decimal(150)), date(2026, 12, 2), date(2026, 12, 6), profile).revenue == 150
    # Monday 30 Nov to the end of December: the rest of today (800 × 0.75) + Mondays 7, 14, 21, 28 Dec.
    december = project(Totals(1, Decimal(10)), date(2026, 11, 30), date(2026, 12, 31), profile)
    assert (december.revenue, december.orders) == (Decimal(10 + 600 + 4 * 800), 1 + 3 + 16)


def test_summary_projects_today_week_and_month_from_the_weekday_profile() -> None:
    now = local(2026, 12, 2, 10, 42)  # Wednesday
    weeks = profile_weeks(now.date())
    history = []
    for day in weeks.dates():
        # Every day: 300 at 09:00 and 700 at 15:00 (so 30 % of a day before 10:42); Sundays nothing.
        if day.weekday() != 6:
            history.append(order(local(day.year, day.month, day.day, 9), 300))
            history.append(order(local(day.year, day.month, day.day, 15), 700))
    # Outside the 8 weeks: ignored by the profile.
    history.append(order(local(2026, 10, 4, 12), 99999))
    analytics = service(now, *history, order(local(2026, 12, 2, 9), 500), order(local(2026, 12, 1, 9), 40))
    today = summary(analytics, "today").projection
    assert today is not None
    assert (today.revenue, today.orders) == (Decimal(500 + 700), 1 + 1)
    week = summary(analytics, "week").projection  # Mon 30 Nov – Sun 6 Dec: + Thu, Fri, Sat
    assert week is not None and week.revenue == Decimal(540 + 700 + 3 * 1000)
    month = summary(analytics, "month").projection  # 3 → 31 Dec: 29 days, 4 of them Sundays
    assert month is not None and month.revenue == Decimal(540 + 700 + 25 * 1000)
    assert summary(analytics, "last_7_days").projection is None
    filtered = summary(analytics, "today", sales_type=SalesType.B2B).projection
    assert filtered is not None and filtered.revenue == 0


# --- goals ----------------------------------------------------------------------------------------------
def _goal_shop(
    now: datetime, *, recent: int = 1200, earlier: int = 1000, year_ago: int = 2000
) -> list[Order]:
    orders = [order(local(2025, 12, 10), year_ago)] if year_ago else []
    for month in (9, 10, 11):
        if recent:
            orders.append(order(local(2026, month, 10), recent // 3))
        if earlier:
            orders.append(order(local(2025, month, 10), earlier // 3))
    orders.append(order(local(2026, 12, 1, 9), 1000))
    return orders


NOW_DEC = local(2026, 12, 2, 10, 42)


def test_a_suggested_goal_grows_last_years_month_by_the_recent_growth() -> None:
    goal = summary(service(NOW_DEC, *_goal_shop(NOW_DEC)), "month").goal
    assert goal is not None
    # 2000 × (1200 ÷ 1000) — 400 × 3 vs 333 × 3 as sold: 1200 ÷ 999.
    assert goal.source is GoalSource.SUGGESTED
    assert goal.amount == (Decimal(2000) * Decimal(1200) / Decimal(999)).quantize(Decimal("0.01"))
    assert goal.month == "2026-12" and goal.sales_type is SalesType.RETAIL


def test_the_suggested_growth_is_clamped() -> None:
    assert suggested_goal(Decimal(1000), Decimal(5000), Decimal(1000)) == Decimal(2000)  # +400 % → +100 %
    assert suggested_goal(Decimal(1000), Decimal(100), Decimal(1000)) == Decimal(500)  # −90 % → −50 %
    assert suggested_goal(Decimal(1000), Decimal(1100), Decimal(1000)) == Decimal(1100)
    assert suggested_goal(Decimal(1000), Decimal(0), Decimal(1000)) is None
    assert suggested_goal(Decimal(1000), Decimal(1000), Decimal(0)) is None
    assert suggested_goal(Decimal(0), Decimal(1000), Decimal(1000)) is None


def test_no_suggestion_without_last_year() -> None:
    assert summary(service(NOW_DEC, *_goal_shop(NOW_DEC, earlier=0)), "month").goal is None


def test_an_env_goal_wins_over_the_suggestion_and_a_set_goal_over_both() -> None:
    env = (MonthlyGoal(date(2026, 12, 1), SalesType.RETAIL, Decimal(31000)),)
    analytics = service(NOW_DEC, *_goal_shop(NOW_DEC), goals=env)
    goal = summary(analytics, "month").goal
    assert goal is not None and (goal.amount, goal.source) == (Decimal(31000), GoalSource.ENV)
    analytics.store.set_goal(MonthlyGoal(date(2026, 12, 1), SalesType.RETAIL, Decimal(3100)))
    goal = summary(analytics, "month").goal
    assert goal is not None and (goal.amount, goal.source) == (Decimal(3100), GoalSource.SET)
    # Each sales type has its own goal: b2b's is only suggested (and b2b sold nothing: none).
    assert summary(analytics, "month", sales_type=SalesType.B2B).goal is None
    listed = analytics.month_goals()
    assert [(r.sales_type, r.amount, r.source) for r in listed.goals] == [
        (SalesType.RETAIL, Decimal(3100), GoalSource.SET),
        (SalesType.B2B, None, None),
        (SalesType.ALL, Decimal("2402.40"), GoalSource.SUGGESTED),
    ]


def test_goal_progress_pace_and_needed_per_day() -> None:
    goal_month = (MonthlyGoal(date(2026, 12, 1), SalesType.RETAIL, Decimal(31000)),)
    analytics = service(NOW_DEC, *_goal_shop(NOW_DEC), goals=goal_month)
    result = summary(analytics, "month")
    goal, projection = result.goal, result.projection
    assert goal is not None and projection is not None
    assert goal.progress_pct == Decimal("3.23")  # 1000 of 31000
    assert goal.projected_pct == (projection.revenue * 100 / 31000).quantize(Decimal("0.01"))
    assert goal.on_pace is (projection.revenue >= 31000)
    assert goal.needed_per_day == Decimal(1000)  # (31000 − 1000) ÷ 30 days from 2 Dec
    # Filters by source, category or brand have no goal.
    assert summary(analytics, "month", source_id=1).goal is None
    assert summary(analytics, "today").goal is None


def test_a_reached_goal_needs_nothing_and_last_month_is_measured_as_made() -> None:
    goals = (
        MonthlyGoal(date(2026, 12, 1), SalesType.RETAIL, Decimal(500)),
        MonthlyGoal(date(2026, 11, 1), SalesType.RETAIL, Decimal(800)),
    )
    analytics = service(NOW_DEC, *_goal_shop(NOW_DEC), goals=goals)
    goal = summary(analytics, "month").goal
    assert goal is not None and (goal.needed_per_day, goal.on_pace) == (0, True)
    last = summary(analytics, "last_month").goal
    assert last is not None
    assert (last.month, last.progress_pct, last.projected_pct, last.on_pace, last.needed_per_day) == (
        "2026-11",
        Decimal(50),
        Decimal(50),
        False,
        0,
    )
    assert Period.named(PeriodKind.LAST_MONTH, NOW_DEC.date()).start == date(2026, 11, 1)
