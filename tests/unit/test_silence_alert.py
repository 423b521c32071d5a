"""The silence alert (SPEC §7) at its boundaries, on a hand-worked shop with a fixed clock.

The shop: in each of the 8 complete weeks before Monday 30 Nov 2026, every Monday, Tuesday, Thursday, Friday
and Sunday has one order at half past every hour from 09:30 to 20:30 (12 a day); Wednesdays and Saturdays have
none. So any 3-hour window on the hour between 09:00 and 21:00 expects exactly 3 orders on a selling day
— the threshold H = 3 itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ksales.adapters.memory import FixedClock, InMemorySalesStore
from ksales.domain.alerts import AlertEvent, AlertKind, AlertState
from ksales.domain.model import Order
from ksales.domain.pace import WeekdayProfile
from ksales.domain.periods import Period
from ksales.domain.results import DayTotals
from ksales.domain.rules import Rules
from ksales.domain.silence import Silence, expected_orders, persists, starts, watched, window_start
from ksales.entrypoints.bot.alert_texts import alert
from ksales.ports.store import OrderChanges
from ksales.services.alerts import AlertMonitor, state_key
from ksales.services.health import Health
from ksales.services.silence import SilenceWatch
from ksales.services.sync import LAST_SUCCESS_KEY
from tests.i18n import EN, UK

KYIV = ZoneInfo("Europe/Kyiv")
RULES = Rules(timezone=KYIV)
H = 3
#: Monday: 30 Nov 2026 (its profile: the weeks of 5 Oct – 29 Nov).
MONDAY = date(2026, 11, 30)
SELLING_DAYS = frozenset({0, 1, 3, 4, 6})
_ids = iter(range(1, 1_000_000))


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), KYIV)


def order(placed: datetime, **fields: object) -> Order:
    values: dict[str, object] = {"source_id": 1, "status_group_id": 1, **fields}
    return Order(
        id=next(_ids),
        grand_total=Decimal(100),
        created_at=placed.astimezone(UTC),
        **values,  # type: ignore[arg-type]
    )


def profile_orders() -> list[Order]:
    first = MONDAY - timedelta(weeks=8)
    days = [first + timedelta(days=n) for n in range(56)]
    return [order(at(d, hour, 30)) for d in days if d.weekday() in SELLING_DAYS for hour in range(9, 21)]


def shop(*today: Order) -> InMemorySalesStore:
    store = InMemorySalesStore(RULES)
    store.apply(OrderChanges(upserts=(*profile_orders(), *today)))
    return store


def watch(store: InMemorySalesStore) -> SilenceWatch:
    return SilenceWatch(store, KYIV, H)


# --- the domain -----------------------------------------------------------------------------------------
def test_the_window_must_lie_inside_09_to_21() -> None:
    assert not watched(at(MONDAY, 11, 59, 59), H)  # it would begin at 08:59:59
    assert watched(at(MONDAY, 12, 0), H)  # begins at 09:00
    assert watched(at(MONDAY, 21, 0), H)  # ends at 21:00
    assert not watched(at(MONDAY, 21, 0, 1), H)
    assert not watched(at(MONDAY, 8, 59), H) and not watched(at(MONDAY, 9, 0), H)
    assert not watched(at(MONDAY, 1, 0), H)  # the window would begin yesterday


def test_the_window_is_real_time_across_a_dst_change() -> None:
    # Sunday 25 Oct 2026: Kyiv goes from +03:00 to +02:00 at 04:00 local; 3 real hours before 05:00 is 03:00.
    assert window_start(at(date(2026, 10, 25), 5, 0), H) == datetime(2026, 10, 25, 3, 0, tzinfo=KYIV)
    assert window_start(at(date(2026, 10, 25), 5, 0), H).utcoffset() == timedelta(hours=3)


def test_the_expected_orders_come_from_the_profile_shares() -> None:
    weeks = Period(date(2026, 11, 2), date(2026, 11, 8))
    day = weeks.start
    whole = [DayTotals(day, 12, Decimal(1200))]
    start = WeekdayProfile.of(weeks, whole, [DayTotals(day, 3, Decimal(300))])
    now = WeekdayProfile.of(weeks, whole, [DayTotals(day, 6, Decimal(600))])
    assert expected_orders(start, now, 0) == 3
    assert expected_orders(start, now, 1) == 0  # a weekday without orders expects none


def test_a_silence_starts_only_with_fresh_data_an_empty_window_and_h_expected() -> None:
    noon = at(MONDAY, 12, 0)
    assert starts(noon, H, 0, Decimal(3), fresh=True)
    assert not starts(noon, H, 0, Decimal("2.99"), fresh=True)  # fewer than H expected
    assert not starts(noon, H, 1, Decimal(3), fresh=True)  # an order came in
    assert not starts(noon, H, 0, Decimal(3), fresh=False)  # the sync is behind: no telling
    assert not starts(at(MONDAY, 11, 59), H, 0, Decimal(30), fresh=True)
    assert persists(0) and not persists(1)


# --- from the store -------------------------------------------------------------------------------------
def test_boundaries_of_the_day_against_the_store() -> None:
    silence = watch(shop())  # nothing today at all
    assert silence.begun(at(MONDAY, 11, 59), fresh=True) is None
    found = silence.begun(at(MONDAY, 12, 0), fresh=True)
    assert found == Silence(H, at(MONDAY, 9, 0), Decimal(3))
    assert silence.begun(at(MONDAY, 21, 0), fresh=True) == Silence(H, at(MONDAY, 18, 0), Decimal(3))
    assert silence.begun(at(MONDAY, 21, 1), fresh=True) is None
    assert silence.begun(at(MONDAY, 12, 0), fresh=False) is None


def test_a_weekend_day_and_a_weekday_without_orders_in_their_profile_are_never_silent() -> None:
    silence = watch(shop())
    wednesday, saturday, sunday = (MONDAY + timedelta(days=n) for n in (2, 5, 6))
    assert all(silence.begun(at(saturday, hour), fresh=True) is None for hour in range(12, 22))
    assert all(silence.begun(at(wednesday, hour), fresh=True) is None for hour in range(12, 22))
    # The weekend is not special: a Sunday that sells is watched like any day.
    assert silence.begun(at(sunday, 15), fresh=True) == Silence(H, at(sunday, 12), Decimal(3))


def test_exactly_h_hours_after_the_last_order() -> None:
    silence = watch(shop(order(at(MONDAY, 11, 30))))
    assert silence.begun(at(MONDAY, 14, 29, 59), fresh=True) is None  # 11:30 is inside (11:29:59, 14:29:59]
    found = silence.begun(at(MONDAY, 14, 30), fresh=True)
    assert found is not None and found.since == at(MONDAY, 11, 30)
    # Profile orders at 11:30, 12:30, 13:30 fall in [11:30, 14:30).
    assert found.expected == 3


def test_canceled_orders_and_excluded_sources_do_not_break_a_silence() -> None:
    rules = Rules(timezone=KYIV, excluded_source_ids=frozenset({9}))
    store = InMemorySalesStore(rules)
    store.apply(OrderChanges(upserts=(*profile_orders(),)))
    store.apply(
        OrderChanges(
            upserts=(order(at(MONDAY, 13), status_group_id=6), order(at(MONDAY, 13, 5), source_id=9))
        )
    )
    assert watch(store).begun(at(MONDAY, 15), fresh=True) is not None
    store.apply(OrderChanges(upserts=(order(at(MONDAY, 13, 10), manager_id=15),)))  # a B2B sale counts
    assert watch(store).begun(at(MONDAY, 15), fresh=True) is None


# --- the alert: once at the start, once at the first order, state in the store ---------------------------
def monitor(store: InMemorySalesStore, clock: FixedClock) -> AlertMonitor:
    return AlertMonitor(store, Health(), clock, enabled=True, sync_interval=60, silence=watch(store))


def synced(store: InMemorySalesStore, clock: FixedClock) -> None:
    store.set_meta({LAST_SUCCESS_KEY: clock.now().isoformat()})


def silence_events(alerts: AlertMonitor) -> list[AlertEvent]:
    return [e for e in alerts.due() if e.kind is AlertKind.SILENCE]


def test_starts_once_clears_at_the_first_order_and_survives_a_restart() -> None:
    store = shop()
    clock = FixedClock(at(MONDAY, 11, 0).astimezone(UTC))
    alerts = monitor(store, clock)
    events: list[AlertEvent] = []
    for _ in range(120):  # 11:00 → 12:59, a run a minute, the sync fresh
        synced(store, clock)
        events += silence_events(alerts)
        clock.advance(timedelta(minutes=1))
    assert [(e.started, e.silence) for e in events] == [(True, Silence(H, at(MONDAY, 9), Decimal(3)))]
    assert AlertState.load(store.get_meta(state_key(AlertKind.SILENCE))).active

    restarted = monitor(store, clock)  # a new process on the same store: it remembers, repeats nothing
    assert silence_events(restarted) == []

    store.apply(OrderChanges(upserts=(order(at(MONDAY, 13, 0)),)))
    clock.instant = at(MONDAY, 13, 1).astimezone(UTC)
    synced(store, clock)
    (cleared,) = silence_events(restarted)
    assert not cleared.started
    assert silence_events(restarted) == []


def test_an_order_after_hours_still_clears_it() -> None:
    store = shop()
    clock = FixedClock(at(MONDAY, 20, 0).astimezone(UTC))
    synced(store, clock)
    alerts = monitor(store, clock)
    assert [e.started for e in silence_events(alerts)] == [True]
    clock.instant = at(MONDAY, 23, 0).astimezone(UTC)
    assert silence_events(alerts) == []  # night: still silent, nothing to say
    store.apply(OrderChanges(upserts=(order(at(MONDAY, 22, 30)),)))
    clock.instant = at(MONDAY + timedelta(days=1), 2, 0).astimezone(UTC)  # the service came back at 02:00
    assert [e.started for e in silence_events(alerts)] == [False]


def test_no_silence_while_the_sync_is_stale() -> None:
    store = shop()
    clock = FixedClock(at(MONDAY, 15, 0).astimezone(UTC))
    store.set_meta({LAST_SUCCESS_KEY: (clock.now() - timedelta(minutes=15)).isoformat()})
    assert silence_events(monitor(store, clock)) == []
    synced(store, clock)
    assert [e.started for e in silence_events(monitor(store, clock))] == [True]


def test_the_texts_in_both_languages() -> None:
    event = AlertEvent(AlertKind.SILENCE, True, silence=Silence(3, at(MONDAY, 12), Decimal("4.25")))
    english = alert(EN, event)
    assert english == (
        "🚨 No order for 3 hours (since 12:00). Orders in these hours on the same weekday, mean of the "
        "last 8 weeks: 4.3. Is the checkout working?"
    )
    ukrainian = alert(UK, event)
    assert ukrainian.startswith("🚨 Жодного замовлення за 3 години (з 12:00).")
    assert "4,3" in ukrainian
    assert alert(UK, AlertEvent(AlertKind.SILENCE, False)) == "✅ Замовлення знову надходять."
