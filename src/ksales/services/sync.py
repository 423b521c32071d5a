"""Copying orders from a Crm into the SalesStore: full syncs by windows, incremental syncs by checkpoint."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from attrs import asdict, define, frozen

from ksales.domain.model import Order
from ksales.domain.results import SyncStatus
from ksales.ports.clock import Clock
from ksales.ports.crm import Crm, TimeWindow, WindowField
from ksales.ports.store import OrderChanges, SalesStore

log = logging.getLogger(__name__)

CHECKPOINT_KEY = "sync.checkpoint"
LAST_SYNC_KEY = "sync.last"
FULL_SYNC_KEY = "sync.last_full_at"
FULL_PROGRESS_KEY = "sync.full_progress"

#: Small enough that a window stays far below any page cap; large enough to keep requests few.
DEFAULT_WINDOW = timedelta(days=7)
#: Re-read this much before the checkpoint: clocks differ, and writes land out of order.
OVERLAP = timedelta(minutes=10)
#: Status changes do not always bump `updated_at`, so recent orders are re-read by creation date.
REFETCH = timedelta(days=30)


@frozen
class SyncProgress:
    mode: str
    window: int
    windows: int
    fetched: int


@define
class SyncReport:
    mode: str
    fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    requests: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.mode} sync: fetched {self.fetched}, inserted {self.inserted}, updated {self.updated}, "
            f"removed {self.removed}, skipped {self.skipped}, {self.requests} requests, {self.seconds:.1f} s"
        )


def windows(start: datetime, end: datetime, size: timedelta) -> list[TimeWindow]:
    """Consecutive half-open windows covering [start, end)."""
    result = []
    cursor = start
    while cursor < end:
        result.append(TimeWindow(cursor, min(cursor + size, end)))
        cursor += size
    return result


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class SyncService:
    """Keeps the store equal to the CRM. One sync at a time per service."""

    def __init__(self, crm: Crm, store: SalesStore, clock: Clock, window: timedelta = DEFAULT_WINDOW) -> None:
        self.crm = crm
        self.store = store
        self.clock = clock
        self.window = window
        self._lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        return self._lock.locked()

    def last_status(self) -> SyncStatus | None:
        raw = self.store.get_meta(LAST_SYNC_KEY)
        if raw is None:
            return None
        data = json.loads(raw)
        data["finished_at"] = datetime.fromisoformat(data["finished_at"])
        return SyncStatus(**data)

    async def full(
        self, days: int = 730, progress: Callable[[SyncProgress], None] | None = None
    ) -> SyncReport:
        """Dictionaries, then each window of the last `days` days by creation and update; deletions too."""
        async with self._lock:
            return await self._recorded("full", lambda report: self._full(days, report, progress))

    async def incremental(self, progress: Callable[[SyncProgress], None] | None = None) -> SyncReport:
        """Orders updated since the checkpoint (minus an overlap) plus those created in the last 30 days."""
        async with self._lock:
            return await self._recorded("incremental", lambda report: self._incremental(report, progress))

    async def _recorded(self, mode: str, body: Callable[[SyncReport], Awaitable[None]]) -> SyncReport:
        report = SyncReport(mode)
        started, requests_before = time.perf_counter(), self.crm.requests
        error: str | None = None
        try:
            await body(report)
        except Exception as exc:
            error = str(exc) or type(exc).__name__
            raise
        finally:
            report.requests = self.crm.requests - requests_before
            report.seconds = time.perf_counter() - started
            status = SyncStatus(
                finished_at=self.clock.now(),
                ok=error is None,
                mode=mode,
                fetched=report.fetched,
                inserted=report.inserted,
                updated=report.updated,
                removed=report.removed,
                skipped=report.skipped,
                requests=report.requests,
                seconds=round(report.seconds, 3),
                error=error,
            )
            data = asdict(status)
            data["finished_at"] = _iso(status.finished_at)
            self.store.set_meta({LAST_SYNC_KEY: json.dumps(data)})
        return report

    async def _full(
        self, days: int, report: SyncReport, progress: Callable[[SyncProgress], None] | None
    ) -> None:
        now = self.clock.now().astimezone(UTC).replace(microsecond=0)
        self.store.save_dictionaries(await self.crm.dictionaries())
        parts = windows(now - timedelta(days=days), now + timedelta(seconds=1), self.window)
        newest = self._checkpoint()
        for index, window in enumerate(parts, start=1):
            created = await self._fetch(window, WindowField.CREATED, report)
            updated = await self._fetch(window, WindowField.UPDATED, report)
            merged = {**created, **updated}
            vanished = self.store.order_ids_placed_between(window.start, window.end) - merged.keys()
            stamps = [o.updated_at for o in merged.values() if o.updated_at is not None]
            if newest is not None:
                stamps.append(newest)
            newest = max(stamps, default=None)
            meta = {FULL_PROGRESS_KEY: _iso(window.end)}
            if newest is not None:
                meta[CHECKPOINT_KEY] = _iso(newest)
            result = self.store.apply(OrderChanges(tuple(merged.values()), vanished, meta))
            self._count(
                report, len(merged), result.inserted, result.updated, result.unchanged, result.removed
            )
            if progress:
                progress(SyncProgress("full", index, len(parts), report.fetched))
        self.store.set_meta({FULL_SYNC_KEY: _iso(now)})

    async def _incremental(self, report: SyncReport, progress: Callable[[SyncProgress], None] | None) -> None:
        now = self.clock.now().astimezone(UTC).replace(microsecond=0)
        checkpoint = self._checkpoint()
        if checkpoint is None:
            await self._full(730, report, progress)
            return
        self.store.save_dictionaries(await self.crm.dictionaries())
        end = now + timedelta(seconds=1)
        updated = await self._fetch(TimeWindow(checkpoint - OVERLAP, end), WindowField.UPDATED, report)
        created = await self._fetch(TimeWindow(now - REFETCH, end), WindowField.CREATED, report)
        merged = {**created, **updated}
        newest = max([checkpoint, *(o.updated_at for o in updated.values() if o.updated_at)])
        result = self.store.apply(
            OrderChanges(tuple(merged.values()), frozenset(), {CHECKPOINT_KEY: _iso(newest)})
        )
        self._count(report, len(merged), result.inserted, result.updated, result.unchanged, 0)
        if progress:
            progress(SyncProgress("incremental", 1, 1, report.fetched))

    async def _fetch(self, window: TimeWindow, by: WindowField, report: SyncReport) -> dict[int, Order]:
        found: dict[int, Order] = {}
        async for page in self.crm.orders(window, by):
            for order in page.orders:
                found[order.id] = order
            for skipped in page.skipped:
                log.warning("skipped an unreadable order record: %s", skipped)
            report.skipped += len(page.skipped)
        return found

    def _checkpoint(self) -> datetime | None:
        raw = self.store.get_meta(CHECKPOINT_KEY)
        return datetime.fromisoformat(raw) if raw else None

    @staticmethod
    def _count(
        report: SyncReport, fetched: int, inserted: int, updated: int, unchanged: int, removed: int
    ) -> None:
        report.fetched += fetched
        report.inserted += inserted
        report.updated += updated
        report.unchanged += unchanged
        report.removed += removed
