"""`ksales serve` as a real process: a fresh start on demo data, one owner per data directory, SIGTERM."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest

from tests.e2e.processes import clean_env, free_port, ksales, stop, wait_for

#: SPEC §8: a fresh start shows the dashboard in under 5 s on demo data (measured, with slack for CI load).
FRESH_START_BUDGET_S = 5.0


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(tmp_path / "data")


def test_fresh_start_then_a_second_process_is_refused(env: dict[str, str]) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = ksales("serve", "--port", str(port), env=env)
    try:
        seconds = wait_for(url, server, timeout=120)
        assert seconds < FRESH_START_BUDGET_S, f"fresh start took {seconds:.1f} s"
        page = httpx.get(f"{url}/", timeout=5)
        assert page.status_code == 200
        assert "<canvas" in page.text

        second = ksales("serve", "--port", str(free_port()), env=env)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 1
        assert "is in use by pid" in err
        assert "Traceback" not in err
    finally:
        log = stop(server)
    # uvicorn shuts down gracefully, then re-raises the SIGTERM it caught (exit status 143 in a shell).
    assert server.returncode in (0, -signal.SIGTERM), log[-2000:]
    assert "Application shutdown complete" in log
    assert "Traceback" not in log
