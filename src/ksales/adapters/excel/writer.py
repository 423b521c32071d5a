"""The Excel report: one workbook per period and filter state, every figure from a ReportBundle."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook

from ksales.adapters.excel.sheet import Column, Kind, write_pairs, write_table
from ksales.domain.results import ReportBundle

SHEETS = ("Summary", "Daily", "Sources", "Products", "Categories", "Brands", "Expenses")


def summary_pairs(bundle: ReportBundle) -> list[tuple[str, Any, Kind]]:
    s, profit, filters = bundle.summary, bundle.profit, bundle.summary.filters
    pairs: list[tuple[str, Any, Kind]] = [
        ("Period start", s.period.start, Kind.DATE),
        ("Period end", s.period.end, Kind.DATE),
        ("Period", s.period.kind.value, Kind.TEXT),
        ("Sales type", filters.sales_type.value, Kind.TEXT),
    ]
    if filters.source_id is not None:
        pairs.append(("Source id", filters.source_id, Kind.INTEGER))
    if filters.category_id is not None:
        pairs.append(("Category id", filters.category_id, Kind.INTEGER))
    if filters.brand is not None:
        pairs.append(("Brand", filters.brand, Kind.TEXT))
    pairs += [
        ("Revenue", s.revenue, Kind.MONEY),
        ("Orders", s.orders, Kind.INTEGER),
        ("Average check", s.avg_check, Kind.MONEY),
        ("Returns (orders)", s.returns.orders, Kind.INTEGER),
        ("Returns (revenue)", s.returns.revenue, Kind.MONEY),
        ("Expenses", profit.expenses, Kind.MONEY),
        ("Gross profit", profit.gross_profit, Kind.MONEY),
        ("Margin", profit.margin_pct, Kind.PERCENT),
        ("Unbranded revenue", bundle.brands.metrics.unbranded_revenue, Kind.MONEY),
    ]
    c = s.comparison
    if c is not None:
        pairs += [
            ("Comparison start", c.start, Kind.DATE),
            ("Comparison end", c.end, Kind.DATE),
            ("Comparison revenue", c.revenue, Kind.MONEY),
            ("Comparison orders", c.orders, Kind.INTEGER),
            ("Comparison average check", c.avg_check, Kind.MONEY),
            ("Revenue change", c.revenue_change_pct, Kind.PERCENT),
            ("Orders change", c.orders_change_pct, Kind.PERCENT),
        ]
    m = s.milestones
    if m.kind is not None:
        pairs += [
            ("Milestones", m.kind.value, Kind.TEXT),
            ("Milestones reached", len(m.reached), Kind.INTEGER),
            ("Next milestone", m.next, Kind.MONEY),
            ("Progress to next", m.progress_pct, Kind.PERCENT),
        ]
    return pairs


class OpenpyxlReportWriter:
    """Implements `ReportWriter` with openpyxl."""

    def __init__(self, currency: str = "UAH") -> None:
        self.currency = currency

    def write(self, bundle: ReportBundle) -> bytes:
        book = Workbook()
        summary = book.active
        assert summary is not None
        summary.title = SHEETS[0]
        write_pairs(summary, summary_pairs(bundle), self.currency)
        self._daily(book, bundle)
        self._sources(book, bundle)
        self._products(book, bundle)
        self._categories(book, bundle)
        self._brands(book, bundle)
        self._expenses(book, bundle)
        out = BytesIO()
        book.save(out)
        return out.getvalue()

    def _daily(self, book: Workbook, bundle: ReportBundle) -> None:
        profit = {p.date: p for p in bundle.profit.trend}
        rows = []
        for point in bundle.daily.points:
            day = profit.get(point.date)
            expenses = day.expenses if day else 0
            rows.append([point.date, point.orders, point.revenue, expenses, point.revenue - expenses])
        columns = [
            Column("Date", Kind.DATE),
            Column("Orders", Kind.INTEGER, total=True),
            Column("Revenue", Kind.MONEY, total=True),
            Column("Expenses", Kind.MONEY, total=True),
            Column("Gross profit", Kind.MONEY, total=True),
        ]
        write_table(book.create_sheet("Daily"), columns, rows, self.currency)

    def _sources(self, book: Workbook, bundle: ReportBundle) -> None:
        rows = [[s.name, s.id, s.orders, s.revenue, s.share_pct] for s in bundle.sources.sources]
        columns = [
            Column("Source"),
            Column("Source id", Kind.INTEGER),
            Column("Orders", Kind.INTEGER, total=True),
            Column("Revenue", Kind.MONEY, total=True),
            Column("Share", Kind.PERCENT),
        ]
        write_table(book.create_sheet("Sources"), columns, rows, self.currency)

    def _products(self, book: Workbook, bundle: ReportBundle) -> None:
        rows = [[p.name, p.product_id, p.quantity, p.revenue, p.share_pct] for p in bundle.products.products]
        columns = [
            Column("Product"),
            Column("Product id", Kind.INTEGER),
            Column("Quantity", Kind.QUANTITY, total=True),
            Column("Revenue", Kind.MONEY, total=True),
            Column("Share of quantity", Kind.PERCENT),
        ]
        write_table(book.create_sheet("Products"), columns, rows, self.currency)

    def _categories(self, book: Workbook, bundle: ReportBundle) -> None:
        rows = [[c.name, c.id, c.quantity, c.revenue] for c in bundle.categories.categories]
        columns = [
            Column("Category"),
            Column("Category id", Kind.INTEGER),
            Column("Quantity", Kind.QUANTITY, total=True),
            Column("Revenue", Kind.MONEY, total=True),
        ]
        write_table(book.create_sheet("Categories"), columns, rows, self.currency)

    def _brands(self, book: Workbook, bundle: ReportBundle) -> None:
        # Orders are not summed: one order can hold several brands.
        rows = [[b.brand, b.orders, b.quantity, b.revenue, b.share_pct] for b in bundle.brands.top_by_revenue]
        columns = [
            Column("Brand"),
            Column("Orders", Kind.INTEGER),
            Column("Quantity", Kind.QUANTITY, total=True),
            Column("Revenue", Kind.MONEY, total=True),
            Column("Share of revenue", Kind.PERCENT),
        ]
        write_table(book.create_sheet("Brands"), columns, rows, self.currency)

    def _expenses(self, book: Workbook, bundle: ReportBundle) -> None:
        rows = [[t.name, t.id, t.count, t.amount] for t in bundle.expenses.by_type]
        columns = [
            Column("Expense type"),
            Column("Expense type id", Kind.INTEGER),
            Column("Count", Kind.INTEGER, total=True),
            Column("Amount", Kind.MONEY, total=True),
        ]
        write_table(book.create_sheet("Expenses"), columns, rows, self.currency)
