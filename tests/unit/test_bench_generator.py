"""bench/queries.py fills its store in SQL past the store's code: a schema change must not break it unseen."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import duckdb

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.domain.rules import Rules

BENCH = Path(__file__).parents[2] / "bench" / "queries.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_queries", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_store_has_the_schemas_columns_and_answers_every_timed_query(tmp_path: Path) -> None:
    bench, path = _bench(), tmp_path / "bench.duckdb"
    bench.generate(path, 3_000, Rules())
    with duckdb.connect(str(path), read_only=True) as con:
        lines_without_buyer = con.execute(
            """SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id
            WHERE o.buyer_id IS DISTINCT FROM l.buyer_id"""
        ).fetchone()
    assert lines_without_buyer == (0,)
    store = DuckDbSalesStore(path, Rules())
    try:
        views = bench.views(store)
        for query in bench.queries(store).values():
            for scope in views.values():
                query(scope)  # every query runs on every view
        assert store.totals(views["365 days"]).orders > 1_000
    finally:
        store.close()
