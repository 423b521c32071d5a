"""Reading the rollups (`rollups.py`): the scope's filters on any table, and counted lines per group
from whole months of `product_months` (or `line_months`) plus the raw lines of the days around them.

`rollups=False` reads the raw rows only: the contract tests compare both ways (and the in-memory fake).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from attrs import frozen

from ksales.domain.filters import Scope
from ksales.domain.rules import SalesType

Params = dict[str, Any]

#: Group key → its expression over `order_lines` (the rollup has it as a column of that name).
_KEYS = {
    "product_id": "product_id",
    "line_name": "CASE WHEN product_id IS NULL THEN name END",
    "category_id": "category_id",
    "brand_key": "brand_key",
    "source_id": "source_id",
}
_REVENUE = "price_sold * quantity"
#: Measure → (aggregate over counted lines, aggregate over `line_months` rows).
_MEASURES = {
    "quantity": ("sum(quantity)", "sum(quantity)"),
    "revenue": (f"sum({_REVENUE})", "sum(revenue)"),
    "costed_revenue": (f"sum({_REVENUE}) FILTER (WHERE purchased_price > 0)", "sum(costed_revenue)"),
    "cogs": ("sum(purchased_price * quantity) FILTER (WHERE purchased_price > 0)", "sum(cogs)"),
    "brand_orders": ("count(*) FILTER (WHERE brand_first)", "sum(brand_orders)"),
    # orders of a group: in `brand_category_months` each order is a row of its subtree and brand
    "orders": ("count(DISTINCT order_id)", "sum(orders)"),
}


def sales_filters(scope: Scope, params: Params) -> str:
    """` AND …` for the scope's source and sales type (columns every table and rollup carries)."""
    conditions = []
    if scope.sales_type is SalesType.RETAIL:
        conditions.append("NOT b2b")
    elif scope.sales_type is SalesType.B2B:
        conditions.append("b2b")
    return source_filter(scope, params) + "".join(f" AND {c}" for c in conditions)


def source_filter(scope: Scope, params: Params) -> str:
    """` AND source_id = $source` for a scope of one source, else ''."""
    if scope.source_id is None:
        return ""
    params["source"] = scope.source_id
    return " AND source_id = $source"


def row_flags(scope: Scope, canceled: bool | None) -> str:
    """The flags of the raw rows (orders, lines, expenses) a scope reads, as ONE condition: a retail
    scope's counted rows are `(excluded OR canceled OR b2b) = false`; `canceled=None` leaves it out.

    One condition, not `NOT excluded AND NOT canceled AND NOT b2b`: DuckDB 2.0 pushes each of those into
    the scan of its column, and filtering the Roaring-compressed flags there costs ≈ 1 ms a flag per two
    row groups (245 k lines), while one expression is evaluated on the rows the day range kept: 1.25–3.1×
    faster over the few raw days around whole months, 1.17–2.0× over a raw year of lines (bench store,
    1 M orders; a b2b scope's selective flag alone lost ≈ 12 %). The flags are NOT NULL.
    """
    flags = ["excluded"]
    if canceled is not None:
        flags.append("NOT canceled" if canceled else "canceled")
    if scope.sales_type is SalesType.RETAIL:
        flags.append("b2b")
    elif scope.sales_type is SalesType.B2B:
        flags.append("NOT b2b")
    return f"({' OR '.join(flags)}) = false"


def raw_filters(scope: Scope, params: Params, canceled: bool | None) -> str:
    """` AND …` for the scope's source, sales type, excluded sources and `canceled` on raw rows."""
    return f"{source_filter(scope, params)} AND {row_flags(scope, canceled)}"


def line_filter(scope: Scope, params: Params, *, rollup: bool = False) -> str:
    """The category and brand filters on lines or `line_months` ('' when the scope does not narrow lines).

    A semi-join on the categories is 1.5× faster than `list_contains` over a year of lines, slower over
    the rollup's fewer rows (measured on the 1 M-order bench store).
    """
    conditions = []
    if scope.category_ids is not None:
        params["categories"] = sorted(scope.category_ids)
        conditions.append(
            "list_contains($categories::BIGINT[], category_id)"
            if rollup
            else "category_id IN (SELECT unnest($categories::BIGINT[]))"
        )
    if scope.brand_key is not None:
        params["brand"] = scope.brand_key
        conditions.append("brand_key = $brand")
    return "".join(f" AND {c}" for c in conditions)


