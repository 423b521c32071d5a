from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ksales.domain.milestones import MilestoneConfig, MilestoneKind, crossed, evaluate, milestone_kind
from ksales.domain.model import Order
from ksales.domain.periods import PeriodKind
from ksales.domain.rules import Rules, SalesType, business_day, is_canceled, is_counted, sales_type_of

KYIV = ZoneInfo("Europe/Kyiv")


def order(**changes: object) -> Order:
    fields: dict[str, object] = {
        "id": 1,
        "source_id": 1,
        "grand_total": Decimal(100),
        "created_at": datetime(2026, 11, 26, 10, tzinfo=UTC),
    }
    fields.update(changes)
    return Order(**fields)  # type: ignore[arg-type]


RULES = Rules(KYIV, frozenset({15}), frozenset({9}), frozenset({42}))


def test_canceled_by_group_or_extra_status() -> None:
    assert is_canceled(order(status_group_id=6), RULES)
    assert is_canceled(order(status_id=42, status_group_id=5), RULES)
    assert not is_canceled(order(status_id=5, status_group_id=5), RULES)
    assert not is_canceled(order(), RULES)


def test_counted_leaves_out_canceled_and_excluded_sources() -> None:
    assert is_counted(order(), RULES)
    assert not is_counted(order(status_group_id=6), RULES)
    assert not is_counted(order(source_id=9), RULES)


def test_sales_type() -> None:
    assert sales_type_of(order(manager_id=15), RULES) is SalesType.B2B
    assert sales_type_of(order(manager_id=3), RULES) is SalesType.RETAIL
    assert sales_type_of(order(manager_id=None), RULES) is SalesType.RETAIL


@pytest.mark.parametrize(
    ("placed", "day"),
    [
        (datetime(2026, 11, 25, 22, 30, tzinfo=UTC), date(2026, 11, 26)),  # after local midnight (UTC+2)
        (datetime(2026, 7, 1, 20, 59, tzinfo=UTC), date(2026, 7, 1)),  # summer: UTC+3
        (datetime(2026, 7, 1, 21, 0, tzinfo=UTC), date(2026, 7, 2)),
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 29)),  # the spring DST change
        (datetime(2026, 10, 24, 21, 30, tzinfo=UTC), date(2026, 10, 25)),  # the autumn DST change
    ],
)
def test_business_day_is_local(placed: datetime, day: date) -> None:
    assert business_day(order(ordered_at=placed), KYIV) == day


def test_business_day_falls_back_to_created_at() -> None:
    assert business_day(order(ordered_at=None), KYIV) == date(2026, 11, 26)


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        order(created_at=datetime(2026, 11, 26, 10))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (PeriodKind.TODAY, MilestoneKind.DAILY),
        (PeriodKind.YESTERDAY, MilestoneKind.DAILY),
        (PeriodKind.WEEK, MilestoneKind.WEEKLY),
        (PeriodKind.LAST_WEEK, MilestoneKind.WEEKLY),
        (PeriodKind.LAST_7_DAYS, MilestoneKind.WEEKLY),
        (PeriodKind.MONTH, MilestoneKind.MONTHLY),
        (PeriodKind.LAST_MONTH, MilestoneKind.MONTHLY),
        (PeriodKind.LAST_28_DAYS, MilestoneKind.MONTHLY),
        (PeriodKind.CUSTOM, None),
    ],
)
def test_milestone_kind(kind: PeriodKind, expected: MilestoneKind | None) -> None:
    assert milestone_kind(kind) is expected


def test_milestone_progress() -> None:
    status = evaluate(Decimal(600_000), PeriodKind.WEEK, MilestoneConfig())
    assert status.reached == (Decimal(500_000),)
    assert status.next == Decimal(700_000)
    assert status.progress_pct == Decimal("85.71")


def test_every_milestone_reached() -> None:
    status = evaluate(Decimal(250_000), PeriodKind.TODAY, MilestoneConfig())
    assert status.reached == (Decimal(200_000),)
    assert status.next is None
    assert status.progress_pct is None


def test_custom_periods_have_no_milestones() -> None:
    status = evaluate(Decimal(10**9), PeriodKind.CUSTOM, MilestoneConfig())
    assert (status.kind, status.thresholds, status.next, status.progress_pct) == (None, (), None, None)


def test_threshold_reached_exactly_counts() -> None:
    assert evaluate(Decimal(200_000), PeriodKind.TODAY, MilestoneConfig()).reached == (Decimal(200_000),)


def test_crossed_only_new_thresholds() -> None:
    thresholds = (Decimal(1), Decimal(5), Decimal(10))
    assert crossed(Decimal(0), Decimal(5), thresholds) == (Decimal(1), Decimal(5))
    assert crossed(Decimal(5), Decimal(9), thresholds) == ()
    assert crossed(Decimal(9), Decimal(10), thresholds) == (Decimal(10),)
