"""The OpenAPI 3.0 description of the API, written by hand so that it says exactly what the code does.

schemathesis fuzzes the app against this document (tests/e2e/test_web_schema.py), so a response
that drifts from it fails the suite. It is long because it is mostly data (one schema per response), kept
in one module so that the whole contract reads in one place.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ksales.domain.inventory import Health
from ksales.domain.periods import PeriodKind

Schema = dict[str, Any]

INT: Schema = {"type": "integer"}
NUM: Schema = {"type": "number"}
STR: Schema = {"type": "string"}
DATE: Schema = {"type": "string", "format": "date"}


def nullable(schema: Schema) -> Schema:
    return {**schema, "nullable": True}


def obj(**properties: Schema) -> Schema:
    return {"type": "object", "required": list(properties), "properties": properties}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


PERIOD = obj(start=DATE, end=DATE, kind={"type": "string", "enum": [k.value for k in PeriodKind]})
FILTERS = obj(
    sales_type={"type": "string", "enum": ["retail", "b2b", "all"]},
    source_id=nullable(INT),
    category_id=nullable(INT),
    brand=nullable(STR),
)
ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": STR, "field": STR, "message": STR},
}
PRODUCT = obj(product_id=nullable(INT), name=STR, quantity=NUM, revenue=NUM, share_pct=NUM)
CATEGORY_ROW = obj(id=nullable(INT), name=STR, revenue=NUM, quantity=NUM, has_children={"type": "boolean"})
BRAND = obj(brand=STR, revenue=NUM, quantity=NUM, orders=INT, share_pct=NUM)
POINTS = array(obj(date=DATE, revenue=NUM, orders=INT))
MILESTONES = obj(
    kind=nullable({"type": "string", "enum": ["daily", "weekly", "monthly"]}),
    thresholds=array(NUM),
    reached=array(NUM),
    next=nullable(NUM),
    progress_pct=nullable(NUM),
)
COMPARISON = obj(
    start=DATE,
    end=DATE,
    orders=INT,
    revenue=NUM,
    avg_check=NUM,
    revenue_change_pct=nullable(NUM),
    orders_change_pct=nullable(NUM),
    avg_check_change_pct=nullable(NUM),
    until=nullable({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}),
)


SALES_TYPE: Schema = {"type": "string", "enum": ["retail", "b2b", "all"]}
MONTH: Schema = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}
GOAL_SOURCE: Schema = {"type": "string", "enum": ["set", "env", "suggested"]}
GOAL = obj(
    month=MONTH,
    sales_type=SALES_TYPE,
    amount=NUM,
    source=GOAL_SOURCE,
    progress_pct=NUM,
    projected_pct=NUM,
    on_pace={"type": "boolean"},
    needed_per_day=NUM,
)
MONTH_GOALS = obj(
    month=MONTH,
    goals=array(obj(sales_type=SALES_TYPE, amount=nullable(NUM), source=nullable(GOAL_SOURCE))),
    editable={"type": "boolean"},
    csrf_token=nullable(STR),
)

WEEK_FIGURES = obj(
    orders=NUM,
    revenue=NUM,
    avg_check=NUM,
    revenue_change_pct=nullable(NUM),
    orders_change_pct=nullable(NUM),
    avg_check_change_pct=nullable(NUM),
)
MOVER = obj(product_id=nullable(INT), name=STR, revenue=NUM, previous_revenue=NUM)
WEEKLY = obj(
    week=PERIOD,
    sales_type=SALES_TYPE,
    orders=INT,
    revenue=NUM,
    avg_check=NUM,
    previous=WEEK_FIGURES,
    four_week_mean=WEEK_FIGURES,
    year_ago=WEEK_FIGURES,
    year_ago_week=PERIOD,
    decomposition=obj(change=NUM, orders_effect=NUM, check_effect=NUM),
    customers=INT,
    new_customers=INT,
    returning_customers=INT,
    customer_revenue=obj(new=NUM, returning=NUM),
    gainers=array(MOVER),
    losers=array(MOVER),
    history=array(obj(monday=DATE, revenue=NUM)),
    rolling_mean=array(nullable(NUM)),
    z_score=nullable(NUM),
    unusual={"type": "boolean"},
)


def report(**properties: Schema) -> Schema:
    """A data response: the figures plus the echoed period and filters."""
    return obj(period=PERIOD, filters=FILTERS, **properties)


def _param(name: str, schema: Schema, description: str, where: str = "query") -> Schema:
    required = where == "path"
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


SHARED_PARAMETERS = [
    _param(
        "period",
        {"type": "string", "enum": [k.value for k in PeriodKind]},
        "Named period (case-insensitive); wins over dates. Default: today.",
    ),
    _param("start_date", DATE, "Custom range start (YYYY-MM-DD), with end_date."),
    _param("end_date", DATE, "Custom range end (inclusive), with start_date; at most 3660 days."),
    _param(
        "sales_type",
        {"type": "string", "enum": ["retail", "b2b", "all"]},
        "Retail (default), B2B or all orders.",
    ),
    _param("source_id", {"type": "integer", "minimum": 1}, "Only orders of this source (must exist)."),
    _param("category_id", {"type": "integer", "minimum": 1}, "Only lines in this category or below it."),
    _param("brand", {"type": "string", "maxLength": 200}, "Only lines of this brand (case-insensitive)."),
    _param(
        "compare",
        {"type": "string", "enum": ["previous_period", "year_ago", "none"]},
        "What the period is compared with.",
    ),
]
FORMAT = _param(
    "format",
    {"type": "string", "enum": ["json", "csv"]},
    "json (default), or csv: the main table as a download (UTF-8 with a BOM).",
)
#: Fields a response leaves out for those who may not see costs (SPEC §6 "Costs").
COST_FIELDS = ("cogs", "gross_profit", "gross_margin_pct", "profit", "margin_pct")
MARGIN_ROW = obj(
    id=nullable(INT),
    name=STR,
    revenue=NUM,
    cogs=NUM,
    gross_profit=NUM,
    gross_margin_pct=NUM,
    cost_coverage_pct=NUM,
    has_children={"type": "boolean"},
    brand=nullable(STR),
    category=nullable(STR),
)


def optional(schema: Schema, names: tuple[str, ...]) -> Schema:
    """The object schema with `names` no longer required."""
    return {**schema, "required": [r for r in schema["required"] if r not in names]}


LIMIT = _param("limit", {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}, "Rows to return.")

REPORTS: dict[str, tuple[str, Schema, list[Schema]]] = {
    "/api/summary": (
        "Revenue, orders, average check, returns, comparison and milestones",
        report(
            orders=INT,
            revenue=NUM,
            avg_check=NUM,
            returns=obj(orders=INT, revenue=NUM),
            comparison=nullable(COMPARISON),
            milestones=MILESTONES,
            projection=nullable(obj(revenue=NUM, orders=INT)),
            goal=nullable(GOAL),
        ),
        [],
    ),
    "/api/revenue/trend": (
        "Revenue and orders per day, week or month, with the comparison range's points",
        report(
            granularity={"type": "string", "enum": ["day", "week", "month"]},
            points=POINTS,
            comparison=nullable(obj(start=DATE, end=DATE, points=POINTS)),
        ),
        [_param("granularity", {"type": "string", "enum": ["day", "week", "month"]}, "Bucket size.")],
    ),
    "/api/sales/by-source": (
        "Orders and revenue by source, by revenue",
        report(
            sources=array(obj(id=INT, name=STR, orders=INT, revenue=NUM, share_pct=NUM)),
            total_orders=INT,
            total_revenue=NUM,
        ),
        [],
    ),
    "/api/products/top": (
        "Best-selling products",
        report(by={"type": "string", "enum": ["quantity", "revenue"]}, limit=INT, products=array(PRODUCT)),
        [LIMIT, _param("by", {"type": "string", "enum": ["quantity", "revenue"]}, "Ranking measure.")],
    ),
    "/api/products/performance": (
        "Top products by revenue, root categories and product totals",
        report(
            top_by_revenue=array(PRODUCT),
            categories=array(CATEGORY_ROW),
            metrics=obj(products=INT, revenue=NUM, quantity=NUM),
        ),
        [LIMIT],
    ),
    "/api/categories/breakdown": (
        "Revenue by category: the roots, or the children of parent_id",
        report(parent=nullable(obj(id=INT, name=STR)), categories=array(CATEGORY_ROW)),
        [_param("parent_id", {"type": "integer", "minimum": 1}, "Drill down into this category.")],
    ),
    "/api/customers/insights": (
        "New and returning customers, repeat rate, average check per day",
        report(
            customers=INT,
            new_customers=INT,
            returning_customers=INT,
            repeat_rate_pct=NUM,
            aov=NUM,
            aov_trend=array(obj(date=DATE, aov=NUM)),
        ),
        [],
    ),
    "/api/brands/analytics": (
        "Brands by revenue and by quantity",
        report(
            limit=INT,
            top_by_revenue=array(BRAND),
            top_by_quantity=array(BRAND),
            metrics=obj(brands=INT, top_brand=nullable(STR), top_brand_share_pct=NUM, unbranded_revenue=NUM),
        ),
        [LIMIT],
    ),
    "/api/expenses/summary": (
        "Paid order expenses by type and per day",
        report(
            expense_type_id=nullable(INT),
            total=NUM,
            count=INT,
            orders_with_expenses=INT,
            avg_per_order=NUM,
            by_type=array(obj(id=nullable(INT), name=STR, amount=NUM, count=INT)),
            trend=array(obj(date=DATE, amount=NUM)),
        ),
        [_param("expense_type_id", {"type": "integer", "minimum": 1}, "Only this expense type.")],
    ),
    "/api/expenses/profit": (
        "Revenue → cost of goods → expenses → profit, margins, cost coverage, and per day"
        " (the cost fields only for those who may see costs)",
        optional(
            report(
                revenue=NUM,
                cogs=NUM,
                gross_profit=NUM,
                gross_margin_pct=NUM,
                expenses=NUM,
                profit=NUM,
                margin_pct=NUM,
                cost_coverage_pct=NUM,
                trend=array(
                    optional(obj(date=DATE, revenue=NUM, cogs=NUM, expenses=NUM, profit=NUM), COST_FIELDS)
                ),
            ),
            COST_FIELDS,
        ),
        [],
    ),
    "/api/margin/breakdown": (
        "Products, brands or categories by gross profit (403 for those who may not see costs)",
        report(
            by={"type": "string", "enum": ["product", "brand", "category"]},
            limit=INT,
            parent=nullable(obj(id=INT, name=STR)),
            rows=array(MARGIN_ROW),
            metrics=obj(revenue=NUM, cogs=NUM, gross_profit=NUM, gross_margin_pct=NUM, cost_coverage_pct=NUM),
        ),
        [
            _param("by", {"type": "string", "enum": ["product", "brand", "category"]}, "Group by (product)."),
            _param("parent_id", {"type": "integer", "minimum": 1}, "With by=category: its children."),
            _param("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}, "Rows."),
        ],
    ),
}

# --- customers (SPEC §5 Cohorts, Segments): a period's end and the sales type matter most ------------
SEGMENT = {
    "type": "string",
    "enum": ["lost", "at_risk", "champions", "loyal", "promising", "first_timer", "one_time"],
}
REPORTS["/api/customers/cohorts"] = (
    "Cohort retention: customers by the month of their first order, active in each month after it",
    report(
        months=INT,
        cohorts=array(
            obj(
                month={"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                size=INT,
                months=array(obj(k=INT, active=INT, retention_pct=NUM, revenue=NUM)),
            )
        ),
        time_to_second_purchase_days=nullable(NUM),
    ),
    [_param("months", {"type": "integer", "minimum": 1, "maximum": 36, "default": 12}, "Cohorts to show.")],
)
REPORTS["/api/customers/segments"] = (
    "Customer segments as of the period's end (sales type filter only), in a fixed order",
    report(
        segments=array(
            obj(segment=SEGMENT, customers=INT, revenue=NUM, avg_orders=NUM, avg_recency_days=NUM)
        ),
        moved_to_at_risk=INT,
    ),
    [],
)
REPORTS["/api/customers/list"] = (
    "Customers with their contacts, by revenue (an admin's session only; a calling list as CSV)",
    report(
        segment=nullable(SEGMENT),
        limit=INT,
        customers=array(
            obj(
                buyer_id=INT,
                name=nullable(STR),
                phone=nullable(STR),
                email=nullable(STR),
                orders=INT,
                revenue=NUM,
                first_order=DATE,
                last_order=DATE,
                recency_days=INT,
                interval_days=nullable(NUM),
            )
        ),
    ),
    [
        _param("segment", SEGMENT, "Only customers of this segment."),
        _param("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}, "Rows to return."),
    ],
)


def _bundle() -> Schema:
    """The workbook's data: each part as its own endpoint answers it (without the echoed `limit`)."""
    parts = {
        "summary": "/api/summary",
        "daily": "/api/revenue/trend",
        "sources": "/api/sales/by-source",
        "products": "/api/products/top",
        "categories": "/api/categories/breakdown",
        "brands": "/api/brands/analytics",
        "expenses": "/api/expenses/summary",
        "profit": "/api/expenses/profit",
    }
    schemas = {name: _part(path) for name, path in parts.items()}
    return {**obj(**schemas), "properties": {**schemas, **_workbook_parts()}}


