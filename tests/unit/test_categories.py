from decimal import Decimal

from ksales.domain.categories import CategoryTree
from ksales.domain.model import Category
from ksales.domain.results import CategoryTotals

TREE = CategoryTree(
    [
        Category(1, "A"),
        Category(2, "A1", 1),
        Category(3, "A1x", 2),
        Category(4, "B"),
        Category(5, "Dangling", 999),
        Category(6, "Loop1", 7),
        Category(7, "Loop2", 6),
    ]
)


def totals(*rows: tuple[int | None, int]) -> list[CategoryTotals]:
    return [CategoryTotals(c, Decimal(1), Decimal(r)) for c, r in rows]


def test_descendants_and_children() -> None:
    assert TREE.descendants(1) == {1, 2, 3}
    assert [c.id for c in TREE.children(None)] == [1, 4, 5, 6]
    assert [c.id for c in TREE.children(6)] == [7]


def test_roots_roll_up_everything() -> None:
    rows = TREE.roll_up(totals((3, 10), (2, 5), (1, 1), (4, 7), (None, 2), (888, 3), (7, 4)))
    assert [(r.id, r.revenue) for r in rows] == [(1, 16), (4, 7), (None, 5), (6, 4)]


def test_drill_down_keeps_lines_of_the_category_itself() -> None:
    rows = TREE.roll_up(totals((3, 10), (2, 5), (1, 1), (4, 7)), parent_id=1)
    assert [(r.id, r.revenue, r.has_children) for r in rows] == [(2, 15, True), (1, 1, False)]
    assert [(r.id, r.revenue) for r in TREE.roll_up(totals((3, 10), (2, 5)), parent_id=2)] == [
        (3, 10),
        (2, 5),
    ]
