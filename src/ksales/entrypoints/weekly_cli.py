"""`ksales report --weekly [--json | --xlsx FILE]`: the bot's weekly report of the last complete week.

Read from the store when no process owns it, else through the running service's `GET /api/weekly` — the
same result object either way (SPEC §3), so the text, the JSON and the workbook are the same too.
"""

from __future__ import annotations

import argparse
import html
import json
import re

from attrs import define

from ksales.domain.language import N_
from ksales.domain.rules import SalesType
from ksales.domain.weekly import WeeklyReport, report_week
from ksales.entrypoints.bot.weekly_texts import weekly
from ksales.entrypoints.cli import CliError, EmptyStore, UnwritableFile, _check_writable, _out
from ksales.entrypoints.container import Container
from ksales.entrypoints.readers import Analytics
from ksales.entrypoints.serialize import to_json

_TAG = re.compile(r"<[^>]+>")


@define
class BadSalesType(CliError):
    message: str = N_("--sales-type must be retail, b2b or all")


def plain(text: str) -> str:
    """The bot's HTML message as terminal text."""
    return html.unescape(_TAG.sub("", text))


def weekly_json(report: WeeklyReport, sales_type: SalesType) -> dict[str, object]:
    """What `GET /api/weekly` answers: the report and the sales type it is for."""
    return {**to_json(report), "sales_type": sales_type.value}


def read_report(container: Container, analytics: Analytics, sales_type: SalesType) -> WeeklyReport:
    """The last complete week's report, from the store or from the service that owns it."""
    from ksales.entrypoints.remote import RemoteAnalytics

    if isinstance(analytics, RemoteAnalytics):
        return analytics.weekly_report(None, sales_type)
    return container.weekly_reports().report(report_week(analytics.today()), sales_type)


def weekly_report(container: Container, args: argparse.Namespace) -> int:
    from ksales.entrypoints.readers import open_reader, stored_orders

    settings = container.settings()
    t = container.catalog().translator(settings.language)
    try:
        sales_type = SalesType((args.sales_type or "retail").lower())
    except ValueError:
        raise BadSalesType() from None
    if args.xlsx is not None:
        _check_writable(args.xlsx)
    if not settings.store_path.exists():
        raise EmptyStore()
    with open_reader(container) as analytics:
        if stored_orders(analytics) == 0:
            raise EmptyStore()
        report = read_report(container, analytics, sales_type)
    if args.xlsx is not None:
        workbook = container.weekly_writer().write(report, sales_type, settings.language)
        try:
            args.xlsx.write_bytes(workbook)
        except OSError as error:
            raise UnwritableFile(args.xlsx, error.strerror or type(error).__name__) from None
        _out(t.gettext("wrote {path}", path=args.xlsx))
    elif args.json:
        _out(json.dumps(weekly_json(report, sales_type), ensure_ascii=False, indent=2))
    else:
        _out(plain(weekly(t, report, sales_type, settings.currency)))
    return 0
