"""How an order is classified: business day, canceled, counted, sales type."""

from __future__ import annotations

from datetime import date, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

from attrs import frozen

from ksales.domain.model import Order

#: KeyCRM's fixed status group of canceled and returned orders.
CANCELED_STATUS_GROUP = 6


class SalesType(StrEnum):
    RETAIL = "retail"
    B2B = "b2b"
    ALL = "all"


@frozen
class Rules:
    """The shop's classification settings (SPEC §2, §5)."""

    timezone: tzinfo = ZoneInfo("Europe/Kyiv")
    b2b_manager_ids: frozenset[int] = frozenset({15})
    excluded_source_ids: frozenset[int] = frozenset()
    canceled_status_ids: frozenset[int] = frozenset()


def business_day(order: Order, timezone: tzinfo) -> date:
    """The shop-local date of the order's placement (`ordered_at`, else `created_at`)."""
    return order.placed_at.astimezone(timezone).date()


def is_canceled(order: Order, rules: Rules) -> bool:
    """Status group 6 (canceled and returned alike) or an extra canceled status id."""
    return order.status_group_id == CANCELED_STATUS_GROUP or (
        order.status_id is not None and order.status_id in rules.canceled_status_ids
    )


def is_excluded(order: Order, rules: Rules) -> bool:
    """Orders of excluded sources are left out of every figure."""
    return order.source_id in rules.excluded_source_ids


def is_counted(order: Order, rules: Rules) -> bool:
    """A sale: not canceled and not from an excluded source."""
    return not is_canceled(order, rules) and not is_excluded(order, rules)


def sales_type_of(order: Order, rules: Rules) -> SalesType:
    """B2B when a B2B manager handles the order; everything else (no manager included) is retail."""
    if order.manager_id is not None and order.manager_id in rules.b2b_manager_ids:
        return SalesType.B2B
    return SalesType.RETAIL


def matches_sales_type(order: Order, wanted: SalesType, rules: Rules) -> bool:
    return wanted is SalesType.ALL or sales_type_of(order, rules) is wanted
