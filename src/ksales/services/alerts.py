"""Which operational alerts the admins must hear now; their state lives in the store (survives restarts)."""

from __future__ import annotations

from datetime import datetime

from ksales.domain.alerts import NO_SUCCESS_FOR, AlertEvent, AlertKind, AlertState, step, sync_failing
from ksales.domain.silence import Silence
from ksales.ports.clock import Clock
from ksales.ports.health import KEY_REJECTED
from ksales.ports.store import SalesStore
from ksales.services.health import KEYCRM, Health
from ksales.services.silence import SilenceWatch
from ksales.services.sync import FAILURES_KEY, LAST_SUCCESS_KEY


def state_key(kind: AlertKind) -> str:
    return f"alert.{kind.value}"


class AlertMonitor:
    def __init__(
        self,
        store: SalesStore,
        health: Health,
        clock: Clock,
        enabled: bool,
        sync_interval: int,
        silence: SilenceWatch | None = None,
    ) -> None:
        self.store = store
        self.health = health
        self.clock = clock
        self.enabled = enabled
        self.sync_interval = sync_interval
        self.silence = silence

    def state(self, kind: AlertKind) -> AlertState:
        return AlertState.load(self.store.get_meta(state_key(kind)))

    def faults(self, now: datetime) -> dict[AlertKind, bool]:
        """Whether each watched fault holds now."""
        return {kind: held for kind, (held, _) in self._faults(now).items()}

    def _faults(self, now: datetime) -> dict[AlertKind, tuple[bool, Silence | None]]:
        raw = self.store.get_meta(LAST_SUCCESS_KEY)
        last_success = None if raw is None else datetime.fromisoformat(raw)
        failures = int(self.store.get_meta(FAILURES_KEY) or 0)
        failing = sync_failing(failures, last_success, now, self.sync_interval > 0)
        faults: dict[AlertKind, tuple[bool, Silence | None]] = {AlertKind.SYNC_FAILING: (failing, None)}
        if self.health.known(KEYCRM):  # after a restart, nothing is known of the key until KeyCRM answers
            faults[AlertKind.KEY_REJECTED] = (self.health.reason(KEYCRM) == KEY_REJECTED, None)
        if self.silence is not None:
            # Only fresh data can be silent: a sync that succeeded lately and is not failing now.
            fresh = not failing and last_success is not None and now - last_success < NO_SUCCESS_FOR
            faults[AlertKind.SILENCE] = self._silence(now, fresh)
        return faults

    def _silence(self, now: datetime, fresh: bool) -> tuple[bool, Silence | None]:
        assert self.silence is not None
        told = self.state(AlertKind.SILENCE)
        if told.active and told.sent_at is not None:
            return self.silence.lasts(told.sent_at, now), None
        found = self.silence.begun(now, fresh)
        return found is not None, found

    def due(self) -> list[AlertEvent]:
        """The alerts to send now (each recorded in the store as sent when returned)."""
        if not self.enabled:
            return []
        now = self.clock.now()
        events = []
        for kind, (faulty, silence) in self._faults(now).items():
            key = state_key(kind)
            changed = step(self.state(kind), faulty, now)
            if changed is None:
                continue
            self.store.set_meta({key: changed.dump()})
            events.append(AlertEvent(kind, changed.active, silence=silence if changed.active else None))
        return events
