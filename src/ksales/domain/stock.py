"""Stock as KeyCRM reports it, per offer, and the daily snapshots ksales keeps of it.

KeyCRM keeps no stock history: a day whose snapshot was not taken is lost for good, so the rules
below say when one is due and which days are missing — never how to invent one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from attrs import field, frozen

#: A day's snapshot is taken after this local time (and at start when today's is missing).
SNAPSHOT_AFTER = time(1, 0)


def _aware(_: object, attribute: Any, value: datetime) -> None:
    if value.utcoffset() is None:
        raise ValueError(f"{attribute.name} must be timezone-aware")


@frozen
class Offer:
    """An offer (a product variant) as `GET /offers` lists it: which product it belongs to."""

    id: int
    product_id: int | None = None
    sku: str | None = None


@frozen
class OfferStock:
    """One offer's stock: quantity on hand (reserved units included) and its prices.

    Quantities are Decimals: KeyCRM allows fractional units. `purchased_price` is None when unknown;
    `product_id` comes from `GET /offers` (the stock list does not carry it).
    """

    offer_id: int
    quantity: Decimal
    reserve: Decimal = Decimal(0)
    price: Decimal = Decimal(0)
    purchased_price: Decimal | None = None
    sku: str | None = None
    product_id: int | None = None

    @property
    def available(self) -> Decimal:
        return self.quantity - self.reserve


def _by_offer(rows: Iterable[OfferStock]) -> tuple[OfferStock, ...]:
    """One row per offer (the last one of an id wins), by offer id."""
    return tuple(sorted({row.offer_id: row for row in rows}.values(), key=lambda r: r.offer_id))


@frozen
class StockSnapshot:
    """The whole stock as it stood on a shop-local day, taken at `taken_at`; rows by offer id."""

    day: date
    taken_at: datetime = field(validator=_aware)
    rows: tuple[OfferStock, ...] = field(default=(), converter=_by_offer)


def snapshot_due(now: datetime, timezone: tzinfo, taken: Collection[date]) -> bool:
    """Today's snapshot is due once it is past SNAPSHOT_AFTER local time and none was taken today."""
    local = now.astimezone(timezone)
    return local.time() >= SNAPSHOT_AFTER and local.date() not in taken


def missing_days(
    taken: Collection[date], now: datetime, timezone: tzinfo, since: date | None = None
) -> list[date]:
    """Days from the first snapshot (or `since`, if later) up to today that have none, oldest first.

    Today is missing only once its snapshot is due; days before the first snapshot are not counted.
    """
    if not taken:
        return []
    local = now.astimezone(timezone)
    first = max(min(taken), since) if since is not None else min(taken)
    last = local.date() if local.time() >= SNAPSHOT_AFTER else local.date() - timedelta(days=1)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day not in taken]
