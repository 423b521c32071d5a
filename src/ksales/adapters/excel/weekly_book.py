"""The weekly report as a small workbook (SPEC §7): its figures, the comparisons, 12 weeks and the movers.

Sheet names and headings are catalog messages in the reader's language; amounts are exact Decimals with
money formats, so a spreadsheet reads the same figures the bot and the API show.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import attrs
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference

from ksales.adapters.excel.margin_sheet import fit_to_page_width
from ksales.adapters.excel.sheet import Column, Kind, Labels, write_pairs, write_table
from ksales.domain.language import N_, Language
from ksales.domain.names import VALUE_NAMES
from ksales.domain.rules import SalesType
from ksales.domain.weekly import Mover, WeekFigures, WeeklyReport
from ksales.ports.language import Catalog, Translator

REPORT, COMPARED, WEEKS, MOVERS = SHEETS = (
    N_("Weekly report"),
    N_("Compared with"),
    N_("12 weeks"),
    N_("Movers"),
)
COMPARISON_COLUMNS = [
    Column(N_("Compared with")),
    Column(N_("Week start"), Kind.DATE),
    Column(N_("Week end"), Kind.DATE),
    Column(N_("Revenue"), Kind.MONEY),
    Column(N_("Revenue change"), Kind.PERCENT),
    Column(N_("Orders"), Kind.QUANTITY),
    Column(N_("Orders change"), Kind.PERCENT),
    Column(N_("Average check"), Kind.MONEY),
    Column(N_("Average check change"), Kind.PERCENT),
]
WEEK_COLUMNS = [
    Column(N_("Week start"), Kind.DATE),
    Column(N_("Revenue"), Kind.MONEY),
    Column(N_("Mean of the 4 weeks before"), Kind.MONEY),
]
MOVER_COLUMNS = [
    Column(N_("Direction")),
    Column(N_("Product")),
    Column(N_("Product id"), Kind.INTEGER),
    Column(N_("Revenue"), Kind.MONEY),
    Column(N_("Revenue the week before"), Kind.MONEY),
    Column(N_("Change"), Kind.MONEY),
]


def report_pairs(report: WeeklyReport, sales_type: SalesType, t: Translator) -> list[tuple[str, Any, Kind]]:
    """The report's single figures, one per row."""
    _ = t.gettext
    split, customers = report.decomposition, report.customer_revenue
    return [
        (_("Week start"), report.week.start, Kind.DATE),
        (_("Week end"), report.week.end, Kind.DATE),
        (_("Sales type"), _(VALUE_NAMES[sales_type]), Kind.TEXT),
        (_("Revenue"), report.revenue, Kind.MONEY),
        (_("Orders"), report.orders, Kind.INTEGER),
        (_("Average check"), report.avg_check, Kind.MONEY),
        (_("Change vs the week before"), split.change, Kind.MONEY),
        (_("… from the number of orders"), split.orders_effect, Kind.MONEY),
        (_("… from the average check"), split.check_effect, Kind.MONEY),
        (_("Customers"), report.customers, Kind.INTEGER),
        (_("New customers"), report.new_customers, Kind.INTEGER),
        (_("Revenue from new customers"), customers.new, Kind.MONEY),
        (_("Returning customers"), report.returning_customers, Kind.INTEGER),
        (_("Revenue from returning customers"), customers.returning, Kind.MONEY),
        (_("z-score over the 12 weeks before"), report.z_score, Kind.QUANTITY),
        (_("Unusual week"), _("yes") if report.unusual else _("no"), Kind.TEXT),
    ]


def comparison_rows(report: WeeklyReport, t: Translator) -> list[list[Any]]:
    """The week before, the 4 weeks before (as one mean week) and the same ISO week a year earlier."""
    week, week_ago = report.week, timedelta(days=7)

    def row(label: str, first: date, last: date, figures: WeekFigures) -> list[Any]:
        return [
            label,
            first,
            last,
            figures.revenue,
            figures.revenue_change_pct,
            figures.orders,
            figures.orders_change_pct,
            figures.avg_check,
            figures.avg_check_change_pct,
        ]

    year_ago = report.year_ago_week
    return [
        row(t.gettext("the week before"), week.start - week_ago, week.end - week_ago, report.previous),
        row(
            t.gettext("the mean of the 4 weeks before"),
            week.start - 4 * week_ago,
            week.end - week_ago,
            report.four_week_mean,
        ),
        row(t.gettext("the same week a year ago"), year_ago.start, year_ago.end, report.year_ago),
    ]


def mover_rows(report: WeeklyReport, t: Translator) -> list[list[Any]]:
    def row(direction: str, mover: Mover) -> list[Any]:
        return [direction, mover.name, mover.product_id, mover.revenue, mover.previous_revenue, mover.change]

    gained, lost = t.gettext("gained"), t.gettext("lost")
    return [row(gained, m) for m in report.gainers] + [row(lost, m) for m in report.losers]


class OpenpyxlWeeklyWriter:
    """Implements `WeeklyWorkbookWriter` with openpyxl; `catalog` gives the reader's language."""

    def __init__(self, catalog: Catalog, currency: str = "UAH") -> None:
        self.catalog = catalog
        self.currency = currency

    def write(self, report: WeeklyReport, sales_type: SalesType, language: Language) -> bytes:
        t = self.catalog.translator(language)
        labels = Labels(
            metric=t.gettext("Metric"),
            value=t.gettext("Value"),
            total=t.gettext("Total"),
            date_format="dd.mm.yyyy" if language is Language.UK else "yyyy-mm-dd",
        )
        book = Workbook()
        first = book.active
        assert first is not None
        first.title = t.gettext(REPORT)
        write_pairs(first, report_pairs(report, sales_type, t), self.currency, labels)

        def table(name: str, columns: list[Column], rows: list[list[Any]]) -> Any:
            sheet = book.create_sheet(t.gettext(name))
            titled = [attrs.evolve(c, title=t.gettext(c.title)) for c in columns]
            write_table(sheet, titled, rows, self.currency, labels)
            return sheet

        table(COMPARED, COMPARISON_COLUMNS, comparison_rows(report, t))
        history = zip(report.history, report.rolling_mean, strict=True)
        bars = [[bar.monday, bar.revenue, mean] for bar, mean in history]
        weeks = table(WEEKS, WEEK_COLUMNS, bars)
        _chart(weeks, len(bars), t.gettext("Revenue of the last 12 weeks"))
        table(MOVERS, MOVER_COLUMNS, mover_rows(report, t))
        fit_to_page_width(book)
        out = BytesIO()
        book.save(out)
        return out.getvalue()


def _chart(sheet: Any, rows: int, title: str) -> None:
    """Bars of the weeks' revenue with the 4-week mean as a line, beside the table."""
    if not rows:
        return
    categories = Reference(sheet, min_col=1, min_row=2, max_row=rows + 1)
    bars = BarChart()
    bars.title = title
    bars.add_data(Reference(sheet, min_col=2, min_row=1, max_row=rows + 1), titles_from_data=True)
    bars.set_categories(categories)
    line = LineChart()
    line.add_data(Reference(sheet, min_col=3, min_row=1, max_row=rows + 1), titles_from_data=True)
    line.set_categories(categories)
    for series in line.series:
        series.smooth = False  # the means are points, not a curve
    bars += line
    bars.height, bars.width = 10, 24
    bars.legend.position = "b"
    sheet.add_chart(bars, "E2")
