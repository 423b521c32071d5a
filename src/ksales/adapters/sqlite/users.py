"""The users of the bot and the dashboard in a SQLite file (WAL, versioned schema)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from ksales.adapters.sqlite.connection import UsersDatabase
from ksales.domain.errors import StoreUnavailable
from ksales.domain.ids import fits_int64
from ksales.domain.language import Language
from ksales.domain.periods import PeriodKind
from ksales.domain.rules import SalesType
from ksales.domain.users import User, UserSettings, UserStatus

T = TypeVar("T")

_COLUMNS = (
    "id, status, username, full_name, requested_at, reviewed_at, reviewed_by, denial_count, "
    "last_active_at, sales_type, default_period, milestone_notifications, digest_hour, session_generation, "
    "language, weekly_report"
)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _row(user: User) -> tuple[Any, ...]:
    s = user.settings
    return (
        user.id,
        user.status.value,
        user.username,
        user.full_name,
        _iso(user.requested_at),
        _iso(user.reviewed_at),
        user.reviewed_by,
        user.denial_count,
        _iso(user.last_active_at),
        s.sales_type.value,
        s.period.value,
        int(s.milestone_notifications),
        s.digest_hour,
        user.session_generation,
        None if s.language is None else s.language.value,
        None if s.weekly_report is None else int(s.weekly_report),
    )


def _user(row: tuple[Any, ...]) -> User:
    return User(
        id=row[0],
        status=UserStatus(row[1]),
        username=row[2],
        full_name=row[3],
        requested_at=_moment(row[4]),
        reviewed_at=_moment(row[5]),
        reviewed_by=row[6],
        denial_count=row[7],
        last_active_at=_moment(row[8]),
        settings=UserSettings(
            sales_type=SalesType(row[9]),
            period=PeriodKind(row[10]),
            milestone_notifications=bool(row[11]),
            digest_hour=row[12],
            language=None if row[14] is None else Language(row[14]),
            weekly_report=None if row[15] is None else bool(row[15]),
        ),
        session_generation=row[13],
    )


class SqliteUserStore:
    """Implements `UserStore`. One connection shared by every thread, serialised by a lock."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = UsersDatabase(self.path)

    def get(self, user_id: int) -> User | None:
        if not fits_int64(user_id):  # nobody has such an id; SQLite could not even bind it
            return None

        def work(db: sqlite3.Connection) -> User | None:
            row = db.execute(f"SELECT {_COLUMNS} FROM users WHERE id = ?", (user_id,)).fetchone()
            return None if row is None else _user(row)

        return self._db.run(work)

    def save(self, user: User) -> None:
        if not fits_int64(user.id):
            raise StoreUnavailable(f"refusing to store a user with the out-of-range id {user.id}")
        marks = ", ".join("?" * len(_COLUMNS.split(",")))

        def work(db: sqlite3.Connection) -> None:
            with self._db.writing(db):
                db.execute(f"INSERT OR REPLACE INTO users ({_COLUMNS}) VALUES ({marks})", _row(user))

        self._db.run(work)

    def list(self, statuses: Iterable[UserStatus] | None = None) -> list[User]:
        wanted = None if statuses is None else sorted({UserStatus(s).value for s in statuses})

        def work(db: sqlite3.Connection) -> list[User]:
            if wanted is None:
                rows = db.execute(f"SELECT {_COLUMNS} FROM users ORDER BY id").fetchall()
            else:
                marks = ", ".join("?" * len(wanted))
                rows = db.execute(
                    f"SELECT {_COLUMNS} FROM users WHERE status IN ({marks}) ORDER BY id", wanted
                ).fetchall()
            return [_user(row) for row in rows]

        if wanted == []:
            return []
        return self._db.run(work)

    def mark_announced(self, key: str) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            with self._db.writing(db):
                cursor = db.execute("INSERT OR IGNORE INTO announcements (key) VALUES (?)", (key,))
                return cursor.rowcount == 1

        return self._db.run(work)

    def backup_to(self, path: Path) -> None:
        """A consistent copy through SQLite's online backup API (safe while others write)."""

        def work(db: sqlite3.Connection) -> None:
            target = sqlite3.connect(path)
            try:
                db.backup(target)
            finally:
                target.close()

        self._db.run(work)

    def close(self) -> None:
        self._db.close()
