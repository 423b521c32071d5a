"""`transaction`: a block's statements all land, or none of them."""

from __future__ import annotations

import duckdb
import pytest

from ksales.adapters.duckdb.transaction import transaction


@pytest.fixture
def cursor() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    connection.execute("CREATE TABLE t (x INTEGER)")
    return connection


def insert_then_fail(cursor: duckdb.DuckDBPyConnection, error: BaseException) -> None:
    with transaction(cursor):
        cursor.execute("INSERT INTO t VALUES (1)")
        raise error


def values(cursor: duckdb.DuckDBPyConnection) -> list[int]:
    return [row[0] for row in cursor.execute("SELECT x FROM t ORDER BY x").fetchall()]


def test_a_finished_block_is_committed(cursor: duckdb.DuckDBPyConnection) -> None:
    with transaction(cursor) as inside:
        inside.execute("INSERT INTO t VALUES (1), (2)")
    assert values(cursor) == [1, 2]


def test_a_failing_block_leaves_nothing_behind_and_reraises(cursor: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ZeroDivisionError):
        insert_then_fail(cursor, ZeroDivisionError())
    assert values(cursor) == []
    cursor.execute("INSERT INTO t VALUES (3)")  # no transaction was left open
    assert values(cursor) == [3]


def test_a_cancelled_block_is_rolled_back_too(cursor: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(KeyboardInterrupt):
        insert_then_fail(cursor, KeyboardInterrupt())
    assert values(cursor) == []
