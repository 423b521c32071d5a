"""SPEC §8: a command that refuses to run has changed nothing (real processes on a real data directory).

Found by issue 9: a refused `ksales demo` deleted the running service's store before it asked for the lock.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.processes import clean_env, free_port, ksales, run, snapshot, stop, wait_for


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str], str]]:
    """A demo store and a `ksales serve` owning it, with a backup written by that service."""
    data_dir = tmp_path_factory.mktemp("refusals") / "data"
    env = clean_env(data_dir)
    built = run("demo", "--orders", "400", env=env)
    assert built.returncode == 0, built.stderr
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = ksales("serve", "--port", str(port), env=env)
    try:
        wait_for(url, server, timeout=60)
        backup = run("backup", env=env)
        assert backup.returncode == 0, backup.stderr
        yield data_dir, env, url
    finally:
        log = stop(server)
        assert server.returncode in (0, -signal.SIGTERM), log[-2000:]


def _backup_folder(data_dir: Path) -> Path:
    return next(p for p in sorted((data_dir / "backups").iterdir()) if p.is_dir())


@pytest.mark.parametrize(
    "args",
    [
        ("demo", "--orders", "50"),
        ("sync",),
        ("sync", "--full", "--days", "3"),
        ("serve", "--port", "0"),
        ("restore", "BACKUP"),
    ],
    ids=lambda args: " ".join(args),
)
def test_a_refused_command_changes_nothing(
    serving: tuple[Path, dict[str, str], str], args: tuple[str, ...]
) -> None:
    data_dir, env, url = serving
    args = tuple(str(_backup_folder(data_dir)) if a == "BACKUP" else a for a in args)
    before = snapshot(data_dir)
    orders = httpx.get(f"{url}/api/health", timeout=5).json()["store"]["orders"]

    refused = run(*args, env=env)

    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "is in use by pid" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert snapshot(data_dir) == before
    health = httpx.get(f"{url}/api/health", timeout=5).json()
    assert health["store"]["orders"] == orders


def test_a_bot_refused_for_the_lock_changes_nothing(serving: tuple[Path, dict[str, str], str]) -> None:
    data_dir, env, _ = serving
    before = snapshot(data_dir)
    refused = run(
        "bot", env={**env, "BOT_TOKEN": "123456:x", "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"}
    )
    assert refused.returncode == 1, refused.stderr
    assert "is in use by pid" in refused.stderr
    assert snapshot(data_dir) == before


def test_demo_killed_midway_leaves_the_old_store_usable(tmp_path: Path) -> None:
    env = clean_env(tmp_path / "data")
    assert run("demo", "--orders", "300", env=env).returncode == 0
    first = run("report", "--period", "last_month", "--json", env=env)
    assert first.returncode == 0, first.stderr

    rebuilding = ksales("demo", "--orders", "60000", env=env)
    store = tmp_path / "data" / "analytics.duckdb"
    try:
        # Kill it while the new store is being written beside the old one.
        deadline_output = ""
        for _ in range(600):
            if any(p.name.startswith("analytics.duckdb.new") for p in store.parent.iterdir()):
                break
            if rebuilding.poll() is not None:
                deadline_output = rebuilding.stderr.read() if rebuilding.stderr else ""
                break
            subprocess.run(["sleep", "0.05"], check=True)
        else:
            pytest.fail("the demo never started writing its new store")
        assert rebuilding.poll() is None, f"demo finished before it could be killed: {deadline_output}"
    finally:
        rebuilding.kill()
        rebuilding.communicate()

    again = run("report", "--period", "last_month", "--json", env=env)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    # The next demo cleans up what the killed one left behind.
    assert run("demo", "--orders", "200", env=env).returncode == 0
    assert not any(p.name.startswith("analytics.duckdb.new") for p in store.parent.iterdir())
