"""The weekly report: its figures from the store, and who is due it (once per week and user)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from attrs import frozen

from ksales.domain.errors import InvalidParameter
from ksales.domain.filters import Scope
from ksales.domain.periods import EARLIEST, Period
from ksales.domain.rules import SalesType
from ksales.domain.schedule import WeeklySlot
from ksales.domain.weekly import (
    HISTORY_WEEKS,
    WeeklyReport,
    build_report,
    due_week,
    report_week,
    slot_moment,
    weekly_totals,
    weeks_before,
    year_ago_week,
)
from ksales.services.access import AccessService
from ksales.services.analytics import AnalyticsService
from ksales.services.params import parse_date

#: Store meta: when this store first looked for due weekly reports.
SINCE_META = "weekly_report_since"
#: Orders before this day are "before the shop's history" for nobody: a floor for the history probe.
_EPOCH = date(2000, 1, 1)


#: The earliest week a report can be asked for: its year-ago week and 12 weeks before must be real dates.
_FIRST_WEEK = EARLIEST.replace(year=EARLIEST.year + 2)


def parse_week(value: str | None, today: date) -> Period:
    """The Monday–Sunday week holding the day `value` (YYYY-MM-DD); absent: the last complete week.

    Only a complete week has a report: a week that has not ended yet is refused.
    """
    if value is None or not value.strip():
        return report_week(today)
    day = parse_date("week", value.strip())
    monday = day - timedelta(days=day.weekday())
    if day >= today or monday + timedelta(days=6) >= today:
        raise InvalidParameter("week", "week must be a day of a week that has ended (default: the last one)")
    if monday < _FIRST_WEEK:
        raise InvalidParameter("week", f"week must be on or after {_FIRST_WEEK.isoformat()}")
    return Period(monday, monday + timedelta(days=6))


@frozen
class WeeklyDelivery:
    user_id: int
    report: WeeklyReport


def ledger_key(week: Period, user_id: int) -> str:
    """The ledger entry of one report: sent once per week (its Monday) and user."""
    return f"weekly:{week.start.isoformat()}:{user_id}"


class WeeklyReports:
    def __init__(self, analytics: AnalyticsService, access: AccessService, slot: WeeklySlot | None) -> None:
        self.analytics = analytics
        self.access = access
        self.slot = slot

    def now(self) -> datetime:
        return self.analytics.clock.now().astimezone(self.analytics.rules.timezone)

    def report(self, week: Period, sales_type: SalesType = SalesType.RETAIL) -> WeeklyReport:
        """Every figure of the weekly report for `week` (a Monday–Sunday period) and sales type."""
        store = self.analytics.store
        scope = Scope(week.start, week.end, sales_type)
        before = weeks_before(week, HISTORY_WEEKS)
        days = store.daily(Scope(before[0].start, week.end, sales_type))
        totals = weekly_totals(days, [*before, week])
        if (
            before[0].start > _EPOCH
            and store.totals(Scope(_EPOCH, before[0].start - timedelta(days=1), sales_type)).orders
        ):
            history_starts: date | None = _EPOCH
        else:
            history_starts = next((d.day for d in days if d.orders), None)
        previous = before[-1]
        customers = store.customer_counts(scope)
        return build_report(
            week=week,
            current=totals[-1],
            before=totals[:-1],
            history_starts=history_starts,
            year_ago=store.totals(Scope(*_ends(year_ago_week(week)), sales_type)),
            customers=customers.customers,
            new_customers=customers.new_customers,
            customer_revenue=store.customer_revenue(scope),
            products=store.product_totals(scope),
            previous_products=store.product_totals(Scope(previous.start, previous.end, sales_type)),
        )

    def wants_it(self, user_id: int) -> bool:
        return bool(self.access.shown_settings(user_id).weekly_report)

    def due(self) -> list[WeeklyDelivery]:
        """The reports due now and not sent before (each is recorded in the ledger when returned).

        Only the latest due week is sent: after a long outage, one report, not a backlog. A week
        whose slot passed before the first run of this job (kept in the store) was not missed.
        """
        if self.slot is None:
            return []
        now = self.now()
        week: Period = due_week(self.slot, now)
        store = self.analytics.store
        since = store.get_meta(SINCE_META)
        if since is None:
            store.set_meta({SINCE_META: now.isoformat()})
            since = now.isoformat()
        if slot_moment(self.slot, week, now) < datetime.fromisoformat(since):
            return []  # due before the reports began (a fresh install): not a missed one
        reports: dict[SalesType, WeeklyReport] = {}
        deliveries = []
        for user in self.access.approved():
            if not self.wants_it(user.id):
                continue
            if not self.access.users.mark_announced(ledger_key(week, user.id)):
                continue
            sales_type = user.settings.sales_type
            if sales_type not in reports:
                reports[sales_type] = self.report(week, sales_type)
            deliveries.append(WeeklyDelivery(user.id, reports[sales_type]))
        return deliveries


def _ends(period: Period) -> tuple[date, date]:
    return period.start, period.end
