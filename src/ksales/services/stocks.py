"""Daily stock snapshots: every page of the CRM's stock, with each offer's product, stored per local day.

KeyCRM keeps no stock history, so a day without a snapshot is lost for good: the service takes one once
a local day after 01:00 (`due`), says which days are missing (`missing_days`), and never invents one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date, datetime, tzinfo

import attrs
from attrs import frozen

from ksales.domain.stock import OfferStock, StockSnapshot, missing_days, snapshot_due
from ksales.ports.clock import Clock
from ksales.ports.crm import Crm, SkippedOffer
from ksales.ports.request_meter import counting
from ksales.ports.store import SalesStore

log = logging.getLogger(__name__)


@frozen
class SnapshotReport:
    """What taking one snapshot did."""

    day: date
    offers: int
    skipped: tuple[SkippedOffer, ...]
    requests: int
    seconds: float

    def line(self) -> str:
        skipped = f", skipped {len(self.skipped)}" if self.skipped else ""
        return (
            f"stock snapshot {self.day.isoformat()}: {self.offers} offers{skipped}, "
            f"{self.requests} requests, {self.seconds:.1f} s"
        )


class StockSnapshots:
    """Takes and keeps the daily stock snapshots; the local day is that of `timezone` on `clock`."""

    def __init__(self, crm: Crm, store: SalesStore, clock: Clock, timezone: tzinfo) -> None:
        self.crm = crm
        self.store = store
        self.clock = clock
        self.timezone = timezone

    def due(self, now: datetime) -> bool:
        """Whether today's snapshot should be taken at `now`: past 01:00 local and not taken yet."""
        return snapshot_due(now, self.timezone, set(self.store.stock_snapshot_days()))

    def missing_days(self, since: date | None = None) -> list[date]:
        """Days since the first snapshot (or `since`) that have none, today once it is due."""
        return missing_days(set(self.store.stock_snapshot_days()), self.clock.now(), self.timezone, since)

    async def take(self) -> SnapshotReport:
        """Read every page of the stock and of the offers now and store them as today's snapshot."""
        started = time.monotonic()
        taken_at = self.clock.now()
        rows: list[OfferStock] = []
        skipped: list[SkippedOffer] = []
        with counting() as meter:
            async for page in self.crm.stocks():
                rows.extend(page.rows)
                skipped.extend(page.skipped)
            # The stock list does not say which product an offer belongs to: `/offers` does, read every time.
            products: dict[int, int | None] = {}
            async for offers in self.crm.offers():
                products.update({offer.id: offer.product_id for offer in offers.offers})
        snapshot = StockSnapshot(
            day=taken_at.astimezone(self.timezone).date(),
            taken_at=taken_at,
            rows=tuple(attrs.evolve(row, product_id=products.get(row.offer_id)) for row in rows),
        )
        await asyncio.shield(asyncio.to_thread(self.store.save_stock_snapshot, snapshot))
        return SnapshotReport(
            snapshot.day,
            len(snapshot.rows),
            tuple(skipped),
            meter.requests,
            time.monotonic() - started,
        )

    async def take_if_due(self) -> SnapshotReport | None:
        """Today's snapshot when it is due, else None."""
        if not self.due(self.clock.now()):
            return None
        return await self.take()

    def __repr__(self) -> str:
        return f"StockSnapshots({self.crm!r}, {self.store!r})"
