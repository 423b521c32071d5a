from pathlib import Path

import pytest

from ksales.adapters.sqlite.tokens import SqliteApiTokens
from ksales.domain.tokens import secret_digest
from ksales.entrypoints import cli


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KSALES_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KSALES_LANGUAGE", "en")
    return tmp_path / "data"


def test_create_list_revoke(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["token", "list"]) == 0
    assert "no API tokens" in capsys.readouterr().out

    assert cli.main(["token", "create", "grafana"]) == 0
    created = capsys.readouterr()
    secret = created.out.strip()
    assert "shown only now" in created.err and "\n" not in secret
    stored = SqliteApiTokens(data_dir / "users.sqlite3")
    try:
        [token] = stored.tokens()
    finally:
        stored.close()
    assert token.digest == secret_digest(secret)
    assert secret not in (data_dir / "users.sqlite3").read_bytes().decode("latin-1")

    assert cli.main(["token", "create", "grafana"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert cli.main(["token", "list"]) == 0
    listing = capsys.readouterr().out
    assert "grafana" in listing and "active" in listing and secret not in listing

    assert cli.main(["token", "revoke", "grafana"]) == 0
    assert cli.main(["token", "revoke", "grafana"]) == 1
    assert "no active token" in capsys.readouterr().err
    assert cli.main(["token", "list"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert not (data_dir / "analytics.duckdb").exists()  # tokens never touch the sales store


def test_a_bad_name_is_one_line(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["token", "create", "two words"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
