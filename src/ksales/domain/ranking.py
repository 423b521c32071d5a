"""How products are ranked (SPEC §5): by quantity or by revenue, ties broken the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from ksales.domain.results import ProductTotals


class RankBy(StrEnum):
    QUANTITY = "quantity"
    REVENUE = "revenue"


def rank_key(row: ProductTotals, by: RankBy) -> tuple[Decimal, Decimal, str, tuple[bool, int]]:
    """Quantity (ties: revenue) or revenue (ties: quantity), descending; then name case-insensitively; id."""
    ident = (row.product_id is None, row.product_id or 0)
    if by is RankBy.QUANTITY:
        return (-row.quantity, -row.revenue, row.name.casefold(), ident)
    return (-row.revenue, -row.quantity, row.name.casefold(), ident)


def rank_products(rows: Iterable[ProductTotals], by: RankBy) -> list[ProductTotals]:
    return sorted(rows, key=lambda row: rank_key(row, by))
