"""Line costs in SQL (SPEC §5 "Cost of goods"): a line's cost is known when its purchase price is above 0.

The cost is computed in the query, like line revenue (`price_sold × quantity`): both are one multiplication
over columns the line already carries; the rollups (`rollups.py`) keep both sums per day and per month.
"""

from __future__ import annotations

import duckdb

from ksales.adapters.duckdb.queries import Params, _lines_where, money
from ksales.adapters.duckdb.rollup_reads import (
    by_subtree,
    counted_lines,
    narrowed,
    sales_filters,
    summed_lines,
)
from ksales.domain.filters import Scope
from ksales.domain.margin import CostGroup, LineCosts, cost_sort_key

#: Group → its keys in `rollup_reads.counted_lines`.
_KEYS = {
    CostGroup.PRODUCT: ("product_id", "line_name"),
    CostGroup.CATEGORY: ("category_id",),
    CostGroup.BRAND: ("brand_key",),
}


def line_costs(
    cursor: duckdb.DuckDBPyConnection, scope: Scope, by: CostGroup, *, rollups: bool = True
) -> list[LineCosts]:
    """Whole days from the `line_days` rollup (by day, no line filter; the one of the scope's subtree or
    brand by day, by brand under a brand filter), whole months of the other groups from `line_months`
    (`brand_category_months` by brand in a subtree), the rest from the lines."""
    params: Params = {}
    measures = "sum(revenue)::VARCHAR, sum(costed_revenue)::VARCHAR, sum(cogs)::VARCHAR"
    # The rollups per subtree or brand have days, and brands under a brand filter.
    per_day = by is CostGroup.DAY or (by is CostGroup.BRAND and scope.category_ids is None)
    narrow = narrowed(scope, params) if rollups and per_day else None
    if narrow is not None:
        params.update(start=scope.start, end=scope.end)
        key = "business_day" if by is CostGroup.DAY else "brand_key"
        sql = f"""SELECT {key}, NULL::VARCHAR, {measures} FROM {narrow.lines}
        WHERE business_day BETWEEN $start AND $end{sales_filters(scope, params)}{narrow.condition}
            AND NOT canceled
        GROUP BY ALL"""
    elif by is CostGroup.DAY and rollups and not scope.narrows_lines:
        params.update(start=scope.start, end=scope.end)
        sql = f"""SELECT business_day, NULL::VARCHAR, {measures} FROM line_days
        WHERE business_day BETWEEN $start AND $end{sales_filters(scope, params)} GROUP BY ALL"""
    elif by is CostGroup.DAY:
        sql = f"""SELECT business_day, NULL::VARCHAR,
            sum(price_sold * quantity)::VARCHAR,
            sum(price_sold * quantity) FILTER (WHERE purchased_price > 0)::VARCHAR,
            sum(purchased_price * quantity) FILTER (WHERE purchased_price > 0)::VARCHAR
        FROM order_lines {_lines_where(scope, params)}
        GROUP BY ALL"""
    elif not scope.narrows_lines:
        # A month the scope covers mostly is read whole less its other days (as the product totals are).
        keys = _KEYS[by]
        lines, having = summed_lines(
            scope, params, keys, ["revenue", "costed_revenue", "cogs"], rollups=rollups
        )
        name = "line_name" if len(keys) == 2 else "NULL::VARCHAR"
        sql = f"SELECT {keys[0]}, {name}, {measures} FROM ({lines}) GROUP BY ALL{having}"
    else:
        keys = _KEYS[by]
        lines = counted_lines(
            scope,
            params,
            keys,
            ["revenue", "costed_revenue", "cogs"],
            rollups=rollups,
            subtree_brands=by is CostGroup.BRAND and by_subtree(scope),
        )
        name = "line_name" if len(keys) == 2 else "NULL::VARCHAR"
        sql = f"SELECT {keys[0]}, {name}, {measures} FROM ({lines}) GROUP BY ALL"
    rows = cursor.execute(sql, params).fetchall()
    result = [LineCosts(k, n, money(rev), money(costed), money(cogs)) for k, n, rev, costed, cogs in rows]
    return sorted(result, key=cost_sort_key)
