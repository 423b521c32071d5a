"""The analytics store on DuckDB (SPEC §1): schema migrations, bulk writes and the dashboard queries."""

from ksales.adapters.duckdb.store import DuckDbSalesStore

__all__ = ["DuckDbSalesStore"]
