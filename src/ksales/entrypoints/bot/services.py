"""What the handlers work with; the container builds it (`Container.bot_services`)."""

from __future__ import annotations

from datetime import tzinfo

from attrs import frozen
from telegram import Update

from ksales.domain.access import CostVisibility, sees_costs
from ksales.domain.language import Language
from ksales.ports.charts import ChartRenderer
from ksales.ports.crm import Crm
from ksales.ports.language import Catalog, Translator
from ksales.ports.store import SalesStore
from ksales.services.access import AccessService
from ksales.services.alerts import AlertMonitor
from ksales.services.inventory import InventoryService
from ksales.services.milestone_alerts import MilestoneAlerts
from ksales.services.pace import GoalService
from ksales.services.reporting import ReportingService
from ksales.services.weekly import WeeklyReports


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
    catalog: Catalog
    #: KSALES_LANGUAGE: what the bot speaks to a user with no language of their own.
    language: Language
    #: The goals admins set with /goal.
    goals: GoalService
    weekly: WeeklyReports
    charts: ChartRenderer
    monitor: AlertMonitor
    inventory: InventoryService

    #: KSALES_SHOW_COSTS: who sees cost of goods, gross profit and margins in /report.
    show_costs: CostVisibility = CostVisibility.ADMINS

    def sees_costs(self, user_id: int) -> bool:
        return sees_costs(self.show_costs, is_admin=self.access.is_admin(user_id))

    def language_of(self, user_id: int, telegram_code: str | None = None) -> Language:
        """The user's language from /settings, else Telegram's (uk or en), else KSALES_LANGUAGE."""
        chosen = self.access.settings(user_id).language
        return chosen or Language.from_tag(telegram_code) or self.language

    def translator_of(self, user_id: int, telegram_code: str | None = None) -> Translator:
        return self.catalog.translator(self.language_of(user_id, telegram_code))

    def translator(self, update: Update) -> Translator:
        """Who sent this update speaks this language (KSALES_LANGUAGE when nobody did)."""
        user = update.effective_user
        if user is None:
            return self.catalog.translator(self.language)
        return self.translator_of(user.id, user.language_code)
