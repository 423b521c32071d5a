"""RemoteAnalytics (over a real uvicorn server on 127.0.0.1) ≡ AnalyticsService, for every method."""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from dependency_injector import providers

from ksales.adapters.memory import FixedClock
from ksales.domain.errors import InvalidParameter, NotFound
from ksales.domain.ranking import RankBy
from ksales.entrypoints import cli
from ksales.entrypoints.container import Container, build_container
from ksales.entrypoints.remote import RemoteAnalytics
from ksales.entrypoints.serialize import to_json
from ksales.entrypoints.settings import Settings
from ksales.entrypoints.web import create_app
from ksales.services.analytics import AnalyticsService
from ksales.services.params import Granularity
from tests.e2e.conftest import make_container

#: `resolve` binds a request to the store's own query type (a `Scope`): it is not a figure, and not served;
#: the remote client takes the resolved request the local `parse` gives and sends its plain request.
LOCAL_ONLY = {"resolve"}


def public_methods(cls: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")}


def test_the_remote_client_has_every_method_of_the_service() -> None:
    assert public_methods(AnalyticsService) - LOCAL_ONLY <= public_methods(RemoteAnalytics)
    for name in public_methods(AnalyticsService) - LOCAL_ONLY:
        local = inspect.signature(getattr(AnalyticsService, name))
        remote = inspect.signature(getattr(RemoteAnalytics, name))
        assert list(local.parameters) == list(remote.parameters), name


class ThreadedServer:
    def __init__(self, container: Container) -> None:
        config = uvicorn.Config(
            create_app(container, background=False), host="127.0.0.1", port=0, log_config=None, lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(20)


@pytest.fixture(scope="module", params=["hand-made", "demo"])
def pair(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, Any]]:
    if request.param == "hand-made":
        container = make_container()
    else:
        data_dir = tmp_path_factory.mktemp("demo") / "data"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("KSALES_DATA_DIR", str(data_dir))
            patch.delenv("KEYCRM_API_KEY", raising=False)
            assert cli.main(["demo", "--orders", "1200", "--seed", "5"]) == 0
            container = build_container(Settings.from_env())
        # One instant for both sides: a same-time cut read across a minute's turn differed by a minute.
        container.clock.override(providers.Object(FixedClock(container.clock().now())))
    try:
        with ThreadedServer(container) as url, RemoteAnalytics(url) as remote:
            yield container.analytics(), remote
    finally:
        container.shutdown_resources()


def same(local: Any, remote: Any) -> None:
    assert type(remote) is type(local)
    assert to_json(remote) == to_json(local)
    assert remote == local  # amounts of these shops have no more decimals than the API shows


def requests(analytics: AnalyticsService) -> list[dict[str, str]]:
    source = analytics.sources()[0].id
    category = analytics.root_categories()[0].id
    brand = analytics.brand_names()[0]
    return [
        {},
        {"period": "month"},
        {"period": "last_month", "sales_type": "all"},
        {"period": "LAST_7_DAYS", "sales_type": "b2b", "compare": "year_ago"},
        {"period": "week", "source_id": str(source), "compare": "none"},
        {"start_date": "2026-09-01", "end_date": "2026-11-20", "category_id": str(category)},
        {"period": "last_28_days", "brand": brand.upper(), "sales_type": "all"},
    ]


def test_every_report_is_the_same_locally_and_remotely(
    pair: tuple[AnalyticsService, RemoteAnalytics],
) -> None:
    local, remote = pair
    assert remote.today() == local.today()
    for params in requests(local):
        request = local.parse(params)  # resolved against the store; the remote answers the plain request
        assert remote.parse(params) == request.request, params
        same(local.summary(request), remote.summary(request))
        for granularity in Granularity:
            same(local.trend(request, granularity), remote.trend(request, granularity))
        same(local.sources_breakdown(request), remote.sources_breakdown(request))
        for by in RankBy:
            same(local.top_products(request, 5, by), remote.top_products(request, 5, by))
        same(local.product_performance(request, 3), remote.product_performance(request, 3))
        same(local.category_breakdown(request), remote.category_breakdown(request))
        parent = local.root_categories()[0].id
        same(local.category_breakdown(request, parent), remote.category_breakdown(request, parent))
        same(local.customers(request), remote.customers(request))
        same(local.brands(request, 4), remote.brands(request, 4))
        same(local.expenses(request), remote.expenses(request))
        kind = local.expense_types()[0].id
        same(local.expenses(request, kind), remote.expenses(request, kind))
        same(local.profit(request), remote.profit(request))
        same(local.bundle(request), remote.bundle(request))


def test_every_lookup_is_the_same_locally_and_remotely(
    pair: tuple[AnalyticsService, RemoteAnalytics],
) -> None:
    local, remote = pair
    assert [(s.id, s.name) for s in remote.sources()] == [(s.id, s.name) for s in local.sources()]
    assert [(t.id, t.name) for t in remote.expense_types()] == [(t.id, t.name) for t in local.expense_types()]
    assert remote.categories() == local.categories()
    same(local.month_goals(), remote.month_goals())
    october = local.today().replace(month=10, day=1)
    same(local.month_goals(october), remote.month_goals(october))
    assert remote.root_categories() == local.root_categories()
    assert remote.brand_names() == local.brand_names()
    for category in local.categories():
        assert remote.category_children(category.id) == local.category_children(category.id)


def test_refusals_are_the_same_errors(pair: tuple[AnalyticsService, RemoteAnalytics]) -> None:
    local, remote = pair
    for params in ({"period": "fortnight"}, {"source_id": "999999"}, {"start_date": "2026-11-02"}):
        with pytest.raises(InvalidParameter) as here:
            local.parse(params)
        with pytest.raises(InvalidParameter) as there:
            remote.parse(params)
        assert (there.value.field, there.value.message) == (here.value.field, here.value.message)
    with pytest.raises(NotFound):
        remote.category_children(987654)
    request = local.parse({"period": "month"})
    with pytest.raises(InvalidParameter):
        remote.category_breakdown(request, 987654)
