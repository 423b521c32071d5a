"""Beside a running `ksales serve` or `ksales bot`: the CLI, the library and API tokens read through it."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openpyxl
import pytest

from ksales.adapters.system.owner import OWNER_FILE
from tests.e2e.processes import clean_env, free_port, ksales, run, stop

LOGIN = {
    "BOT_TOKEN": "123456:TEST-token",
    "ADMIN_USER_IDS": "1",
    # Nobody answers there: the bot retries in the background, the dashboard and the API serve on.
    "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
}
QUERY = {"period": "last_month", "sales_type": "all"}
LIBRARY = """
import json, sys
import ksales
from ksales.entrypoints.serialize import to_json
with ksales.open_analytics() as analytics:
    request = analytics.parse({"period": "last_month", "sales_type": "all"})
    print(json.dumps({"kind": type(analytics).__name__, "summary": to_json(analytics.summary(request))}))
"""


def wait_for_owner(data_dir: Path, process: subprocess.Popen[str], timeout: float = 90) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"ksales exited with {process.returncode}: {process.stderr.read()[-2000:]}")  # type: ignore[union-attr]
        try:
            record: dict[str, str] = json.loads((data_dir / OWNER_FILE).read_text())
            httpx.get(f"{record['url']}/api/health", timeout=2).raise_for_status()
            return record
        except (OSError, ValueError, httpx.HTTPError):
            time.sleep(0.1)
    pytest.fail(f"no {OWNER_FILE} within {timeout} s")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("shop") / "data"
    done = run("demo", "--orders", "1500", "--seed", "4", env=clean_env(data_dir))
    assert done.returncode == 0, done.stderr
    return data_dir


def test_everyone_reads_through_a_running_service(demo_dir: Path, tmp_path: Path) -> None:
    env = {**clean_env(demo_dir), **LOGIN, "KSALES_LANGUAGE": "en"}
    port = free_port()
    service = ksales("serve", "--port", str(port), env=env)
    secret = ""
    try:
        record = wait_for_owner(demo_dir, service)
        assert record["url"] == f"http://127.0.0.1:{port}"
        owner_file = demo_dir / OWNER_FILE
        assert stat.S_IMODE(owner_file.stat().st_mode) == 0o600

        api = httpx.Client(base_url=record["url"], timeout=30)
        assert api.get("/api/summary", params=QUERY).status_code == 401  # login is on
        served = api.get("/api/summary", params=QUERY, headers=_bearer(record["token"])).json()
        assert served["orders"] > 0

        printed = run("report", "--period", "last_month", "--sales-type", "all", "--json", env=env)
        assert printed.returncode == 0, printed.stderr
        assert json.loads(printed.stdout) == served

        text = run("report", "--period", "last_month", env=env)
        assert text.returncode == 0, text.stderr
        assert "Revenue" in text.stdout and "Sources:" in text.stdout
        ukrainian = run("report", "--period", "last_month", env={**env, "KSALES_LANGUAGE": "uk"})
        assert "Виторг" in ukrainian.stdout and "Джерела:" in ukrainian.stdout

        workbook = tmp_path / "r.xlsx"
        wrote = run("report", "--period", "last_month", "--xlsx", str(workbook), env=env)
        assert wrote.returncode == 0, wrote.stderr
        assert workbook.read_bytes()[:2] == b"PK"

        library = subprocess.run(
            [sys.executable, "-c", LIBRARY], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert library.returncode == 0, library.stderr
        answer = json.loads(library.stdout)
        assert answer == {"kind": "RemoteAnalytics", "summary": served}

        # Tokens are managed beside the running service, and a revoke holds at once.
        created = run("token", "create", "grafana", env=env)
        assert created.returncode == 0, created.stderr
        secret = created.stdout.strip()
        assert api.get("/api/summary", params=QUERY, headers=_bearer(secret)).json() == served
        listed = run("token", "list", env=env)
        assert "grafana" in listed.stdout and "active" in listed.stdout
        assert run("token", "revoke", "grafana", env=env).returncode == 0
        refused = api.get("/api/summary", params=QUERY, headers=_bearer(secret))
        assert refused.status_code == 401 and refused.json()["error"] == "unauthorized"
        api.close()
    finally:
        log = stop(service)
    assert secret and secret not in log
    assert not (demo_dir / OWNER_FILE).exists()  # removed on a clean exit


def _sheets(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_workbook_beside_a_running_service_is_the_owners(demo_dir: Path, tmp_path: Path) -> None:
    """`ksales report --xlsx` through the service (an API token) ≡ read from the store: the Margin sheet, the
    cost columns and every product; only the at-risk customers' contacts stay with the store's owner."""
    env = {**clean_env(demo_dir), **LOGIN, "KSALES_LANGUAGE": "en"}
    stocks = run("sync", "--stocks", env=env)  # today's snapshot now: the service takes none at its start
    assert stocks.returncode == 0, stocks.stderr
    service = ksales("serve", "--port", str(free_port()), env=env)
    through = tmp_path / "through.xlsx"
    try:
        wait_for_owner(demo_dir, service)
        wrote = run("report", "--period", "last_month", "--xlsx", str(through), env=env)
        assert wrote.returncode == 0, wrote.stderr
        assert "leaves out the at-risk customers' contacts" in wrote.stderr
    finally:
        stop(service)
    local = tmp_path / "local.xlsx"
    wrote = run("report", "--period", "last_month", "--xlsx", str(local), env=env)
    assert wrote.returncode == 0, wrote.stderr
    assert "contacts" not in wrote.stderr
    remote_sheets, local_sheets = _sheets(through), _sheets(local)
    assert list(remote_sheets) == list(local_sheets)
    assert list(local_sheets)[7:] == ["Margin", "Customers", "Inventory"]
    assert "Cost of goods" in local_sheets["Products"][0]
    customers = local_sheets.pop("Customers")
    calling = next(i for i, row in enumerate(customers) if row[0] == "At-risk customers to call")
    assert remote_sheets.pop("Customers") == customers[: calling - 1]  # the blank row before it too
    assert remote_sheets == local_sheets


def test_the_bot_answers_readers_on_a_loopback_port(demo_dir: Path) -> None:
    env = {**clean_env(demo_dir), **LOGIN}
    bot = ksales("bot", env=env)
    try:
        record = wait_for_owner(demo_dir, bot)
        assert record["url"].startswith("http://127.0.0.1:")
        served = httpx.get(
            f"{record['url']}/api/summary", params=QUERY, headers=_bearer(record["token"]), timeout=30
        ).json()
        printed = run("report", "--period", "last_month", "--sales-type", "all", "--json", env=env)
        assert printed.returncode == 0, printed.stderr
        assert json.loads(printed.stdout) == served
    finally:
        stop(bot)
    assert not (demo_dir / OWNER_FILE).exists()


def test_a_sync_in_progress_is_not_a_service(demo_dir: Path) -> None:
    from ksales.adapters.system.lock import DataDirLock

    with DataDirLock(demo_dir):  # as if `ksales sync` held the store: nothing to read through
        refused = run("report", env=clean_env(demo_dir), timeout=60)
    assert refused.returncode == 1
    assert "serves no API" in refused.stderr and "Traceback" not in refused.stderr


def test_the_weekly_report_reads_through_the_owner(demo_dir: Path, tmp_path: Path) -> None:
    """`ksales report --weekly` prints the same text and JSON beside a running service as without one."""
    env = {**clean_env(demo_dir), **LOGIN, "KSALES_LANGUAGE": "en"}
    kinds = [
        ["--weekly"],
        ["--weekly", "--json"],
        ["--weekly", "--sales-type", "all"],
        ["--weekly", "--xlsx", str(tmp_path / "alone.xlsx")],
    ]
    alone = [run("report", *kind, env=env) for kind in kinds]
    kinds[-1][-1] = str(tmp_path / "beside.xlsx")
    assert all(done.returncode == 0 for done in alone), [done.stderr for done in alone]
    assert "Weekly report:" in alone[0].stdout and "· All" in alone[2].stdout
    port = free_port()
    service = ksales("serve", "--port", str(port), env=env)
    try:
        record = wait_for_owner(demo_dir, service)
        beside = [run("report", *kind, env=env) for kind in kinds]
        served = httpx.get(f"{record['url']}/api/weekly", headers=_bearer(record["token"]), timeout=30).json()
    finally:
        stop(service)
    for before, after in zip(alone[:-1], beside[:-1], strict=True):
        assert after.returncode == 0, after.stderr
        assert after.stdout == before.stdout
    assert json.loads(beside[1].stdout) == served
    assert beside[-1].returncode == 0, beside[-1].stderr
    assert cells(tmp_path / "beside.xlsx") == cells(tmp_path / "alone.xlsx")


def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's values: the same workbook, whatever its file's timestamps."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
