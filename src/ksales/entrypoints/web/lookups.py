"""Lookup lists for the filter controls, and the public health check."""

from __future__ import annotations

import logging
import time

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ksales.domain.errors import KsalesError, NotFound
from ksales.domain.model import Category
from ksales.services.analytics import AnalyticsService
from ksales.services.sync import SyncService

log = logging.getLogger(__name__)


def version() -> str:
    from ksales import __version__

    return __version__


def _analytics(request: Request) -> AnalyticsService:
    analytics: AnalyticsService = request.state.analytics
    return analytics


def _category(category: Category) -> dict[str, object]:
    return {"id": category.id, "name": category.name, "parent_id": category.parent_id}


def categories(request: Request) -> JSONResponse:
    return JSONResponse([_category(c) for c in _analytics(request).categories()])


def category_children(request: Request) -> JSONResponse:
    raw = request.path_params["category_id"]
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18 or int(raw) == 0:
        raise NotFound(f"no category with id {raw[:40]!r}")
    children = _analytics(request).category_children(int(raw))
    return JSONResponse([_category(c) for c in children])


def brands(request: Request) -> JSONResponse:
    return JSONResponse([{"name": name} for name in _analytics(request).brand_names()])


def sources(request: Request) -> JSONResponse:
    return JSONResponse([{"id": s.id, "name": s.name} for s in _analytics(request).sources()])


def expense_types(request: Request) -> JSONResponse:
    return JSONResponse([{"id": t.id, "name": t.name} for t in _analytics(request).expense_types()])


def health(request: Request) -> JSONResponse:
    """Up, and how the store and the last sync look. Degraded: the store fails or the last sync failed."""
    sync: SyncService = request.state.sync
    started: float = request.state.started
    store: dict[str, object] = {"orders": None, "last_sync_at": None, "last_sync_ok": None}
    status = "ok"
    try:
        store["orders"] = sync.store.order_count()
        last = sync.last_status()
    except (KsalesError, ValueError, TypeError, KeyError):
        log.exception("health check: the store did not answer")
        status, last = "degraded", None
    if last is not None:
        store["last_sync_at"] = last.finished_at.isoformat() if last.finished_at else None
        store["last_sync_ok"] = last.ok
        if not last.ok:
            status = "degraded"
    body = {
        "status": status,
        "version": version(),
        "uptime_s": round(time.monotonic() - started, 3),
        "store": store,
    }
    return JSONResponse(body)


routes = [
    Route("/api/health", health, methods=["GET"]),
    Route("/api/categories", categories, methods=["GET"]),
    Route("/api/categories/{category_id}/children", category_children, methods=["GET"]),
    Route("/api/brands", brands, methods=["GET"]),
    Route("/api/sources", sources, methods=["GET"]),
    Route("/api/expense-types", expense_types, methods=["GET"]),
]
