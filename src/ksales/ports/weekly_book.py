"""Turning the weekly report into a file a person opens (Excel)."""

from __future__ import annotations

from typing import Protocol

from ksales.domain.language import Language
from ksales.domain.rules import SalesType
from ksales.domain.weekly import WeeklyReport


class WeeklyWorkbookWriter(Protocol):
    def write(self, report: WeeklyReport, sales_type: SalesType, language: Language) -> bytes:
        """The weekly report's workbook as bytes, its sheet names and headings in `language`."""
        ...