def _part(path: str, echoed: tuple[str, ...] = ("limit", "months")) -> Schema:
    """An endpoint's answer as a part of the bundle: without what the endpoint echoes of its query."""
    schema = REPORTS[path][1]
    properties = {k: v for k, v in schema["properties"].items() if k not in echoed}
    required = [r for r in schema["required"] if r in properties]
    return {**schema, "required": required, "properties": properties}


def _workbook_parts() -> dict[str, Schema]:
    """The workbook's other figures beside the bundle (SPEC §7), each absent when not shown to the caller."""
    item = obj(
        offer_id=INT,
        sku=nullable(STR),
        name=STR,
        brand=nullable(STR),
        category=nullable(STR),
        health={"type": "string", "enum": [h.value for h in Health]},
        available=NUM,
        days_of_supply=nullable(NUM),
        value_at_price=NUM,
        value_at_cost=nullable(NUM),
    )
    margin = _part("/api/margin/breakdown")
    return {
        "costs": obj(products=margin, brands=margin, categories=margin),
        "customers": obj(
            cohorts=_part("/api/customers/cohorts"),
            segments=_part("/api/customers/segments"),
            at_risk=nullable(_part("/api/customers/list", echoed=())),
        ),
        "inventory": obj(
            snapshot_date=nullable(DATE),
            offers=INT,
            units_available=NUM,
            value_at_price=NUM,
            value_at_cost=nullable(NUM),
            cost_coverage_pct=NUM,
            health=array(obj(health={"type": "string", "enum": [h.value for h in Health]}, offers=INT)),
            restock=array(item),
            dead=array(item),
        ),
    }


