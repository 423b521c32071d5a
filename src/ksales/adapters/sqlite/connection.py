"""One way to open the users database: WAL, a busy timeout, the schema migrated."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from ksales.adapters.sqlite.schema import migrate
from ksales.domain.errors import StoreUnavailable

#: How long a writer waits for another connection's lock (the dashboard, a CLI) before failing.
BUSY_TIMEOUT_MS = 5000

T = TypeVar("T")


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


class UsersDatabase:
    """One connection shared by every thread, serialised by a lock; SQLite errors become StoreUnavailable."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = open_database(path)

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            try:
                return work(self._db)
            except sqlite3.Error as error:
                raise StoreUnavailable(f"users database failed: {error}") from error

    @staticmethod
    @contextmanager
    def writing(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE) inside `run`: committed, or rolled back on any error."""
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
