"""The composition root: every object ksales runs with is built here, from `Settings`.

Tests build a `Container(settings=...)` and override providers with the in-memory fakes.
Nothing is built at import time; adapters are imported when their provider is first called.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from dependency_injector import containers, providers

from ksales.adapters.system.clock import SystemClock
from ksales.adapters.system.lock import DataDirLock
from ksales.entrypoints.settings import Settings
from ksales.services.analytics import AnalyticsService
from ksales.services.sync import SyncService

if TYPE_CHECKING:
    from ksales.ports.clock import Clock
    from ksales.ports.crm import Crm
    from ksales.ports.report import ReportWriter
    from ksales.ports.store import SalesStore
    from ksales.ports.users import UserStore


def open_sales_store(settings: Settings) -> Iterator[SalesStore]:
    """The DuckDB store in the data directory, owned by this process until the container shuts down."""
    from ksales.adapters.duckdb.store import DuckDbSalesStore

    with DataDirLock(settings.data_dir):
        store = DuckDbSalesStore(settings.store_path, settings.rules)
        try:
            yield store
        finally:
            store.close()


def open_user_store(settings: Settings) -> Iterator[UserStore]:
    from ksales.adapters.sqlite.users import SqliteUserStore

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = SqliteUserStore(settings.users_path)
    try:
        yield store
    finally:
        store.close()


def make_crm(settings: Settings, clock: Clock) -> Crm:
    """KeyCRM when a key is set, else the deterministic demo shop."""
    if settings.keycrm_api_key is None:
        from ksales.adapters.demo.crm import DemoCrm

        return DemoCrm(clock=clock, seed=settings.demo_seed, timezone=settings.timezone)
    from ksales.adapters.keycrm.client import KeyCrmClient

    return KeyCrmClient(
        base_url=settings.keycrm_base_url,
        api_key=settings.keycrm_api_key.value,
        rate_limit=settings.keycrm_rate_limit,
        brand_field=settings.brand_field,
    )


def make_report_writer(settings: Settings) -> ReportWriter:
    from ksales.adapters.excel.writer import OpenpyxlReportWriter

    return OpenpyxlReportWriter(currency=settings.currency)


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock: providers.Provider[Clock] = providers.Singleton(SystemClock)
    rules = providers.Callable(lambda s: s.rules, settings)
    milestones = providers.Callable(lambda s: s.milestones, settings)

    sales_store: providers.Provider[SalesStore] = providers.Resource(open_sales_store, settings)
    user_store: providers.Provider[UserStore] = providers.Resource(open_user_store, settings)
    crm: providers.Provider[Crm] = providers.Singleton(make_crm, settings, clock)
    report_writer: providers.Provider[ReportWriter] = providers.Singleton(make_report_writer, settings)

    analytics = providers.Factory(
        AnalyticsService, store=sales_store, rules=rules, milestones=milestones, clock=clock
    )
    sync = providers.Singleton(SyncService, crm=crm, store=sales_store, clock=clock)


def build_container(settings: Settings | None = None) -> Container:
    """A container for these settings (default: from the environment)."""
    return Container(settings=settings or Settings.from_env())
