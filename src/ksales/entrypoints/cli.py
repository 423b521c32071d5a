"""The `ksales` command: serve, sync, bot, report, demo, backup, restore, token.

Longer than the other modules: it is the one place that turns every subcommand's arguments into container
calls and one-line errors. It is due to be split into a package with a module per command once the sync and
doctor commands of release 2 have settled (they are being reworked now).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define

from ksales import __version__
from ksales.adapters.babel import BabelCatalog
from ksales.domain.errors import ConfigError, KsalesError
from ksales.domain.language import N_, Language
from ksales.domain.names import VALUE_NAMES
from ksales.domain.periods import PeriodKind
from ksales.domain.results import SourceRow, Summary
from ksales.entrypoints.container import Container, build_container
from ksales.entrypoints.logs import configure_logging
from ksales.entrypoints.serialize import to_json
from ksales.entrypoints.settings import Settings
from ksales.ports.language import Translator
from ksales.services.sync import SyncProgress

if TYPE_CHECKING:
    from ksales.domain.workbook import WorkbookReport
    from ksales.entrypoints.readers import Analytics
    from ksales.services.analytics import ScopedRequest
    from ksales.services.params import ReportRequest

log = logging.getLogger("ksales")
T = TypeVar("T")


def _out(text: object, *, flush: bool = False) -> None:
    """One line of a command's output on stdout: the report, the list, the one-time token secret."""
    sys.stdout.write(f"{text}\n")
    if flush:
        sys.stdout.flush()


