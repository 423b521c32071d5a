"""Which operational alerts the admins must hear now; their state lives in the store (survives restarts)."""

from __future__ import annotations

from datetime import datetime

from ksales.domain.alerts import AlertEvent, AlertKind, AlertState, step, sync_failing
from ksales.ports.clock import Clock
from ksales.ports.health import KEY_REJECTED
from ksales.ports.store import SalesStore
from ksales.services.health import KEYCRM, Health
from ksales.services.sync import FAILURES_KEY, LAST_SUCCESS_KEY


def state_key(kind: AlertKind) -> str:
    return f"alert.{kind.value}"


class AlertMonitor:
    def __init__(
        self, store: SalesStore, health: Health, clock: Clock, enabled: bool, sync_interval: int
    ) -> None:
        self.store = store
        self.health = health
        self.clock = clock
        self.enabled = enabled
        self.sync_interval = sync_interval

    def faults(self, now: datetime) -> dict[AlertKind, bool]:
        """Whether each watched fault holds now."""
        raw = self.store.get_meta(LAST_SUCCESS_KEY)
        last_success = None if raw is None else datetime.fromisoformat(raw)
        failures = int(self.store.get_meta(FAILURES_KEY) or 0)
        faults = {AlertKind.SYNC_FAILING: sync_failing(failures, last_success, now, self.sync_interval > 0)}
        if self.health.known(KEYCRM):  # after a restart, nothing is known of the key until KeyCRM answers
            faults[AlertKind.KEY_REJECTED] = self.health.reason(KEYCRM) == KEY_REJECTED
        return faults

    def due(self) -> list[AlertEvent]:
        """The alerts to send now (each recorded in the store as sent when returned)."""
        if not self.enabled:
            return []
        now = self.clock.now()
        events = []
        for kind, faulty in self.faults(now).items():
            key = state_key(kind)
            changed = step(AlertState.load(self.store.get_meta(key)), faulty, now)
            if changed is None:
                continue
            self.store.set_meta({key: changed.dump()})
            events.append(AlertEvent(kind, changed.active))
        return events
