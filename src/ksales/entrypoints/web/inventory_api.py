"""`/api/inventory/*` (SPEC §6): the latest snapshot's health, its items, and the stock value over time.

Values at cost are for those allowed to see costs (`KSALES_SHOW_COSTS`): for anyone else the key is absent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ksales.domain.access import CostVisibility
from ksales.domain.errors import InvalidParameter
from ksales.domain.inventory import Health, half_up
from ksales.domain.periods import Period
from ksales.entrypoints.serialize import number, to_json
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web.export import csv_response
from ksales.entrypoints.web.query import Query
from ksales.services.inventory import InventoryItem, InventoryService
from ksales.services.params import parse_limit

ITEM_COLUMNS = (
    "offer_id",
    "sku",
    "product_id",
    "name",
    "brand",
    "category",
    "available",
    "reserve",
    "velocity_per_day",
    "days_of_supply",
    "value_at_cost",
)
_TENTH = Decimal("0.1")
_FOUR = Decimal("0.0001")


def sees_costs(request: Request) -> bool:
    """An open dashboard, an API token, an admin's session, or everyone with KSALES_SHOW_COSTS=all."""
    settings: Settings = request.state.settings
    if settings.show_costs is CostVisibility.ALL or request.state.auth is None:
        return True
    if getattr(request.state, "api_token", None) is not None:
        return True
    return getattr(request.state, "user_id", None) in settings.admin_user_ids


def parse_health(value: str | None) -> Health | None:
    if value is None or not value.strip():
        return None
    try:
        return Health(value.strip().lower())
    except ValueError:
        names = ", ".join(h.value for h in Health)
        raise InvalidParameter("health", f"health must be one of {names}") from None


def _echo(query: Query) -> tuple[Period, dict[str, Any]]:
    """The request's period (validated like every report's) and the echo of it and the filters."""
    request = query.report().request
    return request.period, {"period": to_json(request.period), "filters": to_json(request.filters)}


def _money(value: Decimal | None) -> int | float | None:
    return None if value is None else number(value)


def item_json(item: InventoryItem, costs: bool) -> dict[str, Any]:
    offer = item.offer
    supply = offer.days_of_supply if offer.available > 0 else None
    row: dict[str, Any] = {
        "offer_id": offer.stock.offer_id,
        "sku": offer.stock.sku,
        "product_id": offer.stock.product_id,
        "name": item.name,
        "brand": item.brand,
        "category": item.category,
        "available": number(offer.available, Decimal("0.001")),
        "reserve": number(offer.stock.reserve, Decimal("0.001")),
        "velocity_per_day": number(half_up(offer.velocity, 4), _FOUR),
        "days_of_supply": None if supply is None else number(half_up(supply, 1), _TENTH),
    }
    if costs:
        row["value_at_cost"] = _money(offer.value_at_cost)
    return row


def _inventory(request: Request) -> InventoryService:
    service: InventoryService = request.state.inventory
    return service


def inventory_summary(request: Request) -> Response:
    query = Query(request)
    (period, echo), costs = _echo(query), sees_costs(request)
    result = _inventory(request).summary()
    body: dict[str, Any] = {
        "snapshot_date": result.snapshot_date and result.snapshot_date.isoformat(),
        "offers": result.value.offers,
        "units_available": number(result.value.units_available, Decimal("0.001")),
        "value_at_cost": number(result.value.value_at_cost),
        "value_at_price": number(result.value.value_at_price),
        "cost_coverage_pct": number(result.value.cost_coverage_pct),
        "health": {h.value: n for h, n in result.health.items()},
    }
    if not costs:
        del body["value_at_cost"]
    if query.csv:
        row = {k: v for k, v in body.items() if k != "health"}
        row.update({f"health_{k}": v for k, v in body["health"].items()})
        return csv_response("inventory_summary", list(row), [row], period)
    return JSONResponse({**echo, **body})


def inventory_items(request: Request) -> Response:
    query = Query(request)
    (period, echo), costs = _echo(query), sees_costs(request)
    bucket = parse_health(query.get("health"))
    limit = parse_limit(query.get("limit"), default=50, maximum=500)
    items = [item_json(i, costs) for i in _inventory(request).items(bucket, limit)]
    if query.csv:
        header = [c for c in ITEM_COLUMNS if costs or c != "value_at_cost"]
        return csv_response("inventory_items", header, items, period)
    return JSONResponse({**echo, "health": bucket and bucket.value, "limit": limit, "items": items})


def inventory_trend(request: Request) -> Response:
    query = Query(request)
    (period, echo), costs = _echo(query), sees_costs(request)
    points = []
    for day in _inventory(request).trend(period):
        point: dict[str, Any] = {
            "date": day.day.isoformat(),
            "units_available": number(day.units_available, Decimal("0.001")),
        }
        if costs:
            point["value_at_cost"] = number(day.value_at_cost)
        points.append(point)
    if query.csv:
        header = ["date", "units_available", *(["value_at_cost"] if costs else [])]
        return csv_response("inventory_trend", header, points, period)
    return JSONResponse({**echo, "points": points})


#: path → endpoint (merged into `api.REPORTS`; the OpenAPI document describes them).
REPORTS = {
    "/api/inventory/summary": inventory_summary,
    "/api/inventory/items": inventory_items,
    "/api/inventory/trend": inventory_trend,
}
