"""The workbook's costs (SPEC §7 /excel): the Margin sheet and the Summary's cost of goods, for those who may
see costs; the Summary's reconciliation of order totals with line totals; print set-up for every sheet."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from ksales.adapters.excel.sheet import Column, Kind
from ksales.domain.language import N_
from ksales.domain.margin import MarginBreakdown
from ksales.domain.money import ZERO
from ksales.domain.results import ReportBundle
from ksales.ports.language import Translator

MARGIN = N_("Margin")

MARGIN_COLUMNS = [
    Column(N_("Product")),
    Column(N_("Product id"), Kind.ID),
    Column(N_("Brand")),
    Column(N_("Category")),
    Column(N_("Revenue"), Kind.MONEY, total=True),
    Column(N_("Cost of goods"), Kind.MONEY, total=True),
    Column(N_("Gross profit"), Kind.MONEY, total=True),
    Column(N_("Gross margin"), Kind.PERCENT),
    Column(N_("Cost coverage"), Kind.PERCENT),
]


def margin_rows(margin: MarginBreakdown) -> list[list[Any]]:
    return [
        [
            *(r.name, r.id, r.brand, r.category),
            *(r.revenue, r.cogs, r.gross_profit, r.gross_margin_pct, r.cost_coverage_pct),
        ]
        for r in margin.rows
    ]


def line_total_pairs(bundle: ReportBundle, t: Translator) -> list[tuple[str, Any, Kind]]:
    """Where revenue (order totals) differs from the lines' total, say so and by how much."""
    lines = sum((p.revenue for p in bundle.products.products), ZERO)
    revenue = bundle.summary.revenue
    if lines == revenue:
        return []
    _ = t.gettext
    return [
        (_("Revenue of the lines"), lines, Kind.MONEY),
        (_("Order totals minus line totals (shipping, order discounts)"), revenue - lines, Kind.MONEY),
    ]


def cost_pairs(bundle: ReportBundle, t: Translator) -> list[tuple[str, Any, Kind]]:
    p = bundle.profit
    _ = t.gettext
    return [
        (_("Cost of goods"), p.cogs, Kind.MONEY),
        (_("Gross profit"), p.gross_profit, Kind.MONEY),
        (_("Gross margin"), p.gross_margin_pct, Kind.PERCENT),
        (_("Profit"), p.profit, Kind.MONEY),
        (_("Margin"), p.margin_pct, Kind.PERCENT),
        (_("Cost coverage"), p.cost_coverage_pct, Kind.PERCENT),
    ]


def fit_to_page_width(book: Workbook) -> None:
    """Print every sheet landscape, its columns on one page's width (as many pages tall as needed)."""
    for sheet in book.worksheets:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "1:1"
