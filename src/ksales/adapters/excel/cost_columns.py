"""The cost columns of the Products, Categories and Brands sheets (SPEC §7 /excel, for those who may see
costs): each row's cost of goods, gross profit, gross margin and cost coverage, from the margin breakdown."""

from __future__ import annotations

from typing import Any

from attrs import frozen

from ksales.adapters.excel.sheet import Column, Kind
from ksales.domain.language import N_
from ksales.domain.margin import MarginRow
from ksales.domain.workbook import WorkbookCosts

COST_COLUMNS = [
    Column(N_("Cost of goods"), Kind.MONEY, total=True),
    Column(N_("Gross profit"), Kind.MONEY, total=True),
    Column(N_("Gross margin"), Kind.PERCENT),
    Column(N_("Cost coverage"), Kind.PERCENT),
]


def _cells(row: MarginRow | None) -> list[Any]:
    """A row's cost cells; blank when the breakdown has no such row (it has one for every row sold)."""
    if row is None:
        return [None] * len(COST_COLUMNS)
    return [row.cogs, row.gross_profit, row.gross_margin_pct, row.cost_coverage_pct]


@frozen
class CostLookup:
    """The margin rows by what the sheets key their rows on."""

    products: dict[tuple[int | None, str], MarginRow]
    categories: dict[int | None, MarginRow]
    brands: dict[str, MarginRow]

    @classmethod
    def of(cls, costs: WorkbookCosts | None) -> CostLookup | None:
        if costs is None:
            return None
        return cls(
            # Lines without a product id are grouped by line name, both here and in the product ranking.
            products={(r.id, "" if r.id is not None else r.name): r for r in costs.products.rows},
            categories={r.id: r for r in costs.categories.rows},
            brands={r.name.casefold(): r for r in costs.brands.rows},
        )

    def product(self, product_id: int | None, name: str) -> list[Any]:
        return _cells(self.products.get((product_id, "" if product_id is not None else name)))

    def category(self, category_id: int | None) -> list[Any]:
        return _cells(self.categories.get(category_id))

    def brand(self, name: str) -> list[Any]:
        return _cells(self.brands.get(name.casefold()))
