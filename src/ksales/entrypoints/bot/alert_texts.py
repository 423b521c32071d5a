"""The admins' alert messages (SPEC §7)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ksales.domain.alerts import AlertEvent, AlertKind
from ksales.domain.language import N_
from ksales.domain.silence import Silence
from ksales.ports.language import Translator

_STARTED = {
    AlertKind.SYNC_FAILING: N_("The sync with KeyCRM is failing: the figures are getting stale."),
    AlertKind.KEY_REJECTED: N_("KeyCRM rejects the API key (KEYCRM_API_KEY): the sync has stopped."),
}
_CLEARED = {
    AlertKind.SYNC_FAILING: N_("The sync with KeyCRM works again."),
    AlertKind.KEY_REJECTED: N_("KeyCRM accepts the API key again."),
    AlertKind.SILENCE: N_("Orders are coming in again."),
}


def silence(t: Translator, found: Silence) -> str:
    """No order for H hours, since when, and how many the same weekday usually has then."""
    quiet = t.ngettext(
        "No order for {hours} hour (since {since}).",
        "No order for {hours} hours (since {since}).",
        found.hours,
        hours=found.hours,
        since=found.since.strftime("%H:%M"),
    )
    usual = t.gettext(
        "Orders in these hours on the same weekday, mean of the last 8 weeks: {expected}. "
        "Is the checkout working?",
        expected=t.number(found.expected.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1),
    )
    return f"{quiet} {usual}"


def alert(t: Translator, event: AlertEvent) -> str:
    if event.started:
        if event.silence is not None:
            return "🚨 " + silence(t, event.silence)
        return "🚨 " + t.gettext(_STARTED[event.kind])
    return "✅ " + t.gettext(_CLEARED[event.kind])
