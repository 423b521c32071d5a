"""Lookup lists for the filter controls, and the public health check."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from attrs import frozen
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ksales.domain.errors import KsalesError, NotFound
from ksales.domain.ids import id_from_text
from ksales.domain.model import Category
from ksales.entrypoints.web.export import csv_response, rows_of, wants_csv
from ksales.entrypoints.web.query import first_values
from ksales.services.analytics import AnalyticsService
from ksales.services.health import SYNC, Health
from ksales.services.sync import SyncService
from ksales.services.sync.reconcile import RECONCILIATION_KEY, Reconciliation

log = logging.getLogger(__name__)


def version() -> str:
    from ksales import __version__

    return __version__


def _analytics(request: Request) -> AnalyticsService:
    analytics: AnalyticsService = request.state.analytics
    return analytics


def _list(request: Request, name: str, kind: type, items: Sequence[Any]) -> Response:
    """A lookup list as JSON, or as CSV with `format=csv`."""
    csv = wants_csv(first_values(request.query_params).get("format"))
    header, rows = rows_of(kind, items)
    if csv:
        return csv_response(name, header, rows)
    return JSONResponse(rows)


def categories(request: Request) -> Response:
    return _list(request, "categories", Category, _analytics(request).categories())


def category_children(request: Request) -> Response:
    raw = request.path_params["category_id"]
    category_id = id_from_text(raw)
    if category_id is None:
        raise NotFound(f"no category with id {raw[:40]!r}")
    children = _analytics(request).category_children(category_id)
    return _list(request, f"category_{category_id}_children", Category, children)


@frozen
class Brand:
    name: str


@frozen
class Named:
    """What the lookup lists show of a source or an expense type (SPEC §6: `[{id, name}]`)."""

    id: int
    name: str


def brands(request: Request) -> Response:
    return _list(request, "brands", Brand, [Brand(name) for name in _analytics(request).brand_names()])


def sources(request: Request) -> Response:
    named = [Named(s.id, s.name) for s in _analytics(request).sources()]
    return _list(request, "sources", Named, named)


def expense_types(request: Request) -> Response:
    named = [Named(t.id, t.name) for t in _analytics(request).expense_types()]
    return _list(request, "expense_types", Named, named)


def health(request: Request) -> JSONResponse:
    """Up, and how the store and the last sync look; `degraded` with the reasons while something is down."""
    sync: SyncService = request.state.sync
    board: Health = request.state.health
    started: float = request.state.started
    store: dict[str, object] = {
        "orders": None,
        "last_sync_at": None,
        "last_sync_ok": None,
        "reconciled_at": None,
        "mismatched_months": [],
    }
    reasons = board.reasons()
    try:
        store["orders"] = sync.store.order_count()
        last = sync.last_status()
        reconciled = Reconciliation.load(sync.store.get_meta(RECONCILIATION_KEY))
    except (KsalesError, ValueError, TypeError, KeyError) as error:
        log.warning("health check: the store did not answer: %s", error)
        reasons.append("store: the sales store does not answer")
        last, reconciled = None, None
    if reconciled is not None:
        store["reconciled_at"] = reconciled.at.isoformat()
        store["mismatched_months"] = reconciled.unrepaired
        if reconciled.unrepaired:
            months = ", ".join(reconciled.unrepaired)
            reasons.append(f"reconciliation: months that disagree with KeyCRM after a re-read: {months}")
    if last is not None:
        store["last_sync_at"] = last.finished_at.isoformat() if last.finished_at else None
        store["last_sync_ok"] = last.ok
        if not last.ok and board.is_up(SYNC):
            # Seen across restarts: the failure was recorded in the store by an earlier run.
            reasons.append(f"{SYNC}: the last sync failed ({last.error or 'see the log'})")
    body = {
        "status": "degraded" if reasons else "ok",
        "reasons": reasons,
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
