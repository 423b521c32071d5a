"""Line costs in SQL (SPEC §5 "Cost of goods"): a line's cost is known when its purchase price is above 0.

The cost is computed in the query, like line revenue (`price_sold × quantity`): both are one multiplication
over columns the line already carries, so no derived column (and no migration) is needed.
"""

from __future__ import annotations

import duckdb

from ksales.adapters.duckdb.queries import Params, _lines_where, money
from ksales.domain.filters import Scope
from ksales.domain.margin import CostGroup, LineCosts, cost_sort_key

#: Group → (key expression, name expression) over `order_lines`.
_GROUPS = {
    CostGroup.DAY: ("business_day", "NULL::VARCHAR"),
    CostGroup.PRODUCT: ("product_id", "CASE WHEN product_id IS NULL THEN name END"),
    CostGroup.CATEGORY: ("category_id", "NULL::VARCHAR"),
    CostGroup.BRAND: ("brand_key", "NULL::VARCHAR"),
}


def line_costs(cursor: duckdb.DuckDBPyConnection, scope: Scope, by: CostGroup) -> list[LineCosts]:
    params: Params = {}
    key, name = _GROUPS[by]
    rows = cursor.execute(
        f"""SELECT {key} AS key, {name} AS line_name,
            sum(price_sold * quantity)::VARCHAR,
            sum(price_sold * quantity) FILTER (WHERE purchased_price > 0)::VARCHAR,
            sum(purchased_price * quantity) FILTER (WHERE purchased_price > 0)::VARCHAR
        FROM order_lines {_lines_where(scope, params)}
        GROUP BY ALL""",
        params,
    ).fetchall()
    result = [LineCosts(k, n, money(rev), money(costed), money(cogs)) for k, n, rev, costed, cogs in rows]
    return sorted(result, key=cost_sort_key)
