"""The health board: reasons while down, and one log line per change of state."""

from __future__ import annotations

import itertools
import logging

import pytest

from ksales.services.health import TELEGRAM, Backoff, Health


def test_down_then_up(caplog: pytest.LogCaptureFixture) -> None:
    health = Health()
    assert health.reasons() == [] and health.is_up(TELEGRAM)
    with caplog.at_level(logging.INFO, logger="ksales.services.health"):
        for attempt in range(5):
            health.down(TELEGRAM, f"connection refused (try {attempt})")
        assert not health.is_up(TELEGRAM)
        assert health.reasons() == ["telegram: connection refused (try 4)"]
        health.up(TELEGRAM)
        health.up(TELEGRAM)
    assert health.reasons() == []
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "telegram is down: connection refused (try 0) (retrying in the background)",
        "telegram is back",
    ]


def test_reasons_are_sorted_by_component() -> None:
    health = Health()
    health.down("telegram", "a")
    health.down("sync", "b")
    assert health.reasons() == ["sync: b", "telegram: a"]


def test_backoff_doubles_up_to_its_cap() -> None:
    assert list(itertools.islice(Backoff(1, 10).delays(), 6)) == [1, 2, 4, 8, 10, 10]
