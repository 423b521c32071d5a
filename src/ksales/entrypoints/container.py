"""The composition root: every object ksales runs with is built here, from `Settings`.

Entrypoints only resolve providers; tests build a `Container(settings=...)` and override providers with the
in-memory fakes. Nothing is built at import time; adapters are imported when their provider is first called.
The data directory's lock is a resource of its own that the stores depend on, so a command takes it before it
touches any file, and it is released only after both stores are closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from dependency_injector import containers, providers

from ksales.adapters.babel import BabelCatalog
from ksales.adapters.system.clock import SystemClock
from ksales.adapters.system.lock import DataDirLock
from ksales.domain.errors import ConfigError
from ksales.entrypoints.bot.services import BotServices
from ksales.entrypoints.settings import Secret, Settings
from ksales.ports.weekly_book import WeeklyWorkbookWriter
from ksales.services.access import AccessService
from ksales.services.alerts import AlertMonitor
from ksales.services.analytics import AnalyticsService
from ksales.services.health import Backoff, Health
from ksales.services.inventory import InventoryService
from ksales.services.milestone_alerts import MilestoneAlerts
from ksales.services.pace import GoalService
from ksales.services.reporting import ReportingService
from ksales.services.silence import SilenceWatch
from ksales.services.stocks import StockSnapshots
from ksales.services.sync import SyncService
from ksales.services.sync.rereads import Budget
from ksales.services.tokens import TokenService, new_secret
from ksales.services.weekly import WeeklyReports

if TYPE_CHECKING:
    from ksales.adapters.demo.crm import DemoCrm
    from ksales.entrypoints.web.auth import Auth
    from ksales.ports.charts import ChartRenderer
    from ksales.ports.clock import Clock
    from ksales.ports.crm import Crm
    from ksales.ports.language import Catalog
    from ksales.ports.report import ReportWriter
    from ksales.ports.store import SalesStore
    from ksales.ports.telegram import BotIdentity
    from ksales.ports.tokens import ApiTokens
    from ksales.ports.users import UserStore


def require_bot_token(settings: Settings) -> Secret:
    """The one place that says the bot cannot run without BOT_TOKEN."""
    if settings.bot_token is None:
        raise ConfigError("BOT_TOKEN", "is not set: the bot needs a Telegram bot token")
    return settings.bot_token


def hold_data_dir(settings: Settings) -> Iterator[DataDirLock]:
    """The data directory's lock until the container shuts down; refused while another process has it."""
    with DataDirLock(settings.data_dir) as lock:
        yield lock


def open_sales_store(settings: Settings, lock: DataDirLock) -> Iterator[SalesStore]:
    """The DuckDB store in the data directory; `lock` proves this process owns the directory."""
    from ksales.adapters.duckdb.store import DuckDbSalesStore

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


def open_api_tokens(settings: Settings) -> Iterator[ApiTokens]:
    """The API tokens in `users.sqlite3`: needs no data-dir lock (SQLite takes a second connection)."""
    from ksales.adapters.sqlite.tokens import SqliteApiTokens

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    tokens = SqliteApiTokens(settings.users_path)
    try:
        yield tokens
    finally:
        tokens.close()


def make_demo_crm(
    settings: Settings, clock: Clock, seed: int | None = None, orders_per_year: int | None = None
) -> DemoCrm:
    """The deterministic demo shop (`ksales demo` may ask for another seed or size)."""
    from ksales.adapters.demo.crm import DEFAULT_ORDERS_PER_YEAR, DemoCrm

    return DemoCrm(
        clock=clock,
        seed=settings.demo_seed if seed is None else seed,
        timezone=settings.timezone,
        orders_per_year=DEFAULT_ORDERS_PER_YEAR if orders_per_year is None else orders_per_year,
    )


def make_crm(settings: Settings, clock: Clock, health: Health) -> Crm:
    """KeyCRM when a key is set, else the deterministic demo shop."""
    if settings.keycrm_api_key is None:
        return make_demo_crm(settings, clock)
    from ksales.adapters.keycrm.client import KeyCrmClient

    return KeyCrmClient(
        base_url=settings.keycrm_base_url,
        api_key=settings.keycrm_api_key.value,
        rate_limit=settings.keycrm_rate_limit,
        brand_field=settings.brand_field,
        status=health,
    )


def make_report_writer(settings: Settings, catalog: Catalog) -> ReportWriter:
    from ksales.adapters.excel.writer import OpenpyxlReportWriter

    return OpenpyxlReportWriter(catalog=catalog, currency=settings.currency)


def make_weekly_writer(settings: Settings, catalog: Catalog) -> WeeklyWorkbookWriter:
    from ksales.adapters.excel.weekly_book import OpenpyxlWeeklyWriter

    return OpenpyxlWeeklyWriter(catalog=catalog, currency=settings.currency)


def make_charts() -> ChartRenderer:
    from ksales.adapters.charts.matplotlib_charts import MatplotlibChartRenderer

    return MatplotlibChartRenderer()


def make_bot_identity(settings: Settings) -> BotIdentity | None:
    """Who the bot is, for the login page; None without BOT_TOKEN."""
    if settings.bot_token is None:
        return None
    from ksales.adapters.telegram.identity import BotApiIdentity

    return BotApiIdentity(settings.telegram_api_base_url, settings.bot_token.value)


def make_auth(settings: Settings, users: providers.Provider[UserStore], clock: Clock) -> Auth | None:
    """Dashboard login, on exactly when BOT_TOKEN is set (the user store is opened only then)."""
    if settings.bot_token is None:
        return None
    from ksales.entrypoints.web.auth import Auth

    return Auth(
        bot_token=settings.bot_token.value,
        secret_key=settings.dashboard_secret_key.value,
        admin_ids=settings.admin_user_ids,
        users=users(),
        clock=clock,
        secure_cookies=settings.secure_cookies,
    )


