"""The admins' alert messages (SPEC §7)."""

from __future__ import annotations

from ksales.domain.alerts import AlertEvent, AlertKind
from ksales.domain.language import N_
from ksales.ports.language import Translator

_STARTED = {
    AlertKind.SYNC_FAILING: N_("The sync with KeyCRM is failing: the figures are getting stale."),
    AlertKind.KEY_REJECTED: N_("KeyCRM rejects the API key (KEYCRM_API_KEY): the sync has stopped."),
}
_CLEARED = {
    AlertKind.SYNC_FAILING: N_("The sync with KeyCRM works again."),
    AlertKind.KEY_REJECTED: N_("KeyCRM accepts the API key again."),
}


def alert(t: Translator, event: AlertEvent) -> str:
    if event.started:
        return "🚨 " + t.gettext(_STARTED[event.kind])
    return "✅ " + t.gettext(_CLEARED[event.kind])
