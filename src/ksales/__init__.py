"""ksales: sales reporting for a KeyCRM shop.

The library entry point is `ksales.open_analytics()`, which returns the same `AnalyticsService`
the dashboard and the bot use::

    import ksales
    from ksales.services.params import ReportRequest

    with ksales.open_analytics() as analytics:
        summary = analytics.summary(analytics.parse({"period": "month"}))
        print(summary.revenue)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from ksales.entrypoints.settings import Settings
    from ksales.services.analytics import AnalyticsService


@contextmanager
def open_analytics(settings: Settings | None = None) -> Iterator[AnalyticsService]:
    """The analytics service over the store in `KSALES_DATA_DIR` (settings from the environment)."""
    from ksales.entrypoints.container import build_container

    container = build_container(settings)
    try:
        yield container.analytics()
    finally:
        container.shutdown_resources()


__all__ = ["__version__", "open_analytics"]
