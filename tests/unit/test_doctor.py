"""`ksales doctor` / `GET /api/data-quality`: each finding, the exit code, and a healthy store's report."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from ksales.adapters.memory.store import InMemorySalesStore
from ksales.domain.model import Dictionaries, Order, OrderLine, Product, Source, Status
from ksales.domain.stock import StockSnapshot
from ksales.entrypoints import cli
from ksales.ports.store import OrderChanges
from ksales.services import doctor
from ksales.services.sync.reconcile import RECONCILIATION_KEY, Reconciliation
from ksales.services.sync.service import LAST_SYNC_KEY, SYNC_HISTORY_KEY
from ksales.services.sync_report import SyncReport

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TODAY = date(2026, 3, 1)
LINE = OrderLine("Dress", Decimal(1), Decimal(100), product_id=1, purchased_price=Decimal(40))


def order(
    order_id: int, *, lines: tuple[OrderLine, ...] = (LINE,), source: int = 1, status: int = 1
) -> Order:
    return Order(order_id, source, Decimal(100), NOW, NOW, NOW, status, 1, lines=lines)


def healthy_store() -> InMemorySalesStore:
    store = InMemorySalesStore()
    store.save_dictionaries(
        Dictionaries(
            sources=(Source(1, "Shop", "UAH"),),
            statuses=(Status(1, "New", 1),),
            products=(Product(1, "Dress"),),
        )
    )
    store.apply(OrderChanges(upserts=(order(1), order(2))))
    store.set_meta({RECONCILIATION_KEY: Reconciliation(NOW, months_checked=3).dump()})
    for day in (TODAY - timedelta(days=1), TODAY):
        store.save_stock_snapshot(StockSnapshot(day, NOW))
    return store


def test_a_healthy_store_needs_no_attention() -> None:
    report = doctor.data_quality(healthy_store(), "UAH", TODAY)
    assert report["ok"] and report["attention"] == []
    assert report["lines"] == {
        "lines": 2,
        "without_product": 0,
        "without_purchase_price": 0,
        "cost_coverage_pct": 100.0,
    }
    assert report["reconciliation"]["months_checked"] == 3


def test_every_finding_is_reported() -> None:
    store = healthy_store()
    bare = OrderLine("Gift wrap", Decimal(1), Decimal(5))
    store.apply(
        OrderChanges(
            upserts=(order(3, lines=()), order(4, lines=(bare, LINE), source=9, status=8)),
        )
    )
    store.apply(
        OrderChanges(upserts=(order(5, lines=(OrderLine("X", Decimal(1), Decimal(1), product_id=77),)),))
    )
    store.save_dictionaries(Dictionaries(sources=(Source(2, "US shop", "USD"),)))
    store.set_meta({RECONCILIATION_KEY: Reconciliation(NOW, 3, ["2026-01"], ["2026-01"]).dump()})
    failed = SyncReport("incremental", error="KeyCRM did not answer", finished_at=NOW)
    store.set_meta({SYNC_HISTORY_KEY: json.dumps([failed.dump()]), LAST_SYNC_KEY: failed.dump()})
    store.save_stock_snapshot(StockSnapshot(TODAY - timedelta(days=4), NOW))
    report = doctor.data_quality(store, "UAH", TODAY)
    assert report["attention"] == [
        doctor.UNREPAIRED_MONTHS,
        doctor.ORDERS_WITHOUT_LINES,
        doctor.UNKNOWN_PRODUCTS,
        doctor.UNKNOWN_SOURCES,
        doctor.UNKNOWN_STATUSES,
        doctor.FOREIGN_CURRENCY,
        doctor.MISSING_SNAPSHOTS,
        doctor.SYNC_FAILED,
    ]
    assert report["orders_without_lines"] == {"orders": 1, "total": 100.0}
    assert report["unknown_products"] == [77] and report["unknown_sources"] == [9]
    assert report["unknown_statuses"] == [8]
    assert report["foreign_currency_sources"] == [{"id": 2, "name": "US shop", "currency_code": "USD"}]
    assert report["missing_snapshot_days"] == ["2026-02-26", "2026-02-27"]
    assert report["lines"]["without_product"] == 1 and report["lines"]["without_purchase_price"] == 2
    assert report["last_syncs"][0]["error"] == "KeyCRM did not answer"


def test_a_store_never_reconciled_needs_attention() -> None:
    store = healthy_store()
    store.set_meta({RECONCILIATION_KEY: ""})
    assert doctor.data_quality(store, "UAH", TODAY)["attention"] == [doctor.NEVER_RECONCILED]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KSALES_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KEYCRM_API_KEY", raising=False)
    monkeypatch.setenv("KSALES_LANGUAGE", "en")
    return tmp_path / "data"


def test_doctor_on_an_empty_data_dir_refuses_and_creates_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["doctor"]) == 1
    assert "the store is empty" in capsys.readouterr().err and not data_dir.exists()


def test_doctor_exits_1_until_the_store_is_reconciled(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo", "--orders", "300", "--seed", "3"]) == 0
    capsys.readouterr()
    assert cli.main(["doctor"]) == 1
    assert "never reconciled" in capsys.readouterr().out
    assert cli.main(["doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["attention"] == ["never_reconciled"] and report["last_syncs"][0]["mode"] == "full"
