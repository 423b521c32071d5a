"""One DuckDB transaction: all of a block's statements, or, on any error, none of them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


@contextmanager
def transaction(cursor: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in a transaction on `cursor`: committed at the end, rolled back on any exception."""
    cursor.execute("BEGIN TRANSACTION")
    try:
        yield cursor
        cursor.execute("COMMIT")
    except BaseException:  # cancellation and KeyboardInterrupt too: never leave a transaction open
        cursor.execute("ROLLBACK")
        raise
