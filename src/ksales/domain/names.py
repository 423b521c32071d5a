"""What a person reads for each value of the domain's enums: catalog messages, translated where shown."""

from __future__ import annotations

from ksales.domain.language import N_
from ksales.domain.milestones import MilestoneKind
from ksales.domain.periods import PeriodKind
from ksales.domain.rules import SalesType

PERIOD_NAMES = {
    PeriodKind.TODAY: N_("Today"),
    PeriodKind.YESTERDAY: N_("Yesterday"),
    PeriodKind.WEEK: N_("This week"),
    PeriodKind.LAST_WEEK: N_("Last week"),
    PeriodKind.MONTH: N_("This month"),
    PeriodKind.LAST_MONTH: N_("Last month"),
    PeriodKind.LAST_7_DAYS: N_("Last 7 days"),
    PeriodKind.LAST_28_DAYS: N_("Last 28 days"),
    PeriodKind.CUSTOM: N_("Custom"),
}
SALES_TYPE_NAMES = {SalesType.RETAIL: N_("Retail"), SalesType.B2B: N_("B2B"), SalesType.ALL: N_("All")}
MILESTONE_KIND_NAMES = {
    MilestoneKind.DAILY: N_("daily"),
    MilestoneKind.WEEKLY: N_("weekly"),
    MilestoneKind.MONTHLY: N_("monthly"),
}
#: Every name above by its value's enum member (the members of different enums never compare equal).
VALUE_NAMES: dict[object, str] = {
    **dict(PERIOD_NAMES.items()),
    **dict(SALES_TYPE_NAMES.items()),
    **dict(MILESTONE_KIND_NAMES.items()),
}
