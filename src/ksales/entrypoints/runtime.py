"""What runs beside the dashboard: the initial and periodic syncs, and the Telegram bot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ksales.services.sync import FULL_SYNC_KEY, SyncProgress, SyncService

if TYPE_CHECKING:
    from ksales.entrypoints.container import Container

log = logging.getLogger(__name__)

#: Deletions in KeyCRM are only found by full syncs: run one this often while serving.
FULL_SYNC_EVERY = timedelta(days=7)
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


async def sync_once(sync: SyncService, full_days: int = 730) -> None:
    """One scheduled sync: full when the last full one is a week old, else incremental. Never raises."""
    try:
        last_full = sync.store.get_meta(FULL_SYNC_KEY)
        due = last_full is None or sync.clock.now() - datetime.fromisoformat(last_full) >= FULL_SYNC_EVERY
        report = await (sync.full(full_days, progress=log_progress) if due else sync.incremental())
        log.info("%s", report.line())
    except Exception:
        log.exception("sync failed; the next run will retry")


async def sync_full_history(sync: SyncService, days: int) -> None:
    try:
        report = await sync.full(days, progress=log_progress)
        log.info("%s", report.line())
    except Exception:
        log.exception("loading the history failed; the next full sync will retry")


async def sync_loop(sync: SyncService, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        if sync.running:
            continue
        await sync_once(sync)


async def backup_now(container: Container) -> None:
    """Write a backup from inside the process that owns the store (`ksales backup` asks by SIGUSR1)."""
    from ksales import __version__
    from ksales.services.backup import create_backup

    settings = container.settings()
    try:
        folder = await asyncio.to_thread(
            create_backup,
            container.sales_store(),
            container.user_store(),
            container.clock(),
            settings.data_dir / "backups",
            __version__,
        )
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


@contextlib.asynccontextmanager
async def background(container: Container, *, with_bot: bool = True) -> AsyncIterator[None]:
    """Run the syncs (and the bot when BOT_TOKEN is set) for the lifetime of the block."""
    settings = container.settings()
    sync: SyncService = container.sync()
    tasks: list[asyncio.Task[None]] = []
    if sync.store.order_count() == 0:
        if settings.demo_mode:
            from ksales.adapters.demo.crm import HISTORY_DAYS

            # The recent weeks first, so that the dashboard opens populated within seconds;
            # the rest of the two years follows in the background.
            log.info("empty store: loading the demo shop (no KEYCRM_API_KEY set)")
            await sync_once(sync, RECENT_DAYS_FIRST)
            tasks.append(asyncio.create_task(sync_full_history(sync, HISTORY_DAYS)))
        else:
            log.info("empty store: starting a full sync from KeyCRM in the background")
            tasks.append(asyncio.create_task(sync_once(sync)))
    if settings.sync_interval > 0:
        tasks.append(asyncio.create_task(sync_loop(sync, settings.sync_interval)))
    async with contextlib.AsyncExitStack() as stack:
        stack.enter_context(backup_on_signal(container, tasks))
        if with_bot and settings.bot_token is not None:
            from ksales.entrypoints.bot.lifecycle import running_bot

            await stack.enter_async_context(running_bot(container))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
