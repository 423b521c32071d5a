"""Which revenue milestones were crossed, announced once per period to the users who opted in."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from attrs import frozen

from ksales.domain.filters import Filters
from ksales.domain.milestones import MilestoneKind
from ksales.domain.periods import Compare, Period, PeriodKind
from ksales.domain.rules import SalesType
from ksales.services.access import AccessService
from ksales.services.analytics import AnalyticsService
from ksales.services.params import ReportRequest

#: The running periods whose milestones are watched.
WATCHED = (PeriodKind.TODAY, PeriodKind.WEEK, PeriodKind.MONTH)


@frozen
class Crossing:
    kind: MilestoneKind
    period: Period
    sales_type: SalesType
    threshold: Decimal
    revenue: Decimal

    @property
    def key(self) -> str:
        """The announcement key: one crossing per kind, period, sales type and threshold."""
        threshold = format(self.threshold.normalize(), "f")
        return (
            f"milestone:{self.kind.value}:{self.period.start.isoformat()}:{self.sales_type.value}:{threshold}"
        )


@frozen
class Announcement:
    crossing: Crossing
    user_ids: tuple[int, ...]


class MilestoneAlerts:
    def __init__(self, analytics: AnalyticsService, access: AccessService) -> None:
        self.analytics = analytics
        self.access = access

    def subscribers(self) -> dict[SalesType, list[int]]:
        """Approved users with milestone alerts on, by the sales type they follow."""
        result: dict[SalesType, list[int]] = defaultdict(list)
        for user in self.access.approved():
            if user.settings.milestone_notifications:
                result[user.settings.sales_type].append(user.id)
        return dict(result)

    def due(self) -> list[Announcement]:
        """Crossings not announced before (each is recorded as announced when returned)."""
        today = self.analytics.today()
        due = []
        for sales_type, user_ids in sorted(self.subscribers().items()):
            for kind in WATCHED:
                period = Period.named(kind, today)
                request = ReportRequest(period, Filters(sales_type=sales_type), Compare.NONE)
                summary = self.analytics.summary(request)
                status = summary.milestones
                if status.kind is None:
                    continue
                for threshold in status.reached:
                    event = Crossing(status.kind, period, sales_type, threshold, summary.revenue)
                    if self.access.users.mark_announced(event.key):
                        due.append(Announcement(event, tuple(user_ids)))
        return due
