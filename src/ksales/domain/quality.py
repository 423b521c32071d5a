"""What the store can say about its own data quality (`ksales doctor`, `GET /api/data-quality`)."""

from __future__ import annotations

from decimal import Decimal

from attrs import frozen


@frozen
class DataQualityCounts:
    """Counts over every stored order (canceled ones too) and its lines."""

    #: Orders with a non-zero grand total but no product lines, and the sum of those totals.
    orders_without_lines: int = 0
    orders_without_lines_total: Decimal = Decimal(0)
    lines: int = 0
    lines_without_product: int = 0
    lines_without_purchase_price: int = 0
    #: Product ids on lines that the catalog does not list; source and status ids on orders likewise.
    unknown_products: tuple[int, ...] = ()
    unknown_sources: tuple[int, ...] = ()
    unknown_statuses: tuple[int, ...] = ()
    #: Derived tables (the DuckDB store's rollups) that disagree with the rows they are computed from.
    stale_rollups: tuple[str, ...] = ()
