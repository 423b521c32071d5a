"""DuckDB's EXPORT/IMPORT DATABASE for backups (Parquet files plus the schema)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ksales.domain.errors import StoreUnavailable


def _literal(path: Path) -> str:
    """A path as a SQL string literal: EXPORT/IMPORT take no bound parameters."""
    text = str(path.resolve())
    if "\x00" in text:
        raise StoreUnavailable("a backup path may not contain NUL characters")
    return "'" + text.replace("'", "''") + "'"


def export_database(connection: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """Write every table of the connection's database to `directory` (created; must not exist)."""
    directory.mkdir(parents=True, exist_ok=False)
    try:
        connection.execute(f"EXPORT DATABASE {_literal(directory)} (FORMAT PARQUET)")
    except duckdb.Error as error:
        raise StoreUnavailable(f"exporting the analytics store failed: {error}") from error


def import_database(path: Path, directory: Path) -> None:
    """Create a DuckDB file at `path` (which must not exist) from an exported `directory`."""
    if path.exists():
        raise StoreUnavailable(f"{path} exists: move it aside before importing")
    try:
        with duckdb.connect(str(path)) as connection:
            connection.execute(f"IMPORT DATABASE {_literal(directory)}")
    except duckdb.Error as error:
        path.unlink(missing_ok=True)
        raise StoreUnavailable(f"importing the analytics store failed: {error}") from error