REPORTS["/api/report"] = (
    "Everything the Excel workbook shows: every product and brand, and beside them `costs` (every product's,"
    " brand's and root category's margin: for those who may see costs), `customers` (segments, cohorts, and"
    " the at-risk customers' contacts for an admin's session) and `inventory` (the latest snapshot); as CSV,"
    " the daily figures",
    _bundle(),
    [],
)


def _without_costs(schema: Schema) -> Schema:
    """`value_at_cost` is absent for those who may not see costs (SPEC §6): not required."""
    return {**schema, "required": [k for k in schema["required"] if k != "value_at_cost"]}


HEALTH_BUCKETS = ["out_of_stock", "low", "healthy", "overstock", "dead", "never_sold", "inactive"]
REPORTS["/api/inventory/summary"] = (
    "The latest stock snapshot: offers, units and value available, health buckets",
    _without_costs(
        report(
            snapshot_date=nullable(DATE),
            offers=INT,
            units_available=NUM,
            value_at_cost=NUM,
            value_at_price=NUM,
            cost_coverage_pct=NUM,
            health=obj(**dict.fromkeys(HEALTH_BUCKETS, INT)),
        )
    ),
    [],
)
REPORTS["/api/inventory/items"] = (
    "The latest snapshot's offers: low and out of stock by days of supply, others by value at cost",
    report(
        health=nullable({"type": "string", "enum": HEALTH_BUCKETS}),
        limit=INT,
        items=array(
            _without_costs(
                obj(
                    offer_id=INT,
                    sku=nullable(STR),
                    product_id=nullable(INT),
                    name=STR,
                    brand=nullable(STR),
                    category=nullable(STR),
                    available=NUM,
                    reserve=NUM,
                    velocity_per_day=NUM,
                    days_of_supply=nullable(NUM),
                    value_at_cost=nullable(NUM),
                )
            )
        ),
    ),
    [
        _param("health", {"type": "string", "enum": HEALTH_BUCKETS}, "Only this bucket (case-insensitive)."),
        _param("limit", {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}, "Rows to return."),
    ],
)
REPORTS["/api/inventory/trend"] = (
    "Available units and their value at cost on each snapshot day of the period (missing days left out)",
    report(points=array(_without_costs(obj(date=DATE, units_available=NUM, value_at_cost=NUM)))),
    [],
)

