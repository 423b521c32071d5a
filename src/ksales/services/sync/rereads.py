"""Re-reading recent orders by creation date, spread over incremental syncs within a request budget.

KeyCRM does not always bump `updated_at` when an order's status changes, so orders placed lately are
re-read by `created_between` — but re-reading the last 30 days on every run would spend most of the
shared rate limit (SPEC §4). Instead two *sweeps* walk back from now in chunks of whole pages, one chunk
per run each: the last 48 hours once every 10 intervals, the last 30 days once every 60. A chunk is the
stretch of time that holds at most `pages × 50` stored orders (found with the store's own counts), so a
chunk costs the pages planned; its cursor is an absolute moment, so every order placed inside a sweep's
span when the sweep began is read once before the sweep starts over.

The budget: a background sync may spend `KSALES_SYNC_BUDGET_PCT` % of `KEYCRM_RATE_LIMIT` on average. What
each run must spend (the orders updated since the checkpoint, the dictionaries now and then) comes first;
the sweeps get the rest, at the rate their deadlines need, or slower — *stretched* — when the budget cannot
cover them (a 20/min account of a busy shop), which is logged once.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from attrs import define, field, frozen

from ksales.ports.crm import TimeWindow

log = logging.getLogger(__name__)

#: KeyCRM's page size: a chunk of `k × PAGE` orders costs k requests.
PAGE = 50
#: The newest updated-order reads and dictionary reads are averaged over about this many runs.
SMOOTHING = 0.1


@frozen
class Budget:
    """Requests a background sync may send per sync interval, on average."""

    per_interval: float
    interval: timedelta

    @classmethod
    def share(cls, rate_limit: int, percent: int, interval_seconds: int) -> Budget:
        """`percent` % of `rate_limit` a minute, per interval (an interval of 0, off, counts as a minute)."""
        seconds = interval_seconds if interval_seconds > 0 else 60
        return cls(rate_limit * percent / 100 * seconds / 60, timedelta(seconds=seconds))

    def describe(self) -> str:
        return f"{self.per_interval * 60 / self.interval.total_seconds():g} requests a minute"


@frozen
class Sweep:
    """Orders placed in the last `span` are each re-read at least once every `every` intervals."""

    name: str
    span: timedelta
    every: int


SWEEPS = (Sweep("48h", timedelta(hours=48), 10), Sweep("30d", timedelta(days=30), 60))


@define
class RereadPlan:
    """Where each sweep stands and what the budget has left; kept in the store's meta as JSON."""

    #: Requests the budget still holds (negative: overspent, the sweeps wait).
    credit: float = 0.0
    #: Pages each sweep is owed at its planned rate.
    owed: dict[str, float] = field(factory=dict)
    #: The end of each sweep's next chunk; absent: the sweep starts again at now.
    cursors: dict[str, datetime] = field(factory=dict)
    #: The average of what runs had to spend before the sweeps (updated orders, dictionaries).
    mandatory: float = 1.0

    def dump(self) -> str:
        return json.dumps(
            {
                "credit": round(self.credit, 4),
                "owed": {k: round(v, 4) for k, v in self.owed.items()},
                "cursors": {k: v.isoformat() for k, v in self.cursors.items()},
                "mandatory": round(self.mandatory, 4),
            }
        )

    @classmethod
    def load(cls, raw: str | None) -> RereadPlan:
        if not raw:
            return cls()
        try:
            data: dict[str, Any] = json.loads(raw)
            return cls(
                float(data["credit"]),
                {str(k): float(v) for k, v in data["owed"].items()},
                {str(k): datetime.fromisoformat(v) for k, v in data["cursors"].items()},
                float(data["mandatory"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignoring an unreadable re-read plan; the sweeps start again")
            return cls()


#: How many stored orders are placed in [start, end).
Counter = Callable[[datetime, datetime], int]


@define(eq=False)
class Rereads:
    """Decides, run by run, which chunks of recent history to re-read."""

    budget: Budget
    stretched_logged: bool = False

    def charge(self, plan: RereadPlan, spent: int) -> None:
        """A new run: the budget's share comes in, what the run had to spend goes out."""
        plan.mandatory += SMOOTHING * (spent - plan.mandatory)
        plan.credit = min(plan.credit, self.budget.per_interval) + self.budget.per_interval - spent

    def rates(self, plan: RereadPlan, now: datetime, count: Counter) -> dict[str, float]:
        """Pages per run each sweep gets: what its deadline needs, scaled down to what the budget leaves."""
        need = {s.name: max(count(now - s.span, now) / PAGE, 1.0) / s.every for s in SWEEPS}
        allowance = max(self.budget.per_interval - plan.mandatory, 0.0)
        total = sum(need.values())
        if total <= allowance:
            return need
        if not self.stretched_logged:
            self.stretched_logged = True
            stretch = total / allowance if allowance else math.inf
            log.warning(
                "the sync budget (%s) cannot re-read recent orders as often as planned: "
                "the re-reads stretch about %.1f× (the last 30 days every ~%s intervals)",
                self.budget.describe(),
                stretch,
                "∞" if math.isinf(stretch) else f"{60 * stretch:.0f}",
            )
        scale = allowance / total
        return {name: rate * scale for name, rate in need.items()}

    def next_chunk(
        self, plan: RereadPlan, sweep: Sweep, rate: float, now: datetime, top: datetime, count: Counter
    ) -> tuple[TimeWindow, int] | None:
        """The sweep's next chunk and its planned pages, or None when it must wait (owed or credit short)."""
        owed = min(plan.owed.get(sweep.name, 0.0) + rate, max(2.0, rate * sweep.every))
        plan.owed[sweep.name] = owed
        pages = min(math.floor(owed), math.floor(plan.credit))
        if pages < 1:
            return None
        end = plan.cursors.get(sweep.name, top)
        bottom = now - sweep.span
        if end <= bottom:
            end = top
        return TimeWindow(chunk_start(end, bottom, pages * PAGE, count), end), pages

    def spent(self, plan: RereadPlan, sweep: Sweep, window: TimeWindow, requests: int, now: datetime) -> None:
        """The chunk was read for `requests` requests: pay, and move the cursor (back to now at the end)."""
        plan.owed[sweep.name] = plan.owed.get(sweep.name, 0.0) - requests
        plan.credit -= requests
        if window.start <= now - sweep.span:
            plan.cursors.pop(sweep.name, None)
        else:
            plan.cursors[sweep.name] = window.start


def chunk_start(end: datetime, bottom: datetime, most: int, count: Counter) -> datetime:
    """The earliest start ≥ `bottom` (to the minute) such that [start, end) holds at most `most` orders."""
    if count(bottom, end) <= most:
        return bottom
    low, high = bottom, end  # count(low, end) > most >= count(high, end)
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if count(middle, end) > most:
            low = middle
        else:
            high = middle
    return min(high, end - timedelta(minutes=1))  # a minute denser than a chunk: read it anyway
