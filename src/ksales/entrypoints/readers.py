"""Reading the figures of a data directory: directly when no process owns it, else through its owner's API.

DuckDB lets one process write a store, and while `ksales serve` (or `ksales bot`) runs it owns the store;
"the store is in use" is never the answer to a read (SPEC §3). The owner says where it answers in
`<data dir>/ksales.owner.json`, with a token for readers on this machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from ksales.adapters.system.lock import DataDirLock
from ksales.adapters.system.owner import read_owner
from ksales.domain.errors import StoreLocked
from ksales.entrypoints.container import Container
from ksales.entrypoints.remote import RemoteAnalytics
from ksales.services.analytics import AnalyticsService

Analytics = AnalyticsService | RemoteAnalytics
#: The commands that answer the API while they own the store (a `sync` or `demo` does not).
SERVING_COMMANDS = ("ksales serve", "ksales bot")


def _through_owner(container: Container, locked: StoreLocked, wait: float) -> RemoteAnalytics:
    data_dir = container.settings().data_dir
    lock = DataDirLock(data_dir)
    deadline = time.monotonic() + wait
    while True:
        record = read_owner(data_dir)
        if record is not None:
            return RemoteAnalytics(record.url, record.token, connect_wait=wait)
        holder = lock.holder()
        if not any(command in holder for command in SERVING_COMMANDS) or time.monotonic() >= deadline:
            # A sync or a demo rebuild: it answers no API, and it finishes by itself.
            raise StoreLocked(f"{locked.message}; it serves no API to read through, try again when it ends")
        time.sleep(0.1)  # a service that is still starting (its first sync) writes the record soon


@contextmanager
def open_reader(container: Container, *, wait: float = 30.0) -> Iterator[Analytics]:
    """The local analytics when the store is free, else the owner's (waiting `wait` s while it starts)."""
    try:
        analytics: AnalyticsService = container.analytics()
    except StoreLocked as locked:
        with _through_owner(container, locked, wait) as remote:
            yield remote
        return
    yield analytics


def stored_orders(analytics: Analytics) -> int:
    """Every stored order, canceled ones too: 0 means nothing was ever synced."""
    if isinstance(analytics, RemoteAnalytics):
        return analytics.order_count()
    return analytics.store.order_count()