ID_NAME = array(obj(id=INT, name=STR))
CATEGORIES = array(obj(id=INT, name=STR, parent_id=nullable(INT)))
HEALTH = obj(
    status={"type": "string", "enum": ["ok", "degraded"]},
    reasons=array(STR),
    version=STR,
    uptime_s=NUM,
    store=obj(
        orders=nullable(INT),
        last_sync_at=nullable({"type": "string", "format": "date-time"}),
        last_sync_ok=nullable({"type": "boolean"}),
        reconciled_at=nullable({"type": "string", "format": "date-time"}),
        mismatched_months=array(STR),
    ),
)

DATA_QUALITY = obj(
    ok={"type": "boolean"},
    attention=array(STR),
    orders=INT,
    reconciliation=nullable(
        obj(
            at={"type": "string", "format": "date-time"},
            months_checked=INT,
            mismatched_months=array(STR),
            unrepaired_months=array(STR),
            orders_inserted=INT,
            orders_updated=INT,
            orders_removed=INT,
        )
    ),
    orders_without_lines=obj(orders=INT, total=NUM),
    lines=obj(lines=INT, without_product=INT, without_purchase_price=INT, cost_coverage_pct=nullable(NUM)),
    unknown_products=array(INT),
    unknown_sources=array(INT),
    unknown_statuses=array(INT),
    foreign_currency_sources=array(obj(id=INT, name=STR, currency_code=nullable(STR))),
    missing_snapshot_days=array({"type": "string", "format": "date"}),
    stale_rollups=array(STR),
    last_syncs=array(
        obj(
            mode=STR,
            finished_at=nullable({"type": "string", "format": "date-time"}),
            ok={"type": "boolean"},
            error=nullable(STR),
            fetched=INT,
            requests=INT,
        )
    ),
)


