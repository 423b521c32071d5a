"""The API tokens' hashes in the users database (`users.sqlite3`), beside the users."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from ksales.adapters.sqlite.connection import UsersDatabase
from ksales.domain.tokens import ApiToken, TokenExists, UnknownToken

T = TypeVar("T")


def _token(row: tuple[Any, ...]) -> ApiToken:
    return ApiToken(
        name=row[0],
        digest=row[1],
        created_at=datetime.fromisoformat(row[2]),
        revoked_at=None if row[3] is None else datetime.fromisoformat(row[3]),
    )


class SqliteApiTokens:
    """Implements `ApiTokens`. Its own connection: `ksales token` uses it while `ksales serve` runs."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = UsersDatabase(self.path)

    def add_token(self, token: ApiToken) -> None:
        def work(db: sqlite3.Connection) -> None:
            try:
                db.execute(
                    "INSERT INTO api_tokens (name, digest, created_at) VALUES (?, ?, ?)",
                    (token.name, token.digest, token.created_at.isoformat()),
                )
            except sqlite3.IntegrityError:
                raise TokenExists(token.name) from None

        self._db.run(work)

    def tokens(self) -> list[ApiToken]:
        def work(db: sqlite3.Connection) -> list[ApiToken]:
            rows = db.execute(
                "SELECT name, digest, created_at, revoked_at FROM api_tokens ORDER BY id"
            ).fetchall()
            return [_token(row) for row in rows]

        return self._db.run(work)

    def revoke_token(self, name: str, at: datetime) -> ApiToken:
        def work(db: sqlite3.Connection) -> ApiToken:
            row = db.execute(
                "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL "
                "RETURNING name, digest, created_at, revoked_at",
                (at.isoformat(), name),
            ).fetchone()
            if row is None:
                raise UnknownToken(name)
            return _token(row)

        return self._db.run(work)

    def close(self) -> None:
        self._db.close()
