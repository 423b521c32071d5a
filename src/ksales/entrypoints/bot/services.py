"""What the handlers work with; the container builds it (`Container.bot_services`)."""

from __future__ import annotations

from datetime import tzinfo

from attrs import frozen

from ksales.ports.crm import Crm
from ksales.ports.store import SalesStore
from ksales.services.access import AccessService
from ksales.services.milestone_alerts import MilestoneAlerts
from ksales.services.reporting import ReportingService


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
