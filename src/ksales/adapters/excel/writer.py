"""The Excel report: one workbook per period and filter state, every figure from a ReportBundle.

Sheet names, headings, labels and the totals row are catalog messages, translated for the requester.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import attrs
from openpyxl import Workbook

from ksales.adapters.excel.cost_columns import COST_COLUMNS, CostLookup
from ksales.adapters.excel.customer_sheet import CUSTOMERS, customer_sections
from ksales.adapters.excel.margin_sheet import (
    MARGIN,
    MARGIN_COLUMNS,
    cost_pairs,
    fit_to_page_width,
    line_total_pairs,
    margin_rows,
)
from ksales.adapters.excel.sections import Section, write_sections
from ksales.adapters.excel.sheet import Column, Kind, Labels, write_pairs, write_table
from ksales.adapters.excel.stock_sheet import INVENTORY, stock_sections
from ksales.domain.categories import UNCATEGORIZED
from ksales.domain.language import N_, Language
from ksales.domain.money import percent
from ksales.domain.names import VALUE_NAMES
from ksales.domain.results import ReportBundle
from ksales.domain.workbook import WorkbookReport
from ksales.ports.language import Catalog, Translator

SUMMARY, DAILY, SOURCES, PRODUCTS, CATEGORIES, BRANDS, EXPENSES = (
    N_("Summary"),
    N_("Daily"),
    N_("Sources"),
    N_("Products"),
    N_("Categories"),
    N_("Brands"),
    N_("Expenses"),
)
#: Every workbook's sheets in their order; the Margin sheet follows Expenses for those who may see costs.
SHEETS = (SUMMARY, DAILY, SOURCES, PRODUCTS, CATEGORIES, BRANDS, EXPENSES, CUSTOMERS, INVENTORY)


def summary_pairs(bundle: ReportBundle, t: Translator) -> list[tuple[str, Any, Kind]]:
    s, profit, filters = bundle.summary, bundle.profit, bundle.summary.filters
    _ = t.gettext
    pairs: list[tuple[str, Any, Kind]] = [
        (_("Period start"), s.period.start, Kind.DATE),
        (_("Period end"), s.period.end, Kind.DATE),
        (_("Period"), _(VALUE_NAMES[s.period.kind]), Kind.TEXT),
        (_("Sales type"), _(VALUE_NAMES[filters.sales_type]), Kind.TEXT),
    ]
    if filters.source_id is not None:
        pairs.append((_("Source id"), filters.source_id, Kind.ID))
    if filters.category_id is not None:
        pairs.append((_("Category id"), filters.category_id, Kind.ID))
    if filters.brand is not None:
        pairs.append((_("Brand"), filters.brand, Kind.TEXT))
    pairs += [
        (_("Revenue"), s.revenue, Kind.MONEY),
        (_("Orders"), s.orders, Kind.INTEGER),
        (_("Average check"), s.avg_check, Kind.MONEY),
        (_("Returns (orders)"), s.returns.orders, Kind.INTEGER),
        (_("Returns (revenue)"), s.returns.revenue, Kind.MONEY),
        (_("Expenses"), profit.expenses, Kind.MONEY),
        # Not a cost figure (everyone sees it); gross profit, profit and margins come with the cost of
        # goods, for those who may see costs (`margin_sheet.cost_pairs`).
        (_("Revenue minus expenses"), profit.revenue - profit.expenses, Kind.MONEY),
        (
            _("Revenue minus expenses, share of revenue"),
            percent(profit.revenue - profit.expenses, profit.revenue),
            Kind.PERCENT,
        ),
        (_("Unbranded revenue"), bundle.brands.metrics.unbranded_revenue, Kind.MONEY),
    ]
    c = s.comparison
    if c is not None:
        pairs += [
            (_("Comparison start"), c.start, Kind.DATE),
            (_("Comparison end"), c.end, Kind.DATE),
            (_("Comparison revenue"), c.revenue, Kind.MONEY),
            (_("Comparison orders"), c.orders, Kind.INTEGER),
            (_("Comparison average check"), c.avg_check, Kind.MONEY),
            (_("Revenue change"), c.revenue_change_pct, Kind.PERCENT),
            (_("Orders change"), c.orders_change_pct, Kind.PERCENT),
        ]
    m = s.milestones
    if m.kind is not None:
        pairs += [
            (_("Milestones"), _(VALUE_NAMES[m.kind]), Kind.TEXT),
            (_("Milestones reached"), len(m.reached), Kind.INTEGER),
            (_("Next milestone"), m.next, Kind.MONEY),
            (_("Progress to next"), m.progress_pct, Kind.PERCENT),
        ]
    return pairs


class OpenpyxlReportWriter:
    """Implements `ReportWriter` with openpyxl; `catalog` gives each requester's language."""

    def __init__(self, catalog: Catalog, currency: str = "UAH") -> None:
        self.catalog = catalog
        self.currency = currency

    def write(self, report: WorkbookReport, language: Language) -> bytes:
        return _Book(self.catalog.translator(language), self.currency).write(report)


