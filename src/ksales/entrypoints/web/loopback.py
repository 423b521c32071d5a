"""The API on a free loopback port in a running event loop: how `ksales bot` answers readers (SPEC §3)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator

import uvicorn
from starlette.types import ASGIApp


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves the signals to its host (which cancels it instead)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def connect_url(host: str, port: int) -> str:
    """The URL a client on this machine uses for a server listening on `host` (any address → loopback)."""
    if host in ("", "0.0.0.0"):  # noqa: S104 (reading a bind address, not binding)
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


@contextlib.asynccontextmanager
async def loopback_api(app: ASGIApp) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 at a free port for the block; yields its URL once it listens."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False, lifespan="on")
    server = _EmbeddedServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                await task
                raise RuntimeError("the loopback API did not start; see the log")
            await asyncio.sleep(0.02)
        yield connect_url("127.0.0.1", port)
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(task), timeout=10)
        sock.close()