@frozen
class Narrowed:
    """The rollups that answer a scope filtered by one category subtree or one brand, and the condition
    that picks it in them."""

    condition: str
    #: The per-day rollup of orders and their matching lines, and how many orders a row counts.
    lines: str
    orders: str
    expenses: str


def narrowed(scope: Scope, params: Params) -> Narrowed | None:
    """The rollups per subtree or brand for the scope (None when it is filtered by neither, by both, or by
    categories that are not a subtree)."""
    if by_subtree(scope):
        params["root"] = scope.category_id
        return Narrowed(" AND category_id = $root", "order_category_days", "orders", "expense_category_days")
    if scope.brand_key is not None and scope.category_ids is None:
        params["brand"] = scope.brand_key
        return Narrowed(" AND brand_key = $brand", "brand_days", "brand_orders", "expense_brand_days")
    return None


def by_subtree(scope: Scope) -> bool:
    """Whether the scope is filtered by one category subtree alone (the rollups keep those by root)."""
    return scope.category_id is not None and scope.category_ids is not None and scope.brand_key is None


def split(start: date, end: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The whole calendar months inside [start, end] (first days of the first and the last), and the
    day ranges outside them (all of it when no month is whole)."""
    first = start if start.day == 1 else _next_month(start)
    last_end = (
        end if end.day == monthrange(end.year, end.month)[1] else end.replace(day=1) - timedelta(days=1)
    )
    last = last_end.replace(day=1)
    if first > last:
        return None, [(start, end)]
    raw = []
    if start < first:
        raw.append((start, first - timedelta(days=1)))
    if last_end < end:
        raw.append((last_end + timedelta(days=1), end))
    return (first, last), raw


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_rollup(scope: Scope, keys: Sequence[str] = ()) -> str:
    """The months' rollup of lines for the scope: `product_months` over every source (a seventh of the rows
    on the bench store), `line_months` for one source or per source."""
    return "line_months" if scope.source_id is not None or "source_id" in keys else "product_months"


def counted_lines(
    scope: Scope,
    params: Params,
    keys: Sequence[str],
    measures: Sequence[str],
    *,
    rollups: bool,
    subtree_brands: bool = False,
) -> str:
    """A relation of (keys…, measures…) over the scope's counted lines, to be summed again by the keys:
    one row per group from the whole months' rollup and one from the raw lines of the other days.

    `subtree_brands`: the months from `brand_category_months` (a scope `by_subtree`, keyed by brand).
    """
    months, raw = split(scope.start, scope.end) if rollups else (None, [(scope.start, scope.end)])
    filters, raw_rows = sales_filters(scope, params), raw_filters(scope, params, canceled=False)
    parts = []
    if raw:
        days = []
        for n, (first, last) in enumerate(raw):
            params[f"raw_start{n}"], params[f"raw_end{n}"] = first, last
            days.append(f"business_day BETWEEN $raw_start{n} AND $raw_end{n}")
        columns = [f"{_KEYS[k]} AS {k}" for k in keys] + [f"{_MEASURES[m][0]} AS {m}" for m in measures]
        parts.append(
            f"SELECT {', '.join(columns)} FROM order_lines"
            f" WHERE ({' OR '.join(days)}){raw_rows}"
            f"{line_filter(scope, params)} GROUP BY ALL"
        )
    if months is not None:
        params["month_first"], params["month_last"] = months
        columns = [*keys, *(f"{_MEASURES[m][1]} AS {m}" for m in measures)]
        if subtree_brands:
            params["root"] = scope.category_id
            table, narrowing = "brand_category_months", " AND category_id = $root"
        else:
            table, narrowing = month_rollup(scope, keys), line_filter(scope, params, rollup=True)
        parts.append(
            f"SELECT {', '.join(columns)} FROM {table}"
            f" WHERE month BETWEEN $month_first AND $month_last{filters}{narrowing} GROUP BY ALL"
        )
    return " UNION ALL ".join(f"({part})" for part in parts)


def netted_split(
    start: date, end: date
) -> tuple[tuple[date, date] | None, list[tuple[date, date]], list[tuple[date, date]]]:
    """Like `split`, but a month the period covers at least half of is read whole from the rollup, less the
    lines of its days outside the period: (months, day ranges to add, day ranges to subtract).

    A period ending today covers most of this month, whose remaining days have no lines yet: its month is
    read from the rollup instead of grouping its lines so far.
    """
    first, last = start.replace(day=1), end.replace(day=1)
    add: list[tuple[date, date]] = []
    subtract: list[tuple[date, date]] = []
    low, high = first, last
    for month in sorted({first, last}):
        month_end = _next_month(month) - timedelta(days=1)
        covered = (min(end, month_end) - max(start, month)).days + 1
        outside = [
            r
            for r in ((month, start - timedelta(days=1)), (end + timedelta(days=1), month_end))
            if r[0] <= r[1]
        ]
        if not outside:
            continue
        if 2 * covered >= monthrange(month.year, month.month)[1]:
            subtract.extend(outside)
            continue
        add.append((max(start, month), min(end, month_end)))
        if month == first:
            low = _next_month(first)
        if month == last:
            high = (last - timedelta(days=1)).replace(day=1)
    return ((low, high) if low <= high else None), add, subtract


#: Counted lines of each group, to drop the groups a subtraction leaves without lines.
LINES = "lines"


def netted_lines(
    scope: Scope, params: Params, keys: Sequence[str], measures: Sequence[str], *, rollups: bool
) -> str:
    """`counted_lines` over `netted_split`'s months and days, with a `lines` measure: sum the relation again
    by the keys and keep the groups whose `lines` is not 0 (the months' groups with lines only on the days
    taken off)."""
    months, add, subtract = (
        netted_split(scope.start, scope.end) if rollups else (None, [(scope.start, scope.end)], [])
    )
    filters, raw_rows = sales_filters(scope, params), raw_filters(scope, params, canceled=False)
    parts = []
    for name, negate, ranges in (("add", "", add), ("subtract", "-", subtract)):
        if not ranges:
            continue
        days = []
        for n, (first, last) in enumerate(ranges):
            params[f"{name}_from{n}"], params[f"{name}_to{n}"] = first, last
            days.append(f"business_day BETWEEN ${name}_from{n} AND ${name}_to{n}")
        columns = [f"{_KEYS[k]} AS {k}" for k in keys] + [
            f"{negate}({_MEASURES[m][0]}) AS {m}" for m in measures
        ]
        columns.append(f"{negate}count(*) AS {LINES}")
        parts.append(
            f"SELECT {', '.join(columns)} FROM order_lines"
            f" WHERE ({' OR '.join(days)}){raw_rows}"
            f"{line_filter(scope, params)} GROUP BY ALL"
        )
    if months is not None:
        params["month_first"], params["month_last"] = months
        columns = [*keys, *(f"{_MEASURES[m][1]} AS {m}" for m in measures), f"sum(lines) AS {LINES}"]
        parts.append(
            f"SELECT {', '.join(columns)} FROM {month_rollup(scope, keys)}"
            f" WHERE month BETWEEN $month_first AND $month_last{filters}"
            f"{line_filter(scope, params, rollup=True)} GROUP BY ALL"
        )
    return " UNION ALL ".join(f"({part})" for part in parts)


def summed_lines(
    scope: Scope, params: Params, keys: Sequence[str], measures: Sequence[str], *, rollups: bool
) -> tuple[str, str]:
    """The scope's counted lines per group to sum again by the keys, and the HAVING clause the sums take.

    Without a category or brand filter, a month the scope covers mostly (this month, in a period ending
    today) is read from the rollup less its other days (`netted_lines`) instead of grouping its lines so far;
    with one, `counted_lines`. The measures must be sums (no distinct counts).
    """
    if scope.narrows_lines:
        return counted_lines(scope, params, keys, measures, rollups=rollups), ""
    return netted_lines(scope, params, keys, measures, rollups=rollups), f" HAVING sum({LINES}) <> 0"
