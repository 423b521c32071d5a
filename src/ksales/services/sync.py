"""Copying orders from a Crm into the SalesStore: full syncs by windows, incremental syncs by checkpoint.

Crash safety: a full sync writes each window in one `store.apply` together with its progress
(`sync.full_progress`: the range start, the end of the last written window, the newest `updated_at` seen).
A rerun of an interrupted full sync *resumes* after the last written window, provided the interrupted run
reached at least as far back as the new one asks (an incremental sync without a checkpoint resumes any);
the checkpoint is only moved when a full sync completes, so an incremental sync never skips unread windows.

Deletions: a stored order placed in a window that neither query of the window returned is looked up by id
before it is removed — its placement may have moved to another window, or it shifted between pages.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta

from attrs import frozen

from ksales.domain.model import Dictionaries, Order
from ksales.domain.search import OrderQuery, QueryKind
from ksales.ports.clock import Clock
from ksales.ports.crm import Crm, TimeWindow, WindowField
from ksales.ports.store import ApplyResult, OrderChanges, SalesStore
from ksales.services.sync_report import SyncReport

log = logging.getLogger(__name__)

CHECKPOINT_KEY = "sync.checkpoint"
LAST_SYNC_KEY = "sync.last"
#: For the sync alert (SPEC §7): failed runs since the last success, and when that was.
FAILURES_KEY = "sync.failures_in_a_row"
LAST_SUCCESS_KEY = "sync.last_success_at"
FULL_SYNC_KEY = "sync.last_full_at"
FULL_PROGRESS_KEY = "sync.full_progress"
DICTIONARIES_KEY = "sync.dictionaries_at"

#: Small enough that a window stays far below any page cap; large enough to keep requests few.
DEFAULT_WINDOW = timedelta(days=7)
DEFAULT_DAYS = 730
#: Re-read this much before the checkpoint: clocks differ, and writes land out of order.
OVERLAP = timedelta(minutes=10)
#: Status changes do not always bump `updated_at`, so recent orders are re-read by creation date.
REFETCH = timedelta(days=30)
#: Windows that end "now" reach this far past our clock, in case KeyCRM's runs ahead.
CLOCK_SKEW = timedelta(hours=1)
#: Incremental syncs re-read the dictionaries (products are many pages) at most this often.
DICTIONARY_TTL = timedelta(minutes=30)
#: Stored orders missing from a window are looked up by id (moved, not deleted?) up to this many per window.
MAX_LOOKUPS = 50


@frozen
class SyncProgress:
    mode: str
    window: int
    windows: int
    fetched: int


Progress = Callable[[SyncProgress], None] | None


@frozen
class FullRun:
    """How far an unfinished full sync got: [start, done) is written; `newest` is the newest updated_at."""

    start: datetime
    done: datetime
    newest: datetime | None = None

    def dump(self) -> str:
        return json.dumps(
            {"start": _iso(self.start), "done": _iso(self.done), "newest": _opt_iso(self.newest)}
        )

    @classmethod
    def load(cls, raw: str | None) -> FullRun | None:
        if not raw:
            return None
        try:
            data = json.loads(raw)
            newest = data.get("newest")
            return cls(
                datetime.fromisoformat(data["start"]),
                datetime.fromisoformat(data["done"]),
                datetime.fromisoformat(newest) if newest else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignoring unreadable full-sync progress %r", raw[:80])
            return None


@frozen
class _Fetched:
    orders: dict[int, Order]
    skipped_ids: frozenset[int]


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


def _opt_iso(moment: datetime | None) -> str | None:
    return None if moment is None else _iso(moment)


def _newest(current: datetime | None, orders: Iterable[Order]) -> datetime | None:
    stamps = [o.updated_at for o in orders if o.updated_at is not None]
    if current is not None:
        stamps.append(current)
    return max(stamps, default=None)


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

    def last_status(self) -> SyncReport | None:
        """The report of the last run, finished or failed (None before the first one)."""
        raw = self.store.get_meta(LAST_SYNC_KEY)
        return None if raw is None else SyncReport.load(raw)

    async def full(self, days: int = DEFAULT_DAYS, progress: Progress = None) -> SyncReport:
        """Dictionaries, then each window of the last `days` days by creation and update; deletions too."""
        async with self._lock:
            return await self._recorded("full", lambda report: self._full(days, report, progress))

    async def incremental(self, progress: Progress = None) -> SyncReport:
        """Orders updated since the checkpoint (minus an overlap) plus those created in the last 30 days."""
        async with self._lock:
            return await self._recorded("incremental", lambda report: self._incremental(report, progress))

    async def _recorded(self, mode: str, body: Callable[[SyncReport], Awaitable[None]]) -> SyncReport:
        report = SyncReport(mode)
        started, requests_before = time.perf_counter(), self.crm.requests
        try:
            await body(report)
        except BaseException as exc:  # cancellation too: the run did not finish
            report.error = str(exc) or type(exc).__name__
            raise
        finally:
            report.requests = self.crm.requests - requests_before
            report.seconds = time.perf_counter() - started
            report.finished_at = self.clock.now()
            self._record_status(report)
        return report

    def _record_status(self, report: SyncReport) -> None:
        try:
            meta = {LAST_SYNC_KEY: report.dump()}
            if report.ok:
                meta[FAILURES_KEY] = "0"
                meta[LAST_SUCCESS_KEY] = self.clock.now().isoformat()
            else:
                meta[FAILURES_KEY] = str(int(self.store.get_meta(FAILURES_KEY) or 0) + 1)
            self.store.set_meta(meta)
        except Exception:  # never hide the sync's own error behind the store's
            log.exception("could not record the sync status")

    async def _full(
        self, days: int, report: SyncReport, progress: Progress, *, resume_any: bool = False
    ) -> None:
        now = self._now()
        self._save_dictionaries(await self.crm.dictionaries(), now)
        start = now - timedelta(days=days)
        run = FullRun.load(self.store.get_meta(FULL_PROGRESS_KEY))
        begin, newest = start, None
        if run is not None and (run.start <= start or resume_any):
            start = run.start if resume_any else start
            begin, newest = max(run.done, start), run.newest
            log.info("resuming the interrupted full sync from %s", _iso(begin))
        parts = windows(begin, now + CLOCK_SKEW, self.window)
        for index, window in enumerate(parts, start=1):
            fetched = await self._fetch_window(window, report)
            vanished = await self._vanished(window, fetched)
            newest = _newest(newest, fetched.orders.values())
            meta = {FULL_PROGRESS_KEY: FullRun(start, window.end, newest).dump()}
            report.count(await self._apply(OrderChanges(tuple(fetched.orders.values()), vanished, meta)))
            if progress:
                progress(SyncProgress("full", index, len(parts), report.fetched))
        if begin > start:
            await self._reread_written(TimeWindow(max(start, now - REFETCH), begin), report)
        final = {FULL_PROGRESS_KEY: "", FULL_SYNC_KEY: _iso(now)}
        checkpoint = self._advance(self._checkpoint(), newest, now)
        if checkpoint is not None:
            final[CHECKPOINT_KEY] = _iso(checkpoint)
        self.store.set_meta(final)

    async def _reread_written(self, window: TimeWindow, report: SyncReport) -> None:
        """After resuming: windows written before the interruption may have changed meanwhile without an
        `updated_at` bump (KeyCRM's status changes), so their recent part is re-read by creation date,
        as an incremental sync would. Deletions there wait for the next full sync."""
        if window.start >= window.end:
            return
        again = await self._fetch(window, WindowField.CREATED, report)
        report.fetched += len(again.orders)
        report.count(await self._apply(OrderChanges(tuple(again.orders.values()), frozenset(), {})))

    async def _apply(self, changes: OrderChanges) -> ApplyResult:
        """Write in a worker thread so the dashboard keeps answering; shielded so that a cancelled
        sync still lets the window in flight commit whole (its progress is part of the same write)."""
        return await asyncio.shield(asyncio.to_thread(self.store.apply, changes))

    async def _incremental(self, report: SyncReport, progress: Progress) -> None:
        now = self._now()
        checkpoint = self._checkpoint()
        if checkpoint is None:  # never completed a full sync (or it was interrupted): do/resume one
            await self._full(DEFAULT_DAYS, report, progress, resume_any=True)
            return
        last = self.store.get_meta(DICTIONARIES_KEY)
        if last is None or now - datetime.fromisoformat(last) >= DICTIONARY_TTL:
            self._save_dictionaries(await self.crm.dictionaries(), now)
        end = now + CLOCK_SKEW
        updated = await self._fetch(TimeWindow(checkpoint - OVERLAP, end), WindowField.UPDATED, report)
        created = await self._fetch(TimeWindow(now - REFETCH, end), WindowField.CREATED, report)
        merged = {**created.orders, **updated.orders}
        report.fetched += len(merged)
        # Only orders found by update time say how far the CRM has been read.
        newest = self._advance(checkpoint, _newest(None, updated.orders.values()), now)
        meta = {CHECKPOINT_KEY: _iso(newest or checkpoint)}
        report.count(await self._apply(OrderChanges(tuple(merged.values()), frozenset(), meta)))
        if progress:
            progress(SyncProgress("incremental", 1, 1, report.fetched))

    async def _fetch_window(self, window: TimeWindow, report: SyncReport) -> _Fetched:
        """The window's orders by placement and by update, merged by id (the later read wins)."""
        created = await self._fetch(window, WindowField.CREATED, report)
        updated = await self._fetch(window, WindowField.UPDATED, report)
        merged = {**created.orders, **updated.orders}
        report.fetched += len(merged)
        return _Fetched(merged, (created.skipped_ids | updated.skipped_ids) - merged.keys())

    async def _vanished(self, window: TimeWindow, fetched: _Fetched) -> frozenset[int]:
        """Stored orders placed in the window that the CRM no longer has.

        A stored order that neither query returned may have been deleted, or its placement may have moved
        to another window (or it was unreadable, or shifted between pages): it is looked up by id, and
        re-read into `fetched` when it still exists.
        """
        stored = self.store.order_ids_placed_between(window.start, window.end)
        missing = sorted(stored - fetched.orders.keys() - fetched.skipped_ids)
        if len(missing) > MAX_LOOKUPS:
            log.warning("%d stored orders are gone from %s: removing them unverified", len(missing), window)
            return frozenset(missing)
        gone: set[int] = set()
        for order_id in missing:
            result = await self.crm.search_orders(OrderQuery(QueryKind.ID, str(order_id)), limit=1)
            found = next((o for o in result.orders if o.id == order_id), None)
            if found is None:
                gone.add(order_id)
            else:
                fetched.orders[order_id] = found
        return frozenset(gone)

    async def _fetch(self, window: TimeWindow, by: WindowField, report: SyncReport) -> _Fetched:
        found: dict[int, Order] = {}
        skipped: set[int] = set()
        async for page in self.crm.orders(window, by):
            for order in page.orders:
                found[order.id] = order
            for record in page.skipped:
                log.warning("skipped an unreadable order record: %s", record)
                if record.order_id is not None:
                    skipped.add(record.order_id)
            report.skipped += len(page.skipped)
        return _Fetched(found, frozenset(skipped - found.keys()))

    def _save_dictionaries(self, dictionaries: Dictionaries, now: datetime) -> None:
        self.store.save_dictionaries(dictionaries)
        self.store.set_meta({DICTIONARIES_KEY: _iso(now)})

    def _checkpoint(self) -> datetime | None:
        raw = self.store.get_meta(CHECKPOINT_KEY)
        return datetime.fromisoformat(raw) if raw else None

    @staticmethod
    def _advance(checkpoint: datetime | None, newest: datetime | None, now: datetime) -> datetime | None:
        """The later of the two, never past our clock (a bogus future `updated_at` must not skip updates)."""
        if newest is None:
            return checkpoint
        candidate = min(newest, now)
        return candidate if checkpoint is None else max(checkpoint, candidate)

    def _now(self) -> datetime:
        return self.clock.now().astimezone(UTC).replace(microsecond=0)
