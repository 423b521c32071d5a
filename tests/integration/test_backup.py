"""Backup → wipe → restore gives identical figures, with and without a running service."""

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers

from ksales.adapters.memory.clock import FixedClock
from ksales.entrypoints import cli
from ksales.entrypoints.container import build_container
from ksales.entrypoints.runtime import background
from ksales.entrypoints.serialize import to_json
from ksales.entrypoints.settings import Settings
from ksales.services.backup import MANIFEST, latest_backup


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KSALES_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KSALES_SYNC_INTERVAL", "0")
    monkeypatch.setenv("KSALES_LANGUAGE", "en")  # the CLI's lines read English
    monkeypatch.delenv("KEYCRM_API_KEY", raising=False)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    assert cli.main(["demo", "--orders", "1200", "--seed", "5"]) == 0
    return tmp_path / "data"


def figures(at: datetime) -> Any:
    """The figures of the last 28 days read at `at`: the same instant before and after, since a period that
    ends today compares up to the same time of day (a minute turning over between the reads changes them)."""
    container = build_container(Settings.from_env())
    container.clock.override(providers.Object(FixedClock(at)))
    try:
        analytics = container.analytics()
        request = analytics.parse({"period": "last_28_days", "sales_type": "all"})
        return to_json(analytics.bundle(request)), container.sales_store().order_count()
    finally:
        container.shutdown_resources()


def wipe(data_dir: Path) -> None:
    for path in data_dir.iterdir():
        if path.is_file() and path.name != "ksales.lock":
            path.unlink()


def test_round_trip(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    at = datetime.now(UTC)
    before = figures(at)
    assert before[1] > 0
    assert cli.main(["backup"]) == 0
    folder = latest_backup(data_dir / "backups")
    assert folder is not None
    assert json.loads((folder / MANIFEST).read_text())["orders"] == before[1]

    wipe(data_dir)
    assert not (data_dir / "analytics.duckdb").exists()
    assert cli.main(["restore", str(folder)]) == 0
    assert figures(at) == before
    assert "restored" in capsys.readouterr().out


def test_restore_refuses_an_incomplete_backup(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = data_dir / "backups" / "broken"
    folder.mkdir(parents=True)
    assert cli.main(["restore", str(folder)]) == 1
    assert "manifest.json is missing" in capsys.readouterr().err
    assert (data_dir / "analytics.duckdb").exists()


async def test_backup_while_the_service_runs(data_dir: Path) -> None:
    at = datetime.now(UTC)
    before = figures(at)
    container = build_container(Settings.from_env())
    try:
        async with background(container, with_bot=False):
            # The service holds the store; `ksales backup` signals it and waits for the folder.
            assert await asyncio.to_thread(cli.main, ["backup", "--timeout", "60"]) == 0
            # A second process cannot open the store meanwhile.
            assert await asyncio.to_thread(cli.main, ["report"]) == 1
    finally:
        container.shutdown_resources()
    folder = latest_backup(data_dir / "backups")
    assert folder is not None
    wipe(data_dir)
    assert cli.main(["restore", str(folder)]) == 0
    assert figures(at) == before
