"""The product category tree and how line totals roll up through it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ksales.domain.language import N_
from ksales.domain.model import Category
from ksales.domain.results import CategoryRow, CategoryTotals

#: The bucket of lines without a category (id None): the API's English name, translated where shown.
UNCATEGORIZED = N_("Uncategorized")


class CategoryTree:
    """Parent/child relations of the catalog's categories, tolerant of dangling parents and cycles."""

    def __init__(self, categories: Iterable[Category]) -> None:
        self._by_id: dict[int, Category] = {c.id: c for c in categories}
        self._children: dict[int | None, list[int]] = {}
        for category in sorted(self._by_id.values(), key=lambda c: c.id):
            self._children.setdefault(self._parent(category.id), []).append(category.id)

    def _parent(self, category_id: int) -> int | None:
        parent = self._by_id[category_id].parent_id
        if parent is None or parent not in self._by_id or parent == category_id:
            return None
        # A cycle (bad data) would make every member a non-root forever: break it at the smallest id.
        above = self.ancestry(parent)
        if category_id in above:
            return None if category_id == min(above) else parent
        return parent

    def ancestry(self, category_id: int) -> list[int]:
        """The category and its ancestors up the raw parent links, stopping at a repeat."""
        chain: list[int] = []
        current: int | None = category_id
        while current is not None and current in self._by_id and current not in chain:
            chain.append(current)
            current = self._by_id[current].parent_id
        return chain

    def __contains__(self, category_id: object) -> bool:
        return category_id in self._by_id

    def get(self, category_id: int) -> Category | None:
        return self._by_id.get(category_id)

    def children(self, category_id: int | None) -> list[Category]:
        """Direct children (`None`: the roots), by id."""
        return [self._by_id[c] for c in self._children.get(category_id, [])]

    def descendants(self, category_id: int) -> frozenset[int]:
        """The category and everything below it."""
        found: set[int] = set()
        stack = [category_id]
        while stack:
            current = stack.pop()
            if current in found or current not in self._by_id:
                continue
            found.add(current)
            stack.extend(self._children.get(current, []))
        return frozenset(found)

    def path(self, category_id: int) -> list[int]:
        """Root-first chain of ids down to `category_id`, following the tree's (cycle-free) parents."""
        chain: list[int] = []
        current: int | None = category_id
        while current is not None and current in self._by_id and current not in chain:
            chain.append(current)
            current = self._parent(current)
        return list(reversed(chain))

    def roll_up(self, totals: Iterable[CategoryTotals], parent_id: int | None = None) -> list[CategoryRow]:
        """Roll line totals up to the children of `parent_id` (None: the roots, plus Uncategorized).

        Below a category, the lines filed on the category itself form their own row.
        """
        sums: dict[int | None, list[Decimal]] = {}
        for row in totals:
            inside, bucket = self._bucket(row.category_id, parent_id)
            if not inside:
                continue
            acc = sums.setdefault(bucket, [Decimal(0), Decimal(0)])
            acc[0] += row.revenue
            acc[1] += row.quantity
        rows = []
        for key, (revenue, quantity) in sums.items():
            category = self._by_id.get(key) if isinstance(key, int) else None
            rows.append(
                CategoryRow(
                    id=category.id if category else None,
                    name=category.name if category else UNCATEGORIZED,
                    revenue=revenue,
                    quantity=quantity,
                    has_children=bool(category and key != parent_id and self._children.get(category.id)),
                )
            )
        return sorted(rows, key=lambda r: (-r.revenue, -r.quantity, r.name.casefold(), r.id or 0))

    def _bucket(self, category_id: int | None, parent_id: int | None) -> tuple[bool, int | None]:
        """Where a line of `category_id` lands below `parent_id`: (inside the view?, row id)."""
        known = category_id if category_id is not None and category_id in self._by_id else None
        if parent_id is None:
            return True, (self.path(known)[0] if known is not None else None)
        chain = self.path(known) if known is not None else []
        if parent_id not in chain:
            return False, None
        index = chain.index(parent_id)
        return True, (chain[index + 1] if index + 1 < len(chain) else parent_id)
