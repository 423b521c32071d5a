"""`ksales sync --stocks`: today's stock snapshot from the demo shop, one line, into the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksales.adapters.duckdb import DuckDbSalesStore
from ksales.entrypoints import cli
from ksales.entrypoints.settings import Settings


def test_sync_stocks_takes_a_snapshot_and_prints_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KSALES_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KEYCRM_API_KEY", raising=False)
    assert cli.main(["sync", "--stocks"]) == 0
    assert cli.main(["sync", "--stocks"]) == 0  # the same day again: replaced, not added
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("stock snapshot ")
    assert " offers, " in lines[0] and " requests, " in lines[0]
    settings = Settings.from_env()
    store = DuckDbSalesStore(settings.store_path, settings.rules)
    try:
        days = store.stock_snapshot_days()
        latest = store.latest_stock_snapshot()
        assert len(days) == 1 and latest is not None and latest.day == days[0]
        assert f"stock snapshot {days[0].isoformat()}: {len(latest.rows)} offers" in lines[1]
        assert store.order_count() == 0  # no order sync
    finally:
        store.close()
