"""The dashboard under uvicorn: a malformed request is one log line, never a traceback.

uvicorn answers a request that breaks HTTP (a bad chunked body, say) with 400 and closes the connection
while the application may still be answering it; h11 then refuses the application's response. Left alone,
that is two tracebacks and an ERROR per request, which lets any unauthenticated client flood the log.
"""

from __future__ import annotations

import contextvars
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

#: Set in the connection's task when the server could no longer take our response.
_broken: contextvars.ContextVar[bool] = contextvars.ContextVar("ksales_broken_connection", default=False)
_UNFINISHED = "ASGI callable returned without completing response."


class GuardedApp:
    """Outermost ASGI layer: a response the server cannot take any more is dropped, with one INFO line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        broken = False

        async def guarded_send(message: Message) -> None:
            nonlocal broken
            if broken:
                return
            try:
                await send(message)
            except Exception as error:  # h11's LocalProtocolError, a closed transport…
                broken = True
                _broken.set(True)
                log.info(
                    "dropped the answer to %s %s: the connection is gone (%s)",
                    scope.get("method"),
                    scope.get("path"),
                    type(error).__name__,
                )

        await self.app(scope, receive, guarded_send)


class QuietBrokenConnections(logging.Filter):
    """On `uvicorn.error`: drop uvicorn's ERROR about a response that `GuardedApp` already reported."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_broken.get() and record.getMessage() == _UNFINISHED)


def quiet_uvicorn() -> None:
    """Install the filter (idempotent)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, QuietBrokenConnections) for f in logger.filters):
        logger.addFilter(QuietBrokenConnections())
