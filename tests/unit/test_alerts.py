"""The alert rules: once at the start, once at the end, at most once per kind per 30 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ksales.domain.alerts import AlertState, step, sync_failing

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def test_a_fault_is_told_when_it_starts_and_when_it_ends_only() -> None:
    state = AlertState()
    assert step(state, False, T0) is None
    started = step(state, True, T0)
    assert started == AlertState(True, T0)
    assert step(started, True, T0 + 90 * MIN) is None


def test_a_flapping_fault_waits_for_the_quiet_time() -> None:
    started = AlertState(True, T0)
    assert step(started, False, T0 + 29 * MIN) is None  # cleared too soon after the start: not yet
    assert step(started, False, T0 + 30 * MIN) == AlertState(False, T0 + 30 * MIN)
    assert step(started, True, T0 + 31 * MIN) is None  # back on before it was ever told cleared: nothing


def test_the_state_reads_back() -> None:
    for state in (AlertState(), AlertState(True, T0), AlertState(False, T0)):
        assert AlertState.load(state.dump()) == state
    assert AlertState.load(None) == AlertState()


def test_the_sync_alert() -> None:
    assert not sync_failing(2, T0, T0 + 5 * MIN, True)
    assert sync_failing(3, T0, T0 + 3 * MIN, True)
    assert sync_failing(1, T0, T0 + 15 * MIN, True)
    assert not sync_failing(1, T0, T0 + 15 * MIN, False)  # KSALES_SYNC_INTERVAL=0: the age is not watched
    assert not sync_failing(0, T0, T0 + 60 * MIN, True)  # no run failed: nothing is wrong yet
