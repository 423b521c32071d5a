"""One way to open the users database: WAL, a busy timeout, the schema migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ksales.adapters.sqlite.schema import migrate
from ksales.domain.errors import StoreUnavailable

#: How long a writer waits for another connection's lock (the dashboard, a CLI) before failing.
BUSY_TIMEOUT_MS = 5000


def open_database(path: Path) -> sqlite3.Connection:
    """A connection to `path` shared between threads (callers serialise), transactions explicit."""
    try:
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE for writes).
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise StoreUnavailable(f"cannot open the users database: {error}") from error
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        migrate(db)
    except sqlite3.Error as error:
        db.close()
        raise StoreUnavailable(f"cannot open the users database: {error}") from error
    return db