def write_backup(store: SalesStore, users: UserStore, clock: Clock, settings: Settings) -> Path:
    """A backup of both stores into `<data dir>/backups/<UTC time>/`; returns the folder."""
    from ksales import __version__
    from ksales.services.backup import create_backup

    return create_backup(store, users, clock, settings.data_dir / "backups", __version__)


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock: providers.Provider[Clock] = providers.Singleton(SystemClock)
    rules = providers.Callable(lambda s: s.rules, settings)
    milestones = providers.Callable(lambda s: s.milestones, settings)
    admin_ids = providers.Callable(lambda s: s.admin_user_ids, settings)
    bot_token = providers.Callable(require_bot_token, settings)
    health = providers.Singleton(Health)
    #: Every language's messages and formats (the compiled catalogs in ksales/locale).
    catalog: providers.Provider[Catalog] = providers.Singleton(BabelCatalog)
    language = providers.Callable(lambda s: s.language, settings)
    #: How long the bot waits between tries to reach Telegram.
    bot_backoff = providers.Object(Backoff(first=1.0, cap=300.0))

    data_dir_lock = providers.Resource(hold_data_dir, settings)
    sales_store: providers.Provider[SalesStore] = providers.Resource(
        open_sales_store, settings, data_dir_lock
    )
    user_store: providers.Provider[UserStore] = providers.Resource(open_user_store, settings)
    api_tokens: providers.Provider[ApiTokens] = providers.Resource(open_api_tokens, settings)
    #: This process's own token, for same-machine readers (written to `ksales.owner.json` by an owner).
    local_secret = providers.Singleton(new_secret)
    tokens = providers.Singleton(TokenService, tokens=api_tokens, clock=clock, local_secret=local_secret)
    crm: providers.Provider[Crm] = providers.Singleton(make_crm, settings, clock, health)
    demo_crm = providers.Factory(make_demo_crm, settings, clock)
    report_writer: providers.Provider[ReportWriter] = providers.Singleton(
        make_report_writer, settings, catalog
    )
    bot_identity = providers.Singleton(make_bot_identity, settings)

    analytics = providers.Factory(
        AnalyticsService,
        store=sales_store,
        rules=rules,
        milestones=milestones,
        clock=clock,
        goals=providers.Callable(lambda s: s.goals, settings),
    )
    sync = providers.Singleton(
        SyncService,
        crm=crm,
        store=sales_store,
        clock=clock,
        budget=providers.Factory(
            Budget.share,
            rate_limit=settings.provided.keycrm_rate_limit,
            percent=settings.provided.sync_budget_pct,
            interval_seconds=settings.provided.sync_interval,
        ),
    )
    goal_service = providers.Factory(GoalService, store=sales_store)
    stock_snapshots = providers.Singleton(
        StockSnapshots,
        crm=crm,
        store=sales_store,
        clock=clock,
        timezone=providers.Callable(lambda s: s.timezone, settings),
    )
    inventory = providers.Factory(
        InventoryService,
        store=sales_store,
        restock_days=providers.Callable(lambda s: s.restock_days, settings),
    )
    #: How often the snapshot schedule looks whether today's is due, and how it retries a failed one.
    stock_check_every = providers.Object(300.0)
    stock_backoff = providers.Object(Backoff(first=2.0, cap=300.0))
    #: A sync into another store (`ksales demo` fills a new store beside the current one).
    sync_into = providers.Factory(SyncService, clock=clock)
    access = providers.Singleton(AccessService, users=user_store, admin_ids=admin_ids, clock=clock)
    reporting = providers.Factory(
        ReportingService, analytics=analytics, writer=report_writer, inventory=inventory
    )
    milestone_alerts = providers.Factory(MilestoneAlerts, analytics=analytics, access=access)
    weekly_reports = providers.Factory(
        WeeklyReports,
        analytics=analytics,
        access=access,
        slot=providers.Callable(lambda s: s.weekly_report, settings),
    )
    charts: providers.Provider[ChartRenderer] = providers.Singleton(make_charts)
    weekly_writer: providers.Provider[WeeklyWorkbookWriter] = providers.Singleton(
        make_weekly_writer, settings, catalog
    )
    alert_monitor = providers.Factory(
        AlertMonitor,
        store=sales_store,
        health=health,
        clock=clock,
        enabled=providers.Callable(lambda s: s.alerts, settings),
        sync_interval=providers.Callable(lambda s: s.sync_interval, settings),
        silence=providers.Factory(
            SilenceWatch,
            store=sales_store,
            timezone=providers.Callable(lambda s: s.timezone, settings),
            hours=providers.Callable(lambda s: s.alert_silence_hours, settings),
        ),
    )
    auth = providers.Singleton(make_auth, settings, user_store.provider, clock)
    backup = providers.Callable(write_backup, sales_store, user_store, clock, settings)

    bot_services = providers.Singleton(
        BotServices,
        access=access,
        reporting=reporting,
        alerts=milestone_alerts,
        crm=crm,
        store=sales_store,
        currency=providers.Callable(lambda s: s.currency, settings),
        timezone=providers.Callable(lambda s: s.timezone, settings),
        dashboard_url=providers.Callable(lambda s: s.dashboard_url, settings),
        catalog=catalog,
        language=language,
        show_costs=providers.Callable(lambda s: s.show_costs, settings),
        goals=goal_service,
        weekly=weekly_reports,
        charts=charts,
        monitor=alert_monitor,
        inventory=inventory,
    )


def build_container(settings: Settings | None = None) -> Container:
    """A container for these settings (default: from the environment)."""
    return Container(settings=settings or Settings.from_env())
