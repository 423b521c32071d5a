"""The README's library example, run against a real store."""

from pathlib import Path

import pytest

import ksales
from ksales.entrypoints import cli
from ksales.entrypoints.settings import Settings


def test_readme_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KSALES_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KEYCRM_API_KEY", raising=False)
    assert cli.main(["demo", "--orders", "1000", "--seed", "11"]) == 0

    with ksales.open_analytics() as analytics:
        request = analytics.parse({"period": "month", "sales_type": "all"})
        summary = analytics.summary(request)
        top = analytics.top_products(request, limit=5).products
    assert summary.orders > 0
    assert summary.comparison is not None
    assert 0 < len(top) <= 5
    assert top[0].quantity >= top[-1].quantity

    with ksales.open_analytics(Settings.from_env()) as analytics:
        assert analytics.summary(request).revenue == summary.revenue
