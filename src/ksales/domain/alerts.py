"""Operational alerts to admins (SPEC §7): once when a fault starts, once when it clears, rate-limited."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from enum import StrEnum

from attrs import frozen

from ksales.domain.silence import Silence

#: At most one message per kind in this long, however the fault flaps.
QUIET = timedelta(minutes=30)
#: The sync alert: this many failed runs in a row, or no success for this long.
FAILURES_IN_A_ROW = 3
NO_SUCCESS_FOR = timedelta(minutes=15)


class AlertKind(StrEnum):
    SYNC_FAILING = "sync_failing"
    KEY_REJECTED = "key_rejected"
    SILENCE = "silence"


@frozen
class AlertState:
    """What the admins were last told about one kind, and when (kept in the store across restarts)."""

    active: bool = False
    sent_at: datetime | None = None

    def dump(self) -> str:
        return json.dumps(
            {"active": self.active, "sent_at": None if self.sent_at is None else self.sent_at.isoformat()}
        )

    @classmethod
    def load(cls, raw: str | None) -> AlertState:
        if raw is None:
            return cls()
        data = json.loads(raw)
        sent = data.get("sent_at")
        return cls(bool(data.get("active")), None if sent is None else datetime.fromisoformat(sent))


@frozen
class AlertEvent:
    kind: AlertKind
    #: True: the fault started; False: it cleared.
    started: bool
    detail: str | None = None
    #: A silence that started: how long, since when, how many orders were expected.
    silence: Silence | None = None


def step(state: AlertState, faulty: bool, now: datetime) -> AlertState | None:
    """The new state when the admins must be told now (the fault began or ended); None otherwise.

    Nothing is said while the last message of this kind is younger than QUIET: a fault that clears
    within it is reported cleared once the quiet time is over (if it is still clear then).
    """
    if faulty == state.active:
        return None
    if state.sent_at is not None and now - state.sent_at < QUIET:
        return None
    return AlertState(faulty, now)


def sync_failing(
    failures_in_a_row: int, last_success: datetime | None, now: datetime, watch_age: bool
) -> bool:
    """The sync failed FAILURES_IN_A_ROW times in a row, or (when syncs run) last succeeded too long ago."""
    if failures_in_a_row >= FAILURES_IN_A_ROW:
        return True
    return (
        watch_age
        and last_success is not None
        and now - last_success >= NO_SUCCESS_FOR
        and failures_in_a_row > 0
    )
