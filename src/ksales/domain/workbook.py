"""Everything the Excel workbook shows (SPEC §7 /excel): the report bundle, and what only some may see.

The bundle is every sheet's figures for one period and filter state; beside it, for those who may see costs,
the margin of every product, brand and root category (the Margin sheet and the cost columns), the customers'
segments and cohorts (with the at-risk customers' contacts for admins) and the latest stock snapshot.
They sit beside `ReportBundle` rather than in it: the margin types build on the report results.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from attrs import frozen

from ksales.domain.customers import CohortReport, CustomerList, SegmentReport
from ksales.domain.inventory import Health
from ksales.domain.margin import MarginBreakdown
from ksales.domain.results import ReportBundle


@frozen
class WorkbookCosts:
    """The margin breakdowns the workbook shows for those who may see costs (every row, not a top list)."""

    products: MarginBreakdown
    brands: MarginBreakdown
    categories: MarginBreakdown


@frozen
class CustomerSheet:
    """Segments as of the period's end, the cohorts ending with its month; contacts only for admins."""

    cohorts: CohortReport
    segments: SegmentReport
    #: The at-risk customers with their contacts, by revenue (admins only: None for anyone else).
    at_risk: CustomerList | None = None


@frozen
class StockItem:
    """One offer of the latest snapshot as the workbook lists it (values as shown: money to 2 decimals)."""

    offer_id: int
    sku: str | None
    name: str
    brand: str | None
    category: str | None
    health: Health
    available: Decimal
    #: Days of supply, half-up to 1 decimal; None when nothing sold in 90 days or nothing is available.
    days_of_supply: Decimal | None
    value_at_price: Decimal
    #: None when the purchase price is unknown, or for those who may not see costs.
    value_at_cost: Decimal | None


@frozen
class HealthCount:
    health: Health
    offers: int


@frozen
class StockSheet:
    """The latest snapshot: value, health buckets, what needs restocking and the dead stock.

    `snapshot_date` None: no snapshot was taken yet (every figure is then zero and the lists empty).
    `value_at_cost` is None for those who may not see costs.
    """

    snapshot_date: date | None
    offers: int
    units_available: Decimal
    value_at_price: Decimal
    value_at_cost: Decimal | None
    cost_coverage_pct: Decimal
    health: tuple[HealthCount, ...]
    #: Out of stock and low offers, by days of supply (out of stock first).
    restock: tuple[StockItem, ...]
    #: Dead stock (sold before, not in the last 90 days), by value at cost (unknown costs last).
    dead: tuple[StockItem, ...]


@frozen
class WorkbookReport:
    """One workbook's figures; `costs` None means the requester may not see costs."""

    bundle: ReportBundle
    costs: WorkbookCosts | None = None
    customers: CustomerSheet | None = None
    inventory: StockSheet | None = None
