"""SqliteUserStore on real files: persistence, schema versions, WAL, concurrency, errors."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ksales.adapters.sqlite.schema import SCHEMA_VERSION
from ksales.adapters.sqlite.users import SqliteUserStore
from ksales.domain.errors import StoreUnavailable
from ksales.domain.periods import PeriodKind
from ksales.domain.rules import SalesType
from ksales.domain.users import User, UserSettings, UserStatus

FULL = User(
    id=7_000_000_001,
    status=UserStatus.FROZEN,
    username="olena",
    full_name="Олена <&> ' Test",
    requested_at=datetime(2026, 11, 18, 9, 30, 1, 17, tzinfo=UTC),
    reviewed_at=datetime(2026, 11, 18, 12, tzinfo=timezone(timedelta(hours=2))),
    reviewed_by=1,
    denial_count=5,
    last_active_at=datetime(2026, 11, 19, tzinfo=UTC),
    settings=UserSettings(SalesType.ALL, PeriodKind.LAST_MONTH, False, 21),
)


def test_users_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "users.sqlite3"
    store = SqliteUserStore(path)
    store.save(FULL)
    store.save(User(3, UserStatus.PENDING))
    assert store.mark_announced("milestone:daily:2026-11-18:retail:200000")
    store.close()
    again = SqliteUserStore(path)
    assert again.get(FULL.id) == FULL
    assert [u.id for u in again.list()] == [3, FULL.id]
    assert [u.id for u in again.list([UserStatus.PENDING])] == [3]
    assert again.list([]) == []
    assert not again.mark_announced("milestone:daily:2026-11-18:retail:200000")
    again.close()


def test_schema_is_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "users.sqlite3"
    SqliteUserStore(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    SqliteUserStore(path).close()  # reopening applies nothing twice
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_a_version_one_database_is_migrated(tmp_path: Path) -> None:
    from ksales.adapters.sqlite.schema import MIGRATIONS

    path = tmp_path / "users.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute("INSERT INTO schema_version VALUES (1)")
        db.execute("INSERT INTO users (id, status) VALUES (5, 'approved')")
    store = SqliteUserStore(path)
    assert store.get(5) == User(5, UserStatus.APPROVED)
    store.close()
    with sqlite3.connect(path) as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "users_by_status" in names


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "users.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        db.execute("INSERT INTO schema_version VALUES (99)")
    with pytest.raises(StoreUnavailable, match="newer"):
        SqliteUserStore(path)


def test_sqlite_errors_become_store_unavailable(tmp_path: Path) -> None:
    garbage = tmp_path / "users.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreUnavailable):
        SqliteUserStore(garbage)
    with pytest.raises(StoreUnavailable):
        SqliteUserStore(tmp_path / "missing" / "dir" / "users.sqlite3")
    store = SqliteUserStore(tmp_path / "ok.sqlite3")
    store.close()
    with pytest.raises(StoreUnavailable):
        store.get(1)


def test_announcements_are_atomic_across_threads_and_connections(tmp_path: Path) -> None:
    path = tmp_path / "users.sqlite3"
    stores = [SqliteUserStore(path), SqliteUserStore(path)]  # e.g. two processes, or a CLI beside the bot
    wins: list[bool] = []
    barrier = threading.Barrier(8)

    def work(index: int) -> None:
        barrier.wait()
        store = stores[index % 2]
        for n in range(25):
            wins.append(store.mark_announced(f"key-{n}"))
            store.save(User(index * 100 + n, UserStatus.PENDING))
            store.get(index * 100 + n)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wins.count(True) == 25
    assert len(stores[0].list()) == 8 * 25
    for store in stores:
        store.close()
