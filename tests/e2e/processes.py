"""Real `ksales` processes on a real data directory: start, wait, stop, and what the directory holds."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(data_dir: Path) -> dict[str, str]:
    """The test process's environment without any ksales setting, on `data_dir`, with no periodic sync."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KSALES_", "KEYCRM_", "BOT_", "TELEGRAM_", "DASHBOARD_", "ADMIN_"))
    }
    environment["KSALES_DATA_DIR"] = str(data_dir)
    environment["KSALES_SYNC_INTERVAL"] = "0"
    return environment


def ksales(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ksales.entrypoints.cli", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ksales.entrypoints.cli", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def wait_for(
    url: str,
    process: subprocess.Popen[str],
    timeout: float,
    populated: bool = True,
    path: str = "/api/summary",
) -> float:
    """Seconds until GET `path` answers (with orders, if `populated`); fails if the process dies."""
    started = time.monotonic()
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() - started < timeout:
            if process.poll() is not None:
                pytest.fail(f"ksales exited with {process.returncode}: {process.stderr.read()[-2000:]}")
            try:
                response = client.get(f"{url}{path}", params={"period": "last_month"})
                if response.status_code == 200 and (not populated or response.json()["orders"] > 0):
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    pytest.fail(f"no {path} within {timeout} s")


def stop(process: subprocess.Popen[str], timeout: float = 30) -> str:
    """SIGTERM, then what the process wrote to stderr."""
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"ksales did not stop within {timeout} s of SIGTERM")
    return err


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file under `folder` with its size and content hash."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