class _Book:
    """One workbook being written in one language."""

    def __init__(self, t: Translator, currency: str) -> None:
        self.t = t
        self.currency = currency
        self.labels = Labels(
            metric=t.gettext("Metric"),
            value=t.gettext("Value"),
            total=t.gettext("Total"),
            date_format="dd.mm.yyyy" if t.language is Language.UK else "yyyy-mm-dd",
        )

    def sheet(self, book: Workbook, name: str) -> Any:
        return book.create_sheet(self.t.gettext(name))

    def write(self, report: WorkbookReport) -> bytes:
        bundle, costs = report.bundle, CostLookup.of(report.costs)
        book = Workbook()
        summary = book.active
        assert summary is not None
        summary.title = self.t.gettext(SUMMARY)
        pairs = summary_pairs(bundle, self.t) + line_total_pairs(bundle, self.t)
        if report.costs is not None:
            pairs += cost_pairs(bundle, self.t)
        write_pairs(summary, pairs, self.currency, self.labels)
        self._daily(book, bundle)
        self._sources(book, bundle)
        self._products(book, bundle, costs)
        self._categories(book, bundle, costs)
        self._brands(book, bundle, costs)
        self._expenses(book, bundle)
        if report.costs is not None:
            self._table(book, MARGIN, MARGIN_COLUMNS, margin_rows(report.costs.products))
        if report.customers is not None:
            self._sections(book, CUSTOMERS, customer_sections(report.customers, self.t))
        if report.inventory is not None:
            self._sections(book, INVENTORY, stock_sections(report.inventory, self.t))
        fit_to_page_width(book)
        out = BytesIO()
        book.save(out)
        return out.getvalue()

    def _table(self, book: Workbook, name: str, columns: list[Column], rows: list[list[Any]]) -> None:
        titled = [attrs.evolve(c, title=self.t.gettext(c.title)) for c in columns]
        write_table(self.sheet(book, name), titled, rows, self.currency, self.labels)

    def _sections(self, book: Workbook, name: str, sections: list[Section]) -> None:
        write_sections(self.sheet(book, name), sections, self.currency, self.labels)

    def _daily(self, book: Workbook, bundle: ReportBundle) -> None:
        profit = {p.date: p for p in bundle.profit.trend}
        rows = []
        for point in bundle.daily.points:
            day = profit.get(point.date)
            expenses = day.expenses if day else 0
            rows.append([point.date, point.orders, point.revenue, expenses, point.revenue - expenses])
        columns = [
            Column(N_("Date"), Kind.DATE),
            Column(N_("Orders"), Kind.INTEGER, total=True),
            Column(N_("Revenue"), Kind.MONEY, total=True),
            Column(N_("Expenses"), Kind.MONEY, total=True),
            Column(N_("Revenue minus expenses"), Kind.MONEY, total=True),
        ]
        self._table(book, DAILY, columns, rows)

    def _sources(self, book: Workbook, bundle: ReportBundle) -> None:
        rows = [[s.name, s.id, s.orders, s.revenue, s.share_pct] for s in bundle.sources.sources]
        columns = [
            Column(N_("Source")),
            Column(N_("Source id"), Kind.ID),
            Column(N_("Orders"), Kind.INTEGER, total=True),
            Column(N_("Revenue"), Kind.MONEY, total=True),
            Column(N_("Share"), Kind.PERCENT),
        ]
        self._table(book, SOURCES, columns, rows)

    def _products(self, book: Workbook, bundle: ReportBundle, costs: CostLookup | None) -> None:
        rows = [[p.name, p.product_id, p.quantity, p.revenue, p.share_pct] for p in bundle.products.products]
        columns = [
            Column(N_("Product")),
            Column(N_("Product id"), Kind.ID),
            Column(N_("Quantity"), Kind.QUANTITY, total=True),
            Column(N_("Revenue"), Kind.MONEY, total=True),
            Column(N_("Share of quantity"), Kind.PERCENT),
        ]
        if costs is not None:
            columns += COST_COLUMNS
            for row, p in zip(rows, bundle.products.products, strict=True):
                row += costs.product(p.product_id, p.name)
        self._table(book, PRODUCTS, columns, rows)

    def _categories(self, book: Workbook, bundle: ReportBundle, costs: CostLookup | None) -> None:
        rows = [
            [self.t.gettext(UNCATEGORIZED) if c.id is None else c.name, c.id, c.quantity, c.revenue]
            for c in bundle.categories.categories
        ]
        columns = [
            Column(N_("Category")),
            Column(N_("Category id"), Kind.ID),
            Column(N_("Quantity"), Kind.QUANTITY, total=True),
            Column(N_("Revenue"), Kind.MONEY, total=True),
        ]
        if costs is not None:
            columns += COST_COLUMNS
            for row, c in zip(rows, bundle.categories.categories, strict=True):
                row += costs.category(c.id)
        self._table(book, CATEGORIES, columns, rows)

    def _brands(self, book: Workbook, bundle: ReportBundle, costs: CostLookup | None) -> None:
        # Orders are not summed: one order can hold several brands.
        rows = [[b.brand, b.orders, b.quantity, b.revenue, b.share_pct] for b in bundle.brands.top_by_revenue]
        columns = [
            Column(N_("Brand")),
            Column(N_("Orders"), Kind.INTEGER),
            Column(N_("Quantity"), Kind.QUANTITY, total=True),
            Column(N_("Revenue"), Kind.MONEY, total=True),
            Column(N_("Share of revenue"), Kind.PERCENT),
        ]
        if costs is not None:
            columns += COST_COLUMNS
            for row, b in zip(rows, bundle.brands.top_by_revenue, strict=True):
                row += costs.brand(b.brand)
        self._table(book, BRANDS, columns, rows)

    def _expenses(self, book: Workbook, bundle: ReportBundle) -> None:
        rows = [[t.name, t.id, t.count, t.amount] for t in bundle.expenses.by_type]
        columns = [
            Column(N_("Expense type")),
            Column(N_("Expense type id"), Kind.ID),
            Column(N_("Count"), Kind.INTEGER, total=True),
            Column(N_("Amount"), Kind.MONEY, total=True),
        ]
        self._table(book, EXPENSES, columns, rows)
