"""What runs beside the dashboard: the initial and periodic syncs, backups on request, and the Telegram bot.

Every background task is cancelled and awaited before the block ends, on every path (a failed start
included), so nothing writes to a store after the container has closed it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Coroutine, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ksales.adapters.system.owner import advertised
from ksales.domain.errors import KsalesError
from ksales.domain.schedule import full_sync_due
from ksales.services.health import RECONCILIATION, STOCKS, SYNC, Backoff, Health
from ksales.services.stocks import StockSnapshots
from ksales.services.sync import CHECKPOINT_KEY, FULL_SYNC_KEY, SyncProgress, SyncService
from ksales.services.sync.reconcile import RECONCILIATION_KEY, Reconciliation

if TYPE_CHECKING:
    from ksales.entrypoints.container import Container

log = logging.getLogger(__name__)

#: On an empty demo store: enough days for this and last month's views before the server starts.
RECENT_DAYS_FIRST = 40


def log_progress(progress: SyncProgress) -> None:
    if progress.window == progress.windows or progress.window % 10 == 0:
        log.info(
            "%s sync: window %d/%d, %d orders fetched",
            progress.mode,
            progress.window,
            progress.windows,
            progress.fetched,
        )


async def _reported(health: Health, work: Coroutine[Any, Any, Any], failure: str) -> None:
    """Run one sync; its outcome goes to the health board, which logs only changes of state."""
    try:
        report = await work
    except KsalesError as error:  # KeyCRM down or refusing, the store failing: expected, no traceback
        health.down(SYNC, f"{failure}: {error}")
    except Exception as error:
        log.exception("%s", failure)
        health.down(SYNC, f"{failure}: {type(error).__name__}")
    else:
        log.info("%s", report.line())
        health.up(SYNC)


async def sync_once(sync: SyncService, health: Health, full_days: int) -> None:
    """One scheduled sync: full when the last full one is a week old, else incremental. Never raises."""

    async def work() -> Any:
        last_full = sync.store.get_meta(FULL_SYNC_KEY)
        since = None if last_full is None else datetime.fromisoformat(last_full)
        if full_sync_due(since, sync.clock.now()):
            report = await sync.full(full_days, progress=log_progress)
            await reconcile_once(sync, health)
            return report
        report = await sync.incremental()
        if report.mode == "full":  # the first sync of an empty store
            await reconcile_once(sync, health)
        return report

    await _reported(health, work(), "the sync failed; the next run will retry")


async def sync_full_history(sync: SyncService, health: Health, days: int | None) -> None:
    async def work() -> Any:
        report = await sync.full(days, progress=log_progress)
        await reconcile_once(sync, health)
        return report

    await _reported(health, work(), "loading the history failed; the next full sync will retry")


async def reconcile_once(sync: SyncService, health: Health) -> None:
    """Compare the store with the CRM month by month (and repair); never raises."""
    try:
        result = await sync.reconcile()
    except KsalesError as error:
        health.down(RECONCILIATION, f"the reconciliation failed; it runs again tomorrow: {error}")
    except Exception as error:
        log.exception("the reconciliation failed")
        health.down(RECONCILIATION, f"the reconciliation failed: {type(error).__name__}")
    else:
        log.info("%s", result.line())
        health.up(RECONCILIATION)


async def reconcile_loop(sync: SyncService, health: Health, every: timedelta = timedelta(days=1)) -> None:
    """Once a day while serving, on a clock of its own (also with KSALES_SYNC_INTERVAL=0)."""
    while True:
        last = Reconciliation.load(sync.store.get_meta(RECONCILIATION_KEY))
        due = sync.clock.now() if last is None else last.at + every
        await asyncio.sleep(max((due - sync.clock.now()).total_seconds(), 60.0))
        if sync.store.order_count() and sync.store.get_meta(CHECKPOINT_KEY):
            await reconcile_once(sync, health)


async def sync_loop(sync: SyncService, health: Health, interval: float, full_days: int) -> None:
    while True:
        await asyncio.sleep(interval)
        if sync.running:
            continue
        await sync_once(sync, health, full_days)


async def snapshot_once(snapshots: StockSnapshots, health: Health) -> bool:
    """Take today's snapshot if it is due; False when that failed (see the health board). Never raises."""
    try:
        report = await snapshots.take_if_due()
    except KsalesError as error:
        health.down(STOCKS, f"the stock snapshot failed; retrying: {error}")
        return False
    except Exception as error:
        log.exception("the stock snapshot failed")
        health.down(STOCKS, f"the stock snapshot failed; retrying: {type(error).__name__}")
        return False
    if report is not None:
        log.info("%s", report.line())
    health.up(STOCKS)
    return True


