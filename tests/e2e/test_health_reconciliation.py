"""`/api/health` shows the last reconciliation and is degraded while a month stayed unrepaired;
`/api/data-quality` answers the doctor's report."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.testclient import TestClient

from ksales.entrypoints.container import Container
from ksales.services.sync.reconcile import RECONCILIATION_KEY, Reconciliation

AT = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def test_an_unrepaired_month_degrades_the_health(container: Container) -> None:
    from ksales.entrypoints.web import create_app

    result = Reconciliation(AT, months_checked=24, mismatched=["2025-06", "2025-07"], unrepaired=["2025-07"])
    container.sales_store().set_meta({RECONCILIATION_KEY: result.dump()})
    with TestClient(create_app(container, background=False)) as client:
        body = client.get("/api/health").json()
        quality = client.get("/api/data-quality").json()
        csv = client.get("/api/data-quality", params={"format": "csv"})
    assert body["status"] == "degraded" and any("2025-07" in r for r in body["reasons"])
    assert body["store"]["reconciled_at"] == AT.isoformat()
    assert body["store"]["mismatched_months"] == ["2025-07"]
    assert quality["ok"] is False and "unrepaired_months" in quality["attention"]
    assert quality["reconciliation"]["mismatched_months"] == ["2025-06", "2025-07"]
    assert csv.status_code == 200 and "unrepaired_months" in csv.text


def test_a_repaired_reconciliation_keeps_the_health_ok(container: Container) -> None:
    from ksales.entrypoints.web import create_app

    result = Reconciliation(AT, months_checked=24, mismatched=["2025-06"], inserted=3)
    container.sales_store().set_meta({RECONCILIATION_KEY: result.dump()})
    with TestClient(create_app(container, background=False)) as client:
        body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["store"]["mismatched_months"] == []
