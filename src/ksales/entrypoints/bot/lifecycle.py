"""Starting and stopping the bot inside a running event loop (the dashboard's, or `ksales bot`'s own)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

from telegram import Update

from ksales.domain.errors import ConfigError
from ksales.entrypoints.bot.app import BotApp, build_bot

if TYPE_CHECKING:
    from ksales.entrypoints.container import Container

log = logging.getLogger(__name__)

#: The updates the bot handles; Telegram sends nothing else.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


class RedactToken(logging.Filter):
    """Replace the bot token wherever it shows up in a log record (URLs in library errors)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, "<token>")
            record.args = None
        return True


@contextlib.contextmanager
def redacted(token: str) -> Iterator[None]:
    """Install the redaction on every handler of the root logger for the duration of the block."""
    redactor = RedactToken(token)
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(redactor)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(redactor)


@contextlib.asynccontextmanager
async def running_bot(container: Container) -> AsyncIterator[BotApp]:
    """Build, initialise, start and poll; on exit stop polling, stop and shut down, in that order."""
    settings = container.settings()
    if settings.bot_token is None:
        raise ConfigError("BOT_TOKEN", "the bot needs a token")
    with redacted(settings.bot_token.value):
        application = build_bot(container)
        await application.initialize()
        try:
            if application.post_init is not None:  # run_polling() would call it; we start by hand
                await application.post_init(application)
            await application.start()
            try:
                assert application.updater is not None
                await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
                log.info("telegram bot @%s is polling", application.bot.username)
                try:
                    yield application
                finally:
                    await application.updater.stop()
            finally:
                await application.stop()
        finally:
            await application.shutdown()


async def serve_bot(container: Container) -> None:
    """`ksales bot`: the bot and the background sync, without the web, until cancelled or SIGTERM."""
    from ksales.entrypoints.runtime import background

    if container.settings().bot_token is None:
        raise ConfigError("BOT_TOKEN", "the bot needs a token")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    try:
        async with background(container, with_bot=True):
            await stop.wait()
            log.info("stopping the bot")
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def run_bot(container: Container) -> None:
    """Run `serve_bot` in a fresh event loop (the console entry point)."""
    asyncio.run(serve_bot(container))
