"""Turning a report bundle into a file a person opens (Excel)."""

from __future__ import annotations

from typing import Protocol

from ksales.domain.language import Language
from ksales.domain.margin import MarginBreakdown
from ksales.domain.results import ReportBundle


class ReportWriter(Protocol):
    def write(self, bundle: ReportBundle, language: Language, margin: MarginBreakdown | None = None) -> bytes:
        """The whole workbook as bytes, its sheet names, headings and totals in `language`.

        With `margin` (products by gross profit; only for those who may see costs) it adds the Margin sheet
        and the cost of goods to the Summary."""
        ...