async def stock_snapshot_loop(
    snapshots: StockSnapshots, health: Health, every: float, retry: Backoff
) -> None:
    """Today's snapshot at start when missing, then once per local day: a clock of its own, not the syncs'."""
    delays = None
    while True:
        if await snapshot_once(snapshots, health):
            delays, wait = None, every
        else:
            delays = delays or retry.delays()
            wait = min(next(delays), every)
        await asyncio.sleep(wait)


async def backup_now(container: Container) -> None:
    """Write a backup from inside the process that owns the store (`ksales backup` asks by SIGUSR1)."""
    try:
        folder = await asyncio.to_thread(container.backup)
        log.info("backup written: %s", folder)
    except Exception:
        log.exception("backup failed")


@contextlib.contextmanager
def backup_on_signal(container: Container, tasks: list[asyncio.Task[None]]) -> Iterator[None]:
    """SIGUSR1 → a backup. Only the main thread can take signals; elsewhere (tests) this does nothing."""
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGUSR1, lambda: tasks.append(loop.create_task(backup_now(container))))
    except (RuntimeError, ValueError, NotImplementedError):
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGUSR1)


async def cancel(tasks: list[asyncio.Task[None]]) -> None:
    """Cancel the tasks and wait until each has ended."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@contextlib.asynccontextmanager
async def background(
    container: Container, *, with_bot: bool = True, address: str | None = None
) -> AsyncIterator[None]:
    """Run the syncs (and the bot when BOT_TOKEN is set) for the lifetime of the block.

    With `address` (where this process answers the API), readers on this machine are told so through
    `<data dir>/ksales.owner.json` once everything has started, with this process's local token.
    """
    settings = container.settings()
    sync: SyncService = container.sync()
    health: Health = container.health()
    tasks: list[asyncio.Task[None]] = []
    async with contextlib.AsyncExitStack() as stack:
        # First in, last out: whatever fails below, the bot stops, then the tasks, then the CRM client
        # closes — all before the caller closes the stores.
        stack.push_async_callback(sync.crm.aclose)
        stack.push_async_callback(cancel, tasks)
        if sync.store.order_count() == 0:
            if settings.demo_mode:
                # The recent weeks first, so that the dashboard opens populated within seconds;
                # the whole history follows in the background (newest first), as `ksales sync` reads it.
                log.info("empty store: loading the demo shop (no KEYCRM_API_KEY set)")
                # (No reconciliation yet: the whole-history sync behind it ends with one.)
                # One window, one write (measured: 2.1 s → 1.05 s in six weekly windows' place).
                window = timedelta(days=RECENT_DAYS_FIRST + 1)
                recent = sync.full(RECENT_DAYS_FIRST, progress=log_progress, window=window)
                await _reported(health, recent, "loading the recent weeks failed; the full sync will retry")
                tasks.append(asyncio.create_task(sync_full_history(sync, health, None)))
            else:
                log.info("empty store: a full sync of the whole history from KeyCRM, newest first")
                tasks.append(asyncio.create_task(sync_full_history(sync, health, None)))
        snapshots = stock_snapshot_loop(
            container.stock_snapshots(), health, container.stock_check_every(), container.stock_backoff()
        )
        tasks.append(asyncio.create_task(snapshots))
        tasks.append(asyncio.create_task(reconcile_loop(sync, health)))
        if settings.sync_interval > 0:
            loop = sync_loop(sync, health, settings.sync_interval, settings.full_sync_days)
            tasks.append(asyncio.create_task(loop))
        stack.enter_context(backup_on_signal(container, tasks))
        if with_bot and settings.bot_token is not None:
            from ksales.entrypoints.bot.lifecycle import supervised_bot

            await stack.enter_async_context(supervised_bot(container))
        if address is not None:
            stack.enter_context(advertised(settings.data_dir, address, container.local_secret()))
        yield


async def serve_bot(container: Container) -> None:
    """`ksales bot`: the bot and the background sync, without the dashboard, until cancelled.

    As the store's owner it still answers the API (for `ksales report` and the library) on a loopback port.
    """
    from ksales.entrypoints.web.app import create_app
    from ksales.entrypoints.web.loopback import loopback_api
    from ksales.entrypoints.web.server import GuardedApp

    container.bot_token()  # no token: a clear error before anything starts
    async with loopback_api(GuardedApp(create_app(container, background=False))) as url:
        log.info("the API for readers on this machine: %s", url)
        async with background(container, with_bot=True, address=url):
            await asyncio.Event().wait()
