"""ksales: sales reporting for a KeyCRM shop.

The library entry point is `ksales.open_analytics()`: the same analytics the dashboard and the bot use,
over the store in `KSALES_DATA_DIR` — opened directly when no process owns it, else read through the
running service (found from the data directory), with the very same result objects::

    import ksales

    with ksales.open_analytics() as analytics:
        summary = analytics.summary(analytics.parse({"period": "month"}))
        print(summary.revenue)

`ksales.connect("https://sales.example.com", token="ksales_…")` does the same for a service on another host
(a token from `ksales token create NAME`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from ksales.entrypoints.readers import Analytics
    from ksales.entrypoints.remote import RemoteAnalytics
    from ksales.entrypoints.settings import Settings


@contextmanager
def open_analytics(settings: Settings | None = None) -> Iterator[Analytics]:
    """The analytics of the store in `KSALES_DATA_DIR` (settings from the environment), local or remote."""
    from ksales.entrypoints.container import build_container
    from ksales.entrypoints.readers import open_reader

    container = build_container(settings)
    try:
        with open_reader(container) as analytics:
            yield analytics
    finally:
        container.shutdown_resources()


def connect(url: str, token: str | None = None, *, timeout: float = 60.0) -> RemoteAnalytics:
    """The analytics of the ksales service at `url`, read through its API; use it as a context manager."""
    from ksales.entrypoints.remote import RemoteAnalytics

    return RemoteAnalytics(url, token, timeout=timeout)


__all__ = ["__version__", "connect", "open_analytics"]
