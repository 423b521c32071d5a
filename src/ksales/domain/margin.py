"""Cost of goods, gross profit and the margin breakdown (SPEC §5 "Cost of goods", "Margin breakdown").

A line's cost is `purchased_price × quantity` when its purchase price is above 0; otherwise its cost is
unknown and it counts only towards the revenue that the cost coverage is measured against.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum

from attrs import frozen

from ksales.domain.categories import UNCATEGORIZED, CategoryTree
from ksales.domain.errors import InvalidParameter
from ksales.domain.filters import Filters
from ksales.domain.model import OrderLine
from ksales.domain.money import ZERO, percent
from ksales.domain.periods import Period
from ksales.domain.results import CategoryRef

#: `limit` of the margin breakdown (SPEC §6).
MARGIN_LIMIT_DEFAULT, MARGIN_LIMIT_MAX = 20, 200


class CostGroup(StrEnum):
    """What the store groups line costs by."""

    DAY = "day"
    PRODUCT = "product"
    CATEGORY = "category"
    BRAND = "brand"


class MarginBy(StrEnum):
    """`by` of `/api/margin/breakdown`."""

    PRODUCT = "product"
    BRAND = "brand"
    CATEGORY = "category"


def parse_margin_by(value: str | None) -> MarginBy:
    if value is None or not value.strip():
        return MarginBy.PRODUCT
    try:
        return MarginBy(value.strip().lower())
    except ValueError:
        raise InvalidParameter("by", "by must be one of product, brand, category") from None


def line_cost(line: OrderLine) -> Decimal | None:
    """`purchased_price × quantity`, or None when the purchase price is missing or not above 0."""
    price = line.purchased_price
    if price is None or price <= 0:
        return None
    return price * line.quantity


@frozen
class LineCosts:
    """Line figures of one group (a day, product, category id or brand key) of counted orders.

    `revenue` = Σ price_sold × quantity of the lines; `costed_revenue` the same over the lines with a known
    cost; `cogs` = Σ their costs. `name` is the line name of product lines without a product id.
    """

    key: date | int | str | None
    name: str | None
    revenue: Decimal
    costed_revenue: Decimal
    cogs: Decimal


def cost_sort_key(row: LineCosts) -> tuple[bool, str, str]:
    """The order both stores return groups in (any total order would do; this one is easy to share)."""
    return (row.key is None, "" if row.key is None else str(row.key), row.name or "")


def coverage_pct(revenue: Decimal, costed_revenue: Decimal) -> Decimal:
    """The share of line revenue whose cost is known, × 100 (0 without line revenue)."""
    return percent(costed_revenue, revenue)


@frozen
class MarginRow:
    id: int | None
    name: str
    revenue: Decimal
    cogs: Decimal
    gross_profit: Decimal
    gross_margin_pct: Decimal
    cost_coverage_pct: Decimal
    has_children: bool = False
    #: By product: the product's brand and category (null elsewhere, and for products not in the catalog).
    brand: str | None = None
    category: str | None = None


@frozen
class MarginMetrics:
    revenue: Decimal
    cogs: Decimal
    gross_profit: Decimal
    gross_margin_pct: Decimal
    cost_coverage_pct: Decimal


@frozen
class MarginBreakdown:
    period: Period
    filters: Filters
    by: MarginBy
    parent: CategoryRef | None
    rows: tuple[MarginRow, ...]
    metrics: MarginMetrics


def _sum(rows: Iterable[LineCosts]) -> tuple[Decimal, Decimal, Decimal]:
    revenue = costed = cogs = ZERO
    for r in rows:
        revenue += r.revenue
        costed += r.costed_revenue
        cogs += r.cogs
    return revenue, costed, cogs


def margin_row(
    id: int | None,
    name: str,
    rows: Iterable[LineCosts],
    has_children: bool = False,
    brand: str | None = None,
    category: str | None = None,
) -> MarginRow:
    revenue, costed, cogs = _sum(rows)
    gross = revenue - cogs
    coverage = coverage_pct(revenue, costed)
    return MarginRow(
        id, name, revenue, cogs, gross, percent(gross, revenue), coverage, has_children, brand, category
    )


def margin_metrics(rows: Iterable[LineCosts]) -> MarginMetrics:
    revenue, costed, cogs = _sum(rows)
    gross = revenue - cogs
    return MarginMetrics(revenue, cogs, gross, percent(gross, revenue), coverage_pct(revenue, costed))


def rank_margin(rows: Iterable[MarginRow]) -> list[MarginRow]:
    """By gross profit desc (ties: revenue desc, name case-insensitive, id; a missing id last)."""
    return sorted(
        rows, key=lambda r: (-r.gross_profit, -r.revenue, r.name.casefold(), r.id is None, r.id or 0)
    )


def category_rows(
    tree: CategoryTree, costs: Iterable[LineCosts], parent_id: int | None
) -> tuple[list[MarginRow], list[LineCosts]]:
    """Roll category costs up like the category drill-down: the rows below `parent_id`, the lines covered.

    The root level rolls every line up to its root (lines without a known category: Uncategorized); a
    category shows its direct children with their subtrees, plus the lines filed on the category itself.
    """
    buckets: dict[int | None, list[LineCosts]] = {}
    covered: list[LineCosts] = []
    for row in costs:
        category_id = row.key if isinstance(row.key, int) and row.key in tree else None
        chain = tree.path(category_id) if category_id is not None else []
        if parent_id is None:
            bucket = chain[0] if chain else None
        elif parent_id in chain:
            index = chain.index(parent_id)
            bucket = chain[index + 1] if index + 1 < len(chain) else parent_id
        else:
            continue
        buckets.setdefault(bucket, []).append(row)
        covered.append(row)
    result = []
    for bucket, rows in buckets.items():
        category = tree.get(bucket) if bucket is not None else None
        has_children = bool(category and bucket != parent_id and tree.children(category.id))
        name = category.name if category else UNCATEGORIZED
        result.append(margin_row(bucket if category else None, name, rows, has_children))
    return result, covered
