"""Starting and stopping the bot inside a running event loop (the dashboard's, or `ksales bot`'s own).

`running_bot` starts the bot or raises; `supervised_bot` is what the service runs: it keeps trying in the
background while Telegram is unreachable or rejects the token, so that a Telegram outage never takes the
dashboard down, and it reports every change of state to the `Health` board (one log line each).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.request import HTTPXRequest

from ksales.entrypoints.bot.app import BotApp, build_bot
from ksales.services.health import TELEGRAM, Backoff, Health

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


def describe(error: TelegramError, token: str) -> str:
    """A short reason for the health board and the log, never holding the token."""
    if isinstance(error, InvalidToken):
        text = "Telegram rejects BOT_TOKEN (revoked or mistyped?)"
    elif isinstance(error, NetworkError):
        text = f"Telegram cannot be reached ({error.message})"
    else:
        text = f"Telegram answered with an error ({error.message})"
    return text.replace(token, "<token>")


class ReportingRequest(HTTPXRequest):
    """PTB's HTTP transport that tells the health board whether Telegram answers."""

    def __init__(self, health: Health, token: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._health = health
        self._token = token

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except NetworkError as error:
            self._health.down(TELEGRAM, describe(error, self._token))
            raise
        if code == 200:
            self._health.up(TELEGRAM)
        return code, payload


@contextlib.asynccontextmanager
async def running_bot(container: Container) -> AsyncIterator[BotApp]:
    """Build, initialise, start and poll, or raise; on exit stop polling, stop and shut down, in order."""
    token = container.bot_token().value
    health: Health = container.health()
    requests = (
        ReportingRequest(health, token, connection_pool_size=256),
        ReportingRequest(health, token, connection_pool_size=1),
    )

    def polling_failed(error: TelegramError) -> None:
        # Instead of PTB's default, which logs a traceback on every failed poll.
        health.down(TELEGRAM, describe(error, token))

    with redacted(token):
        application = build_bot(container, request=requests[0], get_updates_request=requests[1])
        try:
            await application.initialize()
            try:
                if application.post_init is not None:  # run_polling() would call it; we start by hand
                    await application.post_init(application)
                await application.start()
                try:
                    assert application.updater is not None
                    await application.updater.start_polling(
                        allowed_updates=ALLOWED_UPDATES, error_callback=polling_failed
                    )
                    log.info("telegram bot @%s is polling", application.bot.username)
                    try:
                        yield application
                    finally:
                        await application.updater.stop()
                finally:
                    await application.stop()
            finally:
                await application.shutdown()
        finally:
            # A failed initialize() leaves the HTTP clients open; closing them twice is harmless.
            for request in requests:
                await request.shutdown()


async def keep_bot_running(container: Container) -> None:
    """Run the bot until cancelled; while it cannot start, retry with capped backoff. Never raises."""
    health: Health = container.health()
    backoff: Backoff = container.bot_backoff()
    token = container.bot_token().value
    delays = backoff.delays()
    while True:
        try:
            async with running_bot(container):
                delays = backoff.delays()
                await asyncio.Event().wait()  # until cancelled
        except TelegramError as error:
            health.down(TELEGRAM, describe(error, token))
        await asyncio.sleep(next(delays))


@contextlib.asynccontextmanager
async def supervised_bot(container: Container) -> AsyncIterator[None]:
    """The bot in the background for the lifetime of the block, whatever Telegram does."""
    task = asyncio.create_task(keep_bot_running(container), name="telegram-bot")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
