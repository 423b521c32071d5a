"""What a sync did: counted while it runs, then kept in the store (as JSON) so that it survives restarts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from attrs import define

from ksales.ports.store import ApplyResult


@define
class SyncReport:
    mode: str
    fetched: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    requests: int = 0
    seconds: float = 0.0
    #: Set when the run ends, however it ends.
    finished_at: datetime | None = None
    #: Why the run failed; None when it succeeded (or is still running).
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def count(self, result: ApplyResult) -> None:
        """Add what one store write did."""
        self.inserted += result.inserted
        self.updated += result.updated
        self.unchanged += result.unchanged
        self.removed += result.removed

    def line(self) -> str:
        return (
            f"{self.mode} sync: fetched {self.fetched}, inserted {self.inserted}, updated {self.updated}, "
            f"removed {self.removed}, skipped {self.skipped}, {self.requests} requests, {self.seconds:.1f} s"
        )

    def dump(self) -> str:
        """The report as the JSON kept in the store's meta."""
        finished = None if self.finished_at is None else self.finished_at.astimezone(UTC).isoformat()
        return json.dumps(
            {
                "finished_at": finished,
                "ok": self.ok,
                "mode": self.mode,
                "fetched": self.fetched,
                "inserted": self.inserted,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "removed": self.removed,
                "skipped": self.skipped,
                "requests": self.requests,
                "seconds": round(self.seconds, 3),
                "error": self.error,
            }
        )

    @classmethod
    def load(cls, raw: str) -> SyncReport:
        """A report from `dump`'s JSON (or an older ksales' record, which had no `unchanged`).

        Raises ValueError when the JSON is not such a record.
        """
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError(f"a sync report is a JSON object, not {raw[:40]!r}")
        finished, error = _text(data, "finished_at"), _text(data, "error")
        if error is None and data.get("ok") is False:  # a failure recorded without a reason
            error = "unknown error"
        return cls(
            mode=_text(data, "mode") or "incremental",
            fetched=_count(data, "fetched"),
            inserted=_count(data, "inserted"),
            updated=_count(data, "updated"),
            unchanged=_count(data, "unchanged"),
            removed=_count(data, "removed"),
            skipped=_count(data, "skipped"),
            requests=_count(data, "requests"),
            seconds=_seconds(data, "seconds"),
            finished_at=None if finished is None else datetime.fromisoformat(finished),
            error=error,
        )


def _count(data: dict[str, Any], key: str) -> int:
    value = data.get(key, 0)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"sync report: {key} is {value!r}, not a count")
    return value


def _seconds(data: dict[str, Any], key: str) -> float:
    value = data.get(key, 0.0)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(f"sync report: {key} is {value!r}, not a number")
    return float(value)


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"sync report: {key} is {value!r}, not text")
    return value
