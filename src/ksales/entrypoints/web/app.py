"""`create_app(container)`: the dashboard's Starlette application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ksales.domain.errors import InvalidParameter, NotFound, StoreError
from ksales.entrypoints import runtime
from ksales.entrypoints.container import Container
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import api, goals, lookups, openapi, pages, quality, weekly
from ksales.entrypoints.web.middleware import (
    AcceptEncodingMiddleware,
    LoginGateMiddleware,
    RequestContextMiddleware,
)
from ksales.services.memo import keep_warm

log = logging.getLogger(__name__)


def _is_api(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


async def invalid_parameter(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InvalidParameter)
    body = {"error": "invalid_parameter", "field": exc.field, "message": exc.message}
    return JSONResponse(body, status_code=400)


async def not_found(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotFound)
    return JSONResponse({"error": "not_found", "message": exc.message}, status_code=404)


async def store_error(request: Request, exc: Exception) -> Response:
    log.error("store error on %s: %s", request.url.path, exc)
    body = {"error": "store_unavailable", "message": "the sales store is not available; try again shortly"}
    return JSONResponse(body, status_code=503)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _is_api(request):
        error = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            {"error": error, "message": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )
    return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)


async def server_error(request: Request, exc: Exception) -> Response:
    request_id = request.scope.get("state", {}).get("request_id")
    log.exception("unhandled error on %s %s (request %s)", request.method, request.url.path, request_id)
    body = {"error": "internal_error", "message": "something went wrong; it has been logged"}
    return JSONResponse(body, status_code=500)


def create_app(container: Container, *, background: bool = True, address: str | None = None) -> Starlette:
    """The dashboard; with `background` the lifespan also runs the syncs (and the bot when configured).

    `address` is where the server can be reached from this machine, for readers of the same data directory.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        settings: Settings = container.settings()
        auth = container.auth()
        if auth is None:
            log.warning("BOT_TOKEN is not set: the dashboard is open to anyone who can reach it (no login)")
        state: dict[str, Any] = {
            "settings": settings,
            "analytics": container.analytics(),
            "goal_service": container.goal_service(),
            "inventory": container.inventory(),
            "weekly": container.weekly_reports(),
            "sync": container.sync(),
            "health": container.health(),
            "auth": auth,
            "tokens": container.tokens,
            "bot_identity": container.bot_identity(),
            "catalog": container.catalog(),
            "started": time.monotonic(),
            "openapi": openapi.build_document(lookups.version()),
        }
        async with contextlib.AsyncExitStack() as stack:
            if background:
                stack.callback(container.shutdown_resources)
                await stack.enter_async_context(runtime.background(container, address=address))
                # The figures people read are computed again after each write, before they ask again.
                warm = asyncio.create_task(keep_warm(state["analytics"].store))
                stack.push_async_callback(runtime.cancel, [warm])
            yield state

    static = StaticFiles(directory=pages.STATIC_DIR)
    routes = [
        *pages.routes,
        *api.routes,
        *goals.routes,
        *lookups.routes,
        *quality.routes,
        *weekly.routes,
        *openapi.routes,
        # The page's ES modules import each other by relative URL, which drops a `?v=` query: under a
        # versioned path a release never mixes its modules with older ones from an immutable cache.
        Mount(f"/static/{lookups.version()}", app=static),
        Mount("/static", app=static, name="static"),
    ]
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(AcceptEncodingMiddleware),
            Middleware(GZipMiddleware, minimum_size=500, compresslevel=6),
            Middleware(RequestContextMiddleware),
            Middleware(LoginGateMiddleware),
        ],
        exception_handlers={
            InvalidParameter: invalid_parameter,
            NotFound: not_found,
            StoreError: store_error,
            HTTPException: http_error,
            Exception: server_error,
        },
    )
