"""`GET /api/weekly` read back by RemoteAnalytics ≡ the local weekly report, and so is the CLI's text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from ksales.domain.language import Language
from ksales.domain.rules import SalesType
from ksales.entrypoints import cli
from ksales.entrypoints.bot.weekly_texts import weekly
from ksales.entrypoints.container import Container, build_container
from ksales.entrypoints.remote import RemoteAnalytics
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.weekly_cli import plain, read_report, weekly_json
from ksales.services.weekly import parse_week
from tests.contract.test_remote_analytics_contract import ThreadedServer, same
from tests.i18n import CATALOG


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Container, RemoteAnalytics]]:
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KSALES_DATA_DIR", str(data_dir))
        patch.delenv("KEYCRM_API_KEY", raising=False)
        assert cli.main(["demo", "--orders", "1500", "--seed", "6"]) == 0
        container = build_container(Settings.from_env())
    try:
        with ThreadedServer(container) as url, RemoteAnalytics(url) as remote:
            yield container, remote
    finally:
        container.shutdown_resources()


def test_the_weekly_report_is_the_same_locally_and_remotely(pair: tuple[Container, Any]) -> None:
    container, remote = pair
    local = container.analytics()
    today = local.today()
    reports = container.weekly_reports()
    earlier = date.fromordinal(today.toordinal() - 40)
    for sales_type in SalesType:
        for week in (None, earlier):
            mine = reports.report(parse_week(None if week is None else week.isoformat(), today), sales_type)
            theirs = remote.weekly_report(week, sales_type)
            same(mine, theirs)
            for language in Language:
                t = CATALOG.translator(language)
                assert plain(weekly(t, theirs, sales_type, "UAH")) == plain(
                    weekly(t, mine, sales_type, "UAH")
                )
        # What the CLI reads (from the store, or through the owner) and what it prints as JSON.
        assert read_report(container, remote, sales_type) == read_report(container, local, sales_type)
        assert weekly_json(remote.weekly_report(None, sales_type), sales_type) == weekly_json(
            reports.report(parse_week(None, today), sales_type), sales_type
        )
    assert mine.orders > 0 and mine.history[-1].revenue > 0  # a real week, not an empty one
