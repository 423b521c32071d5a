"""Scheduled work: milestone announcements and the daily digest."""

from __future__ import annotations

import asyncio
import logging
from datetime import time, timedelta, tzinfo

from telegram.error import TelegramError
from telegram.ext import ContextTypes, JobQueue

from ksales.domain.filters import Filters
from ksales.domain.periods import PeriodKind
from ksales.domain.results import Summary
from ksales.domain.rules import SalesType
from ksales.entrypoints.bot import alert_texts, pace_texts, texts, weekly_texts
from ksales.entrypoints.bot.services import BotServices
from ksales.services.params import ReportRequest
from ksales.services.reporting import ReportingService

log = logging.getLogger(__name__)

MILESTONE_JOB = "milestones"
MILESTONE_INTERVAL = timedelta(minutes=1)
#: The weekly report's job looks every minute whether a report is due (so a missed one follows a restart).
WEEKLY_JOB = "weekly"
ALERTS_JOB = "alerts"
#: A morning digest sums up yesterday; a later one shows today so far.
MORNING_UNTIL = 12


def month_summary(reporting: ReportingService, sales_type: SalesType) -> Summary:
    """This month so far, with its projection and goal: the digest's pace (SPEC §7)."""
    period = reporting.period(PeriodKind.MONTH)
    return reporting.analytics.summary(ReportRequest(period, Filters(sales_type=sales_type)))


def digest_job_name(hour: int) -> str:
    return f"digest:{hour:02d}"


class Jobs:
    def __init__(self, services: BotServices) -> None:
        self.s = services

    async def milestones(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Announce every milestone crossed since the last run, once, to the users who opted in."""
        announcements = await asyncio.to_thread(self.s.alerts.due)
        for announcement in announcements:
            for user_id in announcement.user_ids:
                t = self.s.translator_of(user_id)
                await self._send(context, user_id, texts.crossing(t, announcement.crossing, self.s.currency))

    async def digest(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The report for every user whose digest hour this is (once per user and day)."""
        assert context.job is not None
        hour = context.job.data
        assert isinstance(hour, int)
        reporting = self.s.reporting
        today = reporting.today()
        kind = PeriodKind.YESTERDAY if hour < MORNING_UNTIL else PeriodKind.TODAY
        for user in self.s.access.approved():
            if user.settings.digest_hour != hour:
                continue
            if not self.s.access.users.mark_announced(f"digest:{today.isoformat()}:{user.id}"):
                continue
            result = await asyncio.to_thread(
                reporting.report, reporting.period(kind), user.settings.sales_type
            )
            t = self.s.translator_of(user.id)
            report = texts.report(t, result.summary, result.sources, self.s.currency)
            month = await asyncio.to_thread(month_summary, reporting, user.settings.sales_type)
            report += pace_texts.month_pace(t, month, self.s.currency)
            text = "🗞 " + t.gettext("Daily digest") + "\n\n" + report
            await self._send(context, user.id, text)

    async def weekly(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The weekly report to everyone due it (a missed one too, after a restart): chart, then text."""
        for delivery in await asyncio.to_thread(self.s.weekly.due):
            t = self.s.translator_of(delivery.user_id)
            report = delivery.report
            png = await asyncio.to_thread(self.s.charts.weekly, report, weekly_texts.chart_labels(t, report))
            sales_type = self.s.access.settings(delivery.user_id).sales_type
            try:
                await context.bot.send_photo(delivery.user_id, png)
            except TelegramError as error:
                log.warning("could not send the weekly chart to user %s: %s", delivery.user_id, error)
            await self._send(
                context, delivery.user_id, weekly_texts.weekly(t, report, sales_type, self.s.currency)
            )

    async def alerts(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Tell every admin when a fault starts and when it clears (SPEC §7)."""
        for event in await asyncio.to_thread(self.s.monitor.due):
            for admin_id in sorted(self.s.access.admin_ids):
                await self._send(context, admin_id, alert_texts.alert(self.s.translator_of(admin_id), event))

    async def _send(self, context: ContextTypes.DEFAULT_TYPE, user_id: int, text: str) -> None:
        try:
            await context.bot.send_message(user_id, text)
        except TelegramError as error:  # blocked the bot, never started it…
            log.warning("could not message user %s: %s", user_id, error)


def schedule(job_queue: JobQueue[ContextTypes.DEFAULT_TYPE], jobs: Jobs, timezone: tzinfo) -> None:
    job_queue.run_repeating(
        jobs.milestones, interval=MILESTONE_INTERVAL, first=MILESTONE_INTERVAL, name=MILESTONE_JOB
    )
    job_queue.run_repeating(
        jobs.alerts, interval=MILESTONE_INTERVAL, first=MILESTONE_INTERVAL, name=ALERTS_JOB
    )
    job_queue.run_repeating(
        jobs.weekly, interval=MILESTONE_INTERVAL, first=MILESTONE_INTERVAL, name=WEEKLY_JOB
    )
    for hour in range(24):
        job_queue.run_daily(
            jobs.digest, time(hour, 0, tzinfo=timezone), data=hour, name=digest_job_name(hour)
        )