def _json(description: str, schema: Schema) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


UNAUTHORIZED = _json("A session (when BOT_TOKEN is set) or an active API token is needed", ERROR)
#: Either way in: the dashboard's session cookie, or a token from `ksales token create NAME`.
SECURITY: list[Schema] = [{"session": []}, {"token": []}]
SECURITY_SCHEMES = {
    "session": {"type": "apiKey", "in": "cookie", "name": "ksales_session"},
    "token": {"type": "http", "scheme": "bearer", "description": "An API token from `ksales token create`"},
}


def _operation(summary: str, schema: Schema, parameters: list[Schema]) -> Schema:
    ok = _json("OK", schema)
    ok["content"]["text/csv"] = {"schema": STR}
    responses: dict[str, Schema] = {"200": ok, "400": _json("Invalid parameter", ERROR)}
    responses["401"] = UNAUTHORIZED
    operation = {"summary": summary, "parameters": parameters, "responses": responses, "security": SECURITY}
    # `format` is a path-level parameter: every data endpoint takes it, beside its own ones.
    return {"parameters": [FORMAT], "get": operation}


def _goal_paths() -> dict[str, Schema]:
    """`GET /api/goals`, and `PUT`/`DELETE /api/goals/{month}` for an admin's session with its CSRF token."""
    listing = _operation(
        "Each sales type's goal for the month, with its source (editable and csrf_token for an admin's page)",
        MONTH_GOALS,
        [_param("month", MONTH, "YYYY-MM; default this month.")],
    )
    month = _param("month", MONTH, "The goal's month, YYYY-MM.", where="path")
    csrf = _param("X-CSRF-Token", STR, "The csrf_token GET /api/goals gave the admin's page.", where="header")
    csrf["required"] = True
    refused = _json("Not an admin's session, or no CSRF token", ERROR)

    def change(summary: str, body: Schema | None, extra: list[Schema]) -> Schema:
        operation: Schema = {
            "summary": summary,
            "parameters": [month, csrf, *extra],
            "responses": {
                "200": _json("The month's goals", MONTH_GOALS),
                "400": _json("Invalid input", ERROR),
                "401": UNAUTHORIZED,
                "403": refused,
            },
            "security": [{"session": []}],
        }
        if body is not None:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        return operation

    amount = {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": 1e15}
    setting = {
        "type": "object",
        "required": ["amount"],
        "properties": {"sales_type": SALES_TYPE, "amount": amount},
    }
    return {
        "/api/goals": listing,
        "/api/goals/{month}": {
            "put": change("Set the month's goal for a sales type (an admin)", setting, []),
            "delete": change(
                "Return the month's goal for a sales type to the suggestion (an admin)",
                None,
                [_param("sales_type", SALES_TYPE, "retail (default), b2b or all.")],
            ),
        },
    }


def build_document(version: str) -> Schema:
    paths: dict[str, Schema] = {
        path: _operation(summary, schema, [*SHARED_PARAMETERS, *extra])
        for path, (summary, schema, extra) in REPORTS.items()
    }
    paths["/api/customers/list"]["get"]["responses"]["403"] = _json("Not an admin's session", ERROR)
    children = _operation("Direct children of a category", CATEGORIES, [])
    children["get"]["parameters"] = [
        _param("category_id", {"type": "integer", "minimum": 1}, "Category id", where="path"),
    ]
    children["get"]["responses"]["404"] = _json("No such category", ERROR)
    paths.update(
        {
            "/api/health": {
                "get": {
                    "summary": "Liveness, version and the store's sync state (public)",
                    "responses": {"200": _json("OK", HEALTH)},
                }
            },
            "/api/categories": _operation("Every category", CATEGORIES, []),
            "/api/categories/{category_id}/children": children,
            "/api/brands": _operation("Every brand", array(obj(name=STR)), []),
            "/api/sources": _operation("Sources that can be filtered on", ID_NAME, []),
            "/api/expense-types": _operation("Expense types", ID_NAME, []),
            "/api/data-quality": _operation("The `ksales doctor` data-quality report", DATA_QUALITY, []),
        }
    )
    paths.update(_goal_paths())
    paths["/api/weekly"] = _operation(
        "The weekly report (SPEC §7) of a complete Monday–Sunday week; as CSV its 12 weeks",
        WEEKLY,
        [
            _param("week", DATE, "A day of the week (YYYY-MM-DD) that has ended; default: the last one."),
            _param("sales_type", SALES_TYPE, "retail (default), b2b or all."),
        ],
    )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "ksales dashboard API",
            "version": version,
            "description": "Sales analytics of a KeyCRM shop. Money in the shop's currency, ≤ 2 decimals.",
        },
        "paths": paths,
        "components": {"securitySchemes": SECURITY_SCHEMES},
    }


async def openapi(request: Request) -> JSONResponse:
    document: Schema = request.state.openapi
    return JSONResponse(document)


routes = [Route("/api/openapi.json", openapi, methods=["GET"])]
