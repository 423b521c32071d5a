"""Copying orders from a Crm into the SalesStore: full syncs by windows, incremental syncs by checkpoint.

Newest window first: a full sync reads from now backwards, so the dashboard shows the recent weeks while
the older ones load; the whole history (`days=None`, the first sync of an empty store) goes back until
KeyCRM's `total` for everything older is 0.

Crash safety: a full sync writes each window in one `store.apply` together with its progress
(`sync.full_progress`: how far back it is meant to go, where it began, the start of the oldest written
window, the newest `updated_at` seen). A rerun of an interrupted full sync *resumes* below the oldest written
window, provided the interrupted run was meant to reach at least as far back as the new one asks (an
incremental sync without a checkpoint resumes any). Before that it reads what is new since the interruption
and re-checks the windows already written for orders deleted meanwhile, so that a resumed run misses no
deletion. The checkpoint is only moved when a full sync completes, so an incremental sync never skips
unread windows.

Deletions: a stored order placed in a window that neither query of the window returned is looked up by id
before it is removed — its placement may have moved to another window, or it shifted between pages.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta

from attrs import define, frozen

from ksales.domain.model import Dictionaries, Order
from ksales.domain.search import OrderQuery, QueryKind
from ksales.ports.clock import Clock
from ksales.ports.crm import Crm, TimeWindow, WindowField
from ksales.ports.request_meter import counting
from ksales.ports.store import ApplyResult, OrderChanges, SalesStore
from ksales.services.sync.reconcile import Reconciliation, reconcile_months
from ksales.services.sync.rereads import SWEEPS, Budget, RereadPlan, Rereads
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
#: When a full sync last read the whole history (absent: the store only ever held the last N days).
WHOLE_HISTORY_KEY = "sync.whole_history_at"
REREADS_KEY = "sync.rereads"
#: The last ten runs' reports, newest first (for `ksales doctor`).
SYNC_HISTORY_KEY = "sync.history"
#: `created_between` from here to a window's start counts every older order (SPEC §4).
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

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
    """How far an unfinished full sync got: [done, end) is written, down to `start` (None: the whole
    history) is meant; `newest` is the newest updated_at seen."""

    start: datetime | None
    done: datetime
    end: datetime
    newest: datetime | None = None

    def dump(self) -> str:
        return json.dumps(
            {
                "start": _opt_iso(self.start),
                "done": _iso(self.done),
                "end": _iso(self.end),
                "newest": _opt_iso(self.newest),
            }
        )

    @classmethod
    def load(cls, raw: str | None) -> FullRun | None:
        if not raw:
            return None
        try:
            data = json.loads(raw)
            start, newest = data.get("start"), data.get("newest")
            return cls(
                datetime.fromisoformat(start) if start else None,
                datetime.fromisoformat(data["done"]),
                datetime.fromisoformat(data["end"]),
                datetime.fromisoformat(newest) if newest else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignoring unreadable full-sync progress %r", raw[:80])
            return None

    def reaches(self, start: datetime | None) -> bool:
        """Whether this run was meant to go at least as far back as `start`."""
        return self.start is None or (start is not None and self.start <= start)


@frozen
class _Fetched:
    orders: dict[int, Order]
    skipped_ids: frozenset[int]
    #: Orders (readable or not) the window's `created_between` returned: placed in the window.
    placed: int = 0


@define
class _Counter:
    """Windows done and (estimated) in all, for the progress bar; the newest `updated_at` seen."""

    total: int | None
    done: int = 0
    newest: datetime | None = None
    placed: int = 0

    def estimate(self, remaining: int, placed: int) -> None:
        """Whole history: the windows still to go, guessed from the orders left and those per window."""
        self.placed += placed
        per_window = max(self.placed / max(self.done, 1), 1.0)
        self.total = self.done + math.ceil(max(remaining, 0) / per_window)


def recent_reports(store: SalesStore) -> list[SyncReport]:
    """The last runs (up to ten), newest first, as the store kept them."""
    try:
        raw = json.loads(store.get_meta(SYNC_HISTORY_KEY) or "[]")
        return [SyncReport.load(item) for item in raw if isinstance(item, str)]
    except ValueError:
        return []


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
    """Keeps the store equal to the CRM. One sync at a time per service.

    With a `budget`, incremental syncs spread their re-reads of recent orders over runs (see `rereads`);
    without one (tests, tools) each incremental sync re-reads the whole last 30 days.
    """

    def __init__(
        self,
        crm: Crm,
        store: SalesStore,
        clock: Clock,
        window: timedelta = DEFAULT_WINDOW,
        budget: Budget | None = None,
    ) -> None:
        self.crm = crm
        self.store = store
        self.clock = clock
        self.window = window
        self.rereads = None if budget is None else Rereads(budget)
        self._lock = asyncio.Lock()
        self._partial_history_logged = False

    @property
    def running(self) -> bool:
        return self._lock.locked()

    def last_status(self) -> SyncReport | None:
        """The report of the last run, finished or failed (None before the first one)."""
        raw = self.store.get_meta(LAST_SYNC_KEY)
        return None if raw is None else SyncReport.load(raw)

    async def full(
        self, days: int | None = DEFAULT_DAYS, progress: Progress = None, *, window: timedelta | None = None
    ) -> SyncReport:
        """Dictionaries, then each window of the last `days` days (None: the whole history), newest first,
        by creation and update; deletions too.

        `window`: the span each read and write covers, instead of the service's (a first load of the demo
        shop's recent weeks is one write: every write pays a fixed cost for the rollups).
        """
        async with self._lock:
            return await self._recorded(
                "full", lambda report: self._full(days, report, progress, step=window)
            )

    async def incremental(self, progress: Progress = None) -> SyncReport:
        """Orders updated since the checkpoint (minus an overlap) plus re-reads of recent orders.

        Without a checkpoint (an empty store, or an interrupted first sync) this is a full sync of the
        whole history, and is reported as one.
        """
        async with self._lock:
            if self._checkpoint() is None:
                return await self._recorded(
                    "full", lambda report: self._full(None, report, progress, resume_any=True)
                )
            return await self._recorded("incremental", lambda report: self._incremental(report, progress))

    async def _recorded(self, mode: str, body: Callable[[SyncReport], Awaitable[None]]) -> SyncReport:
        report = SyncReport(mode)
        started = time.perf_counter()
        with counting() as meter:
            try:
                await body(report)
            except BaseException as exc:  # cancellation too: the run did not finish
                report.error = str(exc) or type(exc).__name__
                raise
            finally:
                report.requests = meter.requests
                report.seconds = time.perf_counter() - started
                report.finished_at = self.clock.now()
                self._record_status(report)
        return report

    def _record_status(self, report: SyncReport) -> None:
        try:
            try:
                kept = json.loads(self.store.get_meta(SYNC_HISTORY_KEY) or "[]")
            except ValueError:
                kept = []
            history = [report.dump(), *(k for k in kept if isinstance(k, str))][:10]
            meta = {LAST_SYNC_KEY: report.dump(), SYNC_HISTORY_KEY: json.dumps(history)}
            if report.ok:
                meta[FAILURES_KEY] = "0"
                meta[LAST_SUCCESS_KEY] = self.clock.now().isoformat()
            else:
                meta[FAILURES_KEY] = str(int(self.store.get_meta(FAILURES_KEY) or 0) + 1)
            self.store.set_meta(meta)
        except Exception:  # never hide the sync's own error behind the store's
            log.exception("could not record the sync status")

    async def _full(
        self,
        days: int | None,
        report: SyncReport,
        progress: Progress,
        *,
        resume_any: bool = False,
        step: timedelta | None = None,
    ) -> None:
        step = self.window if step is None else step
        now = self._now()
        self._save_dictionaries(await self.crm.dictionaries(), now)
        if days is not None and self.store.get_meta(WHOLE_HISTORY_KEY) is None and self.store.order_count():
            self._log_partial_history(days)
        start = None if days is None else now - timedelta(days=days)
        end = now + CLOCK_SKEW
        run = FullRun.load(self.store.get_meta(FULL_PROGRESS_KEY))
        newest: datetime | None = None
        top = end
        counter = _Counter(len(windows(start, end, step)) if start is not None else None)
        if run is not None and (resume_any or run.reaches(start)):
            start = run.start if resume_any else start
            newest = run.newest
            log.info("resuming the interrupted full sync below %s", _iso(run.done))
            # What is new since the interruption, then the written windows again for deletions.
            for window in reversed(windows(run.end, end, step)):
                fetched = await self._fetch_window(window, report)
                vanished = await self._vanished(window, fetched)
                newest = _newest(newest, fetched.orders.values())
                report.count(await self._apply(OrderChanges(tuple(fetched.orders.values()), vanished, {})))
            for window in reversed(windows(run.done, run.end, step)):
                await self._recheck(window, report)
            top = run.done
        oldest = await self._read_back(top, start, end, newest, report, progress, counter, step)
        final = {FULL_PROGRESS_KEY: "", FULL_SYNC_KEY: _iso(now)}
        if start is None:
            final[WHOLE_HISTORY_KEY] = _iso(now)
            log.info("the whole history is stored, back to %s", _iso(oldest))
        checkpoint = self._advance(self._checkpoint(), counter.newest, now)
        if checkpoint is not None:
            final[CHECKPOINT_KEY] = _iso(checkpoint)
        self.store.set_meta(final)

    async def _read_back(
        self,
        top: datetime,
        start: datetime | None,
        end: datetime,
        newest: datetime | None,
        report: SyncReport,
        progress: Progress,
        counter: _Counter,
        step: timedelta,
    ) -> datetime:
        """Windows from `top` back to `start` (None: until KeyCRM has nothing older), each written with its
        progress; the start of the oldest window read."""
        cursor = top
        remaining = None if start is not None else await self.crm.count_orders(TimeWindow(EPOCH, cursor))
        counter.newest = newest
        while True:
            if start is not None and cursor <= start:
                return cursor
            if remaining is not None and remaining <= 0:
                remaining = await self.crm.count_orders(TimeWindow(EPOCH, cursor))
                if remaining == 0:
                    return cursor
            low = cursor - step if start is None else max(cursor - step, start)
            window = TimeWindow(low, cursor)
            fetched = await self._fetch_window(window, report)
            vanished = await self._vanished(window, fetched)
            counter.newest = _newest(counter.newest, fetched.orders.values())
            meta = {FULL_PROGRESS_KEY: FullRun(start, low, end, counter.newest).dump()}
            report.count(await self._apply(OrderChanges(tuple(fetched.orders.values()), vanished, meta)))
            counter.done += 1
            if remaining is not None:
                remaining -= fetched.placed
                counter.estimate(remaining, fetched.placed)
            if progress:
                total = max(counter.total or counter.done, counter.done)
                progress(SyncProgress("full", counter.done, total, report.fetched))
            cursor = low

    async def _recheck(self, window: TimeWindow, report: SyncReport) -> None:
        """A window written before an interruption, re-read by placement: changes and deletions since."""
        again = await self._fetch(window, WindowField.CREATED, report)
        report.fetched += len(again.orders)
        fetched = _Fetched(again.orders, again.skipped_ids)
        vanished = await self._vanished(window, fetched)
        report.count(await self._apply(OrderChanges(tuple(fetched.orders.values()), vanished, {})))

    async def rewrite(self, window: TimeWindow, report: SyncReport) -> tuple[ApplyResult, frozenset[int]]:
        """Re-read one window like a full sync does (deletions too); what changed, and the ids of the
        orders the CRM could not give readably (they count as present)."""
        fetched = await self._fetch_window(window, report)
        vanished = await self._vanished(window, fetched)
        result = await self._apply(OrderChanges(tuple(fetched.orders.values()), vanished, {}))
        report.count(result)
        return result, fetched.skipped_ids

    async def reconcile(self) -> Reconciliation:
        """Compare the store's monthly order counts with the CRM's and repair the months that differ."""
        async with self._lock:
            report = SyncReport("reconciliation")
            last = self.last_status()
            bound = self._now()
            if last is not None and last.finished_at is not None:
                started = last.finished_at - timedelta(seconds=last.seconds)
                bound = min(bound, started.astimezone(UTC).replace(microsecond=0))
            result = await reconcile_months(self, report, bound)
            if result.mismatched:
                log.info("%s", result.line())
            return result

    def _log_partial_history(self, days: int) -> None:
        if not self._partial_history_logged:
            self._partial_history_logged = True
            log.info(
                "this store holds the last %d days, not the whole history: "
                "`ksales sync --full --days all` loads the older orders once",
                days,
            )

    async def _apply(self, changes: OrderChanges) -> ApplyResult:
        """Write in a worker thread so the dashboard keeps answering; shielded so that a cancelled
        sync still lets the window in flight commit whole (its progress is part of the same write)."""
        return await asyncio.shield(asyncio.to_thread(self.store.apply, changes))

    async def _incremental(self, report: SyncReport, progress: Progress) -> None:
        now = self._now()
        checkpoint = self._checkpoint()
        assert checkpoint is not None
        end = now + CLOCK_SKEW
        with counting() as mandatory:
            last = self.store.get_meta(DICTIONARIES_KEY)
            if last is None or now - datetime.fromisoformat(last) >= DICTIONARY_TTL:
                self._save_dictionaries(await self.crm.dictionaries(), now)
            updated = await self._fetch(TimeWindow(checkpoint - OVERLAP, end), WindowField.UPDATED, report)
        if self.rereads is None:
            created = await self._fetch(TimeWindow(now - REFETCH, end), WindowField.CREATED, report)
            again, meta = created.orders, dict[str, str]()
        else:
            again, meta = await self._spread_rereads(now, end, mandatory.requests, report)
        merged = {**again, **updated.orders}
        report.fetched += len(merged)
        # Only orders found by update time say how far the CRM has been read.
        newest = self._advance(checkpoint, _newest(None, updated.orders.values()), now)
        meta[CHECKPOINT_KEY] = _iso(newest or checkpoint)
        report.count(await self._apply(OrderChanges(tuple(merged.values()), frozenset(), meta)))
        if progress:
            progress(SyncProgress("incremental", 1, 1, report.fetched))

    async def _spread_rereads(
        self, now: datetime, end: datetime, spent: int, report: SyncReport
    ) -> tuple[dict[int, Order], dict[str, str]]:
        """This run's chunks of the re-read sweeps, within what the budget leaves."""
        assert self.rereads is not None
        plan = RereadPlan.load(self.store.get_meta(REREADS_KEY))
        self.rereads.charge(plan, spent)

        def count(start: datetime, stop: datetime) -> int:
            return len(self.store.order_ids_placed_between(start, stop))

        found: dict[int, Order] = {}
        rates = self.rereads.rates(plan, now, count)
        for sweep in SWEEPS:
            chunk = self.rereads.next_chunk(plan, sweep, rates[sweep.name], now, end, count)
            if chunk is None:
                continue
            window, _pages = chunk
            with counting() as read:
                fetched = await self._fetch(window, WindowField.CREATED, report)
            self.rereads.spent(plan, sweep, window, read.requests, now)
            found.update(fetched.orders)
        return found, {REREADS_KEY: plan.dump()}

    async def _fetch_window(self, window: TimeWindow, report: SyncReport) -> _Fetched:
        """The window's orders by placement and by update, merged by id (the later read wins)."""
        created = await self._fetch(window, WindowField.CREATED, report)
        updated = await self._fetch(window, WindowField.UPDATED, report)
        merged = {**created.orders, **updated.orders}
        report.fetched += len(merged)
        return _Fetched(
            merged,
            (created.skipped_ids | updated.skipped_ids) - merged.keys(),
            len(created.orders) + len(created.skipped_ids),
        )

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
            query = OrderQuery(QueryKind.ID, str(order_id))
            result = await self.crm.search_orders(query, limit=1, interactive=False)
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
