"""The bot's reports: a period and a user's sales type in, report figures or a workbook out."""

from __future__ import annotations

from datetime import date

from attrs import frozen

from ksales.domain.filters import Filters
from ksales.domain.language import Language
from ksales.domain.model import Source
from ksales.domain.periods import Period, PeriodKind
from ksales.domain.ranking import RankBy
from ksales.domain.results import Profit, SourceBreakdown, Summary, TopProducts
from ksales.domain.rules import SalesType
from ksales.ports.report import ReportWriter
from ksales.services.analytics import AnalyticsService
from ksales.services.inventory import InventoryService
from ksales.services.params import ReportRequest
from ksales.services.workbook import workbook_report


@frozen
class QuickReport:
    summary: Summary
    sources: SourceBreakdown
    #: For a month (`month`, `last_month`): customers who moved to at risk in it (SPEC §7).
    moved_to_at_risk: int | None = None


@frozen
class Workbook:
    filename: str
    content: bytes


class ReportingService:
    def __init__(
        self, analytics: AnalyticsService, writer: ReportWriter, inventory: InventoryService | None = None
    ) -> None:
        self.analytics = analytics
        self.writer = writer
        self.inventory = inventory

    def today(self) -> date:
        return self.analytics.today()

    def period(self, kind: PeriodKind) -> Period:
        return Period.named(kind, self.today())

    def report(self, period: Period, sales_type: SalesType) -> QuickReport:
        request = self.analytics.resolve(ReportRequest(period, Filters(sales_type=sales_type)))
        moved = None
        if period.kind in (PeriodKind.MONTH, PeriodKind.LAST_MONTH):
            moved = self.analytics.segments(request).moved_to_at_risk
        return QuickReport(self.analytics.summary(request), self.analytics.sources_breakdown(request), moved)

    def profit(self, period: Period, sales_type: SalesType) -> Profit:
        """Revenue, cost of goods, expenses and profit (for those who may see costs)."""
        return self.analytics.profit(ReportRequest(period, Filters(sales_type=sales_type)))

    def top(
        self, period: Period, sales_type: SalesType, source_id: int | None, limit: int = 10
    ) -> TopProducts:
        request = ReportRequest(period, Filters(sales_type=sales_type, source_id=source_id))
        return self.analytics.top_products(request, limit=limit, by=RankBy.QUANTITY)

    def workbook(
        self,
        period: Period,
        sales_type: SalesType,
        language: Language,
        costs: bool = False,
        contacts: bool = False,
    ) -> Workbook:
        """The Excel report in `language`; with `costs` the cost figures, with `contacts` the at-risk list."""
        request = ReportRequest(period, Filters(sales_type=sales_type))
        report = workbook_report(self.analytics, self.inventory, request, costs=costs, contacts=contacts)
        name = f"ksales_{period.start.isoformat()}_{period.end.isoformat()}.xlsx"
        return Workbook(name, self.writer.write(report, language))

    def sources(self) -> list[Source]:
        return self.analytics.sources()

    def source_name(self, source_id: int | None) -> str | None:
        """The source's name; None for no source, or one the store does not know."""
        if source_id is None:
            return None
        return next((s.name for s in self.sources() if s.id == source_id), None)
