"""Turning a report bundle into a file a person opens (Excel)."""

from __future__ import annotations

from typing import Protocol

from ksales.domain.language import Language
from ksales.domain.workbook import WorkbookReport


class ReportWriter(Protocol):
    def write(self, report: WorkbookReport, language: Language) -> bytes:
        """The whole workbook as bytes, its sheet names, headings and totals in `language`.

        With `report.costs` (only for those who may see costs) it adds the Margin sheet, the cost columns of
        Products, Categories and Brands and the cost of goods to the Summary; with `report.customers` the
        Customers sheet, with `report.inventory` the Inventory sheet."""
        ...
