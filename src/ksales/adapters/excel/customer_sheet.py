"""The workbook's Customers sheet (SPEC §7, §5 Cohorts, Segments): segments with their revenue, the time to
a second purchase, the cohort retention table and, for admins only, the at-risk customers with contacts."""

from __future__ import annotations

from typing import Any

from ksales.adapters.excel.sections import Section
from ksales.adapters.excel.sheet import Column, Kind
from ksales.domain.customers import CohortReport, CustomerList, Segment, SegmentReport
from ksales.domain.language import N_
from ksales.domain.workbook import CustomerSheet
from ksales.ports.language import Translator

CUSTOMERS = N_("Customers")

SEGMENT_NAMES = {
    Segment.LOST: N_("Lost"),
    Segment.AT_RISK: N_("At risk"),
    Segment.CHAMPIONS: N_("Champions"),
    Segment.LOYAL: N_("Loyal"),
    Segment.PROMISING: N_("Promising"),
    Segment.FIRST_TIMER: N_("First-timers"),
    Segment.ONE_TIME: N_("One-time"),
}

SEGMENT_COLUMNS = [
    Column(N_("Segment")),
    Column(N_("Customers"), Kind.INTEGER, total=True),
    Column(N_("Revenue to date"), Kind.MONEY, total=True),
    Column(N_("Orders per customer"), Kind.QUANTITY),
    Column(N_("Days since the last order"), Kind.QUANTITY),
]

AT_RISK_COLUMNS = [
    Column(N_("Name")),
    Column(N_("Phone")),
    Column(N_("E-mail")),
    Column(N_("Orders"), Kind.INTEGER),
    Column(N_("Revenue to date"), Kind.MONEY, total=True),
    Column(N_("First order"), Kind.DATE),
    Column(N_("Last order"), Kind.DATE),
    Column(N_("Days since the last order"), Kind.INTEGER),
    Column(N_("Days between orders"), Kind.QUANTITY),
    Column(N_("Buyer id"), Kind.ID),
]


def _titled(columns: list[Column], t: Translator) -> list[Column]:
    return [Column(t.gettext(c.title), c.kind, c.total) for c in columns]


def _segments(report: SegmentReport, t: Translator) -> Section:
    rows = [
        [t.gettext(SEGMENT_NAMES[s.segment]), s.customers, s.revenue, s.avg_orders, s.avg_recency_days]
        for s in report.segments
    ]
    title = t.gettext("Segments on {day}", day=t.day(report.period.end))
    return Section(title, _titled(SEGMENT_COLUMNS, t), rows)


def _second_purchase(report: CohortReport, t: Translator) -> Section:
    title = t.gettext("Time to the second purchase")
    days = report.time_to_second_purchase_days
    if days is None:
        return Section(title, note=t.gettext("No customer made a second purchase in the period."))
    note = t.gettext("Customers whose second order falls in the period, from their first order to it.")
    return Section(title, note=note, pairs=[(t.gettext("Median, days"), days, Kind.QUANTITY)])


def _cohorts(report: CohortReport, t: Translator) -> Section:
    """Rows = cohort months, columns = months after the first purchase, each cell the retention."""
    width = max((len(c.months) for c in report.cohorts), default=1)
    columns = [Column(t.gettext("Cohort")), Column(t.gettext("Customers"), Kind.INTEGER)]
    columns += [Column(t.gettext("Month {k}", k=k), Kind.PERCENT) for k in range(width)]
    rows: list[list[Any]] = []
    for cohort in report.cohorts:
        cells: list[Any] = [m.retention_pct for m in cohort.months]
        rows.append([cohort.month, cohort.size, *cells, *([None] * (width - len(cells)))])
    note = t.gettext(
        "A cohort is the month of its customers' first order; month k is the share of them who ordered "
        "k months later."
    )
    return Section(t.gettext("Cohort retention"), columns, rows, note=note)


def _at_risk(customers: CustomerList, t: Translator) -> Section:
    rows = [
        [
            *(c.name, c.phone, c.email, c.orders, c.revenue, c.first_order, c.last_order),
            *(c.recency_days, c.interval_days, c.buyer_id),
        ]
        for c in customers.customers
    ]
    note = None if rows else t.gettext("No customer is at risk.")
    return Section(t.gettext("At-risk customers to call"), _titled(AT_RISK_COLUMNS, t), rows, note=note)


def customer_sections(sheet: CustomerSheet, t: Translator) -> list[Section]:
    sections = [_segments(sheet.segments, t), _second_purchase(sheet.cohorts, t), _cohorts(sheet.cohorts, t)]
    if sheet.at_risk is not None:
        sections.append(_at_risk(sheet.at_risk, t))
    return sections
