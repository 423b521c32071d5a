"""`SyncReport`: counted during a run, kept in the store as JSON and read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ksales.ports.store import ApplyResult
from ksales.services.sync_report import SyncReport

FINISHED = datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC)


def test_count_adds_what_each_write_did() -> None:
    report = SyncReport("full")
    report.count(ApplyResult(3, 1, 2, 0))
    report.count(ApplyResult(1, 0, 5, 1))
    assert (report.inserted, report.updated, report.unchanged, report.removed) == (4, 1, 7, 1)
    assert report.ok and report.finished_at is None


def test_a_report_survives_the_store_as_json() -> None:
    report = SyncReport(
        "full",
        fetched=30,
        inserted=28,
        updated=1,
        unchanged=1,
        removed=2,
        skipped=1,
        requests=9,
        seconds=1.23456,
    )
    report.finished_at = FINISHED.astimezone(timezone(timedelta(hours=2)))
    loaded = SyncReport.load(report.dump())
    assert loaded == SyncReport(
        "full",
        fetched=30,
        inserted=28,
        updated=1,
        unchanged=1,
        removed=2,
        skipped=1,
        requests=9,
        seconds=1.235,
        finished_at=FINISHED,
    )
    assert loaded.ok


def test_a_failed_run_reads_back_as_failed() -> None:
    failed = SyncReport("incremental", finished_at=FINISHED, error="KeyCRM did not answer")
    loaded = SyncReport.load(failed.dump())
    assert not loaded.ok and loaded.error == "KeyCRM did not answer"


def test_a_record_of_an_older_ksales_is_read() -> None:
    # What release 1 wrote (as SyncStatus): an `ok` flag and no `unchanged` count.
    raw = (
        '{"finished_at": "2026-03-01T12:00:05+00:00", "ok": false, "mode": "full", "fetched": 3,'
        ' "inserted": 2, "updated": 1, "removed": 0, "skipped": 0, "requests": 4, "seconds": 0.5,'
        ' "error": null}'
    )
    loaded = SyncReport.load(raw)
    assert (loaded.mode, loaded.fetched, loaded.unchanged, loaded.finished_at) == ("full", 3, 0, FINISHED)
    assert not loaded.ok


@pytest.mark.parametrize(
    "raw", ["[1, 2]", '{"mode": "full", "fetched": "3"}', '{"error": 5}', '{"seconds": true}', "{not json"]
)
def test_an_unreadable_record_is_refused_with_a_value_error(raw: str) -> None:
    with pytest.raises(ValueError, match=r"sync report|Expecting"):
        SyncReport.load(raw)
