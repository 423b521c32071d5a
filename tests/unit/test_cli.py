import json
import re
from pathlib import Path

import pytest

from ksales.entrypoints import cli


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KSALES_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KEYCRM_API_KEY", raising=False)
    monkeypatch.setenv("KSALES_LANGUAGE", "en")
    return tmp_path / "data"


def test_help_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("serve", "sync", "bot", "report", "demo"):
        with pytest.raises(SystemExit) as done:
            cli.main([command, "--help"])
        assert done.value.code == 0
        assert "usage: ksales" in capsys.readouterr().out


def test_bad_configuration_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KSALES_TIMEZONE", "Nowhere/Special")
    assert cli.main(["report"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "KSALES_TIMEZONE" in err


def test_demo_then_report(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--orders", "1500", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "demo store ready" in out
    assert (data_dir / "analytics.duckdb").exists()

    assert cli.main(["report", "--period", "last_month", "--sales-type", "all"]) == 0
    table = capsys.readouterr().out
    assert "Revenue" in table and "₴" in table and "Instagram" in table

    assert cli.main(["report", "--period", "last_month", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["period"]["kind"] == "last_month"
    assert {"orders", "revenue", "avg_check", "returns", "comparison", "milestones"} <= summary.keys()
    assert summary["orders"] > 0

    assert cli.main(["report", "--from", "2026-11-10", "--to", "2026-11-01"]) == 1
    assert "start_date must not be after end_date" in capsys.readouterr().err


def test_report_refuses_bad_input(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["report", "--period", "fortnight"]) == 1
    assert "unknown period" in capsys.readouterr().err
    assert cli.main(["report", "--source", "12345"]) == 1
    assert "no source" in capsys.readouterr().err


def test_second_process_is_refused(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ksales.adapters.system.lock import DataDirLock

    with DataDirLock(data_dir):  # as if `ksales serve` held the store (flock is per open file)
        assert cli.main(["report"]) == 1
    err = capsys.readouterr().err
    assert "is in use by" in err
    assert "Traceback" not in err


def test_report_json_is_exactly_the_api_summary(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from starlette.testclient import TestClient

    from ksales.entrypoints.container import build_container
    from ksales.entrypoints.settings import Settings
    from ksales.entrypoints.web import create_app

    assert cli.main(["demo", "--orders", "800", "--seed", "2"]) == 0
    capsys.readouterr()
    assert cli.main(["report", "--period", "last_month", "--sales-type", "all", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    container = build_container(Settings.from_env())
    try:
        with TestClient(create_app(container, background=False)) as client:
            served = client.get("/api/summary", params={"period": "last_month", "sales_type": "all"}).json()
    finally:
        container.shutdown_resources()
    assert printed == served


def fetched(out: str) -> int:
    return int(re.search(r"fetched (\d+)", out).group(1))  # type: ignore[union-attr]


def test_full_sync_covers_ksales_full_sync_days_by_default(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KSALES_FULL_SYNC_DAYS", "2")
    assert cli.main(["sync", "--full", "--days", "2"]) == 0  # an empty store: the whole history anyway
    first = capsys.readouterr().out
    assert cli.main(["sync", "--full"]) == 0
    by_default = fetched(capsys.readouterr().out)
    # The demo shop goes on selling while the sync runs (real clock): a month may disagree, never stay so.
    assert fetched(first) > by_default and re.search(
        r"reconciliation: 26 months checked, \d+ disagreed, 0 unrepaired", first
    )
    assert cli.main(["sync", "--full", "--days", "2"]) == 0
    assert fetched(capsys.readouterr().out) == by_default > 0
    assert cli.main(["sync", "--full", "--days", "6"]) == 0
    assert fetched(capsys.readouterr().out) > by_default


def test_sync_days_must_be_a_number_or_all(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sync", "--full", "--days", "soon"]) != 0
    assert "--days" in capsys.readouterr().err and not (data_dir / "analytics.duckdb").exists()


def test_cli_errors_in_ukrainian(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KSALES_LANGUAGE", "uk")
    assert cli.main(["report"]) == 1
    assert "сховище порожнє" in capsys.readouterr().err
    folder = data_dir.parent / "reports"
    folder.mkdir()
    assert cli.main(["report", "--xlsx", str(folder)]) == 1
    assert capsys.readouterr().err == f"ksales: помилка: не вдалося записати {folder}: це тека\n"


def test_cli_errors_in_english(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["report"]) == 1
    assert "the store is empty" in capsys.readouterr().err
    missing = data_dir.parent / "nowhere" / "r.xlsx"
    assert cli.main(["report", "--xlsx", str(missing)]) == 1
    assert capsys.readouterr().err == f"ksales: error: cannot write {missing}: its folder does not exist\n"


def test_a_report_refused_for_an_empty_data_dir_creates_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refused report on a fresh machine creates neither the store nor the lock."""
    for args in (["report"], ["report", "--json"], ["report", "--period", "month"]):
        assert cli.main(args) == 1
        assert "the store is empty" in capsys.readouterr().err
        assert not data_dir.exists()
    assert cli.main(["report", "--source", "12345"]) == 1
    assert "no source" in capsys.readouterr().err
    assert not data_dir.exists()


def test_the_weekly_report_on_the_terminal(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["report", "--weekly"]) == 1
    assert "the store is empty" in capsys.readouterr().err
    assert not data_dir.exists()  # the refusal created nothing
    assert cli.main(["demo", "--orders", "1500", "--seed", "3"]) == 0
    capsys.readouterr()
    assert cli.main(["report", "--weekly", "--sales-type", "all"]) == 0
    out = capsys.readouterr().out
    assert "Weekly report:" in out and "· All" in out and "<b>" not in out
    assert "Compared with" in out and "from the number of orders" in out
    workbook = data_dir.parent / "w.xlsx"
    assert cli.main(["report", "--weekly", "--xlsx", str(workbook)]) == 0
    assert f"wrote {workbook}" in capsys.readouterr().out
    assert workbook.read_bytes()[:2] == b"PK"
    assert cli.main(["report", "--weekly", "--xlsx", str(data_dir / "no" / "w.xlsx")]) == 1
    assert "its folder does not exist" in capsys.readouterr().err
    assert cli.main(["report", "--weekly", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sales_type"] == "retail"
