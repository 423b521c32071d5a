"""The users database schema, as an ordered list of migrations recorded in `schema_version`."""

from __future__ import annotations

import sqlite3

#: Each entry moves the schema from version i to i + 1. Append only; never edit a released step.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            status TEXT NOT NULL,
            username TEXT,
            full_name TEXT,
            requested_at TEXT,
            reviewed_at TEXT,
            reviewed_by INTEGER,
            denial_count INTEGER NOT NULL DEFAULT 0,
            last_active_at TEXT,
            sales_type TEXT NOT NULL DEFAULT 'retail',
            default_period TEXT NOT NULL DEFAULT 'today',
            milestone_notifications INTEGER NOT NULL DEFAULT 1,
            digest_hour INTEGER
        )
        """,
        "CREATE TABLE announcements (key TEXT PRIMARY KEY)",
    ),
    ("CREATE INDEX users_by_status ON users (status, id)",),
    ("ALTER TABLE users ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0",),
    (
        """
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            digest TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        )
        """,
        "CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens (name) WHERE revoked_at IS NULL",
    ),
    ("ALTER TABLE users ADD COLUMN language TEXT",),
    ("ALTER TABLE users ADD COLUMN weekly_report INTEGER",),
)

SCHEMA_VERSION = len(MIGRATIONS)


def current_version(connection: sqlite3.Connection) -> int:
    connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the database up to SCHEMA_VERSION in one transaction; returns the version found."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        found = current_version(connection)
        if found > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"users database has schema version {found}, newer than this ksales ({SCHEMA_VERSION})"
            )
        for version in range(found, SCHEMA_VERSION):
            for statement in MIGRATIONS[version]:
                connection.execute(statement)
            connection.execute("INSERT INTO schema_version (version) VALUES (?)", (version + 1,))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return found
