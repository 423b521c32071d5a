"""The reconciliation: the store's order count per calendar month against KeyCRM's, and the repair.

One `limit=1` request per month of the whole history asks KeyCRM how many orders were placed in it
(`created_between`, UTC month boundaries, every status); a month whose count differs from the store's is
re-read at once, window by window with deletions, and counted again. A month that still differs is
*unrepaired* (it shows in `/api/health` and `ksales doctor`). Orders the CRM sends but that cannot be
read count as present. The current month is compared only up to the start of the last sync.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from attrs import define, field

from ksales.ports.crm import TimeWindow
from ksales.ports.request_meter import counting
from ksales.services.sync_report import SyncReport

if TYPE_CHECKING:
    from ksales.services.sync.service import SyncService

log = logging.getLogger(__name__)

RECONCILIATION_KEY = "sync.reconciliation"


@define
class Reconciliation:
    """What the last reconciliation found and did; kept in the store's meta as JSON."""

    at: datetime
    months_checked: int = 0
    #: Months ("YYYY-MM") whose counts disagreed before the repair.
    mismatched: list[str] = field(factory=list)
    #: Months that still disagreed after it.
    unrepaired: list[str] = field(factory=list)
    inserted: int = 0
    updated: int = 0
    removed: int = 0
    requests: int = 0

    @property
    def ok(self) -> bool:
        return not self.unrepaired

    def line(self) -> str:
        return (
            f"reconciliation: {self.months_checked} months checked, {len(self.mismatched)} disagreed, "
            f"{len(self.unrepaired)} unrepaired; inserted {self.inserted}, updated {self.updated}, "
            f"removed {self.removed}, {self.requests} requests"
        )

    def dump(self) -> str:
        return json.dumps(
            {
                "at": self.at.astimezone(UTC).isoformat(),
                "months_checked": self.months_checked,
                "mismatched": self.mismatched,
                "unrepaired": self.unrepaired,
                "inserted": self.inserted,
                "updated": self.updated,
                "removed": self.removed,
                "requests": self.requests,
            }
        )

    @classmethod
    def load(cls, raw: str | None) -> Reconciliation | None:
        """The kept result; None when there is none or it cannot be read."""
        if not raw:
            return None
        try:
            data: dict[str, Any] = json.loads(raw)
            return cls(
                datetime.fromisoformat(data["at"]),
                int(data["months_checked"]),
                [str(m) for m in data["mismatched"]],
                [str(m) for m in data["unrepaired"]],
                int(data["inserted"]),
                int(data.get("updated", 0)),
                int(data["removed"]),
                int(data.get("requests", 0)),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignoring an unreadable reconciliation record")
            return None


def month_windows(first: date, bound: datetime) -> list[tuple[date, TimeWindow, bool]]:
    """Each UTC calendar month from `first`'s to `bound`'s, the last one cut at `bound` (whole: False)."""
    result: list[tuple[date, TimeWindow, bool]] = []
    month = date(first.year, first.month, 1)
    while True:
        start = datetime(month.year, month.month, 1, tzinfo=UTC)
        if start >= bound:
            return result
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = datetime(following.year, following.month, 1, tzinfo=UTC)
        result.append((month, TimeWindow(start, min(end, bound)), end <= bound))
        month = following


async def reconcile_months(sync: SyncService, report: SyncReport, bound: datetime) -> Reconciliation:
    """Compare every month of the stored history up to `bound` with the CRM; repair those that differ."""
    store, crm = sync.store, sync.crm
    result = Reconciliation(sync.clock.now())
    with counting() as meter:
        counts = store.monthly_order_counts()
        first = min(counts, default=bound.astimezone(UTC).date())
        for month, window, whole in month_windows(first, bound):
            stored = (
                counts.get(month, 0)
                if whole
                else len(store.order_ids_placed_between(window.start, window.end))
            )
            expected = await crm.count_orders(window)
            result.months_checked += 1
            if stored == expected:
                continue
            name = f"{month:%Y-%m}"
            result.mismatched.append(name)
            log.warning(
                "reconciliation: %s has %d orders in the store, %d in KeyCRM: re-reading",
                name,
                stored,
                expected,
            )
            unreadable: set[int] = set()
            for part in _parts(sync, window):
                changed, skipped = await sync.rewrite(part, report)
                result.inserted += changed.inserted
                result.updated += changed.updated
                result.removed += changed.removed
                unreadable |= skipped
            present = store.order_ids_placed_between(window.start, window.end) | unreadable
            if len(present) != await crm.count_orders(window):
                result.unrepaired.append(name)
                log.warning("reconciliation: %s still disagrees after the re-read", name)
    result.requests = meter.requests
    store.set_meta({RECONCILIATION_KEY: result.dump()})
    return result


def _parts(sync: SyncService, window: TimeWindow) -> list[TimeWindow]:
    from ksales.services.sync.service import windows

    return windows(window.start, window.end, sync.window)
