"""Turning a report bundle into a file a person opens (Excel)."""

from __future__ import annotations

from typing import Protocol

from ksales.domain.language import Language
from ksales.domain.results import ReportBundle


class ReportWriter(Protocol):
    def write(self, bundle: ReportBundle, language: Language) -> bytes:
        """The whole workbook as bytes, its sheet names, headings and totals in `language`."""
        ...
