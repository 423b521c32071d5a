"""Revenue milestones: which thresholds a period's revenue reached, and which it just crossed."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from attrs import field, frozen

from ksales.domain.money import percent
from ksales.domain.periods import PeriodKind


class MilestoneKind(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


_KIND_BY_PERIOD = {
    PeriodKind.TODAY: MilestoneKind.DAILY,
    PeriodKind.YESTERDAY: MilestoneKind.DAILY,
    PeriodKind.WEEK: MilestoneKind.WEEKLY,
    PeriodKind.LAST_WEEK: MilestoneKind.WEEKLY,
    PeriodKind.LAST_7_DAYS: MilestoneKind.WEEKLY,
    PeriodKind.MONTH: MilestoneKind.MONTHLY,
    PeriodKind.LAST_MONTH: MilestoneKind.MONTHLY,
    PeriodKind.LAST_28_DAYS: MilestoneKind.MONTHLY,
}


def milestone_kind(period: PeriodKind) -> MilestoneKind | None:
    """Daily for single days, weekly for weeks, monthly for months; none for custom ranges."""
    return _KIND_BY_PERIOD.get(period)


def _thresholds(values: Iterable[Decimal | int | str]) -> tuple[Decimal, ...]:
    return tuple(sorted({Decimal(v) for v in values if Decimal(v) > 0}))


@frozen
class MilestoneConfig:
    daily: tuple[Decimal, ...] = field(default=(Decimal(200_000),), converter=_thresholds)
    weekly: tuple[Decimal, ...] = field(
        default=(Decimal(500_000), Decimal(700_000), Decimal(1_000_000)), converter=_thresholds
    )
    monthly: tuple[Decimal, ...] = field(
        default=(Decimal(1_000_000), Decimal(2_000_000), Decimal(3_000_000), Decimal(5_000_000)),
        converter=_thresholds,
    )

    def thresholds(self, kind: MilestoneKind | None) -> tuple[Decimal, ...]:
        match kind:
            case MilestoneKind.DAILY:
                return self.daily
            case MilestoneKind.WEEKLY:
                return self.weekly
            case MilestoneKind.MONTHLY:
                return self.monthly
            case None:
                return ()


@frozen
class MilestoneStatus:
    kind: MilestoneKind | None
    thresholds: tuple[Decimal, ...]
    reached: tuple[Decimal, ...]
    next: Decimal | None
    progress_pct: Decimal | None


def evaluate(revenue: Decimal, period: PeriodKind, config: MilestoneConfig) -> MilestoneStatus:
    """Thresholds reached by `revenue`, the next one, and the progress towards it."""
    kind = milestone_kind(period)
    thresholds = config.thresholds(kind)
    reached = tuple(t for t in thresholds if revenue >= t)
    upcoming = [t for t in thresholds if revenue < t]
    following = upcoming[0] if upcoming else None
    progress = percent(revenue, following) if following is not None else None
    return MilestoneStatus(kind, thresholds, reached, following, progress)


def crossed(before: Decimal, after: Decimal, thresholds: Iterable[Decimal]) -> tuple[Decimal, ...]:
    """Thresholds that `after` reaches and `before` did not."""
    return tuple(t for t in sorted(thresholds) if before < t <= after)
