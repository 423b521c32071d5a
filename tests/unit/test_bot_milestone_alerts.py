"""Milestone announcements: each crossing once per period and sales type, to users who opted in."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from ksales.adapters.memory.clock import FixedClock
from ksales.adapters.memory.store import InMemorySalesStore
from ksales.adapters.memory.users import InMemoryUserStore
from ksales.domain.milestones import MilestoneConfig, MilestoneKind
from ksales.domain.model import Order
from ksales.domain.rules import Rules, SalesType
from ksales.domain.users import User, UserSettings, UserStatus
from ksales.ports.store import OrderChanges
from ksales.services.access import AccessService
from ksales.services.analytics import AnalyticsService
from ksales.services.milestone_alerts import MilestoneAlerts

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2026, 11, 18)


def sale(order_id: int, amount: int, manager: int | None = None) -> Order:
    placed = datetime.combine(TODAY, time(9), KYIV)
    return Order(order_id, 1, Decimal(amount), created_at=placed, status_group_id=5, manager_id=manager)


def make() -> tuple[InMemorySalesStore, InMemoryUserStore, MilestoneAlerts]:
    store = InMemorySalesStore(Rules(timezone=KYIV))
    users = InMemoryUserStore(
        [
            User(10, UserStatus.APPROVED),
            User(11, UserStatus.APPROVED, settings=UserSettings(milestone_notifications=False)),
            User(12, UserStatus.APPROVED, settings=UserSettings(sales_type=SalesType.B2B)),
            User(13, UserStatus.PENDING),
        ]
    )
    config = MilestoneConfig(daily=(1000, 2000), weekly=(2500,), monthly=(10_000,))
    clock = FixedClock(datetime.combine(TODAY, time(15), KYIV))
    analytics = AnalyticsService(store, Rules(timezone=KYIV), config, clock)
    access = AccessService(users, [1], clock)
    return store, users, MilestoneAlerts(analytics, access)


def test_each_crossing_is_announced_once_to_subscribers() -> None:
    store, users, alerts = make()
    assert alerts.due() == []
    store.apply(OrderChanges(upserts=(sale(1, 1500),)))
    (first,) = alerts.due()
    assert first.crossing.kind is MilestoneKind.DAILY
    assert first.crossing.threshold == 1000
    assert first.crossing.revenue == 1500
    assert first.user_ids == (1, 10)  # the admin and user 10; 11 opted out, 12 follows B2B, 13 is pending
    assert first.crossing.key == "milestone:daily:2026-11-18:retail:1000"
    assert alerts.due() == []
    store.apply(OrderChanges(upserts=(sale(2, 1500),)))
    assert sorted((a.crossing.kind, a.crossing.threshold) for a in alerts.due()) == [
        (MilestoneKind.DAILY, Decimal(2000)),
        (MilestoneKind.WEEKLY, Decimal(2500)),
    ]
    assert alerts.due() == []
    assert "milestone:weekly:2026-11-16:retail:2500" in users.announced


def test_sales_types_are_announced_separately() -> None:
    store, _, alerts = make()
    store.apply(OrderChanges(upserts=(sale(1, 1200, manager=15),)))
    (b2b,) = alerts.due()
    assert b2b.crossing.sales_type is SalesType.B2B
    assert b2b.user_ids == (12,)
