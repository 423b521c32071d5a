"""Turning a report bundle into a file a person opens (Excel)."""

from __future__ import annotations

from typing import Protocol

from ksales.domain.results import ReportBundle


class ReportWriter(Protocol):
    def write(self, bundle: ReportBundle) -> bytes:
        """The whole workbook as bytes."""
        ...
