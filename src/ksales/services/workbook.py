"""The workbook's figures (SPEC §7 /excel) for one requester, from the analytics and the inventory.

One place decides what a workbook holds, whoever asks: the bot's /excel, `ksales report --xlsx` and
`GET /api/report` (which `ksales report` beside a running service reads back). Costs and contacts are the
caller's decision (SPEC §6): without `costs` no cost figure is computed; without `contacts` no contact.
"""

from __future__ import annotations

from decimal import Decimal

from ksales.domain.customers import Segment
from ksales.domain.inventory import Health, half_up, health_counts, stock_value
from ksales.domain.margin import MarginBy
from ksales.domain.workbook import (
    CustomerSheet,
    HealthCount,
    StockItem,
    StockSheet,
    WorkbookCosts,
    WorkbookReport,
)
from ksales.services.analytics import AnalyticsService, ScopedRequest
from ksales.services.customers import LIST_MAXIMUM
from ksales.services.inventory import InventoryItem, InventoryService
from ksales.services.params import ReportRequest

#: Rows a workbook lists at most per table (every product, brand and offer of a shop, in practice).
EVERY_ROW = 10_000


def costs_of(analytics: AnalyticsService, request: ScopedRequest) -> WorkbookCosts:
    """The margin of every product, brand and root category."""
    return WorkbookCosts(
        products=analytics.margin_breakdown(request, MarginBy.PRODUCT, limit=EVERY_ROW),
        brands=analytics.margin_breakdown(request, MarginBy.BRAND, limit=EVERY_ROW),
        categories=analytics.margin_breakdown(request, MarginBy.CATEGORY, limit=EVERY_ROW),
    )


def customers_of(analytics: AnalyticsService, request: ScopedRequest, contacts: bool) -> CustomerSheet:
    at_risk = analytics.customer_list(request, Segment.AT_RISK, LIST_MAXIMUM) if contacts else None
    return CustomerSheet(analytics.cohorts(request), analytics.segments(request), at_risk)


def _money(value: Decimal) -> Decimal:
    return half_up(value, 2)


def stock_item(item: InventoryItem, costs: bool) -> StockItem:
    offer = item.offer
    supply = offer.days_of_supply
    cost = offer.value_at_cost
    return StockItem(
        offer_id=offer.stock.offer_id,
        sku=offer.stock.sku,
        name=item.name,
        brand=item.brand,
        category=item.category,
        health=offer.health,
        available=offer.available,
        days_of_supply=half_up(supply, 1) if supply is not None and offer.available > 0 else None,
        value_at_price=_money(offer.value_at_price),
        value_at_cost=_money(cost) if costs and cost is not None else None,
    )


def stock_of(inventory: InventoryService, costs: bool) -> StockSheet:
    """The latest snapshot's figures (zeros and empty lists when no snapshot was taken yet)."""
    snapshot = inventory.store.latest_stock_snapshot()
    if snapshot is None:
        value, counts, restock, dead = stock_value([]), health_counts([]), [], []
    else:
        assessed = inventory.assessed(snapshot)  # once: velocity reads the sales of 90 days
        value, counts = stock_value(snapshot.rows), health_counts(assessed)
        restock = [
            *inventory.listed(assessed, Health.OUT_OF_STOCK, EVERY_ROW),
            *inventory.listed(assessed, Health.LOW, EVERY_ROW),
        ]
        dead = inventory.listed(assessed, Health.DEAD, EVERY_ROW)
    return StockSheet(
        snapshot_date=snapshot.day if snapshot is not None else None,
        offers=value.offers,
        units_available=value.units_available,
        value_at_price=_money(value.value_at_price),
        value_at_cost=_money(value.value_at_cost) if costs else None,
        cost_coverage_pct=value.cost_coverage_pct,
        health=tuple(HealthCount(h, n) for h, n in counts.items()),
        restock=tuple(stock_item(i, costs) for i in restock),
        dead=tuple(stock_item(i, costs) for i in dead),
    )


def workbook_report(
    analytics: AnalyticsService,
    inventory: InventoryService | None,
    request: ReportRequest | ScopedRequest,
    *,
    costs: bool,
    contacts: bool,
) -> WorkbookReport:
    """Every sheet's figures; the cost ones with `costs`, the at-risk contacts with `contacts`."""
    scoped = analytics.resolve(request)
    return WorkbookReport(
        bundle=analytics.bundle(scoped),
        costs=costs_of(analytics, scoped) if costs else None,
        customers=customers_of(analytics, scoped, contacts),
        inventory=stock_of(inventory, costs) if inventory is not None else None,
    )
