"""`ksales rebuild-rollups`: a store that lost its rollups reports the same again."""

import json
from pathlib import Path

import duckdb
import pytest

from ksales.adapters.duckdb import rollups
from ksales.entrypoints import cli


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KSALES_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KEYCRM_API_KEY", raising=False)
    monkeypatch.setenv("KSALES_LANGUAGE", "en")
    return tmp_path / "data"


def _report(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert cli.main(["report", "--period", "last_month", "--sales-type", "all", "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_rebuild_rollups_restores_the_reports(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo", "--orders", "1500", "--seed", "3"]) == 0
    capsys.readouterr()
    before = _report(capsys)
    with duckdb.connect(str(data_dir / "analytics.duckdb")) as raw:
        for rollup in rollups.ROLLUPS:
            raw.execute(f"DELETE FROM {rollup.table}")
    lost = _report(capsys)
    assert lost["orders"] == 0 and before["orders"] != 0  # the reports read the rollups

    assert cli.main(["rebuild-rollups"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("rollups rebuilt from ") and " orders in " in out
    assert _report(capsys) == before


def test_rebuild_rollups_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["rebuild-rollups", "--help"])
    assert done.value.code == 0
    assert "usage: ksales rebuild-rollups" in capsys.readouterr().out


def test_doctor_names_lost_rollups_until_they_are_rebuilt(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo", "--orders", "1500", "--seed", "3"]) == 0
    assert cli.main(["sync", "--reconcile"]) == 0
    capsys.readouterr()
    assert cli.main(["doctor", "--json"]) == 0, capsys.readouterr().out
    assert json.loads(capsys.readouterr().out)["stale_rollups"] == []

    with duckdb.connect(str(data_dir / "analytics.duckdb")) as raw:
        raw.execute("DELETE FROM line_months WHERE month = (SELECT max(month) FROM line_months)")
    assert cli.main(["doctor", "--json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert found["attention"] == ["stale_rollups"] and found["stale_rollups"] == ["line_months"]
    assert cli.main(["doctor"]) == 1
    assert "rollups disagree with its orders (line_months)" in capsys.readouterr().out

    assert cli.main(["rebuild-rollups"]) == 0
    capsys.readouterr()
    assert cli.main(["doctor", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["stale_rollups"] == []


def test_rebuild_rollups_on_an_empty_data_dir_refuses_and_creates_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["rebuild-rollups"]) == 1
    assert "the store is empty" in capsys.readouterr().err
    assert not data_dir.exists()
