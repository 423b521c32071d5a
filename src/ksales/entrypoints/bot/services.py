"""What the handlers work with, resolved once from the container."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

from attrs import frozen

from ksales.ports.crm import Crm
from ksales.ports.store import SalesStore
from ksales.services.access import AccessService
from ksales.services.milestone_alerts import MilestoneAlerts
from ksales.services.reporting import ReportingService

if TYPE_CHECKING:
    from ksales.entrypoints.container import Container


@frozen
class BotServices:
    access: AccessService
    reporting: ReportingService
    alerts: MilestoneAlerts
    crm: Crm
    store: SalesStore
    currency: str
    timezone: tzinfo
    dashboard_url: str

    @classmethod
    def from_container(cls, container: Container) -> BotServices:
        settings = container.settings()
        analytics = container.analytics()
        access = AccessService(container.user_store(), settings.admin_user_ids, container.clock())
        return cls(
            access=access,
            reporting=ReportingService(analytics, container.report_writer()),
            alerts=MilestoneAlerts(analytics, access),
            crm=container.crm(),
            store=analytics.store,
            currency=settings.currency,
            timezone=settings.timezone,
            dashboard_url=settings.dashboard_url,
        )