def _note(text: str) -> None:
    """One line for the person at the terminal on stderr: errors, hints, what a command just did."""
    sys.stderr.write(f"{text}\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ksales", description="Sales reporting for a KeyCRM shop: dashboard, bot, sync and reports."
    )
    parser.add_argument("--version", action="version", version=f"ksales {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="run the dashboard with background sync (and the bot if BOT_TOKEN)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")

    sync = commands.add_parser("sync", help="sync orders from KeyCRM (or the demo shop) once and exit")
    sync.add_argument("--full", action="store_true", help="re-read every window of the last N days")
    sync.add_argument(
        "--days", type=_days, help="days a full sync covers, or `all` (default KSALES_FULL_SYNC_DAYS)"
    )
    sync.add_argument("--reconcile", action="store_true", help="compare the store with KeyCRM month by month")
    sync.add_argument("--stocks", action="store_true", help="take today's stock snapshot now (no order sync)")

    commands.add_parser("bot", help="run the Telegram bot with background sync, without the dashboard")

    report = commands.add_parser(
        "report",
        help="print the sales summary, or write it as JSON or Excel (beside a running service too)",
    )
    named = ", ".join(k.value for k in PeriodKind if k is not PeriodKind.CUSTOM)
    report.add_argument("--period", help=f"one of {named} (default today), or --from/--to")
    report.add_argument("--from", dest="start_date", metavar="YYYY-MM-DD", help="start of a custom range")
    report.add_argument("--to", dest="end_date", metavar="YYYY-MM-DD", help="end of a custom range")
    report.add_argument("--sales-type", help="retail (default), b2b or all")
    report.add_argument("--source", dest="source_id", help="source id")
    report.add_argument("--category", dest="category_id", help="category id (its subcategories included)")
    report.add_argument("--brand", help="brand name (case-insensitive)")
    report.add_argument("--compare", help="previous_period (default), year_ago or none")
    report.add_argument("--xlsx", type=Path, metavar="FILE", help="write the Excel workbook to FILE")
    report.add_argument("--json", action="store_true", help="print exactly what GET /api/summary returns")
    report.add_argument("--weekly", action="store_true", help="the weekly report of the last complete week")

    backup = commands.add_parser(
        "backup", help="write a backup of both stores to <data dir>/backups/ (works while `serve` runs)"
    )
    backup.add_argument("--timeout", type=float, default=300, help="seconds to wait for a running service")

    restore = commands.add_parser(
        "restore", help="replace the stores with a backup (the service must be stopped)"
    )
    restore.add_argument("folder", type=Path, help="a folder written by `ksales backup`")

    token = commands.add_parser(
        "token", help="API tokens for other tools: create NAME, list, revoke NAME (works while `serve` runs)"
    )
    token_actions = token.add_subparsers(dest="action", required=True, metavar="ACTION")
    token_actions.add_parser("create", help="a new token; its secret is shown once").add_argument("name")
    token_actions.add_parser("list", help="every token, revoked ones too (never a secret)")
    token_actions.add_parser("revoke", help="refuse the token from now on").add_argument("name")

    doctor = commands.add_parser(
        "doctor", help="the data-quality report; exit 1 when something needs attention"
    )
    doctor.add_argument(
        "--json", action="store_true", help="print exactly what GET /api/data-quality returns"
    )

    commands.add_parser(
        "rebuild-rollups",
        help="recompute the store's daily and monthly sums from its orders (the service must be stopped)",
    )

    demo = commands.add_parser("demo", help="rebuild the store from the built-in demo shop")
    demo.add_argument("--orders", type=int, help="about this many orders in all (default ≈ 20 000 a year)")
    demo.add_argument("--seed", type=int, help="seed of the demo shop (default KSALES_DEMO_SEED or 7)")
    return parser


#: Commands that write to the data directory: they take its lock before touching any file, so that a
#: refused command has changed nothing (SPEC §8). `backup` asks a running owner instead of refusing.
OWNERS = frozenset({"serve", "sync", "bot", "demo", "restore", "rebuild-rollups"})
#: Commands that only work on orders already stored: refused before the lock or the store is created.
NEED_A_STORE = frozenset({"rebuild-rollups"})


def _fallback_translator() -> Translator:
    """KSALES_LANGUAGE as far as it reads, for the error that the settings themselves cannot be read."""
    language = Language.from_tag(os.environ.get("KSALES_LANGUAGE")) or Language.UK
    return BabelCatalog().translator(language)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        t = _fallback_translator()
        _note("ksales: " + t.gettext("configuration error: {error}", error=exc))
        return 2
    configure_logging(settings)
    container = build_container(settings)
    t = container.catalog().translator(settings.language)
    try:
        if args.command in NEED_A_STORE and not settings.store_path.exists():
            raise EmptyStore()
        if args.command in OWNERS:
            container.data_dir_lock()
        code = int(COMMANDS[args.command](container, args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, where it is caught, not at exit
        return code
    except KsalesError as exc:
        error = exc.translated(t) if isinstance(exc, CliError) else str(exc)
        _note("ksales: " + t.gettext("error: {error}", error=error))
        return 1
    except KeyboardInterrupt:
        _note("ksales: " + t.gettext("stopped"))
        return 130
    except BrokenPipeError:
        # The reader went away (`ksales report | head`): say so once, and keep Python from
        # complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        _note("ksales: " + t.gettext("the output was closed before the report was written out"))
        return 141
    finally:
        container.shutdown_resources()


def run_until_stopped(main: Coroutine[Any, Any, T]) -> T:
    """Run `main`; SIGTERM or SIGINT cancel it, so that a sync finishes or rolls back its window."""

    async def runner() -> T:
        task = asyncio.ensure_future(main)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, task.cancel)
        try:
            return await task
        finally:
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(signum)

    try:
        return asyncio.run(runner())
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None


def _serve(container: Container, args: argparse.Namespace) -> int:
    import uvicorn

    from ksales.entrypoints.web.app import create_app
    from ksales.entrypoints.web.loopback import connect_url
    from ksales.entrypoints.web.server import GuardedApp, quiet_uvicorn

    container.sales_store()  # open the store before the server starts listening
    url = f"http://{args.host}:{args.port}/"
    log.info("ksales %s: dashboard at %s", __version__, url)
    t = container.catalog().translator(container.settings().language)
    _out(t.gettext("ksales dashboard: {url}", url=url), flush=True)
    quiet_uvicorn()
    uvicorn.run(
        GuardedApp(create_app(container, address=connect_url(args.host, args.port))),
        host=args.host,
        port=args.port,
        log_config=None,  # our handlers (configure_logging), so the filters and JSON format apply
        log_level="info",
        access_log=False,
    )
    return 0


def _bot(container: Container, args: argparse.Namespace) -> int:
    from ksales.entrypoints.runtime import serve_bot

    container.bot_token()
    container.sales_store()
    run_until_stopped(serve_bot(container))
    return 0


class _ProgressBar:
    """A one-line progress bar on a terminal; silent elsewhere."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def __call__(self, progress: SyncProgress) -> None:
        if not self.enabled:
            return
        width = 30
        done = int(width * progress.window / max(progress.windows, 1))
        sys.stderr.write(
            f"\r{progress.mode} sync [{'#' * done}{'.' * (width - done)}] "
            f"{progress.window}/{progress.windows} windows, {progress.fetched} orders"
        )
        if progress.window == progress.windows:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _days(value: str) -> int | str:
    """`--days N` or `--days all` (checked in `_sync`, so that a bad value is one clear line)."""
    return "all" if value.strip().lower() == "all" else int(value) if value.strip().isdigit() else value


def _sync(container: Container, args: argparse.Namespace) -> int:
    if args.stocks:
        return _sync_stocks(container)
    days: int | str | None = container.settings().full_sync_days if args.days is None else args.days
    if days == "all":
        days = None
    elif not isinstance(days, int) or days < 1:
        raise ConfigError("--days", "must be a number of days (at least 1) or `all`")
    sync = container.sync()
    if sync.store.order_count() == 0:
        days = None  # the first sync into an empty store reads the whole history

    async def run() -> str:
        try:
            bar = _ProgressBar()
            if args.reconcile:
                return (await sync.reconcile()).line()
            report = await (sync.full(days, progress=bar) if args.full else sync.incremental(progress=bar))
            if report.mode == "full":  # every full sync ends with a reconciliation (SPEC §4)
                return f"{report.line()}\n{(await sync.reconcile()).line()}"
            return report.line()
        finally:
            await sync.crm.aclose()

    _out(run_until_stopped(run()))
    return 0


def _sync_stocks(container: Container) -> int:
    """`ksales sync --stocks`: today's stock snapshot, taken now (replacing one taken earlier today)."""
    snapshots = container.stock_snapshots()

    async def run() -> str:
        try:
            return (await snapshots.take()).line()
        finally:
            await snapshots.crm.aclose()

    _out(run_until_stopped(run()))
    return 0


def _demo(container: Container, args: argparse.Namespace) -> int:
    from ksales.adapters.demo.crm import HISTORY_DAYS
    from ksales.adapters.duckdb.files import rebuilt_store

    settings = container.settings()
    if not settings.demo_mode:
        log.info("KEYCRM_API_KEY is set, but `ksales demo` always loads the demo shop")
    per_year = None if args.orders is None else max(1, round(args.orders * 365.25 / HISTORY_DAYS))
    crm = container.demo_crm(seed=args.seed, orders_per_year=per_year)
    # Built beside the current store and swapped in at the end: a crash leaves the old one in place.
    with rebuilt_store(settings.store_path, settings.rules) as store:
        sync = container.sync_into(crm=crm, store=store)
        report = run_until_stopped(sync.full(None, progress=_ProgressBar()))
        orders = store.order_count()
    _out(report.line())
    t = container.catalog().translator(settings.language)
    _out(t.gettext("demo store ready: {path} ({orders} orders)", path=settings.store_path, orders=orders))
    return 0


class CliError(KsalesError):
    """An error of the command line itself, told in KSALES_LANGUAGE (the API's errors stay English)."""

    def translated(self, t: Translator) -> str:
        return t.gettext(str(self))


@define
class EmptyStore(CliError):
    """A report was asked of a store that holds no order yet."""

    message: str = N_(
        "the store is empty: fill it with `ksales sync` (from KeyCRM) or `ksales demo` (the demo shop), "
        "or start `ksales serve`, which loads it on its first start"
    )


_CANNOT_WRITE = N_("cannot write {path}: {reason}")


@define
class UnwritableFile(CliError):
    path: Path
    #: A catalog message, or the system's own words for an OS error.
    reason: str

    def __str__(self) -> str:
        return _CANNOT_WRITE.format(path=self.path, reason=self.reason)

    def translated(self, t: Translator) -> str:
        return t.gettext(_CANNOT_WRITE, path=self.path, reason=t.gettext(self.reason))


def _check_writable(path: Path) -> None:
    """Refuse an --xlsx path that cannot be written before any figure is computed."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UnwritableFile(path, N_("it is a directory"))
    if not folder.is_dir():
        raise UnwritableFile(path, N_("its folder does not exist"))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UnwritableFile(path, N_("permission denied"))


def _workbook(
    container: Container, analytics: Analytics, request: ReportRequest | ScopedRequest
) -> WorkbookReport:
    """The owner's workbook: every cost figure and, read from the store itself, the at-risk contacts."""
    from ksales.entrypoints.remote import RemoteAnalytics
    from ksales.services.workbook import workbook_report

    if isinstance(analytics, RemoteAnalytics):
        report = analytics.workbook(request)
        t = container.catalog().translator(container.settings().language)
        _note(
            "ksales: "
            + t.gettext(
                "read through the running service: the workbook leaves out the at-risk customers' contacts "
                "(the service gives buyers' contacts to an admin's session only)"
            )
        )
        return report
    return workbook_report(analytics, container.inventory(), request, costs=True, contacts=True)


def _report(container: Container, args: argparse.Namespace) -> int:
    from ksales.adapters.memory.store import InMemorySalesStore
    from ksales.adapters.system.lock import DataDirLock
    from ksales.entrypoints.readers import open_reader, stored_orders
    from ksales.services.params import REPORT_PARAMETERS

    if args.weekly:
        from ksales.entrypoints.weekly_cli import weekly_report

        return weekly_report(container, args)
    params = {key: value for key in REPORT_PARAMETERS if (value := getattr(args, key)) is not None}
    if args.xlsx is not None:
        _check_writable(args.xlsx)
    settings = container.settings()
    t = container.catalog().translator(settings.language)
    if not settings.store_path.exists() and not DataDirLock(settings.data_dir).is_held():
        # Nothing was ever synced here and nobody owns the directory: refuse (bad input first, resolved
        # against an empty store) without creating the data directory, the lock or an empty store.
        container.analytics(store=InMemorySalesStore(settings.rules)).parse(params)
        raise EmptyStore()
    with open_reader(container) as analytics:
        request = analytics.parse(params)
        if stored_orders(analytics) == 0:
            raise EmptyStore()
        if args.xlsx is not None:
            workbook = container.report_writer().write(
                _workbook(container, analytics, request), settings.language
            )
            try:
                args.xlsx.write_bytes(workbook)
            except OSError as error:
                raise UnwritableFile(args.xlsx, error.strerror or type(error).__name__) from None
            _out(t.gettext("wrote {path}", path=args.xlsx))
            return 0
        summary = analytics.summary(request)
        if args.json:
            _out(json.dumps(to_json(summary), ensure_ascii=False, indent=2))
            return 0
        sources = analytics.sources_breakdown(request).sources
    for line in report_lines(t, summary, sources, settings.currency):
        _out(line)
    return 0


def report_lines(t: Translator, summary: Summary, sources: Sequence[SourceRow], currency: str) -> list[str]:
    """`ksales report` as text in KSALES_LANGUAGE."""
    period = summary.period
    lines = [
        t.gettext(
            "Sales {range} ({period}), {sales_type}",
            range=t.date_range(period.start, period.end),
            period=t.gettext(VALUE_NAMES[period.kind]),
            sales_type=t.gettext(VALUE_NAMES[summary.filters.sales_type]),
        )
    ]
    returns = t.ngettext(
        "{count} order, {amount}",
        "{count} orders, {amount}",
        summary.returns.orders,
        count=t.number(summary.returns.orders),
        amount=t.money(summary.returns.revenue, currency),
    )
    rows = [
        (t.gettext("Revenue"), t.money(summary.revenue, currency)),
        (t.gettext("Orders"), t.number(summary.orders)),
        (t.gettext("Average check"), t.money(summary.avg_check, currency)),
        (t.gettext("Returns"), returns),
    ]
    if summary.comparison is not None:
        c = summary.comparison
        compared = t.gettext(
            "{range}: {amount} ({change} revenue)",
            range=t.date_range(c.start, c.end),
            amount=t.money(c.revenue, currency),
            change=t.percent(c.revenue_change_pct, signed=True),
        )
        rows.append((t.gettext("Compared with"), compared))
    m = summary.milestones
    if m.kind is not None:
        if m.next:
            state = t.gettext(
                "next {amount} ({progress})",
                amount=t.money(m.next, currency),
                progress=t.percent(m.progress_pct),
            )
        else:
            state = t.gettext("every threshold reached")
        rows.append((t.gettext("Milestone ({kind})", kind=t.gettext(VALUE_NAMES[m.kind])), state))
    width = max(22, *(len(label) + 1 for label, _value in rows))
    lines += [f"  {label:<{width}} {value}" for label, value in rows]
    if sources:
        lines.append("  " + t.gettext("Sources:"))
        for s in sources:
            revenue, share = t.money(s.revenue, currency), t.percent(s.share_pct)
            lines.append(f"    {s.name[:24]:<24} {s.orders:>6}  {revenue:>18}  {share:>7}")
    return lines


def _backup(container: Container, args: argparse.Namespace) -> int:
    from ksales.adapters.system.lock import DataDirLock
    from ksales.domain.errors import BackupError, StoreLocked
    from ksales.services.backup import create_backup, latest_backup

    settings = container.settings()
    backups = settings.data_dir / "backups"
    try:
        store = container.sales_store()
    except StoreLocked:
        # A running service owns the store: it writes the backup itself when signalled.
        pid = DataDirLock(settings.data_dir).holder_pid()
        if pid is None:
            raise
        asked = container.clock().now()
        os.kill(pid, signal.SIGUSR1)
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            folder = latest_backup(backups, after=asked.replace(microsecond=0))
            if folder is not None:
                t = container.catalog().translator(settings.language)
                _out(
                    t.gettext(
                        "backup written by the running service (pid {pid}): {folder}", pid=pid, folder=folder
                    )
                )
                return 0
            time.sleep(0.2)
        raise BackupError(f"pid {pid} wrote no backup within {args.timeout:.0f} s; see its log") from None
    folder = create_backup(store, container.user_store(), container.clock(), backups, __version__)
    t = container.catalog().translator(settings.language)
    _out(t.gettext("backup written: {folder}", folder=folder))
    return 0


def _restore(container: Container, args: argparse.Namespace) -> int:
    from ksales.services.backup import restore_data_dir

    settings = container.settings()
    manifest = restore_data_dir(args.folder, settings.store_path, settings.users_path)
    orders = container.sales_store().order_count()
    if orders != manifest.orders:
        raise KsalesError(
            f"restored store holds {orders} orders, the backup's manifest says {manifest.orders}"
        )
    t = container.catalog().translator(settings.language)
    backed_up = f"{manifest.created_at:%Y-%m-%d %H:%M} UTC"
    _out(
        t.gettext(
            "restored {folder} ({orders} orders, backed up {moment})",
            folder=args.folder,
            orders=orders,
            moment=backed_up,
        )
    )
    return 0


def _token(container: Container, args: argparse.Namespace) -> int:
    tokens = container.tokens()
    t = container.catalog().translator(container.settings().language)
    if args.action == "create":
        created = tokens.create(args.name)
        _note(t.gettext("token {name} created; its secret is shown only now:", name=repr(created.token.name)))
        _out(created.secret)
        _note(t.gettext("send it as `Authorization: Bearer <secret>`"))
    elif args.action == "revoke":
        revoked = tokens.revoke(args.name)
        _out(t.gettext("token {name} revoked", name=repr(revoked.name)))
    else:
        listed = tokens.list()
        if not listed:
            _out(t.gettext("no API tokens (create one with `ksales token create NAME`)"))
        for token in listed:
            if token.revoked_at is None:
                state = t.gettext("active")
            else:
                state = t.gettext("revoked {moment}", moment=f"{token.revoked_at:%Y-%m-%d %H:%M}")
            created_at = t.gettext("created {moment}", moment=f"{token.created_at:%Y-%m-%d %H:%M}")
            _out(f"{token.name:<32} {created_at}  {state}")
    return 0


def _rebuild_rollups(container: Container, args: argparse.Namespace) -> int:
    """Recompute the rollups of the DuckDB store (they are kept on every write; this is for a store that
    lost them, e.g. edited by hand)."""
    from ksales.adapters.duckdb import DuckDbSalesStore

    t = container.catalog().translator(container.settings().language)
    store = container.sales_store()
    if not isinstance(store, DuckDbSalesStore):
        _note(t.gettext("this store keeps no rollups: nothing to rebuild"))
        return 0
    started = time.monotonic()
    store.rebuild_rollups()
    seconds = f"{time.monotonic() - started:.1f}"
    _out(
        t.gettext(
            "rollups rebuilt from {orders} orders in {seconds} s", orders=store.order_count(), seconds=seconds
        )
    )
    return 0


def _doctor(container: Container, args: argparse.Namespace) -> int:
    from ksales.entrypoints.doctor import run

    return run(container, args)


COMMANDS = {
    "serve": _serve,
    "sync": _sync,
    "bot": _bot,
    "report": _report,
    "demo": _demo,
    "token": _token,
    "backup": _backup,
    "restore": _restore,
    "doctor": _doctor,
    "rebuild-rollups": _rebuild_rollups,
}


if __name__ == "__main__":
    sys.exit(main())
