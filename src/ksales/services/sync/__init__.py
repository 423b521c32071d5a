"""Copying orders from a Crm into the SalesStore: full syncs, incremental syncs under a request budget,
and the reconciliation that finds what drifted."""

from ksales.services.sync.service import (
    CHECKPOINT_KEY,
    DEFAULT_DAYS,
    FAILURES_KEY,
    FULL_PROGRESS_KEY,
    FULL_SYNC_KEY,
    LAST_SUCCESS_KEY,
    LAST_SYNC_KEY,
    FullRun,
    SyncProgress,
    SyncService,
    windows,
)

__all__ = [
    "CHECKPOINT_KEY",
    "DEFAULT_DAYS",
    "FAILURES_KEY",
    "FULL_PROGRESS_KEY",
    "FULL_SYNC_KEY",
    "LAST_SUCCESS_KEY",
    "LAST_SYNC_KEY",
    "FullRun",
    "SyncProgress",
    "SyncService",
    "windows",
]
