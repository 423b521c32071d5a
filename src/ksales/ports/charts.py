"""Pictures of the figures (the weekly report's chart)."""

from __future__ import annotations

from typing import Protocol

from attrs import frozen

from ksales.domain.weekly import WeeklyReport


@frozen
class ChartLabels:
    """The chart's words, already in the reader's language."""

    title: str
    revenue: str
    mean: str


class ChartRenderer(Protocol):
    def weekly(self, report: WeeklyReport, labels: ChartLabels) -> bytes:
        """A PNG: the last 12 weeks' revenue as bars with the 4-week mean as a line."""
        ...
