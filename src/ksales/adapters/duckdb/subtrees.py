"""Category subtrees as rows: (root, category) for every category and each category of its subtree.

The rollups kept per subtree (`rollups.ORDER_CATEGORY_DAYS`, …) join lines on it, so that "orders with a
line in subtree(C)" are the rows of root C, no DISTINCT. It follows `CategoryTree` exactly (its parents:
a dangling or self parent makes a root, a cycle is broken at its smallest id), which a contract test proves;
`rollups.refresh_subtrees` keeps it, and the rollups built on it, in step with the categories.
"""

from __future__ import annotations

CREATE = "CREATE TABLE IF NOT EXISTS category_subtrees (root_id BIGINT NOT NULL, category_id BIGINT NOT NULL)"

#: (root_id, category_id) of the stored categories, as `CategoryTree.descendants(root_id)` has them.
SELECT = """WITH RECURSIVE
    linked AS (
        SELECT c.id, c.parent_id FROM categories c SEMI JOIN categories p ON p.id = c.parent_id
    ),
    above(id, above_id) AS (  -- every category reachable up the raw parent links (a cycle included)
        SELECT id, parent_id FROM linked
        UNION
        SELECT a.id, l.parent_id FROM above a JOIN linked l ON l.id = a.above_id
    ),
    parents AS (  -- the tree's parents: a cycle loses the link out of its smallest member
        SELECT l.id, l.parent_id FROM linked l
        WHERE l.parent_id <> l.id AND l.id IS DISTINCT FROM (
            SELECT min(a.above_id) FROM above a SEMI JOIN above b ON b.id = a.above_id AND b.above_id = a.id
            WHERE a.id = l.id
        )
    ),
    below(root_id, category_id) AS (
        SELECT id, id FROM categories
        UNION
        SELECT b.root_id, p.id FROM below b JOIN parents p ON p.parent_id = b.category_id
    )
SELECT root_id, category_id FROM below"""

FILL = (CREATE, f"INSERT INTO category_subtrees {SELECT}")
