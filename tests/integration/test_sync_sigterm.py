"""SIGTERM in the middle of `ksales sync --full`: a clean stop, and a rerun ends with the CRM's data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ksales.adapters.duckdb.store import DuckDbSalesStore
from ksales.domain.rules import Rules
from tests.integration.fake_keycrm import API_KEY, FakeKeyCrm, Fault, make_shop, serving, shop_dictionaries


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeKeyCrm]:
    server = FakeKeyCrm()
    with serving(server):
        yield server


def sync(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ksales.entrypoints.cli", "sync", "--full", "--days", "60"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail("condition not reached in time")
        time.sleep(0.01)


def test_sigterm_mid_sync_then_rerun(fake: FakeKeyCrm, tmp_path: Path) -> None:
    fake.load(shop_dictionaries(), make_shop(23, 400, datetime.now(UTC).replace(microsecond=0), 55))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KSALES_", "KEYCRM_", "BOT_"))}
    env |= {
        "KSALES_DATA_DIR": str(tmp_path / "data"),
        "KEYCRM_API_KEY": API_KEY,
        "KEYCRM_BASE_URL": fake.base_url,
        "KEYCRM_RATE_LIMIT": "10000",
        "KSALES_LANGUAGE": "en",  # the CLI's lines read English
    }
    # Hold the 12th request (a few windows in) so that the signal surely lands mid-sync.
    fake.fail(12, Fault(status=503, stall=20.0))
    first = sync(env)
    wait_until(lambda: fake.received >= 12)
    first.send_signal(signal.SIGTERM)
    _, err = first.communicate(timeout=30)
    assert first.returncode == 130, err
    assert "stopped" in err
    assert "Traceback" not in err

    store = DuckDbSalesStore(tmp_path / "data" / "analytics.duckdb", Rules())
    try:
        assert 0 < store.order_count() < len(fake.orders), "the kill should land between windows"
    finally:
        store.close()

    second = sync(env)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "full sync" in out

    store = DuckDbSalesStore(tmp_path / "data" / "analytics.duckdb", Rules())
    try:
        assert store.order_count() == len(fake.orders)
        assert {i: store.get_order(i) for i in fake.orders} == fake.orders
    finally:
        store.close()
